import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import type { RunningKargoSimulator } from '@kargo-backstage/kargo-simulator';
import type {
  Freight,
  KargoProjectView,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';
import { kargoFreightEnrichersExtensionPoint } from '@kargo-backstage/plugin-kargo-node';
import request from 'supertest';
import {
  AuditRecord,
  guestbook,
  simulatorInstance,
  startKargoBackend,
  startTestKargo,
} from '../testUtils';
import { kargoPlugin } from '../plugin';

jest.setTimeout(20_000);

const running: RunningKargoSimulator[] = [];
async function kargoAt(serverVersion?: string) {
  const kargo = await startTestKargo({
    projects: ['kargo-demo'],
    serverVersion,
  });
  running.push(kargo);
  return { sim: kargo.simulator, kargo };
}
afterEach(async () => {
  await Promise.all(running.splice(0).map(k => k.close()));
});

const until = async (done: () => boolean, ms = 5000) => {
  for (let i = 0; i < ms / 20 && !done(); i++) {
    await new Promise(resolve => setTimeout(resolve, 20));
  }
};

/** The plugin's log lines, as "level message". */
function recordingLogger(lines: string[]) {
  const logger: LoggerService = {
    error: m => void lines.push(`error ${m}`),
    warn: m => void lines.push(`warn ${m}`),
    info: m => void lines.push(`info ${m}`),
    debug: () => {},
    child: () => logger,
  };
  // The instances are a root service (shared with the scaffolder module): they log to the root.
  return [coreServices.logger, coreServices.rootLogger].map(service =>
    createServiceFactory({
      service: service as typeof coreServices.logger,
      deps: {},
      factory: () => logger,
    }),
  );
}

/** The plugin with its own kargo config (several instances, watch settings). */
async function backendWith(options: {
  kargo: object;
  entities?: Entity[];
  features?: any[];
}) {
  const { server } = await startTestBackend({
    features: [
      kargoPlugin,
      ...(options.features ?? []),
      catalogServiceMock.factory({ entities: options.entities ?? [guestbook] }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      mockServices.rootConfig.factory({ data: { kargo: options.kargo } }),
      createServiceFactory({
        service: signalsServiceRef,
        deps: {},
        factory: () => ({ publish: async () => {} }),
      }),
    ],
  });
  return server;
}

const view = (server: any, entityRef = 'component:default/guestbook') =>
  request(server).get(
    `/api/kargo/entity-view?entityRef=${encodeURIComponent(entityRef)}`,
  );

describe('Kargo versions in the backend', () => {
  it('logs each instance version at start, and refuses a Kargo before v1.9 for that instance only', async () => {
    const current = await kargoAt();
    const old = await kargoAt('v1.10.3');
    const ancient = await kargoAt('v1.8.9');
    const lines: string[] = [];
    const guestbookOn = (instance: string) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: `guestbook-${instance}`,
        namespace: 'default',
        annotations: {
          'kargo.akuity.io/project': 'kargo-demo',
          'kargo.akuity.io/instance': instance,
        },
      },
      spec: { type: 'service', owner: 'group:default/guests' },
    });
    const server = await backendWith({
      kargo: {
        instances: [current, old, ancient].map((k, i) => ({
          ...simulatorInstance(k.kargo),
          name: ['current', 'old', 'ancient'][i],
        })),
      },
      entities: [guestbookOn('current'), guestbookOn('ancient')],
      features: recordingLogger(lines),
    });
    await until(() => lines.some(l => l.includes('"ancient"')));
    await until(() => lines.some(l => l.includes('"old"')));
    expect(lines).toEqual(
      expect.arrayContaining([
        'info Kargo instance "current" runs v1.11.2',
        expect.stringMatching(
          /^warn Kargo instance "old" runs v1\.10\.3: supported, but watches cannot resume/,
        ),
        expect.stringMatching(
          /^error Kargo instance "ancient" has no REST API; the portal needs Kargo v1\.9 or later \(tested on v1\.11\); this instance is refused$/,
        ),
      ]),
    );

    const refused = await view(server, 'component:default/guestbook-ancient');
    expect(JSON.stringify(refused.body)).toContain(
      'Kargo instance \\"ancient\\" has no REST API',
    );
    const fine = await view(server, 'component:default/guestbook-current');
    expect(fine.status).toBe(200);
    expect(
      (fine.body.projects[0] as KargoProjectView).stages.map(s => s.name),
    ).toEqual(['test', 'uat', 'prod']);
  });

  it('runs freight enrichers once per freight on a v1.10 Kargo, whatever its watch replays', async () => {
    const { sim, kargo } = await kargoAt('v1.10.3');
    const enriched: string[] = [];
    const counting = createBackendModule({
      pluginId: 'kargo',
      moduleId: 'counting-enricher',
      register(env) {
        env.registerInit({
          deps: { enrichers: kargoFreightEnrichersExtensionPoint },
          async init({ enrichers }) {
            enrichers.addFreightEnricher({
              name: 'counting',
              async enrich({ freight }) {
                enriched.push(freight.metadata!.name!);
                // Slower than the watch's 500 ms between a freight event and enrichment.
                await new Promise(resolve => setTimeout(resolve, 300));
                return { notes: 'seen' };
              },
            });
          },
        });
      },
    });
    const server = await backendWith({
      kargo: {
        instances: [simulatorInstance(kargo)],
        // Freight has no watch before v1.11: it is listed again, here often.
        watch: { pollSeconds: 0.05 },
      },
      features: [counting],
    });
    expect((await view(server)).status).toBe(200); // starts the watches
    const existing = sim.store.list<Freight>('Freight', 'kargo-demo');
    await until(() => enriched.length >= existing.length);
    await new Promise(resolve => setTimeout(resolve, 1500)); // replays and polls
    const added = sim.createFreight('kargo-demo', {
      origin: { kind: 'Warehouse', name: 'guestbook' },
      images: [
        { repoURL: 'ghcr.io/example/app', tag: '9.9.9', digest: 'sha256:9' },
      ],
    } as Freight)!;
    await until(() => enriched.includes(added.metadata!.name!));
    await new Promise(resolve => setTimeout(resolve, 1500));
    expect([...enriched].sort()).toEqual(
      [...existing.map(f => f.metadata!.name!), added.metadata!.name!].sort(),
    );
    expect(
      kargo.requestLog.filter(r =>
        r.startsWith('GET /v1beta1/projects/kargo-demo/freight?watch=true'),
      ).length,
    ).toBeGreaterThan(3);
  });

  it('passes on the PromotionRequest Kargo answers for a stage that selects Targets', async () => {
    const { sim, kargo } = await kargoAt();
    sim.store.update<Stage>('Stage', 'kargo-demo', 'uat', s => {
      (s.spec as any).targets = { selectors: [{}] };
    });
    const audit: AuditRecord[] = [];
    const server = await startKargoBackend({ kargo, audit });
    const freight = sim.store
      .list<Freight>('Freight', 'kargo-demo')
      .find(f => f.status?.currentlyIn?.test)!;
    const res = await request(server)
      .post(
        '/api/kargo/instances/sim/projects/kargo-demo/stages/uat/promotions',
      )
      .send({ freight: freight.metadata!.name });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      metadata: { name: expect.stringMatching(/^uat\./) },
      spec: { stage: 'uat', freight: freight.metadata!.name, targets: [] },
    });
    expect(audit.find(e => e.status === 'succeeded')?.meta).toMatchObject({
      promotionRequest: res.body.metadata.name,
    });
  });

  it("takes Kargo's promotionWindowStatus over the portal's windows, and keeps fields newer than v1.11.2", async () => {
    const { sim, kargo } = await kargoAt();
    sim.store.update<Stage>('Stage', 'kargo-demo', 'uat', s => {
      (s.status as any).promotionWindowStatus = {
        closed: true,
        reason: 'Deny window "black-friday" of ClusterConfig',
        nextOpen: '2026-11-30T00:00:00Z',
      };
      (s.status as any).lastPromotionRequest = { name: 'uat.x.y' };
      (s.spec as any).targets = { selectors: [] };
    });
    const server = await startKargoBackend({ kargo });
    const res = await view(server);
    const stages = (res.body.projects[0] as KargoProjectView).stages;
    expect(stages.map(s => s.name)).toEqual(['test', 'uat', 'prod']);
    expect(stages.find(s => s.name === 'uat')!.promotionWindow).toEqual({
      open: false,
      closedBy: [
        {
          name: 'Kargo',
          kind: 'Deny',
          reason: 'Deny window "black-friday" of ClusterConfig',
        },
      ],
      nextChange: '2026-11-30T00:00:00Z',
    });
    expect(
      stages.find(s => s.name === 'test')!.promotionWindow,
    ).toBeUndefined();

    const freight = sim.store
      .list<Freight>('Freight', 'kargo-demo')
      .find(f => f.status?.currentlyIn?.test)!;
    const promote = await request(server)
      .post(
        '/api/kargo/instances/sim/projects/kargo-demo/stages/uat/promotions',
      )
      .send({ freight: freight.metadata!.name });
    expect(promote.status).toBe(409);
    expect(promote.body.error.message).toContain('black-friday');
  });
});
