import { mockCredentials } from '@backstage/backend-test-utils';
import {
  KargoSimulator,
  ManualClock,
  RunningKargoSimulator,
} from '@kargo-backstage/kargo-simulator';
import type { Freight, Promotion } from '@kargo-backstage/plugin-kargo-common';
import request from 'supertest';
import {
  AuditRecord,
  startKargoBackend,
  startTestKargo,
} from '../../testUtils';

let kargo: RunningKargoSimulator;
let sim: KargoSimulator;
const auditEvents: AuditRecord[] = [];

async function startKargo(clock = new ManualClock()) {
  kargo = await startTestKargo({
    clock,
    tokens: [
      { token: 'kargo-simulator-admin-token', role: 'admin', actor: 'admin' },
      {
        token: 'dana-kargo-token',
        role: 'kargo-promoter',
        project: 'kargo-demo',
        actor: 'email:dana@example.com',
      },
      {
        token: 'viewer-kargo-token',
        role: 'kargo-viewer',
        project: 'kargo-demo',
        actor: 'email:vic@example.com',
      },
    ],
  });
  sim = kargo.simulator;
}

beforeEach(async () => {
  await startKargo();
  auditEvents.length = 0;
});
afterEach(() => kargo.close());

async function backend(instance: Record<string, unknown> = {}) {
  const server = await startKargoBackend({
    kargo,
    instance,
    audit: auditEvents,
  });
  // Read the project once, as the Kargo tab does before anyone acts on it.
  await request(server).get(
    '/api/kargo/entity-view?entityRef=component:default/guestbook',
  );
  kargo.requestLog.length = 0;
  return server;
}

const freight = (): Freight[] =>
  sim.store
    .list<Freight>('Freight', 'kargo-demo')
    .sort((a, b) =>
      a.metadata!.creationTimestamp!.localeCompare(
        b.metadata!.creationTimestamp!,
      ),
    );
const newest = () => freight().at(-1)!.metadata!.name!;
const promotions = () => sim.store.list<Promotion>('Promotion', 'kargo-demo');
const api = (path: string) => `/api/kargo/instances/sim/projects/${path}`;

