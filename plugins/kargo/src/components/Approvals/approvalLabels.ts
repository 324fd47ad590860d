import type {
  ApprovalRequestView,
  KargoProjectView,
} from '@kargo-backstage/plugin-kargo-common';

/** The promotion gate that holds freight until its approval request is Approved. */
export const APPROVAL_GATE = 'approval';

/** `group:default/release-managers` → `release-managers`; other namespaces and kinds stay. */
export function shortRef(ref: string): string {
  return ref.replace(/^(user|group):default\//, '').replace(/^user:/, '');
}

/** Per policy: "1 of 2 approvals from release-managers or sre". */
export function approvalProgress(request: ApprovalRequestView): string[] {
  return request.policies.map(
    p =>
      `${p.counted} of ${p.required} approval${
        p.required === 1 ? '' : 's'
      } from ${p.groups.map(shortRef).join(' or ')}`,
  );
}

/** Pending approval requests per stage of the project. */
export function pendingApprovals(view: KargoProjectView): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of view.approvals?.requests ?? []) {
    if (r.state === 'Pending') {
      counts.set(r.stage, (counts.get(r.stage) ?? 0) + 1);
    }
  }
  return counts;
}

/** "1 approval pending", "3 approvals pending". */
export function pendingLabel(count: number): string {
  return `${count} approval${count === 1 ? '' : 's'} pending`;
}

/** The newest of a freight's requests for a stage: the one the approval gate looks at. */
export function newestRequest(
  requests: ApprovalRequestView[] | undefined,
  stage: string,
  freight: string,
): ApprovalRequestView | undefined {
  return (requests ?? [])
    .filter(r => r.stage === stage && r.freight === freight)
    .reduce<ApprovalRequestView | undefined>(
      (newest, r) =>
        !newest || r.requestedAt > newest.requestedAt ? r : newest,
      undefined,
    );
}

/**
 * Why the signed-in user cannot answer a pending request, as the backend would refuse it: the
 * requester never counts, each approver answers once, and only the policies' groups answer.
 * Undefined when they may (the backend decides again).
 */
export function whyNoVote(
  request: ApprovalRequestView,
  me: { userEntityRef: string; ownershipEntityRefs: string[] },
): string | undefined {
  if (request.requestedBy === me.userEntityRef) {
    return 'You asked for this approval: someone else answers it.';
  }
  if (request.votes.some(v => v.by === me.userEntityRef)) {
    return 'You answered this request.';
  }
  const groups = [...new Set(request.policies.flatMap(p => p.groups))];
  if (!groups.some(g => me.ownershipEntityRefs.includes(g))) {
    return `Members of ${groups.map(shortRef).join(' or ')} answer it.`;
  }
  return undefined;
}
