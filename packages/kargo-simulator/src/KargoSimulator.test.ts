import type {
  Freight,
  ProjectConfig,
  Promotion,
  Stage,
  Warehouse,
} from '@kargo-backstage/plugin-kargo-common';
import { freightInTest, promoteInDemo } from './__testUtils__/testSimulator';
import { ManualClock } from './clock';
import { KargoSimulator } from './KargoSimulator';
import { StoreEvent } from './store/ResourceStore';

const IMAGE = 'ghcr.io/example/guestbook';

function demo(options: ConstructorParameters<typeof KargoSimulator>[0] = {}) {
  const clock = new ManualClock();
  const sim = new KargoSimulator({
    clock,
    projects: ['kargo-demo'],
    ...options,
  });
  return { sim, clock };
}

const stage = (sim: KargoSimulator, name: string, project = 'kargo-demo') =>
  sim.store.require<Stage>('Stage', project, name);
const freightIn = (sim: KargoSimulator, name: string, project = 'kargo-demo') =>
  sim.store
    .list<Freight>('Freight', project)
    .filter(f => f.status?.currentlyIn?.[name])
    .map(f => f.images?.[0]?.tag);
const promotion = (sim: KargoSimulator, name: string) =>
  sim.store.require<Promotion>('Promotion', 'kargo-demo', name);

function publishAndDiscover(sim: KargoSimulator, tag: string) {
  sim.registry.publishImage(IMAGE, tag);
  return sim.discoverWarehouse('kargo-demo', 'guestbook');
}

