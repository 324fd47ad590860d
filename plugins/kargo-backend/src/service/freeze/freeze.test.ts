import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { mockServices } from '@backstage/backend-test-utils';
import type {
  ProjectConfig,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';
import request from 'supertest';
import {
  denying,
  kargoForEachTest,
  newestFreight,
  simulatorInstances,
} from '../../testUtils';
import { DatabaseKargoStore } from '../../database';
import { AutoPromotionFreezer } from './AutoPromotionFreezer';
import { ProjectStates } from '../state/ProjectStates';
import { ApprovalStore } from '../approvals/ApprovalStore';
import {
  ApprovalService,
  ApprovalServiceOptions,
} from '../approvals/ApprovalService';
import { ConflictError } from '@backstage/errors';
import { KargoInstances } from '@kargo-backstage/plugin-kargo-node';

const env = kargoForEachTest();

const api = (path: string) => `/api/kargo/instances/sim/projects/${path}`;
const newest = () => newestFreight(env.sim).metadata!.name!;
const mutations = () => env.kargo.requestLog.filter(r => !r.startsWith('GET '));
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

/** Everyone may do everything, except user:default/dev may not override a freeze. */
const permissions = denying('kargo.freeze.override', 'user:default/dev');

describe('freeze windows', () => {
  it('close a stage: promote and promote downstream get 409 with the reason and the opening; an override is audited', async () => {
    const server = await env.backend({ permissions });
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

    env.kargo.requestLog.length = 0;
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
      .send({ freight: newest(), override: ['freeze'] });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/kargo.freeze.override/);
    expect(mutations()).toEqual([]);

    // overrideFreeze is the older spelling of override: ['freeze'].
    const overridden = await request(server)
      .post(api('kargo-demo/stages/uat/promotions'))
      .send({ freight: newest(), overrideFreeze: true });
    expect(overridden.status).toBe(201);
    expect(mutations()).toHaveLength(1);
    expect(
      env.audit.find(
        e => e.eventId === 'kargo-freight-promote' && e.status === 'succeeded',
      )?.meta,
    ).toMatchObject({ gatesPassed: ['freeze:deny:overridden'] });

    const ended = await request(server).delete(
      api('kargo-demo/promotion-windows/release-rehearsal'),
    );
    expect(ended.status).toBe(204);
    expect(
      env.audit.filter(e => e.status === 'succeeded').map(e => e.eventId),
    ).toEqual([
      'kargo-promotion-window-create',
      'kargo-freight-promote',
      'kargo-promotion-window-delete',
    ]);
    const after = await request(server)
      .post(api('kargo-demo/stages/test/promotions'))
      .send({ freight: newest() });
    expect(after.status).toBe(201);
  });

  it('refuses windows that make no sense, and duplicates', async () => {
    const server = await env.backend({ permissions });
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
    // Recurrences more often than hourly, and selectors Kargo (Go RE2) would refuse.
    const hostile = await request(server)
      .post(api('kargo-demo/promotion-windows'))
      .send({
        name: 'hostile',
        kind: 'Deny',
        stageSelector: { name: 'regex:(a)\\1' },
        dtstart: '2026-12-01T00:00:00Z',
        dtend: '2026-12-01T00:00:01Z',
        rrule: 'FREQ=SECONDLY',
      });
    expect(hostile.status).toBe(400);
    expect(hostile.body.error.message).toMatch(
      /^Invalid promotion window: rrule: FREQ=SECONDLY recurs more often than hourly.*; stageSelector\.name: error parsing regexp: invalid escape sequence/,
    );
    const goSyntax = await request(server)
      .post(api('kargo-demo/promotion-windows'))
      .send({
        name: 'go-syntax',
        kind: 'Deny',
        stageSelector: { name: 'regex:(?i)^UAT$' },
        dtstart: new Date(Date.now() - 60_000).toISOString(),
        dtend: inAnHour(),
      });
    expect(goSyntax.status).toBe(201);
    const windows = await request(server).get(
      api('kargo-demo/promotion-windows'),
    );
    expect(windows.body.stages.uat.open).toBe(false);
    expect(windows.body.stages.test.open).toBe(true);
    await request(server).delete(api('kargo-demo/promotion-windows/go-syntax'));
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

  /**
   * A project frozen on weekends ("glob:te*": the test stage), and its freezer with what it
   * was built from (a restarted freezer reuses the database and instances).
   */
  async function weekendFreeze(
    instances?: (i: KargoInstances) => KargoInstances,
  ) {
    const knex = await databases.init('SQLITE_3');
    const database = mockServices.database({ knex });
    const logger = mockServices.logger.mock();
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
    const all = simulatorInstances(env.kargo, logger);
    const used = instances ? instances(all) : all;
    const freezer = new AutoPromotionFreezer(store, used, logger);
    return { store, ref, freezer, logger, database, instances: used };
  }
  const policies = () =>
    env.sim.store.get<ProjectConfig>(
      'ProjectConfig',
      'kargo-demo',
      'kargo-demo',
    )!.spec!.promotionPolicies;
  const editPolicies = (
    edit: (p: NonNullable<ReturnType<typeof policies>>) => void,
  ) =>
    env.sim.store.update<ProjectConfig>(
      'ProjectConfig',
      'kargo-demo',
      'kargo-demo',
      c => edit(c.spec!.promotionPolicies!),
    );
  const saturday = new Date('2026-11-28T12:00:00Z');

  it('holds auto-promotion into a stage approvals govern until freight is approved, then promotes the newest approved freight once, audited', async () => {
    const knex = await databases.init('SQLITE_3');
    const logger = mockServices.logger.mock();
    const ref = { instance: 'sim', project: 'kargo-demo' };
    const store = await DatabaseKargoStore.create({
      database: mockServices.database({ knex }),
    });
    const approvalStore = new ApprovalStore(knex);
    await approvalStore.createPolicy(ref, {
      name: 'test-sign-off',
      stageSelector: { name: 'test' },
      approvals: 1,
      groups: ['group:default/release-managers'],
      createdBy: 'user:default/rel',
      createdAt: '2026-12-01T00:00:00Z',
    });
    // Its reads need its store alone.
    const approvals = new ApprovalService({
      store: approvalStore,
    } as unknown as ApprovalServiceOptions);
    const audit: string[] = [];
    const auditor = {
      createEvent: async ({ eventId, meta }: any) => ({
        success: async (o?: any) =>
          void audit.push(`${eventId} ${meta.freight} ${o?.meta?.promotion}`),
        fail: async () => void audit.push(`${eventId} failed`),
      }),
    } as any;
    const instances = simulatorInstances(env.kargo, logger);
    const freezer = new AutoPromotionFreezer(store, instances, logger, {
      approvals,
      auditor,
    });
    const autoPromotes = () =>
      Boolean(
        policies()?.find(p => (p.stage ?? p.stageSelector?.name) === 'test')
          ?.autoPromotionEnabled,
      );
    const promotionsOf = (freight: string) =>
      env.sim.store
        .list<any>('Promotion', 'kargo-demo')
        .filter(p => p.spec.stage === 'test' && p.spec.freight === freight);
    expect(autoPromotes()).toBe(true);

    await freezer.run(new Date());
    expect(autoPromotes()).toBe(false);
    const added = env.sim.createFreight('kargo-demo', {
      origin: { kind: 'Warehouse', name: 'guestbook' },
      images: [
        {
          repoURL: 'ghcr.io/example/guestbook',
          tag: '9.9.9',
          digest: 'sha256:9',
        },
      ],
    } as any)!.metadata!.name!;
    await freezer.run(new Date());
    expect(promotionsOf(added)).toEqual([]);

    await approvalStore.createRequest({
      id: 'r1',
      instance: 'sim',
      project: 'kargo-demo',
      stage: 'test',
      freight: added,
      requestedBy: 'user:default/dev',
      requestedAt: new Date().toISOString(),
      votes: [],
    });
    await freezer.run(new Date());
    expect(promotionsOf(added)).toEqual([]);
    await approvalStore.vote('r1', {
      by: 'user:default/rel',
      decision: 'Approved',
      at: new Date().toISOString(),
      asMemberOf: 'group:default/release-managers',
    });
    const policyReads = jest.spyOn(approvalStore, 'listPolicies');
    await freezer.run(new Date());
    // Once per run for the project's three stages, not once per stage and again to promote.
    expect(policyReads).toHaveBeenCalledTimes(1);
    await freezer.run(new Date());
    const made = promotionsOf(added);
    expect(made).toHaveLength(1);
    expect(audit).toEqual([
      `kargo-approved-auto-promotion ${added} ${made[0].metadata.name}`,
    ]);
    // Still held: Kargo would promote the next freight without approval.
    expect(autoPromotes()).toBe(false);
  });

  it("reads a watched project's stages from its watch, and Kargo's list where no watch vouches", async () => {
    const { store, ref, instances, logger } = await weekendFreeze();
    const states = new ProjectStates({
      logger,
      replicaId: 'r1',
      liveMs: 60_000,
    });
    const freezer = new AutoPromotionFreezer(store, instances, logger, {
      states,
    });
    const stageReads = () =>
      env.kargo.requestLog.filter(r => /\/stages(\?|$)/.test(r)).length;
    await states.get(instances.get('sim'), 'kargo-demo');
    env.kargo.requestLog.length = 0;
    // Listed but not yet followed by a watch: Kargo is asked.
    await freezer.run(saturday);
    expect(stageReads()).toBe(1);
    await states.publish(ref, { epoch: 'e1', seq: 0, healthy: true });
    await freezer.run(saturday);
    expect(stageReads()).toBe(1);
    expect(policies()).toEqual([
      { stageSelector: { name: 'test' }, autoPromotionEnabled: false },
    ]);
  });

  it('turns auto-promotion off while a stage is closed and restores it after, across a restart', async () => {
    const { store, ref, freezer, database, instances, logger } =
      await weekendFreeze();
    const testStage = () =>
      env.sim.store.get<Stage>('Stage', 'kargo-demo', 'test')!;
    expect(env.sim.autoPromotionEnabled(testStage())).toBe(true);

    await freezer.run(new Date('2026-11-27T12:00:00Z')); // Friday 13:00 Berlin: open
    expect(env.sim.autoPromotionEnabled(testStage())).toBe(true);

    await freezer.run(new Date('2026-11-28T12:00:00Z')); // Saturday: frozen
    expect(env.sim.autoPromotionEnabled(testStage())).toBe(false);
    expect(policies()).toEqual([
      { stageSelector: { name: 'test' }, autoPromotionEnabled: false },
    ]);
    expect(await store.listAutoPromotionHolds(ref)).toEqual([
      { stage: 'test', previous: true, heldSince: '2026-11-28T12:00:00.000Z' },
    ]);
    await freezer.run(new Date('2026-11-29T12:00:00Z')); // still frozen: nothing changes
    expect(await store.listAutoPromotionHolds(ref)).toHaveLength(1);

    // New freight while frozen is not auto-promoted into test.
    const before = env.sim.store.list('Promotion', 'kargo-demo').length;
    env.sim.registry.publishImage('ghcr.io/example/guestbook', '1.30.0');
    env.sim.discoverWarehouse('kargo-demo', 'guestbook');
    env.sim.runUntilIdle();
    expect(env.sim.store.list('Promotion', 'kargo-demo').length).toBe(before);

    // The backend restarts: a new store and freezer on the same database still restore.
    const restarted = new AutoPromotionFreezer(
      await DatabaseKargoStore.create({ database }),
      instances,
      logger,
    );
    await restarted.run(new Date('2026-11-30T05:30:00Z')); // Monday 06:30 Berlin: open
    expect(env.sim.autoPromotionEnabled(testStage())).toBe(true);
    expect(policies()).toEqual([
      { stageSelector: { name: 'test' }, autoPromotionEnabled: true },
    ]);
    expect(await store.listAutoPromotionHolds(ref)).toEqual([]);
  });

  it('re-asserts a freeze: auto-promotion turned back on in Kargo is turned off again at the next run', async () => {
    const { store, ref, freezer } = await weekendFreeze();
    await freezer.run(saturday);
    expect(policies()).toEqual([
      { stageSelector: { name: 'test' }, autoPromotionEnabled: false },
    ]);

    // Someone turns auto-promotion back on in Kargo, past the portal.
    editPolicies(p => {
      p[0].autoPromotionEnabled = true;
    });
    await freezer.run(new Date('2026-11-28T12:00:30Z'));
    expect(policies()).toEqual([
      { stageSelector: { name: 'test' }, autoPromotionEnabled: false },
    ]);
    expect(await store.listAutoPromotionHolds(ref)).toEqual([
      { stage: 'test', previous: true, heldSince: '2026-11-28T12:00:00.000Z' },
    ]);

    // When the stage opens, the setting from before the freeze comes back.
    await freezer.run(new Date('2026-11-30T05:30:00Z'));
    expect(policies()).toEqual([
      { stageSelector: { name: 'test' }, autoPromotionEnabled: true },
    ]);
    expect(await store.listAutoPromotionHolds(ref)).toEqual([]);
  });

  it('writes ProjectConfig with the resourceVersion it read and, on a conflict, reads again: a concurrent edit is kept', async () => {
    // Kargo as a Kubernetes API would answer: a write of a stale resourceVersion gets 409.
    // (Kargo's PUT /v1beta1/resources itself, and so the simulator, write over it.)
    const written: string[] = [];
    let editBetweenReadAndWrite = true;
    const { freezer } = await weekendFreeze(real => {
      const client = real.get('sim');
      const checking = Object.create(client);
      checking.getProjectConfig = async (project: string) => {
        const read = await client.getProjectConfig(project);
        if (editBetweenReadAndWrite) {
          editBetweenReadAndWrite = false;
          // Someone adds a policy for prod between the freezer's read and its write.
          editPolicies(p => {
            p.push({
              stageSelector: { name: 'prod' },
              autoPromotionEnabled: true,
            });
          });
        }
        return read;
      };
      checking.updateResources = async (manifest: string, options: any) => {
        const sent = JSON.parse(manifest);
        written.push(sent.metadata.resourceVersion);
        const live = env.sim.store.get<ProjectConfig>(
          'ProjectConfig',
          sent.metadata.namespace,
          sent.metadata.name,
        );
        if (
          sent.metadata.resourceVersion &&
          live &&
          live.metadata!.resourceVersion !== sent.metadata.resourceVersion
        ) {
          throw new ConflictError(
            'Kargo instance "sim": the object has been modified; please apply your changes to the latest version and try again',
          );
        }
        return client.updateResources(manifest, options);
      };
      return { get: () => checking } as unknown as KargoInstances;
    });
    const before = env.sim.store.get<ProjectConfig>(
      'ProjectConfig',
      'kargo-demo',
      'kargo-demo',
    )!.metadata!.resourceVersion;

    await freezer.run(saturday);
    expect(policies()).toEqual([
      { stageSelector: { name: 'test' }, autoPromotionEnabled: false },
      { stageSelector: { name: 'prod' }, autoPromotionEnabled: true },
    ]);
    expect(written).toHaveLength(2);
    expect(written[0]).toBe(before);
    expect(written[1]).not.toBe(before);
  });
});
