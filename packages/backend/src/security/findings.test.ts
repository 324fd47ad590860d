/*
 * Security findings of issue 18 that the route matrix does not show, each against the Kargo
 * backend behind the real permission backend with the example policy.
 */
import {
  KargoSimulator,
  ManualClock,
  RunningKargoSimulator,
} from '@kargo-backstage/kargo-simulator';
import { startTestKargo } from '@kargo-backstage/plugin-kargo-backend/testUtils';
import type { Promotion } from '@kargo-backstage/plugin-kargo-common';
import request from 'supertest';
import {
  as,
  freightOf,
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
const newest = () => freightOf(sim, 'kargo-demo').at(-1)!.metadata!.name!;
const promotions = () => sim.store.list<Promotion>('Promotion', 'kargo-demo');

beforeEach(async () => {
  // Kargo's clock is the real one: a retry looks for what Kargo made since the first attempt.
  kargo = await startTestKargo({ clock: new ManualClock(Date.now()) });
  sim = kargo.simulator;
  setProjectOwners(kargo, 'kargo-demo', ['group:default/team-a']);
  audit = [];
  ({ server } = await startPolicyBackend({
    kargo,
    entities: [owned('guestbook', 'kargo-demo', 'group:default/team-a')],
    ownership: {
      'user:default/dev': ['user:default/dev', 'group:default/team-a'],
      'user:default/rel': [
        'user:default/rel',
        'group:default/release-managers',
      ],
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

describe('4: a freeze window cannot stall the backend', () => {
  const rel = as('user:default/rel');
  const windows = api('kargo-demo/promotion-windows');
  const window = (extra: object) => ({
    name: 'hostile',
    kind: 'Deny',
    dtstart: '2026-01-01T00:00:00Z',
    dtend: '2026-01-01T00:00:01Z',
    ...extra,
  });

  it('refuses sub-hourly recurrences and patterns Kargo would refuse, naming the field', async () => {
    for (const [body, field] of [
      [window({ rrule: 'FREQ=SECONDLY' }), 'rrule'],
      [window({ rrule: 'FREQ=MINUTELY' }), 'rrule'],
      [window({ stageSelector: { name: 'regex:(' } }), 'stageSelector.name'],
    ] as const) {
      const res = await request(server)
        .post(windows)
        .set('authorization', rel)
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(`${field}:`);
    }
    const listed = await request(server).get(windows).set('authorization', rel);
    expect(listed.body.items).toEqual([]);
  });

  it("matches selectors as Kargo does (Go's RE2): in linear time, with (?i)", async () => {
    for (const name of ['regex:^((([a-z-])+)+)+\\d$', 'regexp:(?i)PROD']) {
      const res = await request(server)
        .post(windows)
        .set('authorization', rel)
        .send(
          window({
            name: `w${name.length}`,
            stageSelector: { name },
            dtend: '2036-01-01T00:00:00Z',
          }),
        );
      expect(res.status).toBe(201);
    }
    const started = Date.now();
    const listed = await request(server).get(windows).set('authorization', rel);
    expect(listed.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(listed.body.stages.prod.open).toBe(false);
    expect(listed.body.stages.test.open).toBe(true);
  });
});
