import type { ApprovalPolicyView } from '@kargo-backstage/plugin-kargo-common';
import { approvalState } from './approvalState';
import type { StoredApprovalRequest } from './ApprovalStore';

const policy = (
  name: string,
  groups: string[],
  approvals: number,
  expiresAfter?: string,
): ApprovalPolicyView => ({
  name,
  groups,
  approvals,
  expiresAfter,
  createdBy: 'user:default/admin',
  createdAt: '2026-12-01T00:00:00Z',
});

const request = (
  votes: Array<[string, 'Approved' | 'Rejected', string, string]>,
): StoredApprovalRequest => ({
  id: '6b1f0c57-2b2e-4a3e-9a4c-0d9f4f0b1a11',
  instance: 'sim',
  project: 'shop',
  stage: 'prod',
  freight: 'f1',
  requestedBy: 'user:default/dev',
  requestedAt: '2026-12-07T10:00:00Z',
  votes: votes.map(([by, decision, at, asMemberOf]) => ({
    by: `user:default/${by}`,
    decision,
    at,
    asMemberOf,
  })),
});

const rm = 'group:default/release-managers';
const sec = 'group:default/security';
const now = new Date('2026-12-07T12:00:00Z');

describe('approvalState', () => {
  it('counts approvals per policy from members of its groups; every policy must be met', () => {
    const policies = [
      policy('sign-off', [rm], 1),
      policy('security', [sec], 1),
    ];
    const one = approvalState(
      request([['rm', 'Approved', '2026-12-07T11:00:00Z', rm]]),
      policies,
      now,
    );
    expect(one.state).toBe('Pending');
    expect(one.policies.map(p => p.counted)).toEqual([1, 0]);
    const both = approvalState(
      request([['lead', 'Approved', '2026-12-07T11:00:00Z', `${rm},${sec}`]]),
      policies,
      now,
    );
    expect(both.state).toBe('Approved');
    expect(both.expiresAt).toBeUndefined();
  });

  it('never counts the requester, and a rejection ends the request', () => {
    const policies = [policy('sign-off', [rm], 1)];
    expect(
      approvalState(
        request([['dev', 'Approved', '2026-12-07T11:00:00Z', rm]]),
        policies,
        now,
      ).state,
    ).toBe('Pending');
    expect(
      approvalState(
        request([
          ['rm', 'Approved', '2026-12-07T11:00:00Z', rm],
          ['lead', 'Rejected', '2026-12-07T11:30:00Z', rm],
        ]),
        policies,
        now,
      ).state,
    ).toBe('Rejected');
  });

  it('lets approvals expire: Approved until the required-th newest expires, then Expired', () => {
    const policies = [policy('sign-off', [rm], 2, '2h')];
    const votes = request([
      ['rm', 'Approved', '2026-12-07T10:30:00Z', rm],
      ['lead', 'Approved', '2026-12-07T11:00:00Z', rm],
    ]);
    const approved = approvalState(votes, policies, now);
    expect(approved).toMatchObject({
      state: 'Approved',
      expiresAt: '2026-12-07T12:30:00.000Z',
    });
    const later = approvalState(
      votes,
      policies,
      new Date('2026-12-07T12:45:00Z'),
    );
    expect(later.state).toBe('Expired');
    expect(later.policies[0].counted).toBe(1);
  });
});
