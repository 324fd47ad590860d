/** Go's time.Duration text ("5m0s", "1h", "90s") as Kargo's specs and statuses use it. */
export function parseDuration(text: string | undefined): number {
  if (!text) return 0;
  const units: Record<string, number> = {
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  let total = 0;
  const pattern = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let consumed = 0;
  for (const match of text.matchAll(pattern)) {
    total += Number(match[1]) * units[match[2]];
    consumed += match[0].length;
  }
  if (consumed !== text.length) {
    throw new Error(`invalid duration "${text}"`);
  }
  return total;
}

export function formatDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h) return `${h}h${m}m${s}s`;
  return m ? `${m}m${s}s` : `${s}s`;
}
