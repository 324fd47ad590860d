import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  KargoProjectSettings,
  ProjectConfig,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';
import request from 'supertest';
import { guestbook, kargoForEachTest } from '../../testUtils';

const env = kargoForEachTest();

const entities: Entity[] = [
  {
    ...guestbook,
    relations: [{ type: 'ownedBy', targetRef: 'group:default/guests' }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'guests', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'dev', namespace: 'default' },
    spec: { profile: { email: 'dev@example.com' }, memberOf: ['guests'] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'ops', namespace: 'default' },
    spec: { memberOf: [] },
  },
];

const settings = '/api/kargo/instances/sim/projects/kargo-demo/settings';
const mutations = () => env.kargo.requestLog.filter(r => !r.startsWith('GET '));
const role = (name: string) =>
  env.sim.roles.list('kargo-demo').find(r => r.metadata.name === name);
const policies = () =>
  env.sim.store.get<ProjectConfig>('ProjectConfig', 'kargo-demo', 'kargo-demo')
    ?.spec?.promotionPolicies ?? [];

/** kargo.project.manage only for release managers; everything else allowed. */
const permissions = async (requests: any[], options?: any) =>
  requests.map(r => ({
    result:
      r.permission.name === 'kargo.project.manage' &&
      options?.credentials?.principal?.userEntityRef !== 'user:default/mock'
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
  })) as any;
const backend = () => env.backend({ entities, permissions });

