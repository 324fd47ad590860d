import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type {
  Freight,
  FreightRequest,
  Promotion,
  Stage,
  Warehouse,
} from '@kargo-backstage/plugin-kargo-common';
import { ProjectSnapshot } from '../views/buildProjectView';
import {
  downstreamStages,
  requireAliasFree,
  requireApprovable,
  requireFreight,
  requirePromotable,
  requirePromotion,
  requireRunning,
  requireStage,
  requireVerification,
  requireVerifiedIn,
  requireWarehouse,
} from './preconditions';

const NOW = Date.parse('2026-11-02T12:00:00Z');
const minute = 60_000;

function stage(
  name: string,
  requests: Array<{ warehouse?: string; sources: FreightRequest['sources'] }>,
  options: { steps?: boolean; status?: Stage['status'] } = {},
): Stage {
  return {
    metadata: { name, namespace: 'shop' },
    spec: {
      requestedFreight: requests.map(r => ({
        origin: { kind: 'Warehouse', name: r.warehouse ?? 'cart' },
        sources: r.sources,
      })),
      promotionTemplate:
        options.steps === false
          ? undefined
          : { spec: { steps: [{ uses: 'git-clone' }] } },
    },
    status: options.status,
  } as Stage;
}

function freight(
  name: string,
  options: {
    warehouse?: string;
    alias?: string;
    aliasLabel?: string;
    status?: Freight['status'];
  } = {},
): Freight {
  return {
    metadata: {
      name,
      namespace: 'shop',
      labels: options.aliasLabel
        ? { 'kargo.akuity.io/alias': options.aliasLabel }
        : undefined,
    },
    alias: options.alias,
    origin: { kind: 'Warehouse', name: options.warehouse ?? 'cart' },
    status: options.status,
  } as Freight;
}

const warehouse = (name: string) =>
  ({ metadata: { name, namespace: 'shop' }, spec: {} } as Warehouse);

const promotion = (name: string, phase?: string) =>
  ({
    metadata: { name, namespace: 'shop' },
    spec: { stage: 'prod', freight: 'f1' },
    status: phase ? { phase } : undefined,
  } as Promotion);

function snapshot(parts: Partial<ProjectSnapshot>): ProjectSnapshot {
  return {
    resourceVersions: {},
    stages: [],
    warehouses: [],
    freight: [],
    promotions: [],
    fetchedAt: new Date(NOW).toISOString(),
    ...parts,
  };
}

/** The class and message of the error `fn` throws, failing the test when it throws none. */
function failure(fn: () => unknown): { type: unknown; message: string } {
  try {
    fn();
  } catch (error) {
    return {
      type: (error as Error).constructor,
      message: (error as Error).message,
    };
  }
  throw new Error('expected an error, none was thrown');
}

describe('requireStage, requireWarehouse, requirePromotion', () => {
  const snap = snapshot({
    stages: [stage('uat', []), stage('prod', [])],
    warehouses: [warehouse('cart'), warehouse('checkout')],
    promotions: [promotion('prod.1'), promotion('prod.2')],
  });

  it('return the object of that name', () => {
    expect(requireStage(snap, 'shop', 'prod')).toBe(snap.stages[1]);
    expect(requireWarehouse(snap, 'shop', 'checkout')).toBe(snap.warehouses[1]);
    expect(requirePromotion(snap, 'shop', 'prod.2')).toBe(snap.promotions[1]);
  });

  it('answer 404 naming the object and the project', () => {
    expect(failure(() => requireStage(snap, 'shop', 'qa'))).toEqual({
      type: NotFoundError,
      message: 'Stage "qa" not found in project "shop"',
    });
    expect(failure(() => requireWarehouse(snap, 'shop', 'payments'))).toEqual({
      type: NotFoundError,
      message: 'Warehouse "payments" not found in project "shop"',
    });
    expect(failure(() => requirePromotion(snap, 'shop', 'prod.3'))).toEqual({
      type: NotFoundError,
      message: 'Promotion "prod.3" not found in project "shop"',
    });
  });

  it('do not mistake one kind for another', () => {
    expect(() => requireStage(snap, 'shop', 'cart')).toThrow(NotFoundError);
    expect(() => requireWarehouse(snap, 'shop', 'prod')).toThrow(NotFoundError);
  });
});

