import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  notificationService,
  type NotificationSendOptions,
} from '@backstage/plugin-notifications-node';
import approvalGate from '@kargo-backstage/plugin-kargo-backend-module-approval-gate';
import request from 'supertest';
import { kargoForEachTest, newestFreight } from '../../testUtils';

const env = kargoForEachTest();

const api = (path: string) =>
  `/api/kargo/instances/sim/projects/kargo-demo/${path}`;
const newest = () => newestFreight(env.sim).metadata!.name!;
const mutations = () => env.kargo.requestLog.filter(r => !r.startsWith('GET '));

/** Who is in which group, as Backstage's ownership claims say. */
const GROUPS: Record<string, string[]> = {
  'user:default/dev': ['group:default/guests'],
  'user:default/lead': [
    'group:default/guests',
    'group:default/release-managers',
  ],
  'user:default/rm': ['group:default/release-managers'],
  'user:default/outsider': ['group:default/guests'],
};
const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);

async function backend(options: { gate?: boolean } = {}) {
  const sent: NotificationSendOptions[] = [];
  const server = await env.backend({
    features: [
      ...(options.gate === false ? [] : [approvalGate]),
      createServiceFactory({
        service: coreServices.userInfo,
        deps: {},
        factory: () => ({
          async getUserInfo(credentials: any) {
            const user = credentials.principal.userEntityRef as string;
            return {
              userEntityRef: user,
              ownershipEntityRefs: [user, ...(GROUPS[user] ?? [])],
            };
          },
        }),
      }),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({
          send: async (notification: NotificationSendOptions) => {
            sent.push(notification);
          },
        }),
      }),
    ],
  });
  return { server, sent };
}

const policy = {
  name: 'uat-sign-off',
  stageSelector: { name: 'uat' },
  approvals: 1,
  groups: ['release-managers'],
};

describe('approval policies', () => {
  it('cannot be created without the approval gate module: nothing would wait for them', async () => {
    const { server } = await backend({ gate: false });
    const res = await request(server)
      .post(api('approval-policies'))
      .send(policy);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/module-approval-gate/);
  });

  it('refuse bad input with a 400 that names it, and change nothing', async () => {
    const { server } = await backend();
    for (const bad of [
      { ...policy, approvals: 0 },
      { ...policy, groups: ['user:default/dev'] },
      { ...policy, groups: [] },
      { ...policy, expiresAfter: 'tomorrow' },
      { ...policy, stageSelector: { name: 'regex:(' } },
      { ...policy, name: 'Not A Name' },
      { ...policy, extra: true },
    ]) {
      const res = await request(server)
        .post(api('approval-policies'))
        .send(bad);
      expect([res.status, bad]).toEqual([400, bad]);
    }
    const listed = await request(server).get(api('approval-policies'));
    expect(listed.body).toEqual({ items: [], stages: {} });
    const created = await request(server)
      .post(api('approval-policies'))
      .send(policy);
    expect(created.status).toBe(201);
    expect(created.body.groups).toEqual(['group:default/release-managers']);
    const again = await request(server)
      .post(api('approval-policies'))
      .send(policy);
    expect(again.status).toBe(409);
    expect(
      (await request(server).get(api('approval-policies'))).body.stages,
    ).toEqual({ uat: ['uat-sign-off'] });
  });

  it('need kargo.project.manage and kargo.stage.manage on the stages they select', async () => {
    const server = await env.backend({
      features: [approvalGate],
      permissions: async (requests, options) =>
        requests.map(r => ({
          result:
            r.permission.name === 'kargo.stage.manage' &&
            (options.credentials.principal as any).userEntityRef ===
              'user:default/dev'
              ? ('DENY' as any)
              : ('ALLOW' as any),
        })),
    });
    const refused = await request(server)
      .post(api('approval-policies'))
      .set('authorization', as('dev'))
      .send(policy);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(
      /kargo.stage.manage on sim\/kargo-demo\/uat/,
    );
    expect(
      (await request(server).get(api('approval-policies'))).body.items,
    ).toEqual([]);
  });
});

