import type { KargoSchemas } from '@kargo-backstage/plugin-kargo-common';
import type { Clock } from '../clock';

/* The status conditions (Ready, Promoting, Healthy, Verified) the controllers set, as Kargo's pkg/conditions does. */

export type Condition = KargoSchemas['V1Condition'];

/** A condition whose lastTransitionTime is now; its observedGeneration is always 1. */
export function condition(
  clock: Clock,
  type: string,
  status: string,
  reason: string,
  message = '',
) {
  return {
    type,
    status,
    reason,
    message,
    lastTransitionTime: clock.isoNow(),
    observedGeneration: 1,
  };
}

/** Replaces the condition of `type`, keeping the others. */
export function setCondition(
  clock: Clock,
  conditions: Condition[] | undefined,
  type: string,
  status: string,
  reason: string,
  message: string,
) {
  const others = (conditions ?? []).filter(c => c.type !== type);
  return [...others, condition(clock, type, status, reason, message)];
}