describe('requireFreight (name or alias, as Kargo resolves it)', () => {
  const byName = freight('f1');
  const byAliasField = freight('f2', { alias: 'wonky-wombat' });
  const byAliasLabel = freight('f3', { aliasLabel: 'frozen-fox' });

  it('finds freight by name, by its alias field and by its alias label', () => {
    const snap = snapshot({ freight: [byName, byAliasField, byAliasLabel] });
    expect(requireFreight(snap, 'shop', 'f1')).toBe(byName);
    expect(requireFreight(snap, 'shop', 'wonky-wombat')).toBe(byAliasField);
    expect(requireFreight(snap, 'shop', 'frozen-fox')).toBe(byAliasLabel);
  });

  it('prefers the name over another freight whose alias is the same text', () => {
    const aliasedF1 = freight('f9', { alias: 'f1' });
    const snap = snapshot({ freight: [aliasedF1, byName] });
    expect(requireFreight(snap, 'shop', 'f1')).toBe(byName);
  });

  it('answers 404 naming what was asked for', () => {
    const snap = snapshot({ freight: [byName] });
    expect(failure(() => requireFreight(snap, 'shop', 'gone'))).toEqual({
      type: NotFoundError,
      message: 'Freight "gone" not found in project "shop"',
    });
  });
});

describe('requirePromotable (Kargo takes the freight into the stage now)', () => {
  it('lets direct freight and freight approved for the stage through', () => {
    expect(() =>
      requirePromotable(
        stage('prod', [{ sources: { direct: true } }]),
        freight('f1'),
        NOW,
      ),
    ).not.toThrow();
    expect(() =>
      requirePromotable(
        stage('prod', [{ sources: { stages: ['uat'] } }]),
        freight('f1', { status: { approvedFor: { prod: {} } } }),
        NOW,
      ),
    ).not.toThrow();
  });

  it('refuses with the stage as the reason when it does not request the origin', () => {
    expect(
      failure(() =>
        requirePromotable(
          stage('prod', [{ sources: { direct: true } }]),
          freight('f1', { warehouse: 'checkout' }),
          NOW,
        ),
      ),
    ).toEqual({
      type: InputError,
      message: 'Stage "prod" does not request freight from Warehouse/checkout',
    });
  });

  it('refuses a stage without promotion steps, even for approved freight', () => {
    expect(
      failure(() =>
        requirePromotable(
          stage('prod', [{ sources: { direct: true } }], { steps: false }),
          freight('f1', { status: { approvedFor: { prod: {} } } }),
          NOW,
        ),
      ),
    ).toEqual({
      type: InputError,
      message:
        'Stage "prod" has no promotion steps; freight passes through it from upstream',
    });
  });

  it('refuses freight not verified upstream, naming the freight, stage and upstream', () => {
    expect(
      failure(() =>
        requirePromotable(
          stage('prod', [{ sources: { stages: ['uat'] } }]),
          freight('f1', { status: { verifiedIn: { qa: {} } } }),
          NOW,
        ),
      ),
    ).toEqual({
      type: InputError,
      message:
        'Freight "f1" is not available to Stage "prod": not verified in upstream Stage "uat"; and not approved for Stage "prod"',
    });
  });

  it('lets freight verified upstream through', () => {
    expect(() =>
      requirePromotable(
        stage('prod', [{ sources: { stages: ['uat'] } }]),
        freight('f1', { status: { verifiedIn: { uat: {} } } }),
        NOW,
      ),
    ).not.toThrow();
  });

  it('decides soak time at the time given', () => {
    const since = NOW - 30 * minute;
    const prod = stage('prod', [
      { sources: { stages: ['uat'], requiredSoakTime: '1h' } },
    ]);
    const soaking = freight('f1', {
      status: {
        verifiedIn: { uat: {} },
        currentlyIn: { uat: { since: new Date(since).toISOString() } },
      },
    });
    const until = new Date(since + 60 * minute).toISOString();
    expect(failure(() => requirePromotable(prod, soaking, NOW))).toEqual({
      type: InputError,
      message: `Freight "f1" is not available to Stage "prod": soak time (1h) in upstream Stage "uat" remaining until ${until}; and not approved for Stage "prod"`,
    });
    expect(() =>
      requirePromotable(prod, soaking, since + 60 * minute),
    ).not.toThrow();
  });
});

