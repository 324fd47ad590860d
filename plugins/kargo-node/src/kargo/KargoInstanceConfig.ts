import { Config } from '@backstage/config';

/** One `kargo.instances[]` entry, read and checked. @public */
export interface KargoInstanceConfig {
  name: string;
  url: string;
  token?: string;
  uiUrl?: string;
  timeoutMs: number;
  /**
   * Mutations use the user's own Kargo token (sent by the frontend in `x-kargo-token`)
   * instead of the service token; reads keep using the service token.
   */
  forwardUserToken?: boolean;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Reads `kargo.instances`. Fails fast with the offending key named, so a portal with a broken
 * Kargo config does not start half-working.
 * @public
 */
export function readKargoInstances(config: Config): KargoInstanceConfig[] {
  const instances = config.getOptionalConfigArray('kargo.instances') ?? [];
  const seen = new Set<string>();
  return instances.map((instance, index) => {
    const name = instance.getString('name');
    if (seen.has(name)) {
      throw new Error(`kargo.instances[${index}].name "${name}" is used twice`);
    }
    seen.add(name);
    const url = instance.getString('url').replace(/\/+$/, '');
    if (!/^https?:\/\/[^/]+/.test(url)) {
      throw new Error(
        `kargo.instances[${index}].url must be an http(s) URL, got "${url}"`,
      );
    }
    const timeoutMs =
      instance.getOptionalNumber('timeoutMs') ?? DEFAULT_TIMEOUT_MS;
    if (!(timeoutMs > 0)) {
      throw new Error(`kargo.instances[${index}].timeoutMs must be positive`);
    }
    return {
      name,
      url,
      token: instance.getOptionalString('token'),
      uiUrl: instance.getOptionalString('uiUrl')?.replace(/\/+$/, ''),
      timeoutMs,
      forwardUserToken:
        instance.getOptionalBoolean('forwardUserToken') ?? false,
    };
  });
}
