import { Config } from '@backstage/config';

/** The backend plugin's own settings (kargo.*, beside kargo.instances), checked at start. */
export interface KargoBackendConfig {
  /** How long a project's state is cached between changes (kargo.cache.ttlSeconds). */
  cacheTtlMs: number;
  /** How long a replica's hold on a project's watch lasts unrenewed (kargo.watch.leaseSeconds). */
  leaseMs: number;
  /** How often freight is polled on a Kargo without a freight watch (kargo.watch.pollSeconds). */
  pollIntervalMs: number;
  /** The OIDC claim Kargo matches portal groups against (kargo.groupsClaim). */
  groupsClaim: string;
}

/** Reads the settings; a bad one stops the backend with the key named. */
export function readKargoBackendConfig(config: Config): KargoBackendConfig {
  const seconds = (key: string, fallback: number) => {
    const value = config.getOptionalNumber(key) ?? fallback;
    if (!(value >= 1)) {
      throw new Error(`${key} must be at least 1, got ${value}`);
    }
    return value * 1000;
  };
  return {
    cacheTtlMs: seconds('kargo.cache.ttlSeconds', 30),
    // Shorter leases would pass the watches back and forth between replicas.
    leaseMs: seconds('kargo.watch.leaseSeconds', 10),
    // Zero would poll without pause.
    pollIntervalMs: seconds('kargo.watch.pollSeconds', 30),
    groupsClaim: config.getOptionalString('kargo.groupsClaim') ?? 'groups',
  };
}
