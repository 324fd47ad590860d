/*
 * Security findings of issue 18 that the route matrix does not show, each against the Kargo
 * backend behind the real permission backend with the example policy.
 */
import {
  KargoSimulator,
  ManualClock,
  RunningKargoSimulator,
  startKargoSimulator,
} from '@kargo-backstage/kargo-simulator';
import type { Freight, Promotion } from '@kargo-backstage/plugin-kargo-common';
import request from 'supertest';
import {
  as,
  owned,
  setProjectOwners,
  startPolicyBackend,
} from '../__testUtils__/policyBackend';

let kargo: RunningKargoSimulator;
let sim: KargoSimulator;
let server: any;
let audit: Array<Record<string, any>>;

const dev = as('user:default/dev');
const api = (path: string) => `/api/kargo/instances/sim/projects/${path}`;
const newest = () =>
  sim.store
    .list<Freight>('Freight', 'kargo-demo')
    .sort((a, b) =>
      a.metadata!.creationTimestamp!.localeCompare(
        b.metadata!.creationTimestamp!,
      ),
    )
    .at(-1)!.metadata!.name!;
const promotions = () => sim.store.list<Promotion>('Promotion', 'kargo-demo');

beforeEach(async () => {
  // Kargo's clock is the real one: a retry looks for what Kargo made since the first attempt.
  sim = new KargoSimulator({ clock: new ManualClock(Date.now()) });
  kargo = await startKargoSimulator({ simulator: sim, keepaliveMs: 60_000 });
  setProjectOwners(kargo, 'kargo-demo', ['group:default/team-a']);
  audit = [];
  ({ server } = await startPolicyBackend({
    kargo,
    entities: [owned('guestbook', 'kargo-demo', 'group:default/team-a')],
    ownership: {
      'user:default/dev': ['user:default/dev', 'group:default/team-a'],
    },
    audit,
  }));
});
afterEach(() => kargo.close());

describe('8: a timed-out promote is not retried into a second promotion', () => {
  it('Kargo made the Promotion but its answer was lost: the retry with the same Idempotency-Key adopts it', async () => {
    const before = new Set(promotions().map(p => p.metadata!.name));
    const promote = () =>
      request(server)
        .post(api('kargo-demo/stages/uat/promotions'))
        .set('authorization', dev)
        .set('idempotency-key', 'tab-choice-0001')
        .send({ freight: newest() });
    kargo.faults.loseNextAnswers = 1;
    const first = await promote();
    expect(first.status).toBe(503);
    expect(first.body.error.message).toMatch(/dropped the connection/);
    const made = promotions().filter(p => !before.has(p.metadata!.name));
    expect(made).toHaveLength(1);

    const retry = await promote();
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.metadata.name).toBe(made[0].metadata!.name);
    expect(promotions()).toHaveLength(before.size + 1);
    // A third try replays the answer the retry stored: no second search, no second promote.
    kargo.requestLog.length = 0;
    const again = await promote();
    expect(again.body.metadata.name).toBe(made[0].metadata!.name);
    expect(
      kargo.requestLog.filter(
        r => r.startsWith('POST') || r.includes('promotions?stage='),
      ),
    ).toEqual([]);
  });

  it('another user cannot adopt it with the same key', async () => {
    kargo.faults.loseNextAnswers = 1;
    await request(server)
      .post(api('kargo-demo/stages/uat/promotions'))
      .set('authorization', dev)
      .set('idempotency-key', 'tab-choice-0002')
      .send({ freight: newest() });
    const mallory = await request(server)
      .post(api('kargo-demo/stages/uat/promotions'))
      .set('authorization', as('user:default/mallory'))
      .set('idempotency-key', 'tab-choice-0002')
      .send({ freight: newest() });
    expect(mallory.status).toBe(403);
  });
});
