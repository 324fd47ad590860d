import type {
  LineStopView,
  PromotionWindowView,
} from '@kargo-backstage/plugin-kargo-common';

/** The window name a stop-the-line freeze closes stages with. */
export const LINE_STOP_WINDOW = 'stop-the-line';

/** A stop as the promotion window that closes every stage while it lasts. */
export function lineStopWindow(stop: LineStopView): PromotionWindowView {
  return {
    name: LINE_STOP_WINDOW,
    kind: 'Deny',
    dtstart: stop.startedAt,
    // Open-ended: it lasts until someone ends it (no next change to show).
    dtend: '9999-12-31T23:59:59Z',
    reason: `Stop the line: ${stop.reason}`,
    createdBy: stop.startedBy,
    createdAt: stop.startedAt,
  };
}
