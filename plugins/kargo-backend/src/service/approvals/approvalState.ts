import {
  parseGoDuration,
  type ApprovalPolicyView,
  type ApprovalRequestView,
  type ApprovalVote,
} from '@kargo-backstage/plugin-kargo-common';
import type { StoredApprovalRequest } from './ApprovalStore';

/** The groups a vote was eligible through (stored comma-separated: entity refs have none). */
export const votedAs = (vote: ApprovalVote) =>
  vote.asMemberOf.split(',').map(g => g.trim());

/**
 * What a request's votes amount to under the policies that select its stage now: each policy
 * counts approvals from members of its groups, never the requester's, and not once expired. A
 * rejection by an eligible approver ends the request.
 */
export function approvalState(
  request: StoredApprovalRequest,
  policies: ApprovalPolicyView[],
  now: Date,
): ApprovalRequestView {
  const approvals = request.votes.filter(
    v => v.decision === 'Approved' && v.by !== request.requestedBy,
  );
  let expiresAt: number | undefined;
  let expired = false;
  const counts = policies.map(policy => {
    const eligible = approvals.filter(v =>
      votedAs(v).some(g => policy.groups.includes(g)),
    );
    const ttl = parseGoDuration(policy.expiresAfter);
    const until = (v: ApprovalVote) =>
      ttl ? Date.parse(v.at) + ttl : Infinity;
    const live = eligible
      .map(until)
      .filter(t => t > now.getTime())
      .sort((a, b) => b - a);
    if (eligible.length >= policy.approvals && live.length < policy.approvals) {
      expired = true;
    }
    // The policy holds until its required-th newest approval expires.
    if (ttl && live.length >= policy.approvals) {
      const end = live[policy.approvals - 1];
      expiresAt = expiresAt === undefined ? end : Math.min(expiresAt, end);
    }
    return {
      policy: policy.name,
      groups: policy.groups,
      required: policy.approvals,
      counted: live.length,
    };
  });
  const rejected = request.votes.some(v => v.decision === 'Rejected');
  const satisfied = counts.every(c => c.counted >= c.required);
  let state: ApprovalRequestView['state'] = 'Pending';
  if (rejected) state = 'Rejected';
  else if (satisfied) state = 'Approved';
  else if (expired) state = 'Expired';
  return {
    ...request,
    state,
    policies: counts,
    ...(state === 'Approved' && expiresAt !== undefined
      ? { expiresAt: new Date(expiresAt).toISOString() }
      : {}),
  };
}
