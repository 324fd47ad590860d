import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type {
  KargoSimulator,
  RunningKargoSimulator,
} from '@kargo-backstage/kargo-simulator';
import {
  isPromotionRequest,
  type Freight,
  type Stage,
} from '@kargo-backstage/plugin-kargo-common';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { ADMIN, clientOf, startSimulator } from './__testUtils__/simulator';
import { watchDemoStages } from './__testUtils__/watchDemoStages';
import { KargoClient } from './KargoClient';
import { KargoInstances } from './KargoInstances';
import { kargoServerInfo } from './kargoServer';
import { WatchReplay } from './watchReplay';

const logger = mockServices.logger.mock();
const running: RunningKargoSimulator[] = [];

async function kargoAt(serverVersion?: string) {
  const kargo = await startSimulator({
    projects: ['kargo-demo'],
    serverVersion,
  });
  const sim = kargo.simulator;
  running.push(kargo);
  return { kargo, sim, client: clientOf(kargo) };
}
afterEach(async () => {
  await Promise.all(running.splice(0).map(k => k.close()));
});

const until = async (done: () => boolean) => {
  for (let i = 0; i < 150 && !done(); i++) {
    await new Promise(resolve => setTimeout(resolve, 20));
  }
};

const newFreight = (sim: KargoSimulator, tag: string) =>
  sim.createFreight('kargo-demo', {
    origin: { kind: 'Warehouse', name: 'guestbook' },
    images: [{ repoURL: 'ghcr.io/example/app', tag, digest: `sha256:${tag}` }],
  } as Freight)!;

describe('kargoServerInfo', () => {
  it('knows what each release does', () => {
    expect(kargoServerInfo('v1.11.2')).toEqual({
      version: 'v1.11.2',
      resumesWatches: true,
    });
    expect(kargoServerInfo('v1.10.3')).toMatchObject({ resumesWatches: false });
    expect(kargoServerInfo('v1.9.0')).toMatchObject({ resumesWatches: false });
    expect(kargoServerInfo('devel+1c76476')).toMatchObject({
      resumesWatches: true,
    });
    expect(kargoServerInfo('v1.8.9')).toEqual({
      refused: expect.stringContaining('older than v1.9.0'),
    });
  });
});

