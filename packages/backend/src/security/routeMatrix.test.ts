/*
 * The security suite's permission matrix: every Kargo route, reads included, against every kind
 * of caller, with the example policy and the real permission backend. Who owns what comes from
 * the catalog and the Kargo Project together; an entity a user registered alone grants nothing.
 */
import type {
  KargoSimulator,
  RunningKargoSimulator,
} from '@kargo-backstage/kargo-simulator';
import { startTestKargo } from '@kargo-backstage/plugin-kargo-backend/testUtils';
import { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import {
  as,
  asService,
  owned,
  setProjectOwners,
  startPolicyBackend,
  freightOf,
} from '../__testUtils__/policyBackend';

const principals = {
  anonymous: undefined,
  /** Owns nothing. */
  stranger: as('user:default/mallory'),
  /** Registered a catalog entity naming kargo-demo with herself as owner; Kargo does not agree. */
  'owner through a self-registered entity': as('user:default/eve'),
  /** In team-a, which owns guestbook and which the kargo-demo Project names. */
  'owner through the trusted source': as('user:default/dev'),
  'release manager': as('user:default/rel'),
  /** Another plugin or a static external-access token without Kargo permissions named. */
  'service principal': asService('external:ci'),
};
type Principal = keyof typeof principals;

const entities: Entity[] = [
  owned('guestbook', 'kargo-demo', 'group:default/team-a'),
  owned('storefront', 'microservices', 'group:default/team-b'),
  owned('eve-payments', 'kargo-demo', 'user:default/eve'),
  ...['team-a', 'team-b'].map(name => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
  })),
];
const ownership: Record<string, string[]> = {
  'user:default/dev': ['user:default/dev', 'group:default/team-a'],
  'user:default/eve': ['user:default/eve'],
  'user:default/mallory': ['user:default/mallory'],
  'user:default/rel': ['user:default/rel', 'group:default/release-managers'],
};

/** What each caller gets: allowed (2xx), or the refusal's status. */
type Expectation = Record<Principal, 'allowed' | 401 | 403>;
const publicRead: Expectation = {
  anonymous: 401,
  stranger: 'allowed',
  'owner through a self-registered entity': 'allowed',
  'owner through the trusted source': 'allowed',
  'release manager': 'allowed',
  'service principal': 403,
};
const ownersOnly: Expectation = {
  ...publicRead,
  stranger: 403,
  'owner through a self-registered entity': 403,
};
/** Touches a protected (prod) stage: the release group only. */
const releaseOnly: Expectation = {
  ...ownersOnly,
  'owner through the trusted source': 403,
};

let kargo: RunningKargoSimulator;
let sim: KargoSimulator;
let audit: Array<Record<string, any>>;

interface Call {
  method?: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  body?: object;
}
interface Route {
  name: string;
  expect: Expectation;
  /** The call a principal makes (`n` counts the callers, for names that must differ). */
  call(n: number): Call | Promise<Call>;
  /** Kargo's state the route needs, set before the portal first reads the project. */
  before?(): void;
  /** Changes the portal's own data only (metadata, freeze windows), never Kargo. */
  portalData?: true;
}

const api = (path: string) => `/api/kargo/instances/sim/projects/${path}`;
const newest = () => freightOf(sim, 'kargo-demo').at(-1)!.metadata!.name!;
const inStage = (stage: string) =>
  freightOf(sim, 'kargo-demo').find(f => f.status?.currentlyIn?.[stage])!
    .metadata!.name!;
