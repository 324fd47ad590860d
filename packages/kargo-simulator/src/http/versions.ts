/**
 * How Kargo's REST API answered in older releases, for `serverVersion` (tests of how clients
 * cope with them). Read from Kargo's source at those tags; paths are under pkg/server/.
 */
export interface ServedBehaviour {
  /** v1.9.0 added /v1beta1; before, the UI's handler answers every path with index.html (server.go). */
  restApi: boolean;
  /**
   * v1.11.0: watches resume from `resourceVersion`, send `event: error` frames, freight can be
   * watched, and lists carry a resourceVersion to watch from. Before, every connection replays
   * all objects as ADDED (list_stages_v1alpha1.go at v1.10.10), `?watch=true` on freight answers
   * the list (query_freights_v1alpha1.go), and StageList has no resourceVersion.
   */
  watchResume: boolean;
  /**
   * v1.11.1: every error is `{"error": ...}`. Before, a 401 has no body (auth_middleware.go
   * AbortWithStatus) and an error of no known type none either, with gin's default 200
   * (rest_router.go handleError, v1.10.10).
   */
  jsonErrors: boolean;
  /** v1.10.1: a promotion is answered bare; v1.9.x and v1.10.0 wrap it, `{"promotion": ...}`. */
  barePromotion: boolean;
}

/** `v1.10.3` → [1, 10, 3]; anything not a release (devel) is taken as the newest. */
function parse(version: string): number[] | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  return match ? match.slice(1, 4).map(Number) : undefined;
}

export function behaviourOf(version: string): ServedBehaviour {
  const v = parse(version);
  const atLeast = (...than: number[]) => {
    if (!v) return true;
    for (let i = 0; i < 3; i++) {
      if (v[i] !== than[i]) return v[i] > than[i];
    }
    return true;
  };
  return {
    restApi: atLeast(1, 9, 0),
    watchResume: atLeast(1, 11, 0),
    jsonErrors: atLeast(1, 11, 1),
    barePromotion: atLeast(1, 10, 1),
  };
}
