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
