import { createApiRef } from '@backstage/core-plugin-api';
import type {
  ApprovalDecision,
  ApprovalPolicy,
  ApprovalPolicyView,
  ApprovalRequestView,
  ApprovalState,
  KargoGateOutcome,
  LineStopView,
  FreightMetadataChange,
  FreightMetadataInput,
  FreightMetadataView,
  KargoEntityView,
  Promotion,
  PromotionRequest,
  PromotionWindow,
  PromotionWindowState,
  PromotionWindowView,
  KargoProjectSettings,
  KargoRepoCredentialsView,
} from '@kargo-backstage/plugin-kargo-common';

/** A promotion gate's answer, per stage, with what the user can do about it. */
export type { KargoGateOutcome };

/** What the Kargo backend plugin reports about itself. @public */
export interface KargoBackendHealth {
  status: string;
}

/** A Kargo project on one configured instance. @public */
export interface KargoProjectRef {
  instance: string;
  project: string;
}

/** Freight by name or by alias, as Kargo's promote request names it. @public */
export type KargoFreightRef = { freight: string } | { freightAlias: string };

/** @public */
export interface KargoMutationOptions {
  /** Sent as `Idempotency-Key`: a retry with the same key creates nothing new. */
  idempotencyKey?: string;
  /** Gates whose "confirm" the user accepted. */
  confirm?: string[];
  /** Overridable gates whose deny the user overrides (each needs its gate's override permission). */
  override?: string[];
  /** Promote through a freeze (needs kargo.freeze.override); the same as override: ['freeze']. */
  overrideFreeze?: boolean;
}

/**
 * The frontend's view of the Kargo backend plugin. Components reach Kargo only through it,
 * so the Kargo token never leaves the backend; the backend authorizes every call.
 * @public
 */