let running: string;
function startPromotion(stage: string) {
  const freight = newest();
  sim.approve('kargo-demo', freight, stage, 'admin');
  running = sim.promote('kargo-demo', stage, { freight }, 'admin').metadata!
    .name!;
}
/** The freight in uat, approved for prod so that prod may take it. */
const forProd = () => {
  const freight = inStage('uat');
  sim.approve('kargo-demo', freight, 'prod', 'admin');
  return freight;
};
const windowOn = (stage: string, name: string) => ({
  name,
  kind: 'Deny',
  stageSelector: { name: stage },
  dtstart: '2030-01-01T00:00:00Z',
  dtend: '2030-01-02T00:00:00Z',
  reason: 'release freeze',
});
const warehouse = () =>
  sim.store.get<any>('Warehouse', 'kargo-demo', 'guestbook')!;

let server: any;
/** Writes as the release manager (set-up for routes that need something to act on). */
const prepare = (c: Call, who: Principal = 'release manager') =>
  request(server)
    [c.method ?? 'post'](c.path)
    .set('authorization', principals[who]!)
    .send(c.body ?? {})
    .expect(res => {
      if (res.status >= 300) throw new Error(JSON.stringify(res.body));
    });
/** A policy on the stage: one approval from the release managers. */
const approvalPolicy = (stage: string, name: string) => ({
  path: api('kargo-demo/approval-policies'),
  body: {
    name,
    stageSelector: { name: stage },
    approvals: 1,
    groups: ['group:default/release-managers'],
  },
});
/** A freight per caller, so that two callers allowed to ask do not ask for the same one. */
const freightNo = (n: number) => {
  const all = freightOf(sim, 'kargo-demo');
  return all[all.length - 1 - (n % all.length)].metadata!.name!;
};

async function metadataVersion(freight: string): Promise<number> {
  const res = await request(server)
    .get(api(`kargo-demo/freight-metadata?freight=${freight}`))
    .set('authorization', principals['release manager']);
  return res.body.items[0]?.version ?? 0;
}

