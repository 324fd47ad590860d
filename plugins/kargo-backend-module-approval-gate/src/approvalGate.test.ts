import { createApprovalGate } from './approvalGate';

const gate = createApprovalGate();
const policy = {
  name: 'prod-sign-off',
  approvals: 1,
  groups: ['group:default/release-managers'],
};
const ask = (approval: object) =>
  gate.evaluate({
    stage: { metadata: { name: 'prod' } },
    freight: { metadata: { name: '3f7fe3aa5522' }, alias: 'quiet-narwhal' },
    approval,
  } as any);

describe('the approval gate', () => {
  it('lets freight through where no policy applies, and once its request is Approved', async () => {
    expect(await ask({ policies: [] })).toEqual({ result: 'allow' });
    expect(
      await ask({ policies: [policy], request: { state: 'Approved' } }),
    ).toEqual({ result: 'allow' });
  });

  it('holds it back otherwise, saying what is missing by the freight alias', async () => {
    expect(await ask({ policies: [policy] })).toEqual({
      result: 'deny',
      reason:
        'Freight quiet-narwhal needs 1 approval from group:default/release-managers (policy "prod-sign-off") to enter stage "prod": request approval first',
      details: { approval: 'none' },
    });
    const pending = await ask({
      policies: [policy],
      request: {
        id: 'r1',
        state: 'Pending',
        requestedBy: 'user:default/dev',
        policies: [{ policy: 'prod-sign-off', counted: 0, required: 1 }],
      },
    });
    expect(pending).toEqual({
      result: 'deny',
      reason:
        'Freight quiet-narwhal needs 1 approval from group:default/release-managers (policy "prod-sign-off") to enter stage "prod"; the request by user:default/dev is Pending (0 of 1 for "prod-sign-off")',
      details: { approval: 'Pending', request: 'r1' },
    });
  });
});