describe('project settings', () => {
  it("show the project's roles, owners and each stage's auto-promotion with its freeze state", async () => {
    const server = await backend();
    await request(server)
      .post('/api/kargo/instances/sim/projects/kargo-demo/promotion-windows')
      .send({
        name: 'freeze-prod',
        kind: 'Deny',
        stageSelector: { name: 'prod' },
        dtstart: new Date(Date.now() - 60_000).toISOString(),
        dtend: new Date(Date.now() + 3_600_000).toISOString(),
      })
      .expect(201);
    const res = await request(server).get(settings);
    expect(res.status).toBe(200);
    const body = res.body as KargoProjectSettings;
    expect(body.owners).toEqual(['group:default/guests']);
    expect(body.groupsClaim).toBe('groups');
    expect(body.roles.map(r => r.name)).toEqual([
      'kargo-admin',
      'kargo-promoter',
      'kargo-viewer',
    ]);
    const byStage = Object.fromEntries(body.stages.map(s => [s.stage, s]));
    const autoIn = (name: string) =>
      env.sim.store.require<Stage>('Stage', 'kargo-demo', name).status
        ?.autoPromotionEnabled ?? false;
    for (const stage of ['test', 'uat', 'prod']) {
      expect(byStage[stage].autoPromotionEnabled).toBe(autoIn(stage));
    }
    expect(byStage.prod.promotionWindow).toMatchObject({
      open: false,
      closedBy: [{ name: 'freeze-prod' }],
    });
    expect(byStage.uat.promotionWindow.open).toBe(true);
  });

  it('grant and revoke Kargo roles to portal groups and users as OIDC claims, audited', async () => {
    const server = await backend();
    const granted = await request(server)
      .post(`${settings}/roles/kargo-promoter/grants`)
      .send({
        subjects: ['group:default/guests', 'user:default/dev', 'user:ops'],
      });
    expect(granted.status).toBe(200);
    expect(role('kargo-promoter')!.claims).toEqual([
      { name: 'groups', values: ['guests'] },
      { name: 'email', values: ['dev@example.com'] },
      { name: 'sub', values: ['ops'] },
    ]);
    expect(env.audit).toContainEqual(
      expect.objectContaining({
        eventId: 'kargo-role-grant',
        status: 'succeeded',
        meta: expect.objectContaining({ role: 'kargo-promoter' }),
      }),
    );

    const revoked = await request(server)
      .post(`${settings}/roles/kargo-promoter/revocations`)
      .send({ subjects: ['user:default/dev'] });
    expect(revoked.status).toBe(200);
    expect(role('kargo-promoter')!.claims.map(c => c.name)).toEqual([
      'groups',
      'sub',
    ]);
    const shown = await request(server).get(settings);
    expect(
      shown.body.roles.find((r: any) => r.name === 'kargo-promoter').claims,
    ).toEqual([
      { name: 'groups', values: ['guests'] },
      { name: 'sub', values: ['ops'] },
    ]);
  });

  it("turn a stage's auto-promotion on and off in the project's promotion policies", async () => {
    const server = await backend();
    const on = await request(server)
      .put(`${settings}/stages/uat/auto-promotion`)
      .send({ enabled: true });
    expect(on.status).toBe(200);
    expect(policies()).toContainEqual({
      stage: 'uat',
      autoPromotionEnabled: true,
    });
    env.sim.tick();
    expect(
      env.sim.store.require<Stage>('Stage', 'kargo-demo', 'uat').status
        ?.autoPromotionEnabled,
    ).toBe(true);

    await request(server)
      .put(`${settings}/stages/uat/auto-promotion`)
      .send({ enabled: false })
      .expect(200);
    env.sim.tick();
    expect(
      env.sim.store.require<Stage>('Stage', 'kargo-demo', 'uat').status
        ?.autoPromotionEnabled,
    ).toBe(false);
    const shown = await request(server).get(settings);
    expect(shown.body.stages.find((s: any) => s.stage === 'uat')).toMatchObject(
      { autoPromotionEnabled: false, policy: 'uat' },
    );
  });

  it.each([
    ['post', 'roles/kargo-promoter/grants', { subjects: [] }, 400],
    ['post', 'roles/kargo-promoter/grants', { subjects: ['user:nobody'] }, 400],
    ['post', 'roles/kargo-promoter/grants', { subjects: ['x'], extra: 1 }, 400],
    ['post', 'roles/no-such-role/grants', { subjects: ['guests'] }, 404],
    ['post', 'roles/Bad_Name/revocations', { subjects: ['guests'] }, 400],
    ['put', 'stages/uat/auto-promotion', { enabled: 'yes' }, 400],
    ['put', 'stages/nowhere/auto-promotion', { enabled: true }, 404],
  ] as const)(
    '%s %s %j → %d, nothing changed in Kargo',
    async (method, path, body, status) => {
      const server = await backend();
      const before = env.sim.store.currentResourceVersion();
      const res = await request(server)
        [method](`${settings}/${path}`)
        .send(body);
      expect(res.status).toBe(status);
      expect(res.body.error.message).toBeTruthy();
      expect(mutations()).toEqual([]);
      expect(env.sim.store.currentResourceVersion()).toBe(before);
      expect(role('kargo-promoter')?.claims ?? []).toEqual([]);
    },
  );

  it.each([
    ['post', 'roles/kargo-promoter/grants', { subjects: ['guests'] }],
    ['post', 'roles/kargo-promoter/revocations', { subjects: ['guests'] }],
    ['put', 'stages/uat/auto-promotion', { enabled: true }],
  ] as const)(
    'a user without kargo.project.manage: %s %s → 403, audited, nothing changed',
    async (method, path, body) => {
      const server = await backend();
      const res = await request(server)
        [method](`${settings}/${path}`)
        .set(
          'authorization',
          'Bearer mock-user-token:{"sub":"user:default/dev"}',
        )
        .send(body);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('kargo.project.manage');
      expect(mutations()).toEqual([]);
      expect(env.audit.map(a => a.status)).toEqual(['initiated', 'failed']);
      // Reading stays allowed.
      await request(server)
        .get(settings)
        .set(
          'authorization',
          'Bearer mock-user-token:{"sub":"user:default/dev"}',
        )
        .expect(200);
    },
  );

  it('refuses anonymous requests', async () => {
    const server = await backend();
    const res = await request(server)
      .put(`${settings}/stages/uat/auto-promotion`)
      .set('authorization', mockCredentials.none.header())
      .send({ enabled: true });
    expect(res.status).toBe(401);
    expect(mutations()).toEqual([]);
  });
});
