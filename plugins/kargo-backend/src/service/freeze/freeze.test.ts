import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { mockServices } from '@backstage/backend-test-utils';
import {
  KargoSimulator,
  ManualClock,
  RunningKargoSimulator,
  startKargoSimulator,
} from '@kargo-backstage/kargo-simulator';
import type {
  Freight,
  ProjectConfig,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';
import request from 'supertest';
import {
  AuditRecord,
  denying,
  startKargoBackend,
} from '../../__testUtils__/testBackend';
import { simulatorInstances } from '../../__testUtils__/simulatorInstances';
import { DatabaseKargoStore } from '../../database';
import { AutoPromotionFreezer } from './AutoPromotionFreezer';

let kargo: RunningKargoSimulator;
let sim: KargoSimulator;
let audit: AuditRecord[];

beforeEach(async () => {
  sim = new KargoSimulator({ clock: new ManualClock() });
  kargo = await startKargoSimulator({ simulator: sim, keepaliveMs: 60_000 });
  audit = [];
});
afterEach(() => kargo.close());

const api = (path: string) => `/api/kargo/instances/sim/projects/${path}`;
const newest = () =>
  sim.store
    .list<Freight>('Freight', 'kargo-demo')
    .sort((a, b) =>
      b.metadata!.creationTimestamp!.localeCompare(
        a.metadata!.creationTimestamp!,
      ),
    )[0].metadata!.name!;
const mutations = () => kargo.requestLog.filter(r => !r.startsWith('GET '));
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

/** Everyone may do everything, except user:default/dev may not override a freeze. */
const permissions = denying('kargo.freeze.override', 'user:default/dev');

describe('freeze windows', () => {
  it('close a stage: promote and promote downstream get 409 with the reason and the opening; an override is audited', async () => {
    const server = await startKargoBackend({ kargo, permissions, audit });
    const opensAt = inAnHour();
    const created = await request(server)
      .post(api('kargo-demo/promotion-windows'))
      .send({
        name: 'release-rehearsal',
        kind: 'Deny',
        stageSelector: { name: 'uat' },
        dtstart: new Date(Date.now() - 60_000).toISOString(),
        dtend: opensAt,
        reason: 'Release rehearsal',
      });
    expect(created.status).toBe(201);
    expect(created.body.createdBy).toBe('user:default/mock');

    const windows = await request(server).get(
      api('kargo-demo/promotion-windows'),
    );
    expect(windows.body.stages.uat).toMatchObject({
      open: false,
      closedBy: [{ name: 'release-rehearsal', reason: 'Release rehearsal' }],
      nextChange: new Date(opensAt).toISOString(),
    });
    expect(windows.body.stages.test.open).toBe(true);
    const view = await request(server).get(
      '/api/kargo/entity-view?entityRef=component:default/guestbook',
    );
    const uat = view.body.projects[0].stages.find((s: any) => s.name === 'uat');
    expect(uat.promotionWindow.open).toBe(false);

    kargo.requestLog.length = 0;
    const promote = await request(server)
      .post(api('kargo-demo/stages/uat/promotions'))
      .send({ freight: newest() });
    expect(promote.status).toBe(409);
    expect(promote.body.error.message).toBe(
      `Stage "uat" is frozen by promotion window "release-rehearsal" (Release rehearsal); it opens at ${new Date(
        opensAt,
      ).toISOString()} [gate freeze]`,
    );
    const downstream = await request(server)
      .post(api('kargo-demo/stages/test/promotions/downstream'))
      .send({ freight: newest() });
    expect(downstream.status).toBe(409);
    expect(downstream.body.error.message).toMatch(/frozen by promotion window/);
    const gates = await request(server).get(
      api(`kargo-demo/stages/uat/gates?freight=${newest()}`),
    );
    expect(gates.body.items).toEqual([
      expect.objectContaining({ gate: 'freeze', result: 'deny', stage: 'uat' }),
    ]);
    expect(mutations()).toEqual([]);

    const refused = await request(server)
      .post(api('kargo-demo/stages/uat/promotions'))
      .set('authorization', mockCredentials.user.header('user:default/dev'))
      .send({ freight: newest(), overrideFreeze: true });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/kargo.freeze.override/);
    expect(mutations()).toEqual([]);

    const overridden = await request(server)
      .post(api('kargo-demo/stages/uat/promotions'))
      .send({ freight: newest(), overrideFreeze: true });
    expect(overridden.status).toBe(201);
    expect(mutations()).toHaveLength(1);
    expect(
      audit.find(
        e => e.eventId === 'freight-promote' && e.status === 'succeeded',
      )?.meta,
    ).toMatchObject({ gatesPassed: ['freeze:deny:overridden'] });

    const ended = await request(server).delete(
      api('kargo-demo/promotion-windows/release-rehearsal'),
    );
    expect(ended.status).toBe(204);
    expect(
      audit.filter(e => e.status === 'succeeded').map(e => e.eventId),
    ).toEqual([
      'promotion-window-create',
      'freight-promote',
      'promotion-window-delete',
    ]);
    const after = await request(server)
      .post(api('kargo-demo/stages/test/promotions'))
      .send({ freight: newest() });
    expect(after.status).toBe(201);
  });

  it('refuses windows that make no sense, and duplicates', async () => {
    const server = await startKargoBackend({ kargo, permissions, audit });
    const bad = await request(server)
      .post(api('kargo-demo/promotion-windows'))
      .send({
        name: 'broken',
        kind: 'Deny',
        dtstart: '2026-12-02T00:00:00Z',
        dtend: '2026-12-01T00:00:00Z',
        rrule: 'FREQ=SOMETIMES',
      });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/dtend must be after dtstart/);
    const window = {
      name: 'year-end',
      kind: 'Deny',
      dtstart: '2026-12-20T00:00:00Z',
      dtend: '2027-01-05T00:00:00Z',
    };
    expect(
      (
        await request(server)
          .post(api('kargo-demo/promotion-windows'))
          .send(window)
      ).status,
    ).toBe(201);
    const again = await request(server)
      .post(api('kargo-demo/promotion-windows'))
      .send(window);
    expect(again.status).toBe(409);
    expect(
      (await request(server).delete(api('kargo-demo/promotion-windows/nope')))
        .status,
    ).toBe(404);
  });
});