describe('approval requests', () => {
  it('hold a promotion until a member of the group, not the requester, approves; each step audited and notified', async () => {
    const { server, sent } = await backend();
    await request(server).post(api('approval-policies')).send(policy);
    const freight = newest();

    const held = await request(server)
      .post(api('stages/uat/promotions'))
      .set('authorization', as('dev'))
      .send({ freight });
    expect(held.status).toBe(409);
    expect(held.body.error.message).toMatch(
      /needs 1 approval from group:default\/release-managers .*request approval first \[gate approval\]/,
    );

    const asked = await request(server)
      .post(api('approval-requests'))
      .set('authorization', as('dev'))
      .send({ stage: 'uat', freight, comment: 'hotfix for checkout' });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({
      stage: 'uat',
      freight,
      requestedBy: 'user:default/dev',
      state: 'Pending',
      policies: [{ policy: 'uat-sign-off', required: 1, counted: 0 }],
    });
    expect(sent).toEqual([
      expect.objectContaining({
        recipients: {
          type: 'entity',
          entityRef: ['group:default/release-managers'],
          excludeEntityRef: 'user:default/dev',
        },
        payload: expect.objectContaining({
          topic: 'kargo-approvals',
          link: '/catalog/default/component/guestbook/kargo',
        }),
      }),
    ]);
    const twice = await request(server)
      .post(api('approval-requests'))
      .set('authorization', as('dev'))
      .send({ stage: 'uat', freight });
    expect(twice.status).toBe(409);

    const vote = (user: string, decision = 'Approved') =>
      request(server)
        .post(api(`approval-requests/${asked.body.id}/votes`))
        .set('authorization', as(user))
        .send({ decision, comment: 'ok' });
    const own = await vote('dev');
    expect(own.status).toBe(403);
    expect(own.body.error.message).toMatch(/you asked for this approval/);
    const outsider = await vote('outsider');
    expect(outsider.status).toBe(403);
    expect(outsider.body.error.message).toMatch(
      /membership of group:default\/release-managers/,
    );
    const bad = await request(server)
      .post(api(`approval-requests/${asked.body.id}/votes`))
      .set('authorization', as('rm'))
      .send({ decision: 'Maybe' });
    expect(bad.status).toBe(400);
    expect(mutations()).toEqual([]);

    const approved = await vote('rm');
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      state: 'Approved',
      votes: [
        {
          by: 'user:default/rm',
          decision: 'Approved',
          comment: 'ok',
          asMemberOf: 'group:default/release-managers',
        },
      ],
    });
    expect(sent[1]).toMatchObject({
      recipients: { entityRef: ['user:default/dev'] },
      payload: {
        title: expect.stringMatching(/^Approved by user:default\/rm/),
      },
    });
    expect((await vote('lead')).status).toBe(409);

    const promoted = await request(server)
      .post(api('stages/uat/promotions'))
      .set('authorization', as('dev'))
      .send({ freight });
    expect(promoted.status).toBe(201);
    expect(mutations()).toHaveLength(1);
    expect(
      env.audit
        .filter(e => e.status === 'succeeded')
        .map(e => [e.eventId, e.meta.actor]),
    ).toEqual([
      ['kargo-approval-policy-create', 'user:default/mock'],
      ['kargo-approval-request-create', 'user:default/dev'],
      ['kargo-approval-vote', 'user:default/rm'],
      ['kargo-freight-promote', 'user:default/dev'],
    ]);
    const view = await request(server).get(
      '/api/kargo/entity-view?entityRef=component:default/guestbook',
    );
    expect(view.body.projects[0].approvals).toMatchObject({
      stages: { uat: ['uat-sign-off'] },
      requests: [{ id: asked.body.id, state: 'Approved' }],
    });
  });

  it('count two approvers at once once each, and one approver twice once', async () => {
    const { server } = await backend();
    await request(server)
      .post(api('approval-policies'))
      .send({ ...policy, approvals: 2 });
    const asked = await request(server)
      .post(api('approval-requests'))
      .set('authorization', as('dev'))
      .send({ stage: 'uat', freight: newest() });
    const vote = (user: string) =>
      request(server)
        .post(api(`approval-requests/${asked.body.id}/votes`))
        .set('authorization', as(user))
        .send({ decision: 'Approved' });
    const [a, b, c] = await Promise.all([vote('rm'), vote('lead'), vote('rm')]);
    expect([a.status, b.status, c.status].sort()).toEqual([200, 200, 409]);
    const listed = await request(server).get(
      api('approval-requests?stage=uat'),
    );
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        state: 'Approved',
        policies: [expect.objectContaining({ required: 2, counted: 2 })],
      }),
    ]);
  });

  it('end at a rejection: the promotion stays held', async () => {
    const { server } = await backend();
    await request(server).post(api('approval-policies')).send(policy);
    const freight = newest();
    const asked = await request(server)
      .post(api('approval-requests'))
      .set('authorization', as('dev'))
      .send({ stage: 'uat', freight });
    const rejected = await request(server)
      .post(api(`approval-requests/${asked.body.id}/votes`))
      .set('authorization', as('rm'))
      .send({ decision: 'Rejected', comment: 'not during the sale' });
    expect(rejected.body.state).toBe('Rejected');
    const held = await request(server)
      .post(api('stages/uat/promotions'))
      .send({ freight });
    expect(held.status).toBe(409);
    expect(held.body.error.message).toMatch(/is Rejected/);
    // A new request may follow a rejected one.
    const again = await request(server)
      .post(api('approval-requests'))
      .set('authorization', as('dev'))
      .send({ stage: 'uat', freight });
    expect(again.status).toBe(201);
  });

  it('are refused where no policy selects the stage, for unknown freight, and without promote permission', async () => {
    const server = await env.backend({
      features: [approvalGate],
      permissions: async (requests, options) =>
        requests.map(r => ({
          result:
            r.permission.name === 'kargo.freight.promote' &&
            (options.credentials.principal as any).userEntityRef ===
              'user:default/outsider'
              ? ('DENY' as any)
              : ('ALLOW' as any),
        })),
    });
    await request(server).post(api('approval-policies')).send(policy);
    const ask = (body: object, user = 'dev') =>
      request(server)
        .post(api('approval-requests'))
        .set('authorization', as(user))
        .send(body);
    expect((await ask({ stage: 'test', freight: newest() })).status).toBe(409);
    expect((await ask({ stage: 'uat', freight: 'nope' })).status).toBe(404);
    expect(
      (await ask({ stage: 'uat', freight: newest() }, 'outsider')).status,
    ).toBe(403);
    expect((await ask({ stage: 'uat' })).status).toBe(400);
    const unknown = await request(server)
      .post(api('approval-requests/00000000-0000-0000-0000-000000000000/votes'))
      .send({ decision: 'Approved' });
    expect(unknown.status).toBe(404);
  });
});
