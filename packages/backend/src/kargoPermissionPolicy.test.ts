import type {
  KargoSimulator,
  RunningKargoSimulator,
} from '@kargo-backstage/kargo-simulator';
import { startTestKargo } from '@kargo-backstage/plugin-kargo-backend/testUtils';
import {
  kargoFreezeOverridePermission,
  kargoLineStopPermission,
  kargoFreightPromotePermission,
  kargoStageRefreshPermission,
} from '@kargo-backstage/plugin-kargo-common';
import { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import { KargoExamplePermissionPolicy } from './kargoPermissionPolicy';
import {
  as,
  owned,
  setProjectOwners,
  startPolicyBackend,
  freightOf,
} from './__testUtils__/policyBackend';

/**
 * The permission matrix, end to end: the Kargo backend plugin, the real permission backend with
 * the example policy, conditional decisions resolved by the plugin's permission rules against the
 * owners the catalog and the Kargo Project agree on, and the simulator as Kargo.
 */

const entities: Entity[] = [
  owned('guestbook', 'kargo-demo', 'group:default/team-a'),
  owned('storefront', 'microservices', 'group:default/team-b'),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-a', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
];

const ownership: Record<string, string[]> = {
  'user:default/dev': ['user:default/dev', 'group:default/team-a'],
  'user:default/mallory': ['user:default/mallory'],
  'user:default/rel': ['user:default/rel', 'group:default/release-managers'],
};

let kargo: RunningKargoSimulator;
let sim: KargoSimulator;
let audit: Array<Record<string, any>>;

async function startBackend() {
  audit = [];
  return startPolicyBackend({ kargo, entities, ownership, audit });
}

const mutations = () => kargo.requestLog.filter(r => !r.startsWith('GET '));
const api = (path: string) => `/api/kargo/instances/sim/projects/${path}`;

interface Case {
  path: string;
  body?: object;
  method?: 'post' | 'patch' | 'put';
}

/** Each route: where a team-a owner may act, and where the same owner may not. */
interface Route {
  name: string;
  allowed(): Case;
  otherStageOrProject(): Case;
  /** Put the simulator in a state where the allowed call can succeed. */
  prepare?(): void;
}

const newestDemoFreight = () =>
  freightOf(sim, 'kargo-demo').at(-1)!.metadata!.name!;
const uatFreight = () =>
  freightOf(sim, 'kargo-demo').find(f => f.status?.currentlyIn?.uat)!.metadata!
    .name!;

/** A promotion that has not finished yet (the simulator only moves on tick()). */
function runningPromotion(stage: string): string {
  const freight = newestDemoFreight();
  sim.approve('kargo-demo', freight, stage, 'admin');
  return sim.promote('kargo-demo', stage, { freight }, 'admin').metadata!.name!;
}

const routes: Route[] = [
  {
    name: 'promote',
    allowed: () => ({
      path: api('kargo-demo/stages/uat/promotions'),
      body: { freight: newestDemoFreight() },
    }),
    otherStageOrProject: () => ({
      path: api('kargo-demo/stages/prod/promotions'),
      body: { freight: uatFreight() },
    }),
  },
  {
    name: 'promote downstream',
    allowed: () => ({
      path: api('kargo-demo/stages/test/promotions/downstream'),
      body: { freight: newestDemoFreight() },
    }),
    // Downstream of uat is prod: a way around "not into prod" if it were not checked.
    otherStageOrProject: () => ({
      path: api('kargo-demo/stages/uat/promotions/downstream'),
      body: { freight: uatFreight() },
    }),
  },
  {
    name: 'approve',
    allowed: () => ({
      path: api(`kargo-demo/freight/${newestDemoFreight()}/approve`),
      body: { stage: 'uat' },
    }),
    otherStageOrProject: () => ({
      path: api(`kargo-demo/freight/${newestDemoFreight()}/approve`),
      body: { stage: 'prod' },
    }),
  },
  {
    name: 'abort promotion',
    allowed: () => ({
      path: api(`kargo-demo/promotions/${runningPromotion('uat')}/abort`),
    }),
    otherStageOrProject: () => ({
      path: api(`kargo-demo/promotions/${runningPromotion('prod')}/abort`),
    }),
  },
  {
    name: 'refresh stage',
    allowed: () => ({ path: api('kargo-demo/stages/uat/refresh') }),
    otherStageOrProject: () => ({
      path: api('kargo-demo/stages/prod/refresh'),
    }),
  },
  {
    name: 'refresh warehouse',
    allowed: () => ({ path: api('kargo-demo/warehouses/guestbook/refresh') }),
    otherStageOrProject: () => ({
      path: api('microservices/warehouses/checkout/refresh'),
    }),
  },
  {
    name: 're-verify',
    allowed: () => ({ path: api('kargo-demo/stages/uat/verification') }),
    otherStageOrProject: () => ({
      path: api('microservices/stages/integration/verification'),
    }),
  },
  {
    name: 'abort verification',
    prepare: () => {
      sim.reverify('kargo-demo', 'uat', 'admin');
      sim.tick();
    },
    allowed: () => ({ path: api('kargo-demo/stages/uat/verification/abort') }),
    otherStageOrProject: () => ({
      path: api('kargo-demo/stages/prod/verification/abort'),
    }),
  },
  {
    name: 'alias',
    allowed: () => ({
      method: 'patch',
      path: api(`kargo-demo/freight/${newestDemoFreight()}/alias`),
      body: { alias: 'release-candidate' },
    }),
    otherStageOrProject: () => ({
      method: 'patch',
      path: api(
        `microservices/freight/${
          freightOf(sim, 'microservices')[0].metadata!.name
        }/alias`,
      ),
      body: { alias: 'taken-over' },
    }),
  },
  {
    name: 'role grant (project settings)',
    allowed: () => ({
      path: api('kargo-demo/settings/roles/kargo-viewer/grants'),
      body: { subjects: ['group:default/team-a'] },
    }),
    otherStageOrProject: () => ({
      path: api('microservices/settings/roles/kargo-viewer/grants'),
      body: { subjects: ['group:default/team-a'] },
    }),
  },
  {
    name: 'role revocation (project settings)',
    allowed: () => ({
      path: api('kargo-demo/settings/roles/kargo-viewer/revocations'),
      body: { subjects: ['group:default/team-a'] },
    }),
    otherStageOrProject: () => ({
      path: api('microservices/settings/roles/kargo-viewer/revocations'),
      body: { subjects: ['group:default/team-a'] },
    }),
  },
  {
    name: 'auto-promotion (project settings)',
    allowed: () => ({
      method: 'put',
      path: api('kargo-demo/settings/stages/uat/auto-promotion'),
      body: { enabled: true },
    }),
    otherStageOrProject: () => ({
      method: 'put',
      path: api('microservices/settings/stages/integration/auto-promotion'),
      body: { enabled: true },
    }),
  },
];

const send = (server: any, c: Case, headers: Record<string, string> = {}) => {
  let req = request(server)[c.method ?? 'post'](c.path);
  for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
  return req.send(c.body ?? {});
};

beforeEach(async () => {
  kargo = await startTestKargo();
  sim = kargo.simulator;
  // The Kargo admins' word on who owns what (the catalog alone grants nothing).
  setProjectOwners(kargo, 'kargo-demo', ['group:default/team-a']);
  setProjectOwners(kargo, 'microservices', ['group:default/team-b']);
});
afterEach(() => kargo.close());

describe.each(routes)('$name', route => {
  it('refuses the anonymous (401), the stranger (403) and an owner outside their stages (403), calling Kargo for none; lets the owner act (2xx), audited', async () => {
    route.prepare?.();
    const { server } = await startBackend();
    const allowed = route.allowed();
    const other = route.otherStageOrProject();
    kargo.requestLog.length = 0;

    expect((await send(server, allowed)).status).toBe(401);
    expect(
      (
        await send(server, allowed, {
          authorization: as('user:default/mallory'),
        })
      ).status,
    ).toBe(403);
    const outside = await send(server, other, {
      authorization: as('user:default/dev'),
    });
    expect(outside.status).toBe(403);
    expect(outside.body.error.name).toBe('NotAllowedError');
    expect(mutations()).toEqual([]);

    const ok = await send(server, allowed, {
      authorization: as('user:default/dev'),
    });
    expect({ status: ok.status, error: ok.body?.error }).toEqual({
      status: expect.any(Number),
      error: undefined,
    });
    expect([200, 201, 204]).toContain(ok.status);
    expect(mutations()).toHaveLength(1);

    const finished = audit.filter(e => e.status !== 'initiated');
    expect(finished.map(e => [e.actor.actorId, e.status])).toEqual([
      ['user:default/mallory', 'failed'],
      ['user:default/dev', 'failed'],
      ['user:default/dev', 'succeeded'],
    ]);
    expect(finished[2]).toMatchObject({
      plugin: 'kargo',
      severityLevel: 'medium',
      meta: {
        kargoCall: expect.stringMatching(/^(POST|PATCH|PUT) \/v1beta1\//),
      },
    });
    expect(finished[1].error.name).toBe('NotAllowedError');
  });
});

it('lets the release group act on protected stages', async () => {
  const { server } = await startBackend();
  const res = await send(
    server,
    { path: api('kargo-demo/stages/prod/refresh') },
    { authorization: as('user:default/rel') },
  );
  expect(res.status).toBe(204);
});

it('keeps freeze overrides and stopping the line for the release group', async () => {
  const policy = new KargoExamplePermissionPolicy({
    releaseGroups: ['group:default/release-managers'],
    protectedStages: ['prod*'],
  });
  const user = (ref: string) =>
    ({
      identity: { userEntityRef: ref },
      info: { userEntityRef: ref, ownershipEntityRefs: ownership[ref] },
    } as any);
  for (const permission of [
    kargoFreezeOverridePermission,
    kargoLineStopPermission,
  ]) {
    const ask = (ref: string) => policy.handle({ permission }, user(ref));
    expect((await ask('user:default/dev')).result).toBe('DENY');
    expect((await ask('user:default/rel')).result).toBe('ALLOW');
  }
});

it('lets owners promote into protected stages that approval policies gate, and nothing more there', async () => {
  const policy = new KargoExamplePermissionPolicy({
    releaseGroups: ['group:default/release-managers'],
    protectedStages: ['prod*'],
    approvalGatedStages: ['prod'],
  });
  const dev = {
    identity: { userEntityRef: 'user:default/dev' },
    info: {
      userEntityRef: 'user:default/dev',
      ownershipEntityRefs: ownership['user:default/dev'],
    },
  } as any;
  const promote = await policy.handle(
    { permission: kargoFreightPromotePermission },
    dev,
  );
  expect(promote).toMatchObject({
    result: 'CONDITIONAL',
    conditions: {
      allOf: [
        { rule: 'IS_ENTITY_OWNER' },
        {
          anyOf: [
            { not: { rule: 'IS_STAGE', params: { stages: ['prod*'] } } },
            { rule: 'IS_STAGE', params: { stages: ['prod'] } },
          ],
        },
      ],
    },
  });
  const refresh = await policy.handle(
    { permission: kargoStageRefreshPermission },
    dev,
  );
  expect(refresh).toMatchObject({
    conditions: {
      allOf: [
        { rule: 'IS_ENTITY_OWNER' },
        { not: { rule: 'IS_STAGE', params: { stages: ['prod*'] } } },
      ],
    },
  });
});
