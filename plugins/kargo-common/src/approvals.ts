/**
 * Approval policies and requests: what open-source Kargo lacks (akuity/kargo#3440), kept by the
 * portal. A policy selects stages the way promotion windows do; promoting freight into a stage a
 * policy selects needs that many approvals from members of its groups, the requester excluded.
 */
import type { KargoStageSelector } from './promotionWindows';

/** @public */
export interface ApprovalPolicy {
  name: string;
  /** Which stages it governs (Kargo's PromotionPolicySelector); none: every stage. */
  stageSelector?: KargoStageSelector;
  /** How many approvals it takes (1–10). */
  approvals: number;
  /** Group entity refs (`group:default/release-managers`) whose members may approve. */
  groups: string[];
  /** A Go duration (`24h`): an approval older than this no longer counts. */
  expiresAfter?: string;
}

/** A policy as the portal stores it. @public */
export interface ApprovalPolicyView extends ApprovalPolicy {
  createdBy: string;
  createdAt: string;
}

/** @public */
export type ApprovalDecision = 'Approved' | 'Rejected';

/** One approver's answer. @public */
export interface ApprovalVote {
  /** The approver's user entity ref. */
  by: string;
  decision: ApprovalDecision;
  comment?: string;
  at: string;
  /** The group that made the approver eligible. */
  asMemberOf: string;
}

/**
 * `Pending` until every policy that selects the stage has its approvals; `Rejected` at the first
 * rejection; `Expired` once approvals that made it count have expired.
 * @public
 */
export type ApprovalState = 'Pending' | 'Approved' | 'Rejected' | 'Expired';

/** A request to promote a freight into a stage, with its votes and what it still needs. @public */
export interface ApprovalRequestView {
  id: string;
  instance: string;
  project: string;
  stage: string;
  freight: string;
  requestedBy: string;
  requestedAt: string;
  comment?: string;
  votes: ApprovalVote[];
  state: ApprovalState;
  /** Per policy selecting the stage: approvals counted now, and how many it takes. */
  policies: Array<{
    policy: string;
    groups: string[];
    required: number;
    counted: number;
  }>;
  /** When the first counted approval stops counting (policies with `expiresAfter`). */
  expiresAt?: string;
}

/** What the Kargo tab shows of approvals in a project. @public */
export interface KargoProjectApprovals {
  /** Per stage the names of the policies that select it (stages without one left out). */
  stages: Record<string, string[]>;
  policies: ApprovalPolicyView[];
  /** Pending and approved requests (the newest 100). */
  requests: ApprovalRequestView[];
}

/**
 * A portal-wide (or one instance's) freeze: every stage of every project is closed until it
 * ends (kargo.line.stop to start or end it, kargo.freeze.override for a hotfix).
 * @public
 */
export interface LineStopView {
  id: string;
  /** The Kargo instance it stops; none: every instance. */
  instance?: string;
  reason: string;
  startedBy: string;
  startedAt: string;
}
