import { mockServices } from '@backstage/backend-test-utils';
import {
  DEFAULT_TOKENS,
  KargoSimulator,
  RunningKargoSimulator,
} from '@kargo-backstage/kargo-simulator';
import type { Freight, Stage } from '@kargo-backstage/plugin-kargo-common';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { ADMIN, clientOf, startSimulator } from './__testUtils__/simulator';
import { watchDemoStages } from './__testUtils__/watchDemoStages';
import { KargoClient } from './KargoClient';

const logger = mockServices.logger.mock();

let kargo: RunningKargoSimulator;
let sim: KargoSimulator;

const clientFor = (
  overrides: Partial<{ url: string; token: string; timeoutMs: number }> = {},
) => clientOf(kargo, overrides);

beforeEach(async () => {
  kargo = await startSimulator({
    projects: ['kargo-demo', 'microservices'],
    tokens: [
      ...DEFAULT_TOKENS,
      // Kargo's system-level kargo-viewer, as an OIDC user.
      {
        token: 'viewer',
        role: 'kargo-viewer',
        actor: 'email:viewer@example.com',
      },
    ],
  });
  sim = kargo.simulator;
});
afterEach(() => kargo.close());

const inStage = (stage: string, project = 'kargo-demo') =>
  sim.store
    .list<Freight>('Freight', project)
    .find(f => f.status?.currentlyIn?.[stage])!;

