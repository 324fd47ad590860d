import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  generateLargeProject,
  KargoSimulator,
  RunningKargoSimulator,
} from '@kargo-backstage/kargo-simulator';
import type {
  Freight,
  KargoEntityView,
  KargoProjectView,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';
import request from 'supertest';
import { kargoPlugin } from '../plugin';
import { startTestKargo } from '../testUtils';

const component = (
  name: string,
  annotations: Record<string, string>,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: {
    type: 'service',
    owner: 'group:default/guests',
    lifecycle: 'production',
  },
});

const entities = [
  component('guestbook', { 'kargo.akuity.io/project': 'kargo-demo' }),
  component('checkout', {
    'kargo.akuity.io/project': 'microservices',
    'kargo.akuity.io/warehouses': 'checkout',
  }),
  component('large', { 'kargo.akuity.io/project': 'large' }),
  component('two', { 'kargo.akuity.io/project': 'kargo-demo,missing-project' }),
  component('plain', {}),
];

let kargo: RunningKargoSimulator;
let sim: KargoSimulator;
const publish = jest.fn();

beforeAll(async () => {
  kargo = await startTestKargo({ projects: ['kargo-demo', 'microservices'] });
  sim = kargo.simulator;
  generateLargeProject(sim);
});
afterAll(() => kargo.close());
beforeEach(() => {
  kargo.requestLog.length = 0;
  publish.mockReset();
});

async function backend(
  options: {
    permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    url?: string;
  } = {},
) {
  return startTestBackend({
    features: [
      kargoPlugin,
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          kargo: {
            instances: [
              {
                name: 'sim',
                url: options.url ?? kargo.url,
                token: 'kargo-simulator-admin-token',
                uiUrl: 'https://kargo.example.com',
                timeoutMs: 1000,
              },
            ],
          },
        },
      }),
      mockServices.permissions.factory({
        result: options.permission ?? AuthorizeResult.ALLOW,
      }),
      createServiceFactory({
        service: signalsServiceRef,
        deps: {},
        factory: () => ({ publish }),
      }),
    ],
  });
}

/** Kargo reads made, not counting the long-lived watch streams or the version read at start. */
const kargoReads = () =>
  kargo.requestLog.filter(
    r => !r.includes('watch=true') && !r.endsWith('/system/server-version'),
  );

const view = async (server: any, entityRef: string) =>
  request(server).get(
    `/api/kargo/entity-view?entityRef=${encodeURIComponent(entityRef)}`,
  );