const routes: Route[] = [
  // ---- reads ----
  {
    name: 'GET entity-view',
    expect: publicRead,
    call: () => ({
      method: 'get',
      path: '/api/kargo/entity-view?entityRef=component:default/guestbook',
    }),
  },
  {
    name: 'GET freight-metadata',
    expect: publicRead,
    call: () => ({
      method: 'get',
      path: api(`kargo-demo/freight-metadata?freight=${newest()}`),
    }),
  },
  {
    name: 'GET freight metadata history',
    expect: publicRead,
    call: () => ({
      method: 'get',
      path: api(`kargo-demo/freight/${newest()}/metadata/history`),
    }),
  },
  {
    name: 'GET promotion-windows',
    expect: publicRead,
    call: () => ({ method: 'get', path: api('kargo-demo/promotion-windows') }),
  },
  {
    name: 'GET gates',
    expect: publicRead,
    call: () => ({
      method: 'get',
      path: api(`kargo-demo/stages/uat/gates?freight=${newest()}`),
    }),
  },
  {
    name: 'GET settings (role claims)',
    expect: ownersOnly,
    call: () => ({ method: 'get', path: api('kargo-demo/settings') }),
  },
  {
    name: 'GET credentials',
    expect: ownersOnly,
    call: () => ({
      method: 'get',
      path: api('kargo-demo/settings/credentials'),
    }),
  },
  // ---- stage operations ----
  {
    name: 'promote into uat',
    expect: ownersOnly,
    call: () => ({
      path: api('kargo-demo/stages/uat/promotions'),
      body: { freight: newest() },
    }),
  },
  {
    name: 'promote into prod',
    expect: releaseOnly,
    call: () => ({
      path: api('kargo-demo/stages/prod/promotions'),
      body: { freight: forProd() },
    }),
  },
  {
    name: 'promote downstream of uat (into prod)',
    expect: releaseOnly,
    before: forProd,
    call: () => ({
      path: api('kargo-demo/stages/uat/promotions/downstream'),
      body: { freight: inStage('uat') },
    }),
  },
  {
    name: 'approve for uat',
    expect: ownersOnly,
    call: () => ({
      path: api(`kargo-demo/freight/${newest()}/approve`),
      body: { stage: 'uat' },
    }),
  },
  {
    name: 'abort a promotion into prod',
    expect: releaseOnly,
    before: () => startPromotion('prod'),
    call: () => ({ path: api(`kargo-demo/promotions/${running}/abort`) }),
  },
  {
    name: 'refresh uat',
    expect: ownersOnly,
    call: () => ({ path: api('kargo-demo/stages/uat/refresh') }),
  },
  {
    name: 're-verify uat',
    expect: ownersOnly,
    call: () => ({ path: api('kargo-demo/stages/uat/verification') }),
  },
  {
    name: 'refresh a warehouse',
    expect: ownersOnly,
    call: () => ({ path: api('kargo-demo/warehouses/guestbook/refresh') }),
  },
  {
    name: 'alias',
    expect: ownersOnly,
    call: n => ({
      method: 'patch',
      path: api(`kargo-demo/freight/${newest()}/alias`),
      body: { alias: `candidate-${n}` },
    }),
  },
  // ---- the portal's own data ----
  {
    name: 'write freight metadata',
    portalData: true,
    expect: ownersOnly,
    call: async () => ({
      method: 'put',
      path: api(`kargo-demo/freight/${newest()}/metadata`),
      body: {
        version: await metadataVersion(newest()),
        notes: 'looks good',
        links: [],
        labels: {},
      },
    }),
  },
  {
    name: 'clear a "do not promote" verdict (opens prod)',
    portalData: true,
    expect: releaseOnly,
    call: async () => {
      const path = api(`kargo-demo/freight/${newest()}/metadata`);
      const version = await metadataVersion(newest());
      await prepare({
        method: 'put',
        path,
        body: {
          version,
          links: [],
          labels: {},
          verdict: { value: 'do-not-promote', reason: 'CVE' },
        },
      });
      return {
        method: 'put',
        path,
        body: { version: version + 1, links: [], labels: {}, verdict: null },
      };
    },
  },
  {
    name: 'freeze uat',
    portalData: true,
    expect: ownersOnly,
    call: n => ({
      path: api('kargo-demo/promotion-windows'),
      body: windowOn('uat', `uat-freeze-${n}`),
    }),
  },
  {
    name: 'freeze prod',
    portalData: true,
    expect: releaseOnly,
    call: n => ({
      path: api('kargo-demo/promotion-windows'),
      body: windowOn('prod', `prod-freeze-${n}`),
    }),
  },
  {
    name: "end a release manager's prod freeze",
    portalData: true,
    expect: releaseOnly,
    call: async n => {
      await prepare({
        path: api('kargo-demo/promotion-windows'),
        body: windowOn('prod', `release-freeze-${n}`),
      });
      return {
        method: 'delete',
        path: api(`kargo-demo/promotion-windows/release-freeze-${n}`),
      };
    },
  },
  // ---- approvals and stop the line ----
  {
    name: 'GET approval-policies',
    expect: publicRead,
    call: () => ({ method: 'get', path: api('kargo-demo/approval-policies') }),
  },
  {
    name: 'GET approval-requests',
    expect: publicRead,
    call: () => ({ method: 'get', path: api('kargo-demo/approval-requests') }),
  },
  {
    name: 'create an approval policy for prod',
    portalData: true,
    expect: releaseOnly,
    call: n => approvalPolicy('prod', `prod-sign-off-${n}`),
  },
  {
    name: 'request approval into uat',
    portalData: true,
    expect: ownersOnly,
    call: async n => {
      await prepare(approvalPolicy('uat', `uat-sign-off-${n}`));
      return {
        path: api('kargo-demo/approval-requests'),
        body: { stage: 'uat', freight: freightNo(n) },
      };
    },
  },
  {
    // The owner asks, a release manager answers: never the requester, nor anyone outside.
    name: "approve the owner's request",
    portalData: true,
    expect: releaseOnly,
    call: async n => {
      await prepare(approvalPolicy('uat', `uat-sign-off-${n}`));
      // One open request per freight: those before are rejected first (an approved one stays).
      const open = await request(server)
        .get(api('kargo-demo/approval-requests?stage=uat&state=Pending'))
        .set('authorization', principals['release manager']!);
      for (const { id } of open.body.items) {
        await prepare({
          path: api(`kargo-demo/approval-requests/${id}/votes`),
          body: { decision: 'Rejected' },
        });
      }
      const asked = await prepare(
        {
          path: api('kargo-demo/approval-requests'),
          body: { stage: 'uat', freight: freightNo(n) },
        },
        'owner through the trusted source',
      );
      return {
        path: api(`kargo-demo/approval-requests/${asked.body.id}/votes`),
        body: { decision: 'Approved' },
      };
    },
  },
  {
    name: 'GET line-stops',
    expect: publicRead,
    call: () => ({ method: 'get', path: '/api/kargo/line-stops' }),
  },
  {
    name: 'stop the line',
    portalData: true,
    expect: releaseOnly,
    call: () => ({ path: '/api/kargo/line-stops', body: { reason: 'outage' } }),
  },
  {
    name: 'end a stop of the line',
    portalData: true,
    expect: releaseOnly,
    call: async () => {
      const started = await prepare({
        path: '/api/kargo/line-stops',
        body: { reason: 'outage' },
      });
      return {
        method: 'delete',
        path: `/api/kargo/line-stops/${started.body.id}`,
      };
    },
  },
  // ---- settings ----
  {
    name: 'grant kargo-viewer',
    expect: ownersOnly,
    call: () => ({
      path: api('kargo-demo/settings/roles/kargo-viewer/grants'),
      body: { subjects: ['group:default/team-a'] },
    }),
  },
  {
    // Kargo's promoter role promotes into prod in Kargo itself, past the portal.
    name: 'grant kargo-promoter',
    expect: releaseOnly,
    call: () => ({
      path: api('kargo-demo/settings/roles/kargo-promoter/grants'),
      body: { subjects: ['group:default/team-a'] },
    }),
  },
  {
    name: 'revoke kargo-promoter (from the release managers, say)',
    expect: releaseOnly,
    call: () => ({
      path: api('kargo-demo/settings/roles/kargo-promoter/revocations'),
      body: { subjects: ['group:default/team-a'] },
    }),
  },
  {
    name: 'grant kargo-admin',
    expect: releaseOnly,
    call: () => ({
      path: api('kargo-demo/settings/roles/kargo-admin/grants'),
      body: { subjects: ['group:default/team-a'] },
    }),
  },
  {
    name: "uat's auto-promotion",
    expect: ownersOnly,
    call: () => ({
      method: 'put',
      path: api('kargo-demo/settings/stages/uat/auto-promotion'),
      body: { enabled: true },
    }),
  },
  {
    name: "prod's auto-promotion",
    expect: releaseOnly,
    call: () => ({
      method: 'put',
      path: api('kargo-demo/settings/stages/prod/auto-promotion'),
      body: { enabled: true },
    }),
  },
  {
    name: 'edit the warehouse that feeds prod',
    expect: releaseOnly,
    call: () => ({
      method: 'put',
      path: api('kargo-demo/settings/warehouses/guestbook'),
      body: { interval: '7m0s', subscriptions: warehouse().spec.subscriptions },
    }),
  },
  {
    name: 'create credentials (used by every stage)',
    expect: releaseOnly,
    call: n => ({
      path: api('kargo-demo/settings/credentials'),
      body: {
        name: `deploy-${n}`,
        type: 'git',
        repoUrl: 'https://github.com/example/guestbook-deploy.git',
        username: 'bot',
        password: 's3cret',
      },
    }),
  },
];

