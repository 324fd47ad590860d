import { Config } from '@backstage/config';

/** The backend plugin's own settings (kargo.*, beside kargo.instances), checked at start. */
export interface KargoBackendConfig {
  /** How long a replica's hold on a project's watch lasts unrenewed (kargo.watch.leaseSeconds). */
  leaseMs: number;
  /** How often freight is polled on a Kargo without a freight watch (kargo.watch.pollSeconds). */
  pollIntervalMs: number;
  /** The OIDC claim Kargo matches portal groups against (kargo.groupsClaim). */
  groupsClaim: string;
  /**
   * Stage name patterns whose successful promotions notify the owners
   * (kargo.notifications.productionStages; none unless configured: opt-in).
   */
  productionStages: string[];
  /** Approval policies declared in app-config (kargo.approvals.policies), checked at start. */
  approvalPolicies: Array<
    { instance?: string; project: string } & Record<string, unknown>
  >;
}

/** Reads the settings; a bad one stops the backend with the key named. */
export function readKargoBackendConfig(config: Config): KargoBackendConfig {
  const seconds = (key: string, fallback: number, least: number) => {
    const value = config.getOptionalNumber(key) ?? fallback;
    // Zero would poll without pause.
    if (!(least > 0 ? value >= least : value > 0)) {
      throw new Error(
        `${key} must be ${
          least > 0 ? `at least ${least}` : 'more than 0'
        }, got ${value}`,
      );
    }
    return value * 1000;
  };
  return {
    // Shorter leases would pass the watches back and forth between replicas.
    leaseMs: seconds('kargo.watch.leaseSeconds', 10, 1),
    pollIntervalMs: seconds('kargo.watch.pollSeconds', 30, 0),
    groupsClaim: config.getOptionalString('kargo.groupsClaim') ?? 'groups',
    productionStages:
      config.getOptionalStringArray('kargo.notifications.productionStages') ??
      [],
    approvalPolicies: (
      config.getOptionalConfigArray('kargo.approvals.policies') ?? []
    ).map(c => c.get() as { project: string }),
  };
}