describe('Kargo versions', () => {
  it('reads and logs each instance version, and refuses a Kargo before v1.9 for that instance only', async () => {
    const current = await kargoAt();
    const old = await kargoAt('v1.8.9');
    const rootLogger = mockServices.logger.mock();
    const instances = KargoInstances.fromConfig(
      new ConfigReader({
        kargo: {
          instances: [
            { name: 'current', url: current.kargo.url, token: ADMIN },
            { name: 'old', url: old.kargo.url, token: ADMIN },
          ],
        },
      }),
      rootLogger,
    );
    await instances.checkServers();
    expect(rootLogger.info).toHaveBeenCalledWith(
      'Kargo instance "current" runs v1.11.2',
    );
    expect(rootLogger.error).toHaveBeenCalledWith(
      expect.stringContaining(
        'Kargo instance "old" has no REST API; the portal needs Kargo v1.9 or later',
      ),
    );
    old.kargo.requestLog.length = 0;
    await expect(instances.get('old').listProjects()).rejects.toMatchObject({
      name: 'NotImplementedError',
      message: expect.stringContaining('has no REST API'),
    });
    expect(old.kargo.requestLog).toEqual([]); // refused without asking again
    expect(
      (await instances.get('current').listProjects()).items?.length,
    ).toBeGreaterThan(0);
  });

  it('warns that a v1.10 instance re-lists on reconnect', async () => {
    const { kargo } = await kargoAt('v1.10.3');
    const rootLogger = mockServices.logger.mock();
    await KargoInstances.fromConfig(
      new ConfigReader({
        kargo: { instances: [{ name: 'old', url: kargo.url, token: ADMIN }] },
      }),
      rootLogger,
    ).checkServers();
    expect(rootLogger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/"old" runs v1\.10\.3: supported, but watches/),
    );
  });

  it('turns the empty error bodies of Kargo before v1.11.1 into clear errors', async () => {
    const { kargo } = await kargoAt('v1.10.3');
    const stranger = new KargoClient(
      { name: 'sim', url: kargo.url, token: 'nobody', timeoutMs: 2000 },
      { logger, retryDelayMs: 10 },
    );
    await expect(stranger.listStages('kargo-demo')).rejects.toMatchObject({
      name: 'AuthenticationError',
      message: expect.stringContaining('HTTP 401 with an empty body'),
    });
  });

  it('does not take an empty 200 answer to a read for data', async () => {
    // Kargo before v1.11.1 answers an error of no known type with gin's default 200, no body.
    const server = http.createServer((_req, res) => res.end());
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const client = new KargoClient(
      {
        name: 'old',
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        token: ADMIN,
        timeoutMs: 2000,
      },
      { logger, retryDelayMs: 1 },
    );
    try {
      await expect(client.listStages('kargo-demo')).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
        message: expect.stringContaining('HTTP 200 and no body'),
      });
    } finally {
      server.close();
    }
  });

  it("keeps the first error of a v1.10 500 answer's two bodies", async () => {
    const { kargo, client } = await kargoAt('v1.10.3');
    kargo.faults.errorRate = 1;
    await expect(client.listStages('kargo-demo')).rejects.toMatchObject({
      message: 'Kargo instance "sim": internal server error (HTTP 500)',
    });
  });

  it('unwraps the {"promotion": ...} answer of Kargo v1.10.0', async () => {
    const { sim, client } = await kargoAt('v1.10.0');
    const freight = sim.store
      .list<Freight>('Freight', 'kargo-demo')
      .find(f => f.status?.currentlyIn?.test)!;
    const promotion = await client.promoteToStage('kargo-demo', 'uat', {
      freight: freight.metadata!.name!,
    });
    expect(isPromotionRequest(promotion)).toBe(false);
    expect(promotion.metadata?.name).toMatch(/^uat\./);
    expect(promotion.spec.stage).toBe('uat');
  });

  it('returns the PromotionRequest Kargo answers for a stage that selects Targets', async () => {
    const { sim, client } = await kargoAt();
    sim.store.update<Stage>('Stage', 'kargo-demo', 'uat', s => {
      (s.spec as any).targets = { selectors: [{}] };
    });
    const freight = sim.store
      .list<Freight>('Freight', 'kargo-demo')
      .find(f => f.status?.currentlyIn?.test)!;
    const answer = await client.promoteToStage('kargo-demo', 'uat', {
      freight: freight.metadata!.name!,
    });
    expect(isPromotionRequest(answer)).toBe(true);
    expect(answer).toMatchObject({
      metadata: { name: expect.stringMatching(/^uat\./) },
      spec: { stage: 'uat', freight: freight.metadata!.name, targets: [] },
    });
  });

  it('on a v1.10 server, a watch reconnect re-lists and passes on only what changed', async () => {
    const { kargo, sim, client } = await kargoAt('v1.10.3');
    // Each connection replays the three stages as ADDED; the first is cut after one change.
    kargo.faults.cutWatchAfterEvents = 4;
    const { seen, stop } = watchDemoStages(
      client,
      e => `${e.type} ${e.object.metadata?.name}`,
    );
    await until(() => seen.length === 3);
    await new Promise(resolve => setTimeout(resolve, 100)); // the replay went out
    sim.store.update<Stage>('Stage', 'kargo-demo', 'uat', s => {
      s.metadata!.annotations = { 'kargo.akuity.io/refresh': 'one' };
    });
    await until(
      () =>
        kargo.requestLog.filter(r => r.includes('stages?watch=true')).length >=
        2,
    );
    kargo.faults.cutWatchAfterEvents = 0;
    await new Promise(resolve => setTimeout(resolve, 100));
    sim.store.update<Stage>('Stage', 'kargo-demo', 'prod', s => {
      s.metadata!.annotations = { 'kargo.akuity.io/refresh': 'two' };
    });
    await until(() => seen.length >= 5);
    await new Promise(resolve => setTimeout(resolve, 100));
    await stop();
    expect(seen.sort()).toEqual([
      'ADDED prod',
      'ADDED test',
      'ADDED uat',
      'MODIFIED prod',
      'MODIFIED uat',
    ]);
    const watches = kargo.requestLog.filter(r => r.includes('watch=true'));
    expect(watches.length).toBeGreaterThanOrEqual(2);
    expect(watches.every(r => !r.includes('resourceVersion'))).toBe(true);
  });

  it('on a v1.10 server, freight (no watch there) is listed again and only new freight is ADDED', async () => {
    const { sim, client } = await kargoAt('v1.10.3');
    const existing = sim.store.list<Freight>('Freight', 'kargo-demo').length;
    const added: string[] = [];
    const controller = new AbortController();
    const watching = client.watch<Freight>({
      path: '/v1beta1/projects/{project}/freight',
      params: { project: 'kargo-demo' },
      signal: controller.signal,
      pollIntervalMs: 30,
      onEvent: e => {
        if (e.type === 'ADDED') added.push(e.object.metadata!.name!);
      },
    });
    await until(() => added.length === existing);
    await new Promise(resolve => setTimeout(resolve, 150)); // several polls
    const created = newFreight(sim, '9.9.9');
    await until(() => added.length > existing);
    await new Promise(resolve => setTimeout(resolve, 150));
    controller.abort();
    await watching;
    expect(added).toHaveLength(existing + 1);
    expect(added.at(-1)).toBe(created.metadata!.name);
  });

  it('a v1.10 first connection with the caller’s list RV baselines silently, re-listing when it differs', async () => {
    const { client } = await kargoAt('v1.10.3');
    let relisted = 0;
    const { seen, stop } = watchDemoStages(client, e => e.type, {
      resourceVersion: '12', // a position kept from an earlier watch: meaningless here
      onExpired: async () => {
        relisted += 1;
        return undefined;
      },
    });
    await until(() => relisted > 0);
    await new Promise(resolve => setTimeout(resolve, 100));
    await stop();
    expect(relisted).toBe(1);
    expect(seen).toEqual([]); // the replay of what the caller lists again is not passed on
  });
});

describe('WatchReplay', () => {
  const obj = (name: string, rv: string) => ({
    metadata: { name, resourceVersion: rv },
  });
  it('reports deletions and changes a fresh list shows, and drops unchanged replays', () => {
    const events: string[] = [];
    const replay = new WatchReplay<ReturnType<typeof obj>>(e =>
      events.push(`${e.type} ${e.object.metadata.name}`),
    );
    replay.baseline([obj('a', '1'), obj('b', '1'), obj('c', '1')]);
    replay.event({ type: 'ADDED', object: obj('a', '1') });
    replay.reconcile([obj('a', '1'), obj('b', '2'), obj('d', '3')]);
    replay.event({ type: 'ADDED', object: obj('b', '2') });
    replay.event({ type: 'DELETED', object: obj('a', '4') });
    replay.event({ type: 'DELETED', object: obj('a', '4') });
    expect(events).toEqual(['MODIFIED b', 'ADDED d', 'DELETED c', 'DELETED a']);
  });
});
