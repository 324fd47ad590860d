import type {
  Freight,
  Promotion,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';
import { ManualClock } from '../clock';
import { KargoSimulator } from '../KargoSimulator';
import {
  RunningKargoSimulator,
  startKargoSimulator,
} from '../startKargoSimulator';

const ADMIN = 'kargo-simulator-admin-token';
const tokens = [
  { token: ADMIN, role: 'admin', actor: 'admin' },
  // Kargo's system-level kargo-viewer: reads every project.
  {
    token: 'viewer-token',
    role: 'kargo-viewer',
    actor: 'email:viewer@example.com',
  },
  {
    token: 'promoter-demo',
    role: 'kargo-promoter',
    project: 'kargo-demo',
    actor: 'email:dana@example.com',
  },
];

let kargo: RunningKargoSimulator;
let sim: KargoSimulator;

beforeEach(async () => {
  sim = new KargoSimulator({
    clock: new ManualClock(),
    projects: ['kargo-demo', 'microservices'],
  });
  kargo = await startKargoSimulator({
    simulator: sim,
    tokens,
    keepaliveMs: 50,
  });
});
afterEach(() => kargo.close());

async function call(
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown } = {},
) {
  const token = options.token === undefined ? ADMIN : options.token;
  const res = await fetch(`${kargo.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(options.body !== undefined
        ? { 'content-type': 'application/json' }
        : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Reads SSE frames until `enough` says so, the stream ends or breaks, or an error frame came. */
async function readFrames(
  path: string,
  enough: (frames: string[]) => boolean,
  afterConnect?: () => void,
) {
  const controller = new AbortController();
  const res = await fetch(`${kargo.url}${path}`, {
    headers: { authorization: `Bearer ${ADMIN}` },
    signal: controller.signal,
  });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const frames: string[] = [];
  afterConnect?.();
  try {
    while (!enough(frames) && !frames.some(f => f.startsWith('event: error'))) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      const parts = buffer.split('\n\n');
      buffer = parts.pop()!;
      frames.push(...parts);
    }
  } catch {
    frames.push('(connection broken)');
  }
  controller.abort();
  return frames;
}
const dataFrames = (n: number) => (frames: string[]) =>
  frames.filter(f => f.startsWith('data: ')).length >= n;

describe('simulator REST API', () => {
  it("answers 401 without or with a bad token, in Kargo's error shape", async () => {
    expect(await call('GET', '/v1beta1/projects', { token: null })).toEqual({
      status: 401,
      body: { error: expect.any(String) },
    });
    expect(
      (await call('GET', '/v1beta1/projects', { token: 'wrong' })).status,
    ).toBe(401);
    expect((await fetch(`${kargo.url}/healthz`)).status).toBe(200);
  });

  it('answers 403 when the role or project does not allow it, and changes nothing', async () => {
    const before = sim.store.list('Promotion', 'kargo-demo').length;
    const denied = await call(
      'POST',
      '/v1beta1/projects/kargo-demo/stages/test/promotions',
      {
        token: 'viewer-token',
        body: { freight: 'x' },
      },
    );
    expect(denied.status).toBe(403);
    expect(denied.body.error).toContain(
      'is forbidden: promote is not permitted',
    );
    const otherProject = await call(
      'POST',
      '/v1beta1/projects/microservices/stages/cart-dev/verification',
      {
        token: 'promoter-demo',
      },
    );
    expect(otherProject.status).toBe(403);
    expect(sim.store.list('Promotion', 'kargo-demo')).toHaveLength(before);
  });

  it('lists projects with paging and 404s unknown names', async () => {
    const all = await call('GET', '/v1beta1/projects');
    expect(all.body.total).toBe(2);
    expect(all.body.items.map((p: any) => p.metadata.name)).toEqual([
      'kargo-demo',
      'microservices',
    ]);
    const page = await call('GET', '/v1beta1/projects?page=1&pageSize=1');
    expect(page.body.items.map((p: any) => p.metadata.name)).toEqual([
      'microservices',
    ]);
    expect(
      (await call('GET', '/v1beta1/projects?filter=micro')).body.total,
    ).toBe(1);
    expect((await call('GET', '/v1beta1/projects/nope')).status).toBe(404);
    expect((await call('GET', '/v1beta1/projects/nope/stages')).status).toBe(
      404,
    );
    expect(
      (await call('GET', '/v1beta1/projects/kargo-demo/stages/nope')).status,
    ).toBe(404);
  });

  it("answers a stage's health output as Kargo does: an array, one entry per health check", async () => {
    // aggregating_checker.go; Kargo's UI reads it as HealthEntry[]. Each argocd-update step
    // registers one check; its entry capitalizes Namespace and Name.
    const uat = await call('GET', '/v1beta1/projects/kargo-demo/stages/uat');
    expect(uat.body.status.health).toEqual({
      status: 'Healthy',
      output: [
        {
          applicationStatuses: [
            {
              Namespace: 'argocd',
              Name: 'guestbook-uat',
              health: { status: 'Healthy' },
              sync: { status: 'Synced', revision: expect.any(String) },
            },
          ],
        },
      ],
    });
  });

  it('filters stages by freightOrigins and freight by origins and stage', async () => {
    const cart = await call(
      'GET',
      '/v1beta1/projects/microservices/stages?freightOrigins=cart',
    );
    const names = cart.body.items.map((s: Stage) => s.metadata!.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'cart-dev',
        'cart-staging',
        'canary',
        'integration',
      ]),
    );
    expect(names).not.toContain('checkout-dev');
    expect(cart.body.metadata.resourceVersion).toMatch(/^\d+$/);

    const freight = await call(
      'GET',
      '/v1beta1/projects/microservices/freight?origins=cart',
    );
    const items: Freight[] = freight.body.groups[''].items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every(f => f.origin.name === 'cart')).toBe(true);

    const byRepo = await call(
      'GET',
      '/v1beta1/projects/kargo-demo/freight?groupBy=image_repo',
    );
    expect(Object.keys(byRepo.body.groups)).toEqual([
      'ghcr.io/example/guestbook',
    ]);

    const forProd = await call(
      'GET',
      '/v1beta1/projects/kargo-demo/freight?stage=prod',
    );
    const tags = forProd.body.groups[''].items.map(
      (f: Freight) => f.images![0].tag,
    );
    expect(tags).toContain('1.28.4'); // in prod
    expect(tags).not.toContain('1.29.1'); // not verified upstream
  });

  it('orders freight oldest first unless reversed, by tag within a repository, and validates', async () => {
    const tags = async (query: string) =>
      (
        await call('GET', `/v1beta1/projects/kargo-demo/freight${query}`)
      ).body.groups[
        query.includes('groupBy') ? 'ghcr.io/example/guestbook' : ''
      ].items.map((f: Freight) => f.images![0].tag);
    expect(await tags('')).toEqual(['1.28.4', '1.29.0', '1.29.1']);
    expect(await tags('?reverse=true')).toEqual(['1.29.1', '1.29.0', '1.28.4']);
    expect(await tags('?groupBy=image_repo&orderBy=tag&reverse=true')).toEqual([
      '1.29.1',
      '1.29.0',
      '1.28.4',
    ]);
    expect(
      await call('GET', '/v1beta1/projects/kargo-demo/freight?orderBy=tag'),
    ).toEqual({
      status: 400,
      body: {
        error:
          'invalid_argument: tag ordering only valid when grouping by: image_repo, chart_repo',
      },
    });
    expect(
      (await call('GET', '/v1beta1/projects/kargo-demo/freight?group=x'))
        .status,
    ).toBe(400);
    expect(
      (await call('GET', '/v1beta1/projects/kargo-demo/freight?groupBy=nope'))
        .status,
    ).toBe(400);
    expect(
      (await call('GET', '/v1beta1/projects/kargo-demo/freight?stage=nope'))
        .status,
    ).toBe(404);
    const both = await call(
      'GET',
      '/v1beta1/projects/microservices/freight?origins=cart&origins=checkout',
    );
    const origins = new Set(
      both.body.groups[''].items.map((f: Freight) => f.origin.name),
    );
    expect(origins).toEqual(new Set(['cart', 'checkout']));
  });

  it('promotes by alias, rejects unavailable freight, and gets freight by name or alias', async () => {
    const inTest = sim.store
      .list<Freight>('Freight', 'kargo-demo')
      .find(f => f.status?.currentlyIn?.test)!;
    const byAlias = await call(
      'GET',
      `/v1beta1/projects/kargo-demo/freight/${inTest.alias}`,
    );
    expect(byAlias.body.metadata.name).toBe(inTest.metadata!.name);

    const created = await call(
      'POST',
      '/v1beta1/projects/kargo-demo/stages/uat/promotions',
      {
        token: 'promoter-demo',
        body: { freightAlias: inTest.alias },
      },
    );
    expect(created.status).toBe(201);
    expect(created.body.spec).toMatchObject({
      stage: 'uat',
      freight: inTest.metadata!.name,
    });
    expect(
      created.body.metadata.annotations['kargo.akuity.io/create-actor'],
    ).toBe('email:dana@example.com');

    const unavailable = await call(
      'POST',
      '/v1beta1/projects/kargo-demo/stages/prod/promotions',
      {
        body: { freight: inTest.metadata!.name },
      },
    );
    expect(unavailable).toEqual({
      status: 400,
      body: {
        error: `Freight "${
          inTest.metadata!.name
        }" is not available to Stage "prod"`,
      },
    });
    const malformed = await call(
      'POST',
      '/v1beta1/projects/kargo-demo/stages/uat/promotions',
      { body: [] },
    );
    expect(malformed.status).toBe(400);
  });

  it('approves, aliases, refreshes, re-verifies and aborts', async () => {
    const inTest = sim.store
      .list<Freight>('Freight', 'kargo-demo')
      .find(f => f.status?.currentlyIn?.test)!;
    expect(
      (
        await call(
          'POST',
          `/v1beta1/projects/kargo-demo/freight/${inTest.alias}/approve?stage=prod`,
        )
      ).status,
    ).toBe(200);
    expect(
      sim.resolveFreight('kargo-demo', inTest.metadata!.name!).status
        ?.approvedFor?.prod,
    ).toBeDefined();
    expect(
      (
        await call(
          'POST',
          `/v1beta1/projects/kargo-demo/freight/${inTest.alias}/approve`,
        )
      ).status,
    ).toBe(400);

    expect(
      (
        await call(
          'PATCH',
          `/v1beta1/projects/kargo-demo/freight/${inTest.alias}/alias?newAlias=release-candidate`,
        )
      ).status,
    ).toBe(200);
    expect(
      sim.resolveFreight('kargo-demo', 'release-candidate').metadata!.name,
    ).toBe(inTest.metadata!.name);
    const other = sim.store
      .list<Freight>('Freight', 'kargo-demo')
      .find(f => f.metadata!.name !== inTest.metadata!.name)!;
    expect(
      (
        await call(
          'PATCH',
          `/v1beta1/projects/kargo-demo/freight/${
            other.metadata!.name
          }/alias?newAlias=release-candidate`,
        )
      ).status,
    ).toBe(409);
    expect(
      (
        await call(
          'PATCH',
          `/v1beta1/projects/kargo-demo/freight/${
            other.metadata!.name
          }/alias?newAlias=Bad%20Alias!`,
        )
      ).status,
    ).toBe(422);

    const refreshed = await call(
      'POST',
      '/v1beta1/projects/kargo-demo/warehouses/guestbook/refresh',
    );
    expect(refreshed).toEqual({ status: 200, body: undefined });
    expect(
      sim.store.require('Warehouse', 'kargo-demo', 'guestbook').metadata!
        .annotations!['kargo.akuity.io/refresh'],
    ).toBeTruthy();

    expect(
      (
        await call(
          'POST',
          '/v1beta1/projects/kargo-demo/stages/uat/verification',
        )
      ).status,
    ).toBe(200);
    sim.tick();
    const running = sim.store.require<Stage>('Stage', 'kargo-demo', 'uat')
      .status!.freightHistory![0].verificationHistory![0];
    expect(['Pending', 'Running']).toContain(running.phase);
    expect(
      (
        await call(
          'POST',
          '/v1beta1/projects/kargo-demo/stages/uat/verification/abort',
        )
      ).status,
    ).toBe(200);
    sim.tick();
    expect(
      sim.store.require<Stage>('Stage', 'kargo-demo', 'uat').status!
        .freightHistory![0].verificationHistory![0].phase,
    ).toBe('Aborted');
    // A stage without verification still records a Successful one once healthy
    // (verifyStageFreight), so it can be verified again: at once, Successful again.
    const before = sim.store.require<Stage>('Stage', 'kargo-demo', 'test')
      .status!.freightHistory![0].verificationHistory!;
    expect(before[0].phase).toBe('Successful');
    expect(
      (
        await call(
          'POST',
          '/v1beta1/projects/kargo-demo/stages/test/verification',
        )
      ).status,
    ).toBe(200);
    sim.tick();
    const again = sim.store.require<Stage>('Stage', 'kargo-demo', 'test')
      .status!.freightHistory![0].verificationHistory!;
    expect(again.map(v => v.phase)).toEqual([
      'Successful',
      ...before.map(v => v.phase),
    ]);
    expect(again[0].id).not.toBe(before[0].id);

    const promo = sim.promote(
      'kargo-demo',
      'prod',
      { freight: inTest.metadata!.name },
      'admin',
    );
    expect(
      (
        await call(
          'POST',
          `/v1beta1/projects/kargo-demo/promotions/${
            promo.metadata!.name
          }/abort`,
        )
      ).status,
    ).toBe(200);
    sim.tick();
    expect(
      sim.store.require<Promotion>(
        'Promotion',
        'kargo-demo',
        promo.metadata!.name!,
      ).status?.phase,
    ).toBe('Aborted');
    expect(
      (
        await call(
          'POST',
          `/v1beta1/projects/kargo-demo/promotions/${
            promo.metadata!.name
          }/abort`,
        )
      ).status,
    ).toBe(200); // already finished: a no-op, as in Kargo
  });

  it('creates, updates and deletes resources from YAML manifests', async () => {
    const manifest = `apiVersion: kargo.akuity.io/v1alpha1
kind: Warehouse
metadata: { name: extra, namespace: kargo-demo }
spec:
  subscriptions:
    - image: { repoURL: ghcr.io/example/extra }
`;
    const post = (method: string, body: string, query = '') =>
      fetch(`${kargo.url}/v1beta1/resources${query}`, {
        method,
        headers: {
          authorization: `Bearer ${ADMIN}`,
          'content-type': 'application/yaml',
        },
        body,
      }).then(async r => ({ status: r.status, body: await r.json() }));
    const created = await post('POST', manifest);
    expect(created.body.results[0].createdResourceManifest.metadata.name).toBe(
      'extra',
    );
    // One manifest: its error is the response's (409), as in Kargo.
    expect(await post('POST', manifest)).toEqual({
      status: 409,
      body: {
        error:
          'create resource: warehouse.kargo.akuity.io "extra" already exists',
      },
    });
    const updated = await post('PUT', manifest.replace('extra }', 'extra-2 }'));
    expect(
      updated.body.results[0].updatedResourceManifest.spec.subscriptions[0]
        .image.repoURL,
    ).toBe('ghcr.io/example/extra-2');
    expect(
      (await post('DELETE', manifest)).body.results[0].deletedResourceManifest
        .metadata.name,
    ).toBe('extra'); // the manifest as submitted
    expect(sim.store.get('Warehouse', 'kargo-demo', 'extra')).toBeUndefined();
    expect((await post('POST', 'kind: [unclosed')).status).toBe(400);
  });

  it('streams watch events as SSE from a list resourceVersion', async () => {
    const listed = await call('GET', '/v1beta1/projects/kargo-demo/promotions');
    const frames = await readFrames(
      `/v1beta1/projects/kargo-demo/promotions?watch=true&resourceVersion=${listed.body.metadata.resourceVersion}`,
      dataFrames(1),
      () => {
        const inTest = sim.store
          .list<Freight>('Freight', 'kargo-demo')
          .find(f => f.status?.currentlyIn?.test)!;
        setTimeout(
          () =>
            sim.promote(
              'kargo-demo',
              'uat',
              { freight: inTest.metadata!.name },
              'admin',
            ),
          20,
        );
      },
    );
    const data = JSON.parse(frames.find(f => f.startsWith('data: '))!.slice(6));
    expect(data.type).toBe('ADDED');
    expect(data.object.spec.stage).toBe('uat');
  });

  it('starts a watch without resourceVersion with every object as ADDED, sends keepalives', async () => {
    const frames = await readFrames(
      '/v1beta1/projects/kargo-demo/stages?watch=true',
      f => dataFrames(3)(f) && f.some(x => x.startsWith(': keepalive')),
    );
    const data = frames
      .filter(f => f.startsWith('data: '))
      .map(f => JSON.parse(f.slice(6)));
    expect(data.map(d => `${d.type} ${d.object.metadata.name}`)).toEqual([
      'ADDED prod',
      'ADDED test',
      'ADDED uat',
    ]);
    expect(frames.some(f => f.startsWith(': keepalive'))).toBe(true);
  });

  it('sends a change that leaves a filtered watch as DELETED, like Kargo', async () => {
    const listed = await call(
      'GET',
      '/v1beta1/projects/microservices/stages?freightOrigins=cart',
    );
    const frames = await readFrames(
      `/v1beta1/projects/microservices/stages?freightOrigins=cart&watch=true&resourceVersion=${listed.body.metadata.resourceVersion}`,
      dataFrames(2),
      () =>
        setTimeout(() => {
          sim.store.update('Stage', 'microservices', 'checkout-dev', s => {
            s.metadata!.annotations = { note: 'not a cart stage' };
          });
          sim.store.update('Stage', 'microservices', 'cart-dev', s => {
            s.metadata!.annotations = { note: 'a cart stage' };
          });
        }, 20),
    );
    const data = frames
      .filter(f => f.startsWith('data: '))
      .map(f => JSON.parse(f.slice(6)));
    expect(data.map(d => `${d.type} ${d.object.metadata.name}`)).toEqual([
      'DELETED checkout-dev',
      'MODIFIED cart-dev',
    ]);
  });

  it('sends event: error when the resourceVersion is too old', async () => {
    // The history starts after the fixtures were loaded, so version 1 is long compacted.
    const frames = await readFrames(
      '/v1beta1/projects/kargo-demo/stages?watch=true&resourceVersion=1',
      dataFrames(1),
    );
    expect(frames[0]).toMatch(/^event: error\ndata: \{"code":"out_of_range"/);
  });

  it('lists and clears the Kargo API requests it received', async () => {
    await fetch(`${kargo.url}/simulator/requests`, { method: 'DELETE' });
    await call('GET', '/v1beta1/projects/kargo-demo/stages');
    const log = await (await fetch(`${kargo.url}/simulator/requests`)).json();
    expect(log.items).toEqual(['GET /v1beta1/projects/kargo-demo/stages']);
    await fetch(`${kargo.url}/simulator/requests`, { method: 'DELETE' });
    const empty = await (await fetch(`${kargo.url}/simulator/requests`)).json();
    expect(empty.items).toEqual([]);
  });

  it('injects faults: failures, malformed bodies, cut watch streams', async () => {
    kargo.faults.failNextRequests = 2;
    expect((await call('GET', '/v1beta1/projects')).status).toBe(503);
    expect((await call('GET', '/v1beta1/projects')).status).toBe(503);
    expect((await call('GET', '/v1beta1/projects')).status).toBe(200);

    kargo.faults.malformedRate = 1;
    const res = await fetch(`${kargo.url}/v1beta1/projects`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    await expect(res.json()).rejects.toThrow();
    kargo.faults.malformedRate = 0;

    kargo.faults.cutWatchAfterEvents = 2;
    const frames = await readFrames(
      '/v1beta1/projects/kargo-demo/stages?watch=true',
      dataFrames(10),
    );
    expect(frames.filter(f => f.startsWith('data: '))).toHaveLength(2);
    expect(frames[frames.length - 1]).toBe('(connection broken)');
  });
});
