import { LoggerService } from '@backstage/backend-plugin-api';
import type {
  PromotionWindowState,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';
import { evaluatePromotionSchedule } from './promotionSchedule';

/**
 * Kargo's own verdict on a Stage's promotion windows (after v1.11.2, Kargo Enterprise:
 * `Stage.status.promotionWindowStatus`, api/v1alpha1/promotion_window_types.go on Kargo's main
 * branch). Absent when no window gates the Stage, and from Kargo OSS.
 */
interface KargoPromotionWindowStatus {
  closed: boolean;
  /** Set whenever closed; names the freeze responsible. */
  reason?: string;
  /** Optional even while closed: a missing nextOpen means no known end. */
  nextOpen?: string;
  nextClose?: string;
  nextCloseReason?: string;
}

/** Kargo's promotionWindowStatus as the portal's state, when Kargo reports one. */
export function kargoPromotionWindow(
  stage: Stage,
): PromotionWindowState | undefined {
  const status = (
    stage.status as { promotionWindowStatus?: KargoPromotionWindowStatus }
  )?.promotionWindowStatus;
  if (!status || typeof status.closed !== 'boolean') return undefined;
  if (status.closed) {
    return {
      open: false,
      // Kargo names the freeze in its reason, not as a window of the portal's.
      closedBy: [{ name: 'Kargo', kind: 'Deny', reason: status.reason }],
      nextChange: status.nextOpen,
    };
  }
  return { open: true, closedBy: [], nextChange: status.nextClose };
}

/**
 * Whether the Stage may be promoted into now: Kargo's own promotionWindowStatus when it reports
 * one (Kargo then enforces its windows itself), else the portal's windows, else undefined (no
 * window gates it).
 */
export function stagePromotionWindow(
  stage: Stage,
  windows: Parameters<typeof evaluatePromotionSchedule>[0],
  now: Date,
  options: { logger?: LoggerService } = {},
): PromotionWindowState | undefined {
  const fromKargo = kargoPromotionWindow(stage);
  if (fromKargo) return fromKargo;
  if (!windows.length) return undefined;
  return evaluatePromotionSchedule(
    windows,
    { name: stage.metadata!.name!, labels: stage.metadata?.labels },
    now,
    options,
  );
}
