/** Faults the simulator can inject, to test how clients cope with a slow or broken Kargo. */
export interface Faults {
  /** Added to every /v1beta1 response. */
  latencyMs: number;
  /** Share of /v1beta1 requests answered 500 (0..1). */
  errorRate: number;
  /** The next N /v1beta1 requests are answered 503, then the server recovers. */
  failNextRequests: number;
  /** Share of JSON responses whose body is cut in half (0..1). */
  malformedRate: number;
  /** Watch streams are cut after sending this many events (0 = never). */
  cutWatchAfterEvents: number;
  /**
   * The next N changes (POST, PUT, PATCH, DELETE) are carried out, then their answer is lost:
   * the connection is dropped instead (a timeout or a proxy's reset, as the client sees it).
   */
  loseNextAnswers: number;
}

export const noFaults = (): Faults => ({
  latencyMs: 0,
  errorRate: 0,
  failNextRequests: 0,
  malformedRate: 0,
  cutWatchAfterEvents: 0,
  loseNextAnswers: 0,
});
