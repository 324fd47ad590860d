import type {
  ApprovalDecision,
  ApprovalPolicy,
  ApprovalPolicyView,
  ApprovalRequestView,
  ApprovalVote,
} from '@kargo-backstage/plugin-kargo-common';
import { Knex } from 'knex';
import { isUniqueViolation } from '../../database/DatabaseKargoStore';
import type { ProjectRef } from '../../database';

/** A request as stored, without what its policies make of it (see approvalState). */
export type StoredApprovalRequest = Omit<
  ApprovalRequestView,
  'state' | 'policies' | 'expiresAt'
>;

type RequestRow = {
  id: string;
  instance: string;
  project: string;
  stage: string;
  freight: string;
  requested_by: string;
  requested_at: string;
  comment: string | null;
};

/** Policies, requests and votes in the plugin's database (they hold across replicas). */
export class ApprovalStore {
  constructor(private readonly db: Knex) {}

  async listPolicies(ref: ProjectRef): Promise<ApprovalPolicyView[]> {
    const rows = await this.db('kargo_approval_policies')
      .where({ instance: ref.instance, project: ref.project })
      .orderBy('name');
    return rows.map(r => ({
      ...(JSON.parse(r.policy) as ApprovalPolicy),
      createdBy: r.created_by,
      createdAt: r.created_at,
    }));
  }

  /** False when the project has a policy of that name already. */
  async createPolicy(
    ref: ProjectRef,
    policy: ApprovalPolicyView,
  ): Promise<boolean> {
    const { createdBy, createdAt, ...rest } = policy;
    try {
      await this.db('kargo_approval_policies').insert({
        instance: ref.instance,
        project: ref.project,
        name: policy.name,
        policy: JSON.stringify(rest),
        created_by: createdBy,
        created_at: createdAt,
      });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async deletePolicy(ref: ProjectRef, name: string): Promise<boolean> {
    const deleted = await this.db('kargo_approval_policies')
      .where({ instance: ref.instance, project: ref.project, name })
      .delete();
    return deleted > 0;
  }

  /** Instances and projects with at least one policy (the auto-promotion hold visits them). */
  async projectsWithPolicies(): Promise<ProjectRef[]> {
    return this.db('kargo_approval_policies')
      .distinct('instance', 'project')
      .orderBy(['instance', 'project']);
  }

  async createRequest(request: StoredApprovalRequest): Promise<void> {
    await this.db('kargo_approval_requests').insert({
      id: request.id,
      instance: request.instance,
      project: request.project,
      stage: request.stage,
      freight: request.freight,
      requested_by: request.requestedBy,
      requested_at: request.requestedAt,
      comment: request.comment ?? null,
    });
  }

  /** The project's requests, newest first, with their votes. */
  async listRequests(
    ref: ProjectRef,
    filter: { stage?: string; freight?: string; id?: string; limit?: number },
  ): Promise<StoredApprovalRequest[]> {
    const query = this.db<RequestRow>('kargo_approval_requests')
      .where({ instance: ref.instance, project: ref.project })
      .orderBy([
        { column: 'requested_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(filter.limit ?? 200);
    if (filter.stage) query.andWhere({ stage: filter.stage });
    if (filter.freight) query.andWhere({ freight: filter.freight });
    if (filter.id) query.andWhere({ id: filter.id });
    const rows = await query;
    if (!rows.length) return [];
    const votes = await this.db('kargo_approval_votes')
      .whereIn(
        'request_id',
        rows.map(r => r.id),
      )
      .orderBy('voted_at');
    return rows.map(r => ({
      id: r.id,
      instance: r.instance,
      project: r.project,
      stage: r.stage,
      freight: r.freight,
      requestedBy: r.requested_by,
      requestedAt: r.requested_at,
      ...(r.comment ? { comment: r.comment } : {}),
      votes: votes
        .filter(v => v.request_id === r.id)
        .map(v => ({
          by: v.voter,
          decision: v.decision as ApprovalDecision,
          at: v.voted_at,
          asMemberOf: v.as_member_of,
          ...(v.comment ? { comment: v.comment } : {}),
        })),
    }));
  }

  /** False when this approver answered the request already (the key holds across replicas). */
  async vote(requestId: string, vote: ApprovalVote): Promise<boolean> {
    try {
      await this.db('kargo_approval_votes').insert({
        request_id: requestId,
        voter: vote.by,
        decision: vote.decision,
        as_member_of: vote.asMemberOf,
        comment: vote.comment ?? null,
        voted_at: vote.at,
      });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }
}
