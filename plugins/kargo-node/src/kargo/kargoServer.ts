/**
 * What the portal knows of Kargo releases, read from `GET /v1beta1/system/server-version`
 * (pkg/server/get_version_info_v1alpha1.go; `devel+<commit>` for builds without a release tag,
 * pkg/x/version/version.go).
 */

/** Kargo as one instance reported it at start. @public */
export interface KargoServerInfo {
  /** As Kargo reports it, e.g. `v1.11.2`. */
  version: string;
  /**
   * Watches resume from a list's resourceVersion (Kargo v1.11.0+). Older servers ignore it and
   * replay every object as ADDED on each connection, have no freight watch, and report no
   * `event: error` frames (pkg/server/list_stages_v1alpha1.go at v1.10.10).
   */
  resumesWatches: boolean;
}

/** The oldest Kargo with the REST API the portal speaks (v1.9.0 added `/v1beta1`). */
export const OLDEST_SUPPORTED = [1, 9, 0] as const;
/** The releases the portal is tested on. */
export const TESTED_RELEASES = 'v1.11.x';

/** `v1.10.3` → [1, 10, 3]; pre-releases count as their release; anything else (devel) is undefined. */
export function parseKargoVersion(
  version: string,
): [number, number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  return match ? [+match[1], +match[2], +match[3]] : undefined;
}

function atLeast(version: readonly number[], than: readonly number[]): boolean {
  for (let i = 0; i < 3; i++) {
    if (version[i] !== than[i]) return version[i] > than[i];
  }
  return true;
}

/**
 * What a reported version means for the client, or why the portal refuses the server. A version
 * that is not a release (a `devel` build) is taken as the newest.
 */
export function kargoServerInfo(
  version: string,
): KargoServerInfo | { refused: string } {
  const parsed = parseKargoVersion(version);
  if (parsed && !atLeast(parsed, OLDEST_SUPPORTED)) {
    return {
      refused: `runs Kargo ${version}, older than v1.9.0, which has no REST API (/v1beta1)`,
    };
  }
  return {
    version,
    resumesWatches: !parsed || atLeast(parsed, [1, 11, 0]),
  };
}