describe('downstreamStages', () => {
  const f = freight('f1');
  const prod = stage('prod', [{ sources: { stages: ['uat'] } }]);
  const perf = stage('perf', [{ sources: { stages: ['qa', 'uat'] } }]);
  const otherOrigin = stage('billing', [
    { warehouse: 'checkout', sources: { stages: ['uat'] } },
  ]);
  const otherUpstream = stage('demo', [{ sources: { stages: ['qa'] } }]);
  const uat = stage('uat', [{ sources: { direct: true } }]);

  it("are the stages that take the freight's origin from the stage", () => {
    const snap = snapshot({
      stages: [uat, prod, otherOrigin, otherUpstream, perf],
    });
    expect(downstreamStages(snap, 'uat', f)).toEqual([prod, perf]);
  });

  it('answer 400 when there are none, naming the stage and the origin', () => {
    const snap = snapshot({ stages: [uat, otherOrigin, otherUpstream] });
    expect(failure(() => downstreamStages(snap, 'uat', f))).toEqual({
      type: InputError,
      message: 'Stage "uat" has no downstream stages for Warehouse/cart',
    });
  });
});

describe('requireVerifiedIn', () => {
  it('passes freight verified in the stage', () => {
    expect(() =>
      requireVerifiedIn(
        freight('f1', { status: { verifiedIn: { uat: {} } } }),
        'uat',
      ),
    ).not.toThrow();
  });

  it('refuses freight verified elsewhere or nowhere', () => {
    const message =
      'Freight "f1" is not verified in Stage "uat"; it cannot go downstream yet';
    expect(
      failure(() =>
        requireVerifiedIn(
          freight('f1', { status: { verifiedIn: { qa: {} } } }),
          'uat',
        ),
      ),
    ).toEqual({ type: InputError, message: message });
    expect(failure(() => requireVerifiedIn(freight('f1'), 'uat'))).toEqual({
      type: InputError,
      message: message,
    });
  });
});

describe('requireApprovable', () => {
  it("passes a stage that requests the freight's origin, however", () => {
    expect(() =>
      requireApprovable(
        stage('prod', [
          { warehouse: 'checkout', sources: { direct: true } },
          { sources: { stages: ['uat'] } },
        ]),
        freight('f1'),
      ),
    ).not.toThrow();
  });

  it('refuses a stage that does not request the origin', () => {
    expect(
      failure(() =>
        requireApprovable(
          stage('prod', [{ sources: { direct: true } }]),
          freight('f1', { warehouse: 'checkout' }),
        ),
      ),
    ).toEqual({
      type: InputError,
      message: 'Stage "prod" does not request freight from Warehouse/checkout',
    });
  });
});