describe('bad input', () => {
  const cases: Array<{
    why: string;
    path: () => string;
    body?: () => unknown;
    /** Arranges Kargo before the request (before the backend starts). */
    setup?: () => void;
    raw?: string;
    method?: 'post' | 'patch';
    headers?: Record<string, string>;
    status: number;
    message: RegExp;
  }> = [
    {
      why: 'unknown stage',
      path: () => api('kargo-demo/stages/staging/promotions'),
      body: () => ({ freight: newest() }),
      status: 404,
      message: /Stage "staging" not found in project "kargo-demo"/,
    },
    {
      why: 'unknown freight',
      path: () => api('kargo-demo/stages/uat/promotions'),
      body: () => ({ freight: 'f'.repeat(40) }),
      status: 404,
      message: /Freight "f{40}" not found/,
    },
    {
      why: 'unknown alias',
      path: () => api('kargo-demo/stages/uat/promotions'),
      body: () => ({ freightAlias: 'no-such-alias' }),
      status: 404,
      message: /Freight "no-such-alias" not found/,
    },
    {
      why: 'freight not available to the stage (not verified upstream)',
      path: () => api('kargo-demo/stages/prod/promotions'),
      body: () => ({ freight: newest() }),
      status: 400,
      message: /is not available to Stage "prod"/,
    },
    {
      why: 'unknown project',
      path: () => api('nope/stages/uat/promotions'),
      body: () => ({ freight: newest() }),
      status: 404,
      message: /Project.*"nope" not found/,
    },
    {
      why: 'unknown instance',
      path: () =>
        `/api/kargo/instances/other/projects/kargo-demo/stages/uat/refresh`,
      status: 404,
      message: /No Kargo instance named "other"/,
    },
    {
      why: 'malformed project name',
      path: () => api('Kargo_Demo/stages/uat/refresh'),
      status: 400,
      message: /request\/params\/project must match pattern/,
    },
    {
      why: 'freight is not a string',
      path: () => api('kargo-demo/stages/uat/promotions'),
      body: () => ({ freight: 42 }),
      status: 400,
      message: /request\/body\/freight must be string/,
    },
    {
      why: 'both freight and alias',
      path: () => api('kargo-demo/stages/uat/promotions'),
      body: () => ({ freight: newest(), freightAlias: 'x' }),
      status: 400,
      message: /exactly one of freight or freightAlias/,
    },
    {
      why: 'unknown field',
      path: () => api('kargo-demo/stages/uat/promotions'),
      body: () => ({ freight: newest(), origin: 'Warehouse/guestbook' }),
      status: 400,
      message: /request\/body must NOT have additional properties/,
    },
    {
      why: 'not JSON',
      path: () => api('kargo-demo/stages/uat/promotions'),
      raw: '{"freight": ',
      status: 400,
      message: /JSON/,
    },
    {
      why: 'oversized field',
      path: () => api('kargo-demo/stages/uat/promotions'),
      body: () => ({ freight: 'a'.repeat(300) }),
      status: 400,
      message: /request\/body\/freight must NOT have more than 253 characters/,
    },
    {
      why: 'oversized body',
      path: () => api('kargo-demo/stages/uat/promotions'),
      body: () => ({ freight: newest(), pad: 'x'.repeat(200_000) }),
      status: 413,
      message: /too large/i,
    },
    {
      why: 'approve without a stage',
      path: () => api(`kargo-demo/freight/${newest()}/approve`),
      body: () => ({}),
      status: 400,
      message: /request\/body must have required property 'stage'/,
    },
    {
      why: 'alias not a label value',
      method: 'patch',
      path: () => api(`kargo-demo/freight/${newest()}/alias`),
      body: () => ({ alias: 'has spaces!' }),
      status: 400,
      message: /alias: must be a valid label value/,
    },
    {
      why: 'alias held by another freight',
      method: 'patch',
      path: () => api(`kargo-demo/freight/${newest()}/alias`),
      body: () => ({
        alias: freight()[0].metadata!.labels!['kargo.akuity.io/alias'],
      }),
      status: 409,
      message: /already used by freight/,
    },
    {
      // Kargo re-verifies any stage with a verification record (pkg/api/stage.go
      // ReverifyStageFreight), which a healthy stage without spec.verification has too.
      why: 're-verify a stage that has no freight yet',
      setup: () => {
        sim.createResource({
          apiVersion: 'kargo.akuity.io/v1alpha1',
          kind: 'Stage',
          metadata: { name: 'edge', namespace: 'kargo-demo' },
          spec: {
            requestedFreight: [
              {
                origin: { kind: 'Warehouse', name: 'guestbook' },
                sources: { stages: ['prod'] },
              },
            ],
          },
        } as any);
      },
      path: () => api('kargo-demo/stages/edge/verification'),
      status: 409,
      message: /has no current freight/,
    },
    {
      why: 'abort a finished promotion',
      path: () =>
        api(`kargo-demo/promotions/${promotions()[0].metadata!.name}/abort`),
      status: 409,
      message: /has already finished \(Succeeded\)/,
    },
    {
      why: 'downstream from the last stage',
      path: () => api('kargo-demo/stages/prod/promotions/downstream'),
      body: () => ({ freight: freight()[0].metadata!.name }),
      status: 400,
      message: /has no downstream stages/,
    },
    {
      why: 'malformed Idempotency-Key',
      path: () => api('kargo-demo/stages/uat/promotions'),
      body: () => ({ freight: newest() }),
      headers: { 'idempotency-key': 'not a key!' },
      status: 400,
      message: /request\/headers\/idempotency-key must match pattern/,
    },
  ];

  it.each(cases)('$why → $status, no Kargo call, nothing changed', async c => {
    c.setup?.();
    const server = await backend();
    const before = sim.store.currentResourceVersion();
    let req = request(server)[c.method ?? 'post'](c.path());
    for (const [k, v] of Object.entries(c.headers ?? {})) req = req.set(k, v);
    const res = c.raw
      ? await req.set('content-type', 'application/json').send(c.raw)
      : await req.send(c.body?.() ?? {});
    expect(res.status).toBe(c.status);
    expect(res.body.error.message).toMatch(c.message);
    const calls = kargo.requestLog.filter(r => !r.startsWith('GET '));
    expect(calls).toEqual([]);
    expect(sim.store.currentResourceVersion()).toBe(before);
  });
});