async function start(route?: Route) {
  kargo = await startTestKargo();
  sim = kargo.simulator;
  setProjectOwners(kargo, 'kargo-demo', ['group:default/team-a']);
  setProjectOwners(kargo, 'microservices', ['group:default/team-b']);
  route?.before?.();
  audit = [];
  ({ server } = await startPolicyBackend({
    kargo,
    entities,
    ownership,
    audit,
  }));
}
afterEach(() => kargo.close());

const changes = () => kargo.requestLog.filter(r => !r.startsWith('GET '));

/** What a caller met: the answer, whether Kargo was changed, and what the audit log says. */
interface Outcome {
  answer: 'allowed' | number;
  /** Refused calls change nothing in Kargo. */
  changedKargo: boolean;
  /** Decided mutations (not 401s, not reads): the audit event's outcome and actor. */
  audit?: Array<[string, string]>;
}

function expectedOutcome(
  route: Route,
  who: Principal,
  method: string,
): Outcome {
  const answer = route.expect[who];
  const actor =
    who === 'service principal'
      ? 'external:ci'
      : ownershipOf(principals[who] ?? '');
  return {
    answer,
    changedKargo: answer === 'allowed' && method !== 'get' && !route.portalData,
    audit:
      method === 'get' || answer === 401
        ? undefined
        : [[answer === 'allowed' ? 'succeeded' : 'failed', actor]],
  };
}