describe('requireVerification', () => {
  const withHistory = (
    freightHistory: NonNullable<Stage['status']>['freightHistory'],
  ) => stage('uat', [], { status: { freightHistory } as Stage['status'] });
  const current = (verification?: { id?: string; phase?: string }) =>
    withHistory([
      {
        items: { 'Warehouse/cart': { name: 'f1' } },
        verificationHistory: verification ? [verification] : [],
      },
    ] as NonNullable<Stage['status']>['freightHistory']);

  it('refuses a stage without current freight (no history, or an empty entry)', () => {
    for (const s of [
      stage('uat', []),
      withHistory([]),
      withHistory([{ items: {} }] as NonNullable<
        Stage['status']
      >['freightHistory']),
    ]) {
      expect(failure(() => requireVerification(s, 'reverify'))).toEqual({
        type: ConflictError,
        message: 'Stage "uat" has no current freight',
      });
    }
  });

  it('refuses current freight without a verification', () => {
    for (const s of [current(), current({ phase: 'Running' })]) {
      expect(failure(() => requireVerification(s, 'abort'))).toEqual({
        type: ConflictError,
        message: 'Stage "uat" has no verification for its current freight',
      });
    }
  });

  it('re-verifies a finished or running verification', () => {
    expect(() =>
      requireVerification(current({ id: 'v1', phase: 'Failed' }), 'reverify'),
    ).not.toThrow();
    expect(() =>
      requireVerification(current({ id: 'v1', phase: 'Running' }), 'reverify'),
    ).not.toThrow();
  });

  it('aborts only a verification that has not finished', () => {
    expect(() =>
      requireVerification(current({ id: 'v1', phase: 'Running' }), 'abort'),
    ).not.toThrow();
    expect(() =>
      requireVerification(current({ id: 'v1' }), 'abort'),
    ).not.toThrow();
    for (const phase of [
      'Successful',
      'Failed',
      'Error',
      'Aborted',
      'Inconclusive',
    ]) {
      expect(
        failure(() =>
          requireVerification(current({ id: 'v1', phase }), 'abort'),
        ),
      ).toEqual({
        type: ConflictError,
        message: `The verification of Stage "uat" has already finished (${phase})`,
      });
    }
  });

  it('looks at the newest freight and its newest verification only', () => {
    const s = withHistory([
      {
        items: { 'Warehouse/cart': { name: 'f2' } },
        verificationHistory: [
          { id: 'v3', phase: 'Successful' },
          { id: 'v2', phase: 'Running' },
        ],
      },
      {
        items: { 'Warehouse/cart': { name: 'f1' } },
        verificationHistory: [{ id: 'v1', phase: 'Running' }],
      },
    ] as NonNullable<Stage['status']>['freightHistory']);
    expect(() => requireVerification(s, 'abort')).toThrow(ConflictError);
  });
});

describe('requireRunning', () => {
  it('passes a promotion that has not finished', () => {
    for (const phase of [undefined, 'Pending', 'Running']) {
      expect(() => requireRunning(promotion('prod.1', phase))).not.toThrow();
    }
  });

  it('refuses a finished promotion, naming it and its phase', () => {
    for (const phase of ['Succeeded', 'Failed', 'Errored', 'Aborted']) {
      expect(failure(() => requireRunning(promotion('prod.1', phase)))).toEqual(
        {
          type: ConflictError,
          message: `Promotion "prod.1" has already finished (${phase})`,
        },
      );
    }
  });
});

describe('requireAliasFree (aliases are unique per project)', () => {
  const f1 = freight('f1', { alias: 'wonky-wombat' });
  const f2 = freight('f2', { aliasLabel: 'frozen-fox' });
  const snap = snapshot({ freight: [f1, f2] });

  it('passes an unused alias, and the alias the freight already has', () => {
    expect(() => requireAliasFree(snap, f1, 'brave-bear')).not.toThrow();
    expect(() => requireAliasFree(snap, f1, 'wonky-wombat')).not.toThrow();
    expect(() => requireAliasFree(snap, f2, 'frozen-fox')).not.toThrow();
  });

  it('refuses an alias another freight holds (field or label), naming it', () => {
    expect(failure(() => requireAliasFree(snap, f1, 'frozen-fox'))).toEqual({
      type: ConflictError,
      message: 'Alias "frozen-fox" is already used by freight "f2"',
    });
    expect(failure(() => requireAliasFree(snap, f2, 'wonky-wombat'))).toEqual({
      type: ConflictError,
      message: 'Alias "wonky-wombat" is already used by freight "f1"',
    });
  });

  it('does not treat a freight name as an alias', () => {
    expect(() => requireAliasFree(snap, f1, 'f2')).not.toThrow();
  });
});
