/** The simulator's sense of time; tests move a ManualClock instead of waiting. */
export interface Clock {
  now(): number;
  isoNow(): string;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  isoNow: () => toKubernetesTime(Date.now()),
};

/** Kubernetes serialises metav1.Time as RFC 3339 with second precision. */
export function toKubernetesTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000)
    .toISOString()
    .replace('.000Z', 'Z');
}

export class ManualClock implements Clock {
  constructor(private current = Date.parse('2026-11-02T09:00:00Z')) {}
  now() {
    return this.current;
  }
  isoNow() {
    return toKubernetesTime(this.current);
  }
  advance(ms: number) {
    this.current += ms;
  }
}

/**
 * System time, except while a fixture's history is replayed: then time starts in the past
 * and moves only when the replay says so, so the seeded state carries believable dates.
 */
export class SeedingClock implements Clock {
  private replayAt?: number;
  now() {
    return this.replayAt ?? Date.now();
  }
  isoNow() {
    return toKubernetesTime(this.now());
  }
  startReplay(at: number) {
    this.replayAt = at;
  }
  advance(ms: number) {
    if (this.replayAt !== undefined) this.replayAt += ms;
  }
  endReplay() {
    this.replayAt = undefined;
  }
}
