import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DefaultEventsService } from '@backstage/plugin-events-node';
import {
  KargoSimulator,
  ManualClock,
  RunningKargoSimulator,
  startKargoSimulator,
} from '@kargo-backstage/kargo-simulator';
import type { Freight } from '@kargo-backstage/plugin-kargo-common';
import { KargoInstances } from '@kargo-backstage/plugin-kargo-node';
import { simulatorInstances } from '../../testUtils';
import { DatabaseKargoStore } from '../../database';
import { ProjectSignals } from '../ProjectSignals';
import { ProjectStates } from '../state/ProjectStates';
import { ProjectWatchers } from './ProjectWatchers';
import { WatchLeases } from './WatchLeases';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const logger = mockServices.rootLogger({ level: 'none' });
const LEASE_MS = 1_000;

let kargo: RunningKargoSimulator;
let sim: KargoSimulator;
let instances: KargoInstances;

beforeAll(async () => {
  sim = new KargoSimulator({ clock: new ManualClock() });
  kargo = await startKargoSimulator({ simulator: sim });
  instances = simulatorInstances(kargo);
});
afterAll(() => kargo.close());

const running: ProjectWatchers[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map(w => w.stopAll()));
  // Streams opened just before the stop reach the simulator's log late.
  await new Promise(r => setTimeout(r, 100));
});

const until = async (what: () => boolean) => {
  for (let i = 0; i < 200 && !what(); i++) {
    await new Promise(r => setTimeout(r, 20));
  }
  expect(what()).toBe(true);
};
const watchRequests = () =>
  kargo.requestLog.filter(r => r.includes('watch=true'));

/** Replicas of the plugin's watching part: one database and one cache, a holder id each. */
async function replicas(
  id: Parameters<typeof databases.init>[0],
  options: { idleMs?: number } = {},
) {
  const knex = await databases.init(id);
  await DatabaseKargoStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
  // The events bus between the replicas.
  const events = DefaultEventsService.create({ logger });
  return Promise.all(
    ['a', 'b'].map(async holder => {
      const signals: Array<{ kind: string }> = [];
      const states = new ProjectStates({
        logger,
        events,
        replicaId: holder,
        liveMs: 60_000,
      });
      await states.subscribe();
      const watchers = new ProjectWatchers({
        instances,
        leases: new WatchLeases(knex, { holder, leaseMs: LEASE_MS }),
        leaseMs: LEASE_MS,
        idleMs: options.idleMs,
        states,
        signals: new ProjectSignals(
          {
            publish: async ({ message }) => {
              signals.push(message as unknown as { kind: string });
            },
          },
          logger,
        ),
        logger,
      });
      running.push(watchers);
      const view = async () => {
        const client = instances.get('sim');
        watchers.viewed(
          client,
          'kargo-demo',
          await states.get(client, 'kargo-demo'),
        );
      };
      return { watchers, signals, view, states };
    }),
  );
}

/** A Kargo change: a promotion of what test runs into uat. */
function promoteToUat() {
  const inTest = sim.store
    .list<Freight>('Freight', 'kargo-demo')
    .find(f => f.status?.currentlyIn?.test)!;
  sim.promote('kargo-demo', 'uat', { freight: inTest.metadata!.name }, 'admin');
}

/** The kinds of the signals a replica published, once they stopped coming. */
async function signaled(replica: { signals: Array<{ kind: string }> }) {
  await until(() => replica.signals.length > 0);
  await new Promise(r => setTimeout(r, 200));
  return replica.signals.map(s => s.kind);
}

describe.each(databases.eachSupportedId())('ProjectWatchers on %p', id => {
  beforeEach(() => {
    kargo.requestLog.length = 0;
  });

  it('watches a project viewed on both replicas from one of them', async () => {
    const [a, b] = await replicas(id);
    await a.view();
    // One stream per watched list (stages, warehouses, freight, promotions)...
    await until(() => watchRequests().length === 4);
    await b.view();
    await b.watchers.tick();
    await a.watchers.tick();
    await new Promise(r => setTimeout(r, 200));
    expect(a.watchers.watching()).toHaveLength(1);
    expect(b.watchers.watching()).toEqual([]);
    // ...once.
    expect(watchRequests()).toHaveLength(4);

    const client = instances.get('sim');
    const uatPromotions = async (replica: typeof a) =>
      (await replica.states.get(client, 'kargo-demo')).promotions.filter(
        p => p.spec.stage === 'uat',
      ).length;
    const before = await uatPromotions(b);
    const reads = kargo.requestLog.length;
    promoteToUat();
    expect(await signaled(a)).toEqual(['Promotion']);
    expect(b.signals).toEqual([]);

    // b's copy moved on with a's watch events: the new promotion is there, and no replica
    // read Kargo for it.
    expect(await uatPromotions(b)).toBe(before + 1);
    expect(await uatPromotions(a)).toBe(before + 1);
    expect(kargo.requestLog.slice(reads)).toEqual([]);
  });

  it('hands the watch over at shutdown, and a change in the gap still goes out', async () => {
    const [a, b] = await replicas(id);
    await a.view();
    await b.view();
    await until(() => watchRequests().length === 4);
    await a.watchers.stopAll();

    promoteToUat(); // nobody watches now
    await b.watchers.tick();
    expect(b.watchers.watching()).toHaveLength(1);
    // b resumed from where a got, so the change made in the gap arrives, once.
    expect(await signaled(b)).toEqual(['Promotion']);
    expect(a.signals).toEqual([]);
  });

  it('takes over from a holder that stopped renewing, which then stops watching', async () => {
    const [a, b] = await replicas(id);
    await a.view();
    await b.view();
    await until(() => a.watchers.watching().length === 1);
    await b.watchers.tick();
    expect(b.watchers.watching()).toEqual([]);

    // a renews no more (a frozen or dead replica): its lease runs out, b takes over.
    await new Promise(r => setTimeout(r, LEASE_MS + 100));
    await b.watchers.tick();
    expect(b.watchers.watching()).toHaveLength(1);
    await a.watchers.tick();
    expect(a.watchers.watching()).toEqual([]);
  });

  it('lets a project nobody views go', async () => {
    const [a] = await replicas(id, { idleMs: 300 });
    await a.view();
    await until(() => a.watchers.watching().length === 1);
    await a.watchers.tick();
    expect(a.watchers.watching()).toHaveLength(1);
    await new Promise(r => setTimeout(r, 400));
    await a.watchers.tick();
    expect(a.watchers.watching()).toEqual([]);
    expect(watchRequests()).toHaveLength(4);
  });
});