export interface KargoApi {
  getHealth(): Promise<KargoBackendHealth>;
  /** Everything the Kargo tab shows for an entity: one view per project it names. */
  getEntityView(
    entityRef: string,
    options?: { freightLimit?: number },
  ): Promise<KargoEntityView>;
  /**
   * Kargo's answer: the Promotion, or for a stage that selects Targets (Kargo after v1.11.2) a
   * PromotionRequest (see isPromotionRequest).
   */
  promote(
    ref: KargoProjectRef,
    stage: string,
    freight: KargoFreightRef,
    options?: KargoMutationOptions,
  ): Promise<Promotion | PromotionRequest>;
  /**
   * Promotes freight verified in `stage` into every stage downstream of it; stages that select
   * Targets yield PromotionRequests.
   */
  promoteDownstream(
    ref: KargoProjectRef,
    stage: string,
    freight: KargoFreightRef,
    options?: KargoMutationOptions,
  ): Promise<{
    promotions?: Promotion[];
    promotionRequests?: PromotionRequest[];
  }>;
  approveFreight(
    ref: KargoProjectRef,
    freight: string,
    stage: string,
  ): Promise<void>;
  abortPromotion(ref: KargoProjectRef, promotion: string): Promise<void>;
  refreshStage(ref: KargoProjectRef, stage: string): Promise<void>;
  refreshWarehouse(ref: KargoProjectRef, warehouse: string): Promise<void>;
  reverify(ref: KargoProjectRef, stage: string): Promise<void>;
  abortVerification(ref: KargoProjectRef, stage: string): Promise<void>;
  updateFreightAlias(
    ref: KargoProjectRef,
    freight: string,
    alias: string,
  ): Promise<void>;
  /** What the promotion gates say about freight going into a stage. */
  getPromotionGates(
    ref: KargoProjectRef,
    stage: string,
    freight: string,
  ): Promise<KargoGateOutcome[]>;
  /** Writes over `input.version`; a 409 means someone else wrote since. */
  updateFreightMetadata(
    ref: KargoProjectRef,
    freight: string,
    input: FreightMetadataInput,
  ): Promise<FreightMetadataView>;
  getFreightMetadataHistory(
    ref: KargoProjectRef,
    freight: string,
  ): Promise<FreightMetadataChange[]>;
  listPromotionWindows(ref: KargoProjectRef): Promise<{
    items: PromotionWindowView[];
    stages: Record<string, PromotionWindowState>;
  }>;
  createPromotionWindow(
    ref: KargoProjectRef,
    window: PromotionWindow & { reason?: string },
  ): Promise<PromotionWindowView>;
  deletePromotionWindow(ref: KargoProjectRef, name: string): Promise<void>;
  /** Roles, auto-promotion per stage, warehouses and credentials of a project. */
  getProjectSettings(ref: KargoProjectRef): Promise<KargoProjectSettings>;
  /** Grants (or revokes) a Kargo role to portal groups and users (entity refs). */
  changeRoleGrants(
    ref: KargoProjectRef,
    role: string,
    change: 'grants' | 'revocations',
    subjects: string[],
  ): Promise<void>;
  setAutoPromotion(
    ref: KargoProjectRef,
    stage: string,
    enabled: boolean,
  ): Promise<{ autoPromotionEnabled: boolean; heldByFreeze: boolean }>;
  updateWarehouse(
    ref: KargoProjectRef,
    warehouse: string,
    spec: Record<string, unknown>,
  ): Promise<void>;
  /** Creates freight from artifacts a Manual warehouse discovered. */
  assembleFreight(
    ref: KargoProjectRef,
    warehouse: string,
    artifacts: {
      images?: Array<{ repoURL: string; tag: string }>;
      commits?: Array<{ repoURL: string; id: string }>;
    },
  ): Promise<void>;
  saveRepoCredentials(
    ref: KargoProjectRef,
    credentials: Omit<KargoRepoCredentialsView, 'repoUrlIsRegex'> & {
      repoUrlIsRegex?: boolean;
      /** Required to create; left out, an update keeps the stored one. */
      password?: string;
    },
    mode: 'create' | 'update',
  ): Promise<KargoRepoCredentialsView>;
  deleteRepoCredentials(ref: KargoProjectRef, name: string): Promise<void>;
  /** The project's approval policies, and per stage the names of those that select it. */
  listApprovalPolicies(ref: KargoProjectRef): Promise<{
    items: ApprovalPolicyView[];
    stages: Record<string, string[]>;
  }>;
  /** Adds a policy; the backend validates it and answers it as stored. */
  createApprovalPolicy(
    ref: KargoProjectRef,
    policy: ApprovalPolicy,
  ): Promise<ApprovalPolicyView>;
  /** Ends a policy: promotions into the stages it selected need its approvals no more. */
  deleteApprovalPolicy(ref: KargoProjectRef, name: string): Promise<void>;
  /** Approval requests of the project, newest first. */
  listApprovalRequests(
    ref: KargoProjectRef,
    filter?: { stage?: string; state?: ApprovalState },
  ): Promise<ApprovalRequestView[]>;
  /** Asks the approvers of the policies selecting `stage` to let `freight` into it. */
  requestApproval(
    ref: KargoProjectRef,
    request: { stage: string; freight: string; comment?: string },
  ): Promise<ApprovalRequestView>;
  /** Approves or rejects a pending request; the backend decides who may. */
  voteOnApprovalRequest(
    ref: KargoProjectRef,
    id: string,
    vote: { decision: ApprovalDecision; comment?: string },
  ): Promise<ApprovalRequestView>;
  /** Stop-the-line freezes in force. */
  listLineStops(): Promise<LineStopView[]>;
  /** Stops the line of one Kargo instance, or of every one when `instance` is left out. */
  startLineStop(stop: {
    instance?: string;
    reason: string;
  }): Promise<LineStopView>;
  /** Ends a stop-the-line freeze: the stages open as their own windows say. */
  endLineStop(id: string): Promise<void>;
}

/** @public */
export const kargoApiRef = createApiRef<KargoApi>({
  id: 'plugin.kargo.service',
});