describe('KargoClient against the simulator', () => {
  it('reads projects, config, stages, warehouses, freight, promotions, events and version', async () => {
    const client = clientFor();
    expect((await client.getServerVersion()).version).toBe('v1.11.2');
    expect(
      (await client.listProjects()).items?.map(p => p.metadata?.name),
    ).toEqual(['kargo-demo', 'microservices']);
    expect((await client.listProjects({ filter: 'micro' })).total).toBe(1);
    expect((await client.getProject('kargo-demo')).metadata?.name).toBe(
      'kargo-demo',
    );
    expect(
      (await client.getProjectConfig('kargo-demo')).spec?.promotionPolicies?.[0]
        ?.autoPromotionEnabled,
    ).toBe(true);

    const stages = await client.listStages('microservices', {
      freightOrigins: ['cart'],
    });
    expect(stages.items!.map(s => s.metadata?.name)).toContain('cart-dev');
    expect(stages.items!.map(s => s.metadata?.name)).not.toContain(
      'checkout-dev',
    );
    expect(
      (await client.getStage('kargo-demo', 'uat')).spec.requestedFreight?.[0]
        ?.sources?.stages,
    ).toEqual(['test']);

    expect(
      (await client.listWarehouses('kargo-demo')).items!.map(
        w => w.metadata?.name,
      ),
    ).toEqual(['guestbook']);
    expect(
      (await client.getWarehouse('kargo-demo', 'guestbook')).status
        ?.discoveredArtifacts?.images?.[0].repoURL,
    ).toBe('ghcr.io/example/guestbook');

    const freight = await client.queryFreight('kargo-demo', {
      groupBy: 'image_repo',
    });
    expect(freight.groups?.['ghcr.io/example/guestbook']?.items).toHaveLength(
      3,
    );
    const testFreight = inStage('test');
    expect(
      (await client.getFreight('kargo-demo', testFreight.alias!)).metadata
        ?.name,
    ).toBe(testFreight.metadata!.name);

    const promotions = await client.listPromotions('kargo-demo', {
      stage: 'prod',
    });
    expect(promotions.items!.every(p => p.spec.stage === 'prod')).toBe(true);
    expect(
      (
        await client.getPromotion(
          'kargo-demo',
          promotions.items![0].metadata!.name!,
        )
      ).spec.stage,
    ).toBe('prod');
    expect(
      (await client.listProjectEvents('kargo-demo')).items!.length,
    ).toBeGreaterThan(0);
  });

  it('runs the operations: promote, downstream, approve, alias, refresh, reverify, abort', async () => {
    const client = clientFor();
    const testFreight = inStage('test');
    const promotion = await client.promoteToStage('kargo-demo', 'uat', {
      freightAlias: testFreight.alias,
    });
    expect(promotion.spec).toMatchObject({
      stage: 'uat',
      freight: testFreight.metadata!.name,
    });
    await client.abortPromotion('kargo-demo', promotion.metadata!.name!);
    sim.tick();
    expect(
      (await client.getPromotion('kargo-demo', promotion.metadata!.name!))
        .status?.phase,
    ).toBe('Aborted');

    const downstream = await client.promoteDownstream('kargo-demo', 'test', {
      freight: testFreight.metadata!.name,
    });
    expect(downstream.promotions?.map(p => p.spec.stage)).toEqual(['uat']);

    await client.approveFreight('kargo-demo', testFreight.alias!, 'prod');
    expect(
      sim.resolveFreight('kargo-demo', testFreight.alias!).status?.approvedFor
        ?.prod,
    ).toBeDefined();
    await client.updateFreightAlias(
      'kargo-demo',
      testFreight.metadata!.name!,
      'candidate',
    );
    expect(sim.resolveFreight('kargo-demo', 'candidate').metadata!.name).toBe(
      testFreight.metadata!.name,
    );

    await client.refreshWarehouse('kargo-demo', 'guestbook');
    await client.refreshStage('kargo-demo', 'uat');
    expect(
      sim.store.require<Stage>('Stage', 'kargo-demo', 'uat').metadata
        ?.annotations?.['kargo.akuity.io/refresh'],
    ).toBeTruthy();

    sim.runUntilIdle();
    await client.reverify('kargo-demo', 'uat');
    sim.tick();
    await client.abortVerification('kargo-demo', 'uat');
    sim.tick();
    expect(
      sim.store.require<Stage>('Stage', 'kargo-demo', 'uat').status
        ?.freightHistory?.[0].verificationHistory?.[0].phase,
    ).toBe('Aborted');
  });

  it('creates, updates and deletes resources from a manifest', async () => {
    const client = clientFor();
    const manifest =
      'apiVersion: kargo.akuity.io/v1alpha1\nkind: Project\nmetadata:\n  name: scratch\n';
    expect(
      (await client.createResources(manifest)).results?.[0].error,
    ).toBeUndefined();
    expect((await client.listProjects()).total).toBe(3);
    expect(
      (await client.updateResources(manifest, { upsert: true })).results?.[0]
        .updatedResourceManifest,
    ).toBeDefined();
    await client.deleteResources(manifest);
    expect((await client.listProjects()).total).toBe(2);
  });

  it('maps 401, 403, 404, 409 and 400 to Backstage errors naming the instance', async () => {
    await expect(
      clientFor({ token: 'wrong' }).listProjects(),
    ).rejects.toMatchObject({
      name: 'AuthenticationError',
      message: expect.stringContaining('Kargo instance "sim"'),
    });
    await expect(
      clientFor({ token: 'viewer' }).promoteToStage('kargo-demo', 'uat', {
        freight: inStage('test').metadata!.name,
      }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'is forbidden: promote is not permitted',
      ),
    });
    await expect(
      clientFor().getStage('kargo-demo', 'nope'),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(clientFor().getProject('nope')).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expect(
      clientFor().promoteToStage('kargo-demo', 'prod', {
        freight: inStage('test').metadata!.name,
      }),
    ).rejects.toMatchObject({
      name: expect.stringMatching(/InputError|ConflictError/),
    });
    await expect(
      clientFor().promoteToStage('kargo-demo', 'uat', {}),
    ).rejects.toMatchObject({ name: 'InputError' });
  });

  it('retries idempotent reads through transient failures, never writes', async () => {
    kargo.faults.failNextRequests = 2;
    expect((await clientFor().listProjects()).total).toBe(2);

    kargo.faults.failNextRequests = 1;
    const before = sim.store.list('Promotion', 'kargo-demo').length;
    await expect(
      clientFor().promoteToStage('kargo-demo', 'uat', {
        freight: inStage('test').metadata!.name,
      }),
    ).rejects.toMatchObject({ name: 'ServiceUnavailableError' });
    expect(sim.store.list('Promotion', 'kargo-demo')).toHaveLength(before);

    kargo.faults.failNextRequests = 5;
    await expect(clientFor().listProjects()).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringContaining('HTTP 503'),
    });
  });

  it('times out a slow Kargo and reports an unreachable one', async () => {
    kargo.faults.latencyMs = 500;
    const slow = new KargoClient(
      { name: 'slow', url: kargo.url, token: ADMIN, timeoutMs: 100 },
      { logger, readAttempts: 1 },
    );
    await expect(slow.listProjects()).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringContaining(
        'Kargo instance "slow" did not answer within 100 ms',
      ),
    });
    kargo.faults.latencyMs = 0;

    const closed = http.createServer();
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise(resolve => closed.close(resolve));
    const gone = new KargoClient(
      { name: 'gone', url: `http://127.0.0.1:${port}`, timeoutMs: 500 },
      { logger, readAttempts: 1 },
    );
    await expect(gone.listProjects()).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringContaining('Kargo instance "gone" is unreachable'),
    });
  });

  it('turns malformed upstream JSON into a clear error', async () => {
    kargo.faults.malformedRate = 1;
    await expect(clientFor().listStages('kargo-demo')).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringContaining('returned malformed JSON'),
    });
  });

  it('watches from a list resourceVersion and resumes after the stream is cut', async () => {
    const client = clientFor();
    const list = await client.listStages('kargo-demo');
    const disconnects: Error[] = [];
    kargo.faults.cutWatchAfterEvents = 2;

    const { seen, stop } = watchDemoStages(
      client,
      e => `${e.type} ${e.object.metadata?.resourceVersion}`,
      {
        resourceVersion: list.metadata?.resourceVersion,
        onDisconnect: e => disconnects.push(e),
      },
    );

    // Five stage changes; the stream is cut after every second event and must resume each time.
    for (let i = 0; i < 5; i++) {
      sim.store.update<Stage>('Stage', 'kargo-demo', 'uat', s => {
        s.metadata!.annotations = { 'kargo.akuity.io/refresh': `r${i}` };
      });
      await new Promise(resolve => setTimeout(resolve, 30));
    }
    for (let i = 0; i < 100 && seen.length < 5; i++) {
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    await stop();
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5); // no duplicates after resuming
    expect(disconnects.length).toBeGreaterThanOrEqual(2);
  });

  it('re-lists through onExpired when the resourceVersion is too old', async () => {
    const client = clientFor();
    let relisted = 0;
    const { seen: events, stop } = watchDemoStages(client, e => e.type, {
      resourceVersion: '1',
      onExpired: async () => {
        const list = await client.listStages('kargo-demo');
        relisted += 1; // only once the list is read, so the change below comes after it
        return list.metadata?.resourceVersion;
      },
    });
    for (let i = 0; i < 50 && relisted === 0; i++)
      await new Promise(r => setTimeout(r, 20));
    sim.store.update<Stage>('Stage', 'kargo-demo', 'test', s => {
      s.metadata!.annotations = { 'kargo.akuity.io/refresh': 'after-relist' };
    });
    for (let i = 0; i < 50 && events.length === 0; i++)
      await new Promise(r => setTimeout(r, 20));
    await stop();
    expect(relisted).toBe(1);
    expect(events).toEqual(['MODIFIED']);
  });
});
