import { parseGoDuration } from '@kargo-backstage/plugin-kargo-common';

/** Go's time.Duration text ("5m0s", "1h", "90s") as Kargo's specs and statuses use it. */
export const parseDuration = parseGoDuration;

export function formatDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h) return `${h}h${m}m${s}s`;
  return m ? `${m}m${s}s` : `${s}s`;
}

/**
 * Kargo's typed duration fields (metav1.Duration) are stored as Go prints them, so "12h" is
 * answered as "12h0m0s": Warehouse spec.interval, a Stage's requiredSoakTime.
 */
export function normalizeDurations(kind: string, object: any): void {
  const norm = (value: unknown) =>
    typeof value === 'string' && value
      ? formatDuration(parseDuration(value))
      : value;
  if (kind === 'Warehouse' && object.spec?.interval !== undefined) {
    object.spec.interval = norm(object.spec.interval);
  }
  if (kind === 'Stage') {
    for (const request of object.spec?.requestedFreight ?? []) {
      if (request.sources?.requiredSoakTime !== undefined) {
        request.sources.requiredSoakTime = norm(
          request.sources.requiredSoakTime,
        );
      }
    }
  }
}
