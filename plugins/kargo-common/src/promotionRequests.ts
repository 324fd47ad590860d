import type { ObjectMeta } from './kargoResources';

/**
 * Kargo's answer to a promotion into a Stage that selects Targets (after v1.11.2, on Kargo's main
 * branch): a PromotionRequest, which fans the Freight out to the Targets, instead of a Promotion
 * (api/v1alpha1/promotion_request_types.go; pkg/server/promote_to_stage.go answers it 201, and
 * promote_downstream.go lists them under `promotionRequests`). Only the fields the portal reads.
 * @public
 */
export interface PromotionRequest {
  /** `kargo.akuity.io/v1alpha1`, when Kargo sends it. */
  apiVersion?: string;
  /** `PromotionRequest`, when Kargo sends it. */
  kind?: string;
  /** Its name is `<stage>.<ulid>.<freight[0:7]>`, like a Promotion's. */
  metadata?: ObjectMeta;
  /** The Stage, the Freight and the Targets; only the Targets may change. */
  spec: {
    stage: string;
    freight: string;
    /** The Targets resolved when it was created; always present, possibly empty. */
    targets: Array<{ name: string }>;
  };
  /** How its Promotions (one per Target) are doing. */
  status?: {
    phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Errored' | string;
    message?: string;
  };
}

/**
 * Whether Kargo answered a PromotionRequest rather than a Promotion. Kargo's typed client leaves
 * `kind` out of what it created, so a `spec.targets` list (required on PromotionRequests, absent
 * on Promotions) tells them apart too.
 * @public
 */
export function isPromotionRequest(
  object: unknown,
): object is PromotionRequest {
  const o = object as { kind?: string; spec?: { targets?: unknown } } | null;
  return o?.kind === 'PromotionRequest' || Array.isArray(o?.spec?.targets);
}
