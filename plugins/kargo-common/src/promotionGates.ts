/**
 * A promotion gate's answer for freight going into a stage, as the backend serves it: the gate
 * preview lists them, and a promote that a gate stops is refused with its reason. The flags say
 * what the user can do about it, so no client needs to know gates by name.
 * @public
 */
export interface KargoGateOutcome {
  gate: string;
  /** The stage the freight would go into. */
  stage: string;
  result: 'allow' | 'deny' | 'confirm';
  reason?: string;
  details?: Record<string, string>;
  /** A deny that a user holding `overridePermission` may override (today the freeze gate's). */
  overridable: boolean;
  /** The Backstage permission that overrides it, e.g. `kargo.freeze.override`. */
  overridePermission?: string;
  /** Passes once the user confirms the reason: the promote request names the gate in `confirm`. */
  needsConfirmation: boolean;
}