describe('KargoSimulator', () => {
  it('replays the kargo-demo history into a believable starting state', () => {
    const { sim } = demo();
    expect(sim.store.list<Freight>('Freight', 'kargo-demo')).toHaveLength(3);
    expect(freightIn(sim, 'test')).toEqual(['1.29.1']);
    expect(freightIn(sim, 'uat')).toEqual(['1.29.0']);
    expect(freightIn(sim, 'prod')).toEqual(['1.28.4']);
    const uat = stage(sim, 'uat');
    expect(
      uat.status?.freightHistory?.[0]?.verificationHistory?.[0]?.phase,
    ).toBe('Successful');
    expect(stage(sim, 'test').status?.autoPromotionEnabled).toBe(true);
    expect(stage(sim, 'prod').status?.autoPromotionEnabled).toBe(false);
    const aliases = sim.store
      .list<Freight>('Freight', 'kargo-demo')
      .map(f => f.alias);
    expect(new Set(aliases).size).toBe(3);
    for (const f of sim.store.list<Freight>('Freight', 'kargo-demo')) {
      expect(f.metadata!.labels!['kargo.akuity.io/alias']).toBe(f.alias);
      expect(f.metadata!.name).toMatch(/^[0-9a-f]{40}$/);
    }
  });

  it('discovers new freight on refresh and auto-promotes it into test through every step', () => {
    const { sim } = demo();
    sim.registry.publishImage(IMAGE, '1.30.0');
    sim.store.update<Warehouse>('Warehouse', 'kargo-demo', 'guestbook', w => {
      w.metadata!.annotations = { 'kargo.akuity.io/refresh': 'r1' };
    });
    sim.tick(); // discovery, then auto-promotion creates the Promotion
    const warehouse = sim.store.require<Warehouse>(
      'Warehouse',
      'kargo-demo',
      'guestbook',
    );
    expect(warehouse.status?.lastHandledRefresh).toBe('r1');
    const created = sim.store.get<Freight>(
      'Freight',
      'kargo-demo',
      warehouse.status!.lastFreightID!,
    );
    expect(created?.images?.[0]?.tag).toBe('1.30.0');

    const [auto] = sim.store
      .list<Promotion>('Promotion', 'kargo-demo')
      .filter(p => p.spec.freight === created!.metadata!.name);
    // The controller's own Promotion names no actor (api.NewMinimalPromotion) and no hold intent.
    expect(Object.keys(auto.metadata!.annotations!)).toEqual([
      'kargo.akuity.io/stage',
    ]);
    expect(auto.metadata!.name).toMatch(/^test\.[0-9a-z]{26}\.[0-9a-f]{7}$/);

    const phases: string[] = [];
    for (
      let i = 0;
      i < 20 &&
      promotion(sim, auto.metadata!.name!).status?.phase !== 'Succeeded';
      i++
    ) {
      sim.tick();
      phases.push(promotion(sim, auto.metadata!.name!).status!.phase!);
    }
    expect(phases[0]).toBe('Running');
    expect(phases[phases.length - 1]).toBe('Succeeded');
    const done = promotion(sim, auto.metadata!.name!);
    expect(done.status?.stepExecutionMetadata?.map(s => s.status)).toEqual(
      done.spec.steps!.map(() => 'Succeeded'),
    );
    expect((done.status?.state as any)?.commit?.commit).toMatch(
      /^[0-9a-f]{40}$/,
    );
    expect(freightIn(sim, 'test')).toEqual(['1.30.0']);
    expect(stage(sim, 'test').status?.lastPromotion?.name).toBe(
      auto.metadata!.name,
    );
  });

  it('keeps a pull-request promotion Running with its PR URL until the PR is merged', () => {
    const { sim } = demo();
    const uatFreight = sim.store
      .list<Freight>('Freight', 'kargo-demo')
      .find(f => f.status?.currentlyIn?.uat)!;
    sim.approve('kargo-demo', uatFreight.metadata!.name!, 'prod', 'admin'); // skips the soak
    const created = sim.promote(
      'kargo-demo',
      'prod',
      { freightAlias: uatFreight.alias },
      'email:dana@example.com',
    );
    sim.runUntilIdle();
    let p = promotion(sim, created.metadata!.name!);
    expect(p.status?.phase).toBe('Running');
    const pr = (p.status?.state as any)['open-pr'].pr;
    expect(pr.url).toMatch(
      /^https:\/\/github\.com\/example\/guestbook-deploy\/pull\/\d+$/,
    );
    expect(p.status?.message).toContain('waiting for pull request');
    expect(stage(sim, 'prod').status?.currentPromotion?.name).toBe(
      created.metadata!.name,
    );

    sim.mergePullRequest(pr.id);
    sim.runUntilIdle();
    p = promotion(sim, created.metadata!.name!);
    expect(p.status?.phase).toBe('Succeeded');
    expect((p.status?.state as any)['wait-for-pr']).toMatchObject({
      pr: { merged: true, url: pr.url },
    });
    expect(freightIn(sim, 'prod')).toEqual(['1.29.0']);
  });

  it('verifies after promotion and records the result on stage and freight', () => {
    const outcomes: Record<string, 'Successful' | 'Failed'> = { uat: 'Failed' };
    const { sim } = demo({
      verificationOutcome: (_p, s) => outcomes[s] ?? 'Successful',
    });
    const testFreight = freightInTest(sim);
    const verifiedInUat = () =>
      sim.store.require<Freight>(
        'Freight',
        'kargo-demo',
        testFreight.metadata!.name!,
      ).status?.verifiedIn?.uat;
    promoteInDemo(sim, 'uat', testFreight.metadata!.name);
    sim.runUntilIdle();
    const runs = stage(sim, 'uat').status!.freightHistory![0]
      .verificationHistory!;
    expect(runs[0]).toMatchObject({
      phase: 'Failed',
      analysisRun: { phase: 'Failed' },
    });
    expect(verifiedInUat()).toBeUndefined();

    outcomes.uat = 'Successful';
    const failedRun = runs[0].id;
    sim.reverify('kargo-demo', 'uat', 'email:dana@example.com');
    expect(
      JSON.parse(
        stage(sim, 'uat').metadata!.annotations!['kargo.akuity.io/reverify'],
      ),
    ).toEqual({ id: failedRun, actor: 'email:dana@example.com' });
    sim.runUntilIdle();
    const rerun = stage(sim, 'uat').status!.freightHistory![0]
      .verificationHistory!;
    expect(rerun).toHaveLength(2); // one new run, not one per tick
    expect(rerun[0]).toMatchObject({
      phase: 'Successful',
      actor: 'email:dana@example.com',
    });
    expect(rerun[0].id).not.toBe(failedRun);
    expect(rerun[1]).toMatchObject({ id: failedRun, phase: 'Failed' });
    expect(verifiedInUat()).toBeDefined();
  });

  it('enforces freight availability: requested origin, upstream verification, soak, approval', () => {
    const { sim, clock } = demo();
    const fresh = publishAndDiscover(sim, '1.31.0')!;
    expect(() => promoteInDemo(sim, 'uat', fresh.metadata!.name)).toThrow(
      expect.objectContaining({ status: 400 }),
    );
    expect(() => promoteInDemo(sim, 'nope', fresh.metadata!.name)).toThrow(
      expect.objectContaining({ status: 404 }),
    );
    expect(() => promoteInDemo(sim, 'test', 'no-such-freight')).toThrow(
      expect.objectContaining({ status: 404 }),
    );
    expect(() => sim.promote('kargo-demo', 'test', {}, 'admin')).toThrow(
      expect.objectContaining({ status: 400 }),
    );
    expect(() =>
      sim.promote(
        'kargo-demo',
        'test',
        { freight: fresh.metadata!.name, origin: 'Warehouse/guestbook' },
        'admin',
      ),
    ).toThrow(expect.objectContaining({ status: 400 })); // exactly one way to name it
    // By origin: the newest freight of the warehouse the stage may take; the answer names it.
    const byOrigin = sim.promote(
      'kargo-demo',
      'test',
      { origin: 'Warehouse/guestbook' },
      'admin',
    );
    expect(byOrigin.spec.freight).toBe(fresh.metadata!.name);
    expect(byOrigin.spec.origin).toBeUndefined();
    expect(() =>
      sim.promote('kargo-demo', 'test', { origin: 'guestbook' }, 'admin'),
    ).toThrow(
      expect.objectContaining({
        status: 400,
        message:
          'invalid origin "guestbook": invalid Freight origin string "guestbook"',
      }),
    );

    // uat's freight is verified there but has not soaked the hour prod requires.
    const inUat = sim.store
      .list<Freight>('Freight', 'kargo-demo')
      .find(f => f.status?.currentlyIn?.uat)!;
    expect(
      clock.now() - Date.parse(inUat.status!.currentlyIn!.uat.since!),
    ).toBeLessThan(3_600_000);
    expect(() => promoteInDemo(sim, 'prod', inUat.metadata!.name)).toThrow(
      expect.objectContaining({ status: 400 }),
    );
    clock.advance(2 * 3_600_000);
    expect(promoteInDemo(sim, 'prod', inUat.metadata!.name).spec.stage).toBe(
      'prod',
    );

    // Manual approval makes fresh freight available to prod.
    sim.approve('kargo-demo', fresh.alias!, 'prod', 'admin');
    expect(
      sim.promote('kargo-demo', 'prod', { freightAlias: fresh.alias }, 'admin')
        .spec.freight,
    ).toBe(fresh.metadata!.name);
  });

  it('discovers only what the subscription filters allow', () => {
    const { sim } = demo();
    expect(publishAndDiscover(sim, '0.9.0')).toBeUndefined(); // ^1.0.0 excludes it; newest stays 1.29.1
    expect(publishAndDiscover(sim, 'latest')).toBeUndefined(); // not SemVer
    const found = publishAndDiscover(sim, '1.29.2');
    expect(found?.images?.[0]?.tag).toBe('1.29.2');
    const refs = sim.store
      .require<Warehouse>('Warehouse', 'kargo-demo', 'guestbook')
      .status!.discoveredArtifacts!.images![0].references!.map(r => r.tag);
    expect(refs).toEqual(['1.29.2', '1.29.1', '1.29.0', '1.28.4']);
  });

  it('merges parallel freightlines through the control-flow stage', () => {
    const sim = new KargoSimulator({
      clock: new ManualClock(),
      projects: ['microservices'],
    });
    const stages = sim.store.list<Stage>('Stage', 'microservices');
    expect(stages.length).toBeGreaterThanOrEqual(9);
    const canary = stages.find(s => s.metadata!.name === 'canary')!;
    expect(
      Object.keys(canary.status!.freightHistory![0].items!).sort(),
    ).toEqual(['Warehouse/cart', 'Warehouse/checkout', 'Warehouse/payments']);
    const staged = sim.store
      .list<Freight>('Freight', 'microservices')
      .find(f => f.status?.currentlyIn?.['checkout-staging'])!;
    expect(staged.status?.verifiedIn?.integration).toBeDefined();
    expect(() =>
      sim.promote(
        'microservices',
        'integration',
        { freight: staged.metadata!.name },
        'admin',
      ),
    ).toThrow(expect.objectContaining({ status: 422 }));
    expect(
      sim.promote(
        'microservices',
        'canary',
        { freight: staged.metadata!.name },
        'admin',
      ).spec.stage,
    ).toBe('canary');
  });

  it('aborts a running promotion and promotes downstream', () => {
    const { sim } = demo();
    const testFreight = freightInTest(sim);
    const {
      promotions: [down],
    } = sim.promoteDownstream(
      'kargo-demo',
      'test',
      { freight: testFreight.metadata!.name },
      'admin',
    );
    expect(down.spec.stage).toBe('uat');
    sim.tick();
    sim.store.update<Promotion>(
      'Promotion',
      'kargo-demo',
      down.metadata!.name!,
      p => {
        p.metadata!.annotations = {
          ...p.metadata!.annotations,
          'kargo.akuity.io/abort': 'now',
        };
      },
    );
    sim.tick();
    expect(promotion(sim, down.metadata!.name!).status?.phase).toBe('Aborted');
    expect(freightIn(sim, 'uat')).toEqual(['1.29.0']);
  });

  it("holds the stage's next promotion Pending while its current freight is being verified", () => {
    const { sim } = demo();
    const tickUntil = (done: () => boolean) => {
      for (let i = 0; i < 50 && !done(); i++) sim.tick();
      expect(done()).toBe(true);
    };
    const verification = () =>
      stage(sim, 'uat').status?.freightHistory?.[0]?.verificationHistory?.[0];
    const [older, newer] = ['1.29.0', '1.29.1'].map(
      tag =>
        sim.store
          .list<Freight>('Freight', 'kargo-demo')
          .find(f => f.images?.[0]?.tag === tag)!,
    );
    promoteInDemo(sim, 'uat', newer.metadata!.name);
    tickUntil(() => verification()?.phase === 'Pending');
    const next = promoteInDemo(sim, 'uat', older.metadata!.name);
    sim.tick(); // the verification runs
    expect(verification()?.phase).toBe('Running');
    expect(promotion(sim, next.metadata!.name!).status?.phase).toBe('Pending');
    tickUntil(() => verification()?.phase === 'Successful');
    tickUntil(
      () => promotion(sim, next.metadata!.name!).status?.phase === 'Succeeded',
    );
  });

  it('keeps auto-promotion holds only while auto-promotion is enabled', () => {
    const { sim } = demo();
    const older = sim.store
      .list<Freight>('Freight', 'kargo-demo')
      .find(f => f.images?.[0]?.tag === '1.29.0')!;
    const back = promoteInDemo(sim, 'test', older.metadata!.name);
    expect(
      back.metadata!.annotations!['kargo.akuity.io/auto-promotion-hold'],
    ).toBe('Warehouse/guestbook');
    sim.runUntilIdle();
    expect(stage(sim, 'test').status?.autoPromotionHolds).toMatchObject({
      'Warehouse/guestbook': {
        freightName: older.metadata!.name,
        promotionName: back.metadata!.name,
        actor: 'admin',
      },
    });
    // New freight stays out of the held stage.
    publishAndDiscover(sim, '1.31.0');
    sim.runUntilIdle();
    expect(freightIn(sim, 'test')).toEqual(['1.29.0']);

    sim.store.update<ProjectConfig>(
      'ProjectConfig',
      'kargo-demo',
      'kargo-demo',
      c => {
        c.spec = { promotionPolicies: [] };
      },
    );
    sim.tick();
    const status = stage(sim, 'test').status!;
    expect(status.autoPromotionEnabled).toBe(false);
    expect(status.autoPromotionHolds).toBeUndefined();
    expect(status.effectiveAutoPromotionHolds).toBeUndefined();
  });

  it('emits a watch event for each change, with rising resourceVersions', () => {
    const { sim } = demo();
    const events: StoreEvent[] = [];
    const stop = sim.store.subscribe(e => events.push(e));
    const from = Number(sim.store.currentResourceVersion());
    const fresh = publishAndDiscover(sim, '1.32.0')!;
    sim.runUntilIdle();
    stop();
    expect(
      events.find(e => e.kind === 'Freight' && e.type === 'ADDED')?.object
        .metadata?.name,
    ).toBe(fresh.metadata!.name);
    expect(events.some(e => e.kind === 'Promotion' && e.type === 'ADDED')).toBe(
      true,
    );
    expect(events.some(e => e.kind === 'Stage' && e.type === 'MODIFIED')).toBe(
      true,
    );
    const versions = events.map(e => e.resourceVersion);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(sim.store.eventsSince(from)).toHaveLength(events.length);
  });
});
