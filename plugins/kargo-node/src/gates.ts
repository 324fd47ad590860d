import {
  BackstageCredentials,
  createExtensionPoint,
} from '@backstage/backend-plugin-api';
import type {
  ApprovalPolicyView,
  ApprovalRequestView,
  Freight,
  FreightMetadataView,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';

/** A promotion about to be made through the portal. @public */
export interface KargoPromotionGateRequest {
  instance: string;
  project: string;
  /** The stage promoted into, as Kargo has it. */
  stage: Stage;
  freight: Freight;
  /** The portal's metadata of the freight (notes, labels, verdict), if any. */
  metadata?: FreightMetadataView;
  /**
   * The portal's approvals of this freight for this stage: the policies that select the stage
   * (empty: none does) and the newest request for it, approved or not. The approval gate module
   * lets the promotion through once that request is Approved.
   */
  approval: {
    policies: ApprovalPolicyView[];
    request?: ApprovalRequestView;
  };
  /** Who asks. */
  credentials: BackstageCredentials;
  /** Which way the promotion comes: the promote route, promote downstream, or a tool. */
  via: 'promote' | 'promote-downstream' | 'scaffolder' | 'action';
  now: Date;
}

/**
 * A gate's answer: let it through, refuse it with a reason, or let it through only once the
 * user has confirmed the reason (the promote request then names the gate in `confirm`).
 * @public
 */
export type KargoPromotionGateDecision =
  | { result: 'allow' }
  | { result: 'deny'; reason: string; details?: Record<string, string> }
  | { result: 'confirm'; reason: string };

/** @public */
export interface KargoPromotionGate {
  /** Unique, kebab-case: shown to users and named by confirmations. */
  name: string;
  evaluate(
    request: KargoPromotionGateRequest,
  ): Promise<KargoPromotionGateDecision>;
}

/** @public */
export interface KargoPromotionGatesExtensionPoint {
  addPromotionGate(...gates: KargoPromotionGate[]): void;
}

/**
 * Lets backend modules add gates that every promotion through the portal passes, after the
 * permission check and before Kargo is called.
 * @public
 */
export const kargoPromotionGatesExtensionPoint =
  createExtensionPoint<KargoPromotionGatesExtensionPoint>({
    id: 'kargo.promotion-gates',
  });