describe('Idempotency-Key', () => {
  it('a retry with the same key creates no second Promotion and returns the first', async () => {
    const server = await backend();
    const before = promotions().length;
    const promote = () =>
      request(server)
        .post(api('kargo-demo/stages/uat/promotions'))
        .set('idempotency-key', 'promote-uat-0001')
        .send({ freight: newest() });
    const first = await promote();
    const retry = await promote();
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.metadata.name).toBe(first.body.metadata.name);
    expect(promotions().length).toBe(before + 1);
    expect(kargo.requestLog.filter(r => r.startsWith('POST '))).toHaveLength(1);
  });

  it('concurrent retries share one Promotion', async () => {
    const server = await backend();
    const before = promotions().length;
    const responses = await Promise.all(
      [1, 2, 3].map(() =>
        request(server)
          .post(api('kargo-demo/stages/uat/promotions'))
          .set('idempotency-key', 'promote-uat-0002')
          .send({ freight: newest() }),
      ),
    );
    expect(responses.map(r => r.status)).toEqual([201, 201, 201]);
    expect(new Set(responses.map(r => r.body.metadata.name)).size).toBe(1);
    expect(promotions().length).toBe(before + 1);
  });

  it('refuses a key reused for a different request', async () => {
    const server = await backend();
    const key = 'promote-uat-0003';
    await request(server)
      .post(api('kargo-demo/stages/uat/promotions'))
      .set('idempotency-key', key)
      .send({ freight: newest() });
    const other = await request(server)
      .post(api('kargo-demo/stages/test/promotions'))
      .set('idempotency-key', key)
      .send({ freight: newest() });
    expect(other.status).toBe(409);
    expect(other.body.error.message).toMatch(/different request/);
  });

  it('a lost answer is an unknown outcome: the retry adopts the Promotion Kargo made', async () => {
    // Kargo's clock is the real one here: the retry looks for what was created since.
    kargo.close();
    await startKargo(new ManualClock(Date.now()));
    const server = await backend();
    const before = new Set(promotions().map(p => p.metadata!.name));
    const promote = () =>
      request(server)
        .post(api('kargo-demo/stages/uat/promotions'))
        .set('idempotency-key', 'promote-uat-lost-0005')
        .send({ freight: newest() });
    kargo.faults.loseNextAnswers = 1;
    const lost = await promote();
    expect(lost.status).toBe(503);
    const made = promotions().filter(p => !before.has(p.metadata!.name));
    expect(made).toHaveLength(1); // Kargo did it
    const retry = await promote();
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.metadata.name).toBe(made[0].metadata!.name);
    expect(promotions()).toHaveLength(before.size + 1); // and only once
    expect(kargo.requestLog.filter(r => r.startsWith('POST '))).toHaveLength(1);
    expect(auditEvents.at(-1)).toMatchObject({
      status: 'succeeded',
      meta: expect.objectContaining({ adoptedAfterUnknownOutcome: true }),
    });
  });

  it('keys are per user', async () => {
    const server = await backend();
    const before = promotions().length;
    for (const user of ['user:default/a', 'user:default/b']) {
      const res = await request(server)
        .post(api('kargo-demo/stages/uat/promotions'))
        .set('authorization', mockCredentials.user.header(user))
        .set('idempotency-key', 'same-key-0004')
        .send({ freight: newest() });
      expect(res.status).toBe(201);
    }
    expect(promotions().length).toBe(before + 2);
  });
});