describe.each(routes)('$name', route => {
  it('answers each caller as the trust model says, changes nothing in Kargo when it refuses, and audits every decided mutation with the caller', async () => {
    await start(route);
    const got: Record<string, Outcome | object> = {};
    const expected: Record<string, Outcome> = {};
    let n = 0;
    for (const [who, header] of Object.entries(principals) as Array<
      [Principal, string | undefined]
    >) {
      const call = await route.call(n++);
      const method = call.method ?? 'post';
      kargo.requestLog.length = 0;
      audit.length = 0;
      let req = request(server)[method](call.path);
      if (header) req = req.set('authorization', header);
      const res = await (method === 'get' ? req : req.send(call.body ?? {}));
      expected[who] = expectedOutcome(route, who, method);
      const answer =
        res.status >= 200 && res.status < 300 ? 'allowed' : res.status;
      const decided = audit.filter(e => e.status !== 'initiated');
      got[who] = {
        answer,
        changedKargo: changes().length > 0,
        audit: decided.length
          ? decided.map(e => [e.status, e.actor.actorId])
          : undefined,
        // The answer's body, when it is not the one expected, to see why.
        ...(answer === route.expect[who] ? {} : { body: res.body }),
      };
    }
    expect(got).toEqual(expected);
  });
});

function ownershipOf(header: string): string {
  return Object.keys(ownership).find(ref => as(ref) === header) ?? '';
}

it('a service principal gets what its access restrictions name, and nothing else', async () => {
  await start();
  const reader = asService('external:dashboards', ['kargo.project.read']);
  const view = await request(server)
    .get('/api/kargo/entity-view?entityRef=component:default/guestbook')
    .set('authorization', reader);
  expect(view.status).toBe(200);
  const promote = await request(server)
    .post(api('kargo-demo/stages/uat/promotions'))
    .set('authorization', reader)
    .send({ freight: newest() });
  expect(promote.status).toBe(403);
  const promoter = asService('external:ci', ['kargo.freight.promote']);
  const allowed = await request(server)
    .post(api('kargo-demo/stages/uat/promotions'))
    .set('authorization', promoter)
    .send({ freight: newest() });
  expect(allowed.status).toBe(201);
});

it('an entity-view naming a project the caller may not read carries a 403 for it', async () => {
  await start();
  const res = await request(server)
    .get('/api/kargo/entity-view?entityRef=component:default/guestbook')
    .set('authorization', asService('external:ci'));
  expect(res.status).toBe(403);
  expect(res.body.error.message).toMatch(
    /kargo\.project\.read on sim\/kargo-demo/,
  );
});
