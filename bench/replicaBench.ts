/*
 * Kargo calls per minute with one and with two backend replicas under the same viewer load:
 * the real backend (packages/backend, one process per replica) on PostgreSQL and Redis (when it
 * answers), against the simulator, with a Kargo change every few seconds. What a second replica
 * adds to Kargo's load is the ratio against the single replica measured in the same run.
 */
import {
  KargoSimulator,
  ManualClock,
  startKargoSimulator,
} from '@kargo-backstage/kargo-simulator';
import type { Freight } from '@kargo-backstage/plugin-kargo-common';
import {
  dropDatabases,
  killReplica,
  reachable,
  Replica,
  startReplica,
  testPostgres,
  viewEntity,
} from '../packages/backend/src/__testUtils__/replicas';
import type { Measurement } from './backendBench';

const WINDOW_MS = 60_000;
const VIEWS_PER_SECOND = 10;
const CHANGE_EVERY_MS = 5_000;
const REDIS_URL = process.env.KARGO_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

export async function runReplicaBench(): Promise<Measurement[]> {
  const sim = new KargoSimulator({
    clock: new ManualClock(),
    projects: ['kargo-demo'],
  });
  const kargo = await startKargoSimulator({ simulator: sim });
  const run = `b${process.pid}t${Date.now().toString(36)}`;
  const redis = await reachable(REDIS_URL);
  const setup = {
    // The local server, as the store bench uses, unless the test suite names another.
    postgres: testPostgres() ?? {
      host: '127.0.0.1',
      port: 5432,
      user: 'postgres',
    },
    prefix: `kargo_bench_${run}_`,
    instance: `sim-${run}`,
    kargoUrl: kargo.url,
    redisUrl: redis ? REDIS_URL : undefined,
    leaseSeconds: 10,
  };
  const replicas: Replica[] = [];
  /** Watch streams opened since the first replica started (the windows reset the log). */
  let watchStreams = 0;
  const countWatches = () => {
    watchStreams += kargo.requestLog.filter(r =>
      r.includes('watch=true'),
    ).length;
  };

  /** Views spread over the replicas round-robin, a Kargo change every few seconds. */
  async function measure() {
    await sleep(2_000); // let start-up reads and watches settle
    countWatches();
    kargo.requestLog.length = 0;
    let views = 0;
    let failed = 0;
    const started = Date.now();
    const changes = setInterval(() => {
      const next = sim.store
        .list<Freight>('Freight', 'kargo-demo')
        .find(f => !f.status?.currentlyIn?.test);
      sim.promote(
        'kargo-demo',
        'test',
        { freight: next!.metadata!.name! },
        'bench',
      );
    }, CHANGE_EVERY_MS);
    const inFlight: Promise<void>[] = [];
    while (Date.now() - started < WINDOW_MS) {
      const replica = replicas[views % replicas.length];
      views++;
      inFlight.push(
        viewEntity(replica, 'component:default/guestbook').then(
          async res => {
            await res.arrayBuffer();
            if (!res.ok) failed++;
          },
          () => {
            failed++;
          },
        ),
      );
      await sleep(1000 / VIEWS_PER_SECOND);
    }
    clearInterval(changes);
    await Promise.all(inFlight);
    const perMinute = (n: number) => (n * 60_000) / (Date.now() - started);
    const reads = kargo.requestLog.filter(r => !r.includes('watch=true'));
    countWatches();
    kargo.requestLog.length = 0;
    return { reads: perMinute(reads.length), views, failed };
  }

  try {
    replicas.push(await startReplica('a', setup));
    const one = await measure();
    replicas.push(await startReplica('b', setup));
    const two = await measure();
    const load = `${VIEWS_PER_SECOND} views/s, a Kargo change every ${
      CHANGE_EVERY_MS / 1000
    } s, ${WINDOW_MS / 1000} s each`;
    return [
      {
        name: 'Kargo calls per minute, 1 replica',
        value: `${one.reads.toFixed(0)} reads/min`,
        target: 'baseline',
        met: one.failed === 0,
        note: `${load}; ${one.views} views, ${one.failed} failed`,
      },
      {
        name: 'Kargo calls per minute, 2 replicas',
        value: `${two.reads.toFixed(
          0,
        )} reads/min (one replica: ${one.reads.toFixed(
          0,
        )}); ${watchStreams} watch streams opened in all`,
        target: '≤ 2× one replica; 4 watch streams (one replica watches)',
        // Compared as counts: both are 0 when every change arrives by watch.
        met:
          two.reads <= 2 * one.reads && watchStreams === 4 && two.failed === 0,
        note: `same load round-robin over both; the watching replica's changes reach the other over the events bus; ${
          redis ? 'Redis cache' : 'no Redis: memory caches'
        }, PostgreSQL; ${two.views} views, ${two.failed} failed`,
      },
    ];
  } finally {
    await Promise.all(replicas.map(killReplica));
    await kargo.close();
    await dropDatabases(setup.postgres, setup.prefix);
  }
}
