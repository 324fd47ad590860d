/*
 * Two replicas of this portal's backend (src/index.ts, as `yarn start` runs it, each in its own
 * process) on one PostgreSQL, and one Redis when it is reachable, against the Kargo simulator:
 * one Kargo watch per project across both; when the holder is killed the other takes over, and
 * a change made in the gap reaches a browser's signal subscription on the survivor; a promotion
 * retried on the other replica with the same Idempotency-Key creates one Promotion.
 */
import {
  KargoSimulator,
  ManualClock,
  RunningKargoSimulator,
  startKargoSimulator,
} from '@kargo-backstage/kargo-simulator';
import type { Freight } from '@kargo-backstage/plugin-kargo-common';
import { Client } from 'pg';
import WebSocket from 'ws';
import {
  dropDatabases,
  eventually,
  killReplica,
  reachable,
  Replica,
  ReplicaSetup,
  startReplica,
  testPostgres,
} from './__testUtils__/replicas';

jest.setTimeout(240_000);

/** Without PostgreSQL (see testPostgres) there is nothing to share: the test is skipped. */
const postgres = testPostgres();
const REDIS_URL = process.env.KARGO_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Unique per run: databases, and the Kargo instance name that keys the shared cache. */
const run = `r${process.pid}t${Date.now().toString(36)}`;
const prefix = `kargo_replicas_${run}_`;
const instance = `sim-${run}`;
const channel = `kargo:${instance}:kargo-demo`;

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** The browser side of Backstage signals: a WebSocket subscribed to the project's channel. */
async function subscribe(replica: Replica) {
  const url = `${replica.url.replace('http', 'ws')}/api/signals`;
  const socket = new WebSocket(url, replica.token);
  const messages: Array<{ kind: string }> = [];
  socket.on('message', data => {
    const parsed = JSON.parse(String(data));
    // Kargo's changes; the portal's own data (enrichments) has signals of its own.
    if (parsed.channel === channel && parsed.message.kind !== 'FreightMetadata')
      messages.push(parsed.message);
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ action: 'subscribe', channel }));
  return { socket, messages };
}

let kargo: RunningKargoSimulator;
let sim: KargoSimulator;
let db: Client;
const replicas: Replica[] = [];

beforeAll(async () => {
  if (!postgres) return;
  sim = new KargoSimulator({
    clock: new ManualClock(),
    projects: ['kargo-demo'],
  });
  kargo = await startKargoSimulator({ simulator: sim });
});

afterAll(async () => {
  await Promise.all(replicas.map(killReplica));
  await db?.end();
  await kargo?.close();
  if (postgres) await dropDatabases(postgres, prefix);
});

const watchStreams = () =>
  kargo.requestLog.filter(
    r => r.includes('/projects/kargo-demo/') && r.includes('watch=true'),
  );

/** The newest freight that test runs and uat does not: something to promote. */
function freightFor(stage: 'test' | 'uat') {
  const upstream = stage === 'uat' ? 'test' : undefined;
  const all = sim.store.list<Freight>('Freight', 'kargo-demo');
  return all.find(f =>
    upstream ? f.status?.currentlyIn?.[upstream] : !f.status?.currentlyIn?.test,
  )!.metadata!.name!;
}

(postgres ? describe : describe.skip)('two backend replicas', () => {
  it('share one watch per project, hand it over when the holder dies, and promote once', async () => {
    const setup: ReplicaSetup = {
      postgres: postgres!,
      prefix,
      instance,
      kargoUrl: kargo.url,
      redisUrl: (await reachable(REDIS_URL)) ? REDIS_URL : undefined,
      leaseSeconds: 2,
    };
    // One after the other, as a rolling deployment starts them.
    replicas.push(await startReplica('a', setup));
    replicas.push(await startReplica('b', setup));
    db = new Client({ ...postgres, database: `${prefix}kargo` });
    await db.connect();
    const holderPid = async () => {
      const { rows } = await db.query(
        "select holder from kargo_watch_leases where project = 'kargo-demo' and holder is not null",
      );
      return rows.length === 1
        ? Number(String(rows[0].holder).split('/')[1])
        : undefined;
    };

    // Both replicas served the project; one holds its watch: four streams, not eight.
    const pid = await eventually('a lease holder', holderPid);
    await sleep(3_000); // a few lease rounds: nobody else starts watching
    expect(await holderPid()).toBe(pid);
    expect(watchStreams()).toHaveLength(4);
    const holder = replicas.find(r => r.child.pid === pid)!;
    const survivor = replicas.find(r => r !== holder)!;
    expect(holder).toBeDefined();

    // A browser on the replica that does not watch hears of a change, once.
    const browser = await subscribe(survivor);
    await sleep(500);
    sim.promote('kargo-demo', 'test', { freight: freightFor('test') }, 'admin');
    await eventually('the first signal', async () =>
      browser.messages.length ? true : undefined,
    );
    await sleep(1_500);
    expect(browser.messages.map(m => m.kind)).toEqual(['Promotion']);

    // A promotion through the holder; its answer is lost, so the client retries elsewhere.
    const promote = (replica: Replica) =>
      fetch(
        `${replica.url}/api/kargo/instances/${instance}/projects/kargo-demo/stages/uat/promotions`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${replica.token}`,
            'content-type': 'application/json',
            'idempotency-key': `replicas-${run}`,
          },
          body: JSON.stringify({ freight: freightFor('uat') }),
        },
      );
    const uatPromotions = () =>
      sim.store
        .list<{ spec?: { stage?: string } }>('Promotion', 'kargo-demo')
        .filter(p => p.spec?.stage === 'uat').length;
    const before = uatPromotions();
    const first = await promote(holder);
    expect(first.status).toBe(201);
    const promotion = (await first.json()).metadata?.name;
    expect(promotion).toBeTruthy();
    await eventually('the promotion signal', async () =>
      browser.messages.length === 2 ? true : undefined,
    );

    // The holder dies: no shutdown, no release. A change lands while nobody watches.
    await killReplica(holder);
    const killedAt = Date.now();
    sim.promote('kargo-demo', 'test', { freight: freightFor('test') }, 'admin');

    await eventually(
      'the survivor to take the watch over',
      async () =>
        (await holderPid()) === survivor.child.pid ? true : undefined,
      30_000,
    );
    const takeoverMs = Date.now() - killedAt;
    expect(takeoverMs).toBeLessThan(15_000);
    // It resumed from the positions the holder kept, so the gap's change arrives, once.
    await eventually('the survivor to watch', async () =>
      watchStreams().length >= 8 ? true : undefined,
    );
    await sleep(500);
    const resumed = watchStreams().slice(4);
    expect(resumed).toHaveLength(4);
    for (const stream of resumed) expect(stream).toMatch(/resourceVersion=\d+/);
    await eventually('the signal of the change in the gap', async () =>
      browser.messages.length === 3 ? true : undefined,
    );
    await sleep(1_500);
    expect(browser.messages.map(m => m.kind)).toEqual([
      'Promotion',
      'Promotion',
      'Promotion',
    ]);

    // The retry on the survivor gets the first answer; Kargo has one such Promotion.
    const retry = await promote(survivor);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect((await retry.json()).metadata?.name).toBe(promotion);
    expect(uatPromotions()).toBe(before + 1);
    browser.socket.close();
  });
});
