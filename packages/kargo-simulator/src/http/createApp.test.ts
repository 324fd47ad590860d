import type { Freight, Stage } from '@kargo-backstage/plugin-kargo-common';
import {
  ADMIN,
  dataFrames,
  freightInTest,
  promoteInDemo,
  readFrames,
  REST_API_TEST,
  simulatorForEachTest,
} from '../__testUtils__/testSimulator';

const env = simulatorForEachTest(REST_API_TEST);
const { call } = env;

describe('simulator REST API', () => {
  it("answers 401 without or with a bad token, in Kargo's error shape", async () => {
    expect(await call('GET', '/projects', { token: null })).toEqual({
      status: 401,
      body: { error: expect.any(String) },
    });
    expect((await call('GET', '/projects', { token: 'wrong' })).status).toBe(
      401,
    );
    expect((await fetch(`${env.kargo.url}/healthz`)).status).toBe(200);
  });

  it('answers 403 when the role or project does not allow it, and changes nothing', async () => {
    const before = env.sim.store.list('Promotion', 'kargo-demo').length;
    const denied = await call(
      'POST',
      '/projects/kargo-demo/stages/test/promotions',
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
      '/projects/microservices/stages/cart-dev/verification',
      {
        token: 'promoter-demo',
      },
    );
    expect(otherProject.status).toBe(403);
    expect(env.sim.store.list('Promotion', 'kargo-demo')).toHaveLength(before);
  });

  it('lists projects with paging and 404s unknown names', async () => {
    const all = await call('GET', '/projects');
    expect(all.body.total).toBe(2);
    expect(all.body.items.map((p: any) => p.metadata.name)).toEqual([
      'kargo-demo',
      'microservices',
    ]);
    const page = await call('GET', '/projects?page=1&pageSize=1');
    expect(page.body.items.map((p: any) => p.metadata.name)).toEqual([
      'microservices',
    ]);
    expect((await call('GET', '/projects?filter=micro')).body.total).toBe(1);
    expect((await call('GET', '/projects/nope')).status).toBe(404);
    expect((await call('GET', '/projects/nope/stages')).status).toBe(404);
    expect((await call('GET', '/projects/kargo-demo/stages/nope')).status).toBe(
      404,
    );
  });

  it("answers a stage's health output as Kargo does: an array, one entry per health check", async () => {
    // aggregating_checker.go; Kargo's UI reads it as HealthEntry[]. Each argocd-update step
    // registers one check; its entry capitalizes Namespace and Name.
    const uat = await call('GET', '/projects/kargo-demo/stages/uat');
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
      '/projects/microservices/stages?freightOrigins=cart',
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
      '/projects/microservices/freight?origins=cart',
    );
    const items: Freight[] = freight.body.groups[''].items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every(f => f.origin.name === 'cart')).toBe(true);

    const byRepo = await call(
      'GET',
      '/projects/kargo-demo/freight?groupBy=image_repo',
    );
    expect(Object.keys(byRepo.body.groups)).toEqual([
      'ghcr.io/example/guestbook',
    ]);

    const forProd = await call(
      'GET',
      '/projects/kargo-demo/freight?stage=prod',
    );
    const tags = forProd.body.groups[''].items.map(
      (f: Freight) => f.images![0].tag,
    );
    expect(tags).toContain('1.28.4'); // in prod
    expect(tags).not.toContain('1.29.1'); // not verified upstream
  });

  it('orders freight oldest first unless reversed, by tag within a repository, and validates', async () => {
    const tags = async (query: string) =>
      (await call('GET', `/projects/kargo-demo/freight${query}`)).body.groups[
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
      await call('GET', '/projects/kargo-demo/freight?orderBy=tag'),
    ).toEqual({
      status: 400,
      body: {
        error:
          'invalid_argument: tag ordering only valid when grouping by: image_repo, chart_repo',
      },
    });
    expect(
      (await call('GET', '/projects/kargo-demo/freight?group=x')).status,
    ).toBe(400);
    expect(
      (await call('GET', '/projects/kargo-demo/freight?groupBy=nope')).status,
    ).toBe(400);
    expect(
      (await call('GET', '/projects/kargo-demo/freight?stage=nope')).status,
    ).toBe(404);
    const both = await call(
      'GET',
      '/projects/microservices/freight?origins=cart&origins=checkout',
    );
    const origins = new Set(
      both.body.groups[''].items.map((f: Freight) => f.origin.name),
    );
    expect(origins).toEqual(new Set(['cart', 'checkout']));
  });

  it('lists and clears the Kargo API requests it received', async () => {
    await fetch(`${env.kargo.url}/simulator/requests`, { method: 'DELETE' });
    await call('GET', '/projects/kargo-demo/stages');
    const log = await (
      await fetch(`${env.kargo.url}/simulator/requests`)
    ).json();
    expect(log.items).toEqual(['GET /v1beta1/projects/kargo-demo/stages']);
    await fetch(`${env.kargo.url}/simulator/requests`, { method: 'DELETE' });
    const empty = await (
      await fetch(`${env.kargo.url}/simulator/requests`)
    ).json();
    expect(empty.items).toEqual([]);
  });

  it('injects faults: failures, malformed bodies, cut watch streams', async () => {
    env.kargo.faults.failNextRequests = 2;
    expect((await call('GET', '/projects')).status).toBe(503);
    expect((await call('GET', '/projects')).status).toBe(503);
    expect((await call('GET', '/projects')).status).toBe(200);

    env.kargo.faults.malformedRate = 1;
    const res = await fetch(`${env.kargo.url}/v1beta1/projects`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    await expect(res.json()).rejects.toThrow();
    env.kargo.faults.malformedRate = 0;

    env.kargo.faults.cutWatchAfterEvents = 2;
    const frames = await readFrames(
      env.kargo,
      '/projects/kargo-demo/stages?watch=true',
      dataFrames(10),
    );
    expect(frames.filter(f => f.startsWith('data: '))).toHaveLength(2);
    expect(frames[frames.length - 1]).toBe('(connection broken)');
  });

  it('streams watch events as SSE from a list resourceVersion', async () => {
    const listed = await call('GET', '/projects/kargo-demo/promotions');
    const frames = await readFrames(
      env.kargo,
      `/projects/kargo-demo/promotions?watch=true&resourceVersion=${listed.body.metadata.resourceVersion}`,
      dataFrames(1),
      () => {
        const inTest = freightInTest(env.sim);
        setTimeout(
          () => promoteInDemo(env.sim, 'uat', inTest.metadata!.name),
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
      env.kargo,
      '/projects/kargo-demo/stages?watch=true',
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
      '/projects/microservices/stages?freightOrigins=cart',
    );
    const frames = await readFrames(
      env.kargo,
      `/projects/microservices/stages?freightOrigins=cart&watch=true&resourceVersion=${listed.body.metadata.resourceVersion}`,
      dataFrames(2),
      () =>
        setTimeout(() => {
          env.sim.store.update('Stage', 'microservices', 'checkout-dev', s => {
            s.metadata!.annotations = { note: 'not a cart stage' };
          });
          env.sim.store.update('Stage', 'microservices', 'cart-dev', s => {
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
      env.kargo,
      '/projects/kargo-demo/stages?watch=true&resourceVersion=1',
      dataFrames(1),
    );
    expect(frames[0]).toMatch(/^event: error\ndata: \{"code":"out_of_range"/);
  });
});