describe('operations', () => {
  it('promotes by alias, and the promotion shows in the next view', async () => {
    const server = await backend();
    const alias = freight().at(-1)!.metadata!.labels!['kargo.akuity.io/alias'];
    const res = await request(server)
      .post(api('kargo-demo/stages/uat/promotions'))
      .send({ freightAlias: alias });
    expect(res.status).toBe(201);
    expect(res.body.spec).toMatchObject({ stage: 'uat', freight: newest() });
    const view = await request(server).get(
      '/api/kargo/entity-view?entityRef=component:default/guestbook',
    );
    expect(view.body.projects[0].promotions.map((p: any) => p.name)).toContain(
      res.body.metadata.name,
    );
    expect(auditEvents.filter(e => e.status === 'succeeded')).toEqual([
      expect.objectContaining({
        eventId: 'kargo-freight-promote',
        meta: expect.objectContaining({
          stage: 'uat',
          freight: newest(),
          promotion: res.body.metadata.name,
          kargoCall: 'POST /v1beta1/projects/kargo-demo/stages/uat/promotions',
        }),
      }),
    ]);
  });

  it('sets an alias, approves, refreshes, and reports what Kargo refused as failed audit events', async () => {
    const server = await backend();
    const name = newest();
    expect(
      (
        await request(server)
          .patch(api(`kargo-demo/freight/${name}/alias`))
          .send({ alias: 'candidate' })
      ).status,
    ).toBe(204);
    expect(sim.resolveFreight('kargo-demo', 'candidate').metadata!.name).toBe(
      name,
    );
    expect(
      (
        await request(server)
          .post(api(`kargo-demo/freight/candidate/approve`))
          .send({ stage: 'prod' })
      ).status,
    ).toBe(204);
    expect(
      sim.resolveFreight('kargo-demo', name).status?.approvedFor?.prod,
    ).toBeDefined();
    expect(
      (
        await request(server).post(
          api('kargo-demo/warehouses/guestbook/refresh'),
        )
      ).status,
    ).toBe(204);
    // Warm the project's snapshot again and let Kargo fall quiet, so the failure hits the
    // refresh itself: watch events of the changes above invalidate the snapshot, and enrichers
    // read it half a second after new freight appears. Quiet: a view and the 800 ms after it
    // read nothing from Kargo.
    const reads = () =>
      kargo.requestLog.filter(
        r => r.startsWith('GET ') && !r.includes('watch='),
      ).length;
    for (let i = 0; i < 20; i++) {
      const before = reads();
      await request(server).get(
        '/api/kargo/entity-view?entityRef=component:default/guestbook',
      );
      await new Promise(resolve => setTimeout(resolve, 800));
      if (reads() === before) break;
    }
    kargo.faults.failNextRequests = 1;
    const failed = await request(server).post(
      api('kargo-demo/stages/uat/refresh'),
    );
    expect(failed.status).toBe(503);
    expect(auditEvents.filter(e => e.status !== 'initiated')).toEqual([
      expect.objectContaining({
        eventId: 'kargo-freight-alias-update',
        status: 'succeeded',
      }),
      expect.objectContaining({
        eventId: 'kargo-freight-approve',
        status: 'succeeded',
      }),
      expect.objectContaining({
        eventId: 'kargo-warehouse-refresh',
        status: 'succeeded',
      }),
      expect.objectContaining({
        eventId: 'kargo-stage-refresh',
        status: 'failed',
      }),
    ]);
  });
});

describe('forwardUserToken', () => {
  it('acts in Kargo with the user token the frontend sends, and refuses without one', async () => {
    const server = await backend({ forwardUserToken: true });
    const missing = await request(server)
      .post(api('kargo-demo/stages/uat/promotions'))
      .send({ freight: newest() });
    expect(missing.status).toBe(401);
    expect(missing.body.error.message).toMatch(/x-kargo-token/);

    const viewer = await request(server)
      .post(api('kargo-demo/stages/uat/promotions'))
      .set('x-kargo-token', 'viewer-kargo-token')
      .send({ freight: newest() });
    expect(viewer.status).toBe(403);

    const dana = await request(server)
      .post(api('kargo-demo/stages/uat/promotions'))
      .set('x-kargo-token', 'dana-kargo-token')
      .send({ freight: newest() });
    expect(dana.status).toBe(201);
    expect(dana.body.metadata.annotations['kargo.akuity.io/create-actor']).toBe(
      'email:dana@example.com',
    );
  });
});
