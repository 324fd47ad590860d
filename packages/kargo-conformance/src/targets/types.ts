/** A Kargo API server the conformance suite runs against. */
export interface ConformanceTarget {
  /** `simulator` or `kargo v1.11.2`: shown in test names. */
  name: string;
  /** Base URL of the REST API (`/v1beta1` lives under it). */
  url: string;
  /** A token with Kargo's admin rights. */
  adminToken: string;
  /**
   * Lets the target's controllers run until `settled` (the simulator ticks its clock);
   * a real Kargo runs on its own, so this just waits a little.
   */
  advance(ms: number): Promise<void>;
  stop(): Promise<void>;
}

/** How to start a target, or why it cannot start on this machine. */
export interface TargetFactory {
  name: string;
  /** Undefined when the target can run; otherwise the reason shown as the skip message. */
  unavailable(): string | undefined;
  start(): Promise<ConformanceTarget>;
}