describe('AutoPromotionFreezer', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('turns auto-promotion off while a stage is closed and restores it after, across a restart', async () => {
    const knex = await databases.init('SQLITE_3');
    const database = mockServices.database({ knex });
    const logger = mockServices.logger.mock();
    const instances = simulatorInstances(kargo, logger);
    const ref = { instance: 'sim', project: 'kargo-demo' };
    const store = await DatabaseKargoStore.create({ database });
    await store.createPromotionWindow(ref, {
      name: 'weekend',
      kind: 'Deny',
      stageSelector: { name: 'glob:te*' },
      dtstart: '2026-11-27T18:00:00',
      dtend: '2026-11-30T06:00:00',
      rrule: 'FREQ=WEEKLY;BYDAY=FR',
      timeZone: 'Europe/Berlin',
      createdBy: 'user:default/rel',
      createdAt: '2026-11-25T00:00:00Z',
    });
    const testStage = () =>
      sim.store.get<Stage>('Stage', 'kargo-demo', 'test')!;
    const policies = () =>
      sim.store.get<ProjectConfig>('ProjectConfig', 'kargo-demo', 'kargo-demo')!
        .spec!.promotionPolicies;
    expect(sim.autoPromotionEnabled(testStage())).toBe(true);

    const freezer = new AutoPromotionFreezer(store, instances, logger);
    await freezer.run(new Date('2026-11-27T12:00:00Z')); // Friday 13:00 Berlin: open
    expect(sim.autoPromotionEnabled(testStage())).toBe(true);

    await freezer.run(new Date('2026-11-28T12:00:00Z')); // Saturday: frozen
    expect(sim.autoPromotionEnabled(testStage())).toBe(false);
    expect(policies()).toEqual([
      { stageSelector: { name: 'test' }, autoPromotionEnabled: false },
    ]);
    expect(await store.listAutoPromotionHolds(ref)).toEqual([
      { stage: 'test', previous: true, heldSince: '2026-11-28T12:00:00.000Z' },
    ]);
    await freezer.run(new Date('2026-11-29T12:00:00Z')); // still frozen: nothing changes
    expect(await store.listAutoPromotionHolds(ref)).toHaveLength(1);

    // New freight while frozen is not auto-promoted into test.
    const before = sim.store.list('Promotion', 'kargo-demo').length;
    sim.registry.publishImage('ghcr.io/example/guestbook', '1.30.0');
    sim.discoverWarehouse('kargo-demo', 'guestbook');
    sim.runUntilIdle();
    expect(sim.store.list('Promotion', 'kargo-demo').length).toBe(before);

    // The backend restarts: a new store and freezer on the same database still restore.
    const restarted = new AutoPromotionFreezer(
      await DatabaseKargoStore.create({ database }),
      instances,
      logger,
    );
    await restarted.run(new Date('2026-11-30T05:30:00Z')); // Monday 06:30 Berlin: open
    expect(sim.autoPromotionEnabled(testStage())).toBe(true);
    expect(policies()).toEqual([
      { stageSelector: { name: 'test' }, autoPromotionEnabled: true },
    ]);
    expect(await store.listAutoPromotionHolds(ref)).toEqual([]);
  });
});