describe('GET /entity-view', () => {
  it('returns the project as the simulator has it: stages, current freight, warehouses, promotions', async () => {
    const { server } = await backend();
    const res = await view(server, 'component:default/guestbook');
    expect(res.status).toBe(200);
    const body = res.body as KargoEntityView;
    const project = body.projects[0] as KargoProjectView;
    expect(project).toMatchObject({
      instance: 'sim',
      project: 'kargo-demo',
      url: 'https://kargo.example.com/project/kargo-demo',
    });
    expect(project.stages.map(s => s.name)).toEqual(['test', 'uat', 'prod']); // pipeline order
    for (const stage of sim.store.list<Stage>('Stage', 'kargo-demo')) {
      const shown = project.stages.find(s => s.name === stage.metadata!.name)!;
      expect(shown.currentFreight).toEqual({
        'Warehouse/guestbook':
          stage.status!.freightHistory![0].items!['Warehouse/guestbook'].name,
      });
    }
    const uat = project.stages.find(s => s.name === 'uat')!;
    expect(uat.verification?.phase).toBe('Successful');
    expect(uat.requestedFreight[0]).toMatchObject({
      direct: false,
      stages: ['test'],
    });
    expect(uat.renderedCommit).toMatch(/^[0-9a-f]{40}$/);
    // Read from Kargo's health output, an array of one entry per health check.
    expect(uat.argocdApps).toEqual([
      {
        name: 'guestbook-uat',
        namespace: 'argocd',
        health: 'Healthy',
        sync: 'Synced',
      },
    ]);
    const prodPromotion = project.promotions.find(p => p.stage === 'prod')!;
    expect(prodPromotion.pullRequestUrl).toMatch(/\/pull\/\d+$/);
    expect(project.warehouses[0]).toMatchObject({
      name: 'guestbook',
      interval: '5m0s',
    });
    expect(project.freight.map(f => f.images[0].tag)).toEqual([
      '1.29.1',
      '1.29.0',
      '1.28.4',
    ]); // newest first
    const inProd = project.freight.find(f => f.currentlyIn.prod)!;
    expect(inProd.verifiedIn).toHaveProperty('uat');
  });

  it('limits stages and freight to the warehouses the entity names', async () => {
    const { server } = await backend();
    const project = (await view(server, 'component:default/checkout')).body
      .projects[0] as KargoProjectView;
    expect(project.warehouses.map(w => w.name)).toEqual(['checkout']);
    expect(project.stages.map(s => s.name)).toEqual(
      expect.arrayContaining([
        'checkout-dev',
        'checkout-staging',
        'integration',
        'canary',
      ]),
    );
    expect(project.stages.map(s => s.name)).not.toContain('cart-dev');
    expect(project.freight.every(f => f.origin.name === 'checkout')).toBe(true);
    expect(
      project.stages.find(s => s.name === 'integration')!.controlFlow,
    ).toBe(true);
  });

  it('makes the same constant number of Kargo calls for 3 and for 50 stages', async () => {
    const { server } = await backend();
    await view(server, 'component:default/guestbook');
    const small = kargoReads().length;
    kargo.requestLog.length = 0;
    const res = await view(server, 'component:default/large');
    expect((res.body.projects[0] as KargoProjectView).stages).toHaveLength(50);
    expect(kargoReads().length).toBe(small);
    expect(small).toBe(4);
    expect(
      (res.body.projects[0] as KargoProjectView).freightTotal,
    ).toMatchObject({ 'warehouse-0': 400 });
  });

  it('answers a repeat from the cache and coalesces concurrent requests', async () => {
    const { server } = await backend();
    await Promise.all(
      [1, 2, 3, 4, 5].map(() => view(server, 'component:default/guestbook')),
    );
    expect(kargoReads()).toHaveLength(4);
    await view(server, 'component:default/guestbook');
    expect(kargoReads()).toHaveLength(4);
  });

  it('applies a change Kargo reports to the kept state, without reading Kargo again, and signals open pages', async () => {
    const { server } = await backend();
    await view(server, 'component:default/guestbook');
    await new Promise(r => setTimeout(r, 200)); // let the watches connect
    const inTest = sim.store
      .list<Freight>('Freight', 'kargo-demo')
      .find(f => f.status?.currentlyIn?.test)!;
    sim.promote(
      'kargo-demo',
      'uat',
      { freight: inTest.metadata!.name },
      'admin',
    );
    // Signals about the portal's own data (enrichments on first look) do not count here.
    const kargoChanges = () =>
      publish.mock.calls.filter(
        ([signal]) => signal.message.kind !== 'FreightMetadata',
      );
    for (let i = 0; i < 50 && !kargoChanges().length; i++)
      await new Promise(r => setTimeout(r, 20));
    expect(publish).toHaveBeenCalledWith(
      expect.objectContaining({
        channel: 'kargo:sim:kargo-demo',
        recipients: { type: 'broadcast' },
      }),
    );
    kargo.requestLog.length = 0;
    const res = await view(server, 'component:default/guestbook');
    expect(kargoReads()).toEqual([]); // the watch event moved the state on
    const uat = (res.body.projects[0] as KargoProjectView).promotions.filter(
      p => p.stage === 'uat',
    );
    expect(uat[0].freight).toBe(inTest.metadata!.name);
  });

  it('reports a project Kargo cannot serve in place, and the others still', async () => {
    const { server } = await backend();
    const res = await view(server, 'component:default/two');
    expect(res.status).toBe(200);
    expect(res.body.projects[0].project).toBe('kargo-demo');
    expect(res.body.projects[1]).toMatchObject({
      project: 'missing-project',
      error: {
        name: 'NotFoundError',
        message: expect.stringContaining('Kargo instance "sim"'),
      },
    });
  });

  it('answers 503 naming the instance when Kargo is unreachable', async () => {
    const { server } = await backend({ url: 'http://127.0.0.1:1' });
    const res = await view(server, 'component:default/guestbook');
    expect(res.status).toBe(503);
    expect(res.body.error.message).toContain(
      'Kargo instance "sim" is unreachable',
    );
  });

  it('refuses without permission (403), without a user (401), and explains 404s and bad input', async () => {
    const denied = await backend({ permission: AuthorizeResult.DENY });
    const res = await view(denied.server, 'component:default/guestbook');
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('kargo.project.read');
    expect(kargoReads()).toHaveLength(0);

    const { server } = await backend();
    const anonymous = await request(server)
      .get('/api/kargo/entity-view?entityRef=component:default/guestbook')
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);

    const unknown = await view(server, 'component:default/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe(
      'No entity component:default/nope in the catalog',
    );
    const plain = await view(server, 'component:default/plain');
    expect(plain.status).toBe(404);
    expect(plain.body.error.message).toBe(
      'Entity component:default/plain has no kargo.akuity.io/project annotation',
    );
    expect((await request(server).get('/api/kargo/entity-view')).status).toBe(
      400,
    );
    expect((await view(server, 'not a ref:')).status).toBe(400);
  });
});
