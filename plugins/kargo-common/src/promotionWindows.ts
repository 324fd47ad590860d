/**
 * Freeze windows in Kargo's own model (`ProjectConfig.spec.promotionWindows[]`, Kargo
 * Enterprise): Allow/Deny windows selecting stages, one-shot or recurring (RFC 5545 RRULE).
 * The portal keeps and enforces them for open-source Kargo, which ignores them.
 */

/**
 * Kargo's PromotionPolicySelector: a name (exact, `glob:`, or a Go/RE2 regular expression after
 * `regex:` or `regexp:`, matched anywhere in the name) and/or labels. @public
 */
export interface KargoStageSelector {
  name?: string;
  matchLabels?: Record<string, string>;
}

/** @public */
export interface PromotionWindow {
  name: string;
  kind: 'Allow' | 'Deny';
  stageSelector?: KargoStageSelector;
  /** Start of the (first) window, ISO 8601. */
  dtstart: string;
  /** End of the (first) window; a recurring window lasts as long each time. */
  dtend: string;
  /** RFC 5545 recurrence, e.g. `FREQ=WEEKLY;BYDAY=FR`; none for a one-shot window. */
  rrule?: string;
  /** IANA time zone the recurrence follows (DST included), default UTC. */
  timeZone?: string;
}

/** A window as the portal stores it: who set it and why. @public */
export interface PromotionWindowView extends PromotionWindow {
  reason?: string;
  createdBy: string;
  createdAt: string;
}

/** Whether a stage may be promoted into now, and why not. @public */
export interface PromotionWindowState {
  open: boolean;
  /**
   * The windows that close it (active Deny windows, or Allow windows none of which is active).
   * A window the backend cannot evaluate (a recurrence over its per-evaluation cap, such as
   * `FREQ=SECONDLY`, or a selector or time Kargo would refuse) closes every stage it may select,
   * whatever its kind, and says why in `problem`.
   */
  closedBy: Array<{
    name: string;
    kind: 'Allow' | 'Deny';
    reason?: string;
    problem?: string;
  }>;
  /** When it opens again (closed) or next closes (open), if known within a year. */
  nextChange?: string;
}
