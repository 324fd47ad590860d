import type {
  KargoProjectView,
  Freight,
  Stage,
  Warehouse,
} from '@kargo-backstage/plugin-kargo-common';
import { buildProjectView, ProjectSnapshot } from './buildProjectView';

function stageWithHealth(name: string, output: unknown): Stage {
  return {
    metadata: { name, namespace: 'shop' },
    spec: {
      requestedFreight: [
        {
          origin: { kind: 'Warehouse', name: 'wh' },
          sources: { direct: true },
        },
      ],
    },
    status: { health: { status: 'Healthy', output: output as never } },
  } as Stage;
}

const argocdAppsOf = async (output: unknown) =>
  (
    await buildProjectView(
      {
        resourceVersions: {},
        stages: [stageWithHealth('test', output)],
        warehouses: [],
        freight: [],
        promotions: [],
        fetchedAt: '2026-01-01T00:00:00Z',
      },
      { instance: 'i', project: 'shop', freightLimit: 10, promotionLimit: 10 },
    )
  ).stages[0].argocdApps;

describe('Argo CD applications in the stage view', () => {
  it("reads Kargo's health output: an array with one entry per health check", async () => {
    // Two argocd-update steps: two checks. Kargo capitalizes Namespace and Name.
    expect(
      await argocdAppsOf([
        {
          applicationStatuses: [
            {
              Namespace: 'argocd',
              Name: 'shop-test',
              health: { status: 'Healthy' },
              sync: { status: 'Synced', revision: 'abc' },
            },
          ],
        },
        {
          applicationStatuses: [
            {
              Namespace: 'apps',
              Name: 'shop-db-test',
              health: { status: 'Degraded' },
              sync: { status: 'OutOfSync' },
            },
          ],
        },
      ]),
    ).toEqual([
      {
        name: 'shop-test',
        namespace: 'argocd',
        health: 'Healthy',
        sync: 'Synced',
      },
      {
        name: 'shop-db-test',
        namespace: 'apps',
        health: 'Degraded',
        sync: 'OutOfSync',
      },
    ]);
  });

  it('reads a single object as well, and nothing from no output', async () => {
    expect(
      await argocdAppsOf({
        applicationStatuses: [
          { name: 'shop-test', health: { status: 'Healthy' } },
        ],
      }),
    ).toEqual([{ name: 'shop-test', health: 'Healthy' }]);
    expect(await argocdAppsOf(undefined)).toBeUndefined();
    expect(await argocdAppsOf([])).toBeUndefined();
    expect(await argocdAppsOf([{ other: 1 }])).toBeUndefined();
  });
});

describe('freight availability in the stage view', () => {
  const fetchedAt = '2026-11-02T12:00:00Z';
  const minutesAgo = (m: number) =>
    new Date(Date.parse(fetchedAt) - m * 60_000).toISOString();
  const steps = { spec: { steps: [{ uses: 'git-clone' }] } };
  const request = (warehouse: string, sources: object) => ({
    origin: { kind: 'Warehouse', name: warehouse },
    sources,
  });
  const stages = [
    {
      metadata: { name: 'dev', namespace: 'shop' },
      spec: {
        requestedFreight: [request('cart', { direct: true })],
        promotionTemplate: steps,
      },
    },
    {
      metadata: { name: 'prod', namespace: 'shop' },
      spec: {
        requestedFreight: [
          request('cart', { stages: ['dev'], requiredSoakTime: '1h' }),
        ],
        promotionTemplate: steps,
      },
    },
    {
      metadata: { name: 'merge', namespace: 'shop' },
      spec: { requestedFreight: [request('cart', { stages: ['dev'] })] },
    },
  ] as Stage[];
  const cart = (name: string, discovered: number, status: object) =>
    ({
      metadata: { name, namespace: 'shop' },
      origin: { kind: 'Warehouse', name: 'cart' },
      discoveredAt: minutesAgo(discovered),
      status,
    } as Freight);
  const freight = [
    // Newest: in dev for 20 minutes, verified: soaking until 40 minutes from now.
    cart('c3', 30, {
      currentlyIn: { dev: { since: minutesAgo(20) } },
      verifiedIn: { dev: {} },
    }),
    // Its soak in dev ended 10 minutes before the snapshot: available.
    cart('c2', 90, {
      currentlyIn: { dev: { since: minutesAgo(70) } },
      verifiedIn: { dev: {} },
    }),
    // Not verified anywhere, nor approved.
    cart('c1', 120, {}),
    // Beyond the view's freight limit: not in any stage's availability.
    cart('c0', 200, { approvedFor: { prod: {} } }),
    {
      metadata: { name: 'k1', namespace: 'shop' },
      origin: { kind: 'Warehouse', name: 'checkout' },
      discoveredAt: minutesAgo(5),
      status: {},
    } as Freight,
  ];
  let view: KargoProjectView;
  beforeAll(async () => {
    view = await buildProjectView(
      {
        resourceVersions: {},
        stages,
        warehouses: ['cart', 'checkout'].map(
          name => ({ metadata: { name }, spec: {} } as Warehouse),
        ),
        freight,
        promotions: [],
        fetchedAt,
      },
      { instance: 'i', project: 'shop', freightLimit: 3, promotionLimit: 10 },
    );
  });
  const availabilityOf = (name: string) =>
    view.stages.find(s => s.name === name)!.freightAvailability;

  it('lists, per stage, the shown freight of its origins Kargo takes, newest first', () => {
    expect(availabilityOf('dev')).toEqual({
      available: ['c3', 'c2', 'c1'],
      unavailable: {},
    });
  });

  it('says why not by code, with the time a soak ends', () => {
    const until = new Date(Date.parse(fetchedAt) + 40 * 60_000).toISOString();
    expect(availabilityOf('prod')).toEqual({
      available: ['c2'],
      unavailable: {
        c3: {
          blockers: [
            { code: 'NotSoaked', stage: 'dev', requiredSoakTime: '1h', until },
          ],
          availableAt: until,
        },
        c1: { blockers: [{ code: 'NotVerified', stages: ['dev'] }] },
      },
    });
  });

  it('refuses a stage without promotion steps, saying the reason shared by all once', () => {
    expect(availabilityOf('merge')).toEqual({
      available: [],
      unavailable: {},
      othersBlockedBy: [{ code: 'ControlFlow' }],
    });
  });
});

describe('a view built again after a change', () => {
  const stage = (name: string, warehouse: string) =>
    ({
      metadata: { name, namespace: 'shop' },
      spec: {
        requestedFreight: [
          {
            origin: { kind: 'Warehouse', name: warehouse },
            sources: { direct: true },
          },
        ],
        promotionTemplate: { spec: { steps: [{ uses: 'git-clone' }] } },
      },
    } as Stage);
  const freight = (name: string, warehouse: string) =>
    ({
      metadata: { name, namespace: 'shop' },
      origin: { kind: 'Warehouse', name: warehouse },
      discoveredAt: '2026-11-01T00:00:00Z',
      status: {},
    } as Freight);
  const build = (snapshot: Partial<ProjectSnapshot>, fetchedAt: string) =>
    buildProjectView(
      {
        resourceVersions: {},
        warehouses: ['cart', 'checkout'].map(
          name => ({ metadata: { name }, spec: {} } as Warehouse),
        ),
        promotions: [],
        stages: [],
        freight: [],
        ...snapshot,
        fetchedAt,
      },
      { instance: 'i', project: 'shop', freightLimit: 10, promotionLimit: 10 },
    );

  it('keeps the views of the stages the change did not touch, and rebuilds the others', async () => {
    const cartStage = stage('cart-dev', 'cart');
    const checkoutStage = stage('checkout-dev', 'checkout');
    const cart1 = freight('cart-1', 'cart');
    const checkout1 = freight('checkout-1', 'checkout');
    const before = await build(
      { stages: [cartStage, checkoutStage], freight: [cart1, checkout1] },
      '2026-11-02T00:00:00Z',
    );
    // New cart freight (a watch event), later: the checkout stage's inputs are the same objects.
    const after = await build(
      {
        stages: [cartStage, checkoutStage],
        freight: [cart1, checkout1, freight('cart-2', 'cart')],
      },
      '2026-11-02T00:01:00Z',
    );
    const byName = (view: KargoProjectView, name: string) =>
      view.stages.find(s => s.name === name)!;
    expect(byName(after, 'checkout-dev')).toBe(byName(before, 'checkout-dev'));
    expect(byName(after, 'cart-dev')).not.toBe(byName(before, 'cart-dev'));
    expect(byName(after, 'cart-dev').freightAvailability.available).toEqual([
      'cart-2',
      'cart-1',
    ]);
    // A changed stage object is built again.
    const changed = {
      ...checkoutStage,
      metadata: { ...checkoutStage.metadata },
    };
    const third = await build(
      { stages: [cartStage, changed], freight: [cart1, checkout1] },
      '2026-11-02T00:02:00Z',
    );
    expect(byName(third, 'checkout-dev')).not.toBe(
      byName(before, 'checkout-dev'),
    );
    expect(byName(third, 'checkout-dev')).toEqual(
      byName(before, 'checkout-dev'),
    );
  });
});

describe('refusals grouped per stage', () => {
  const request = (stages: string[]) => ({
    origin: { kind: 'Warehouse' as const, name: 'wh' },
    sources: { stages, availabilityStrategy: 'All' as const },
  });
  const stage = (name: string, upstream: string[]) =>
    ({
      metadata: { name, namespace: 'shop' },
      spec: {
        requestedFreight: [
          upstream.length
            ? request(upstream)
            : { origin: request([]).origin, sources: { direct: true } },
        ],
        promotionTemplate: { spec: { steps: [{ uses: 'fake' }] } },
      },
    } as Stage);
  const freight = (name: string, minute: number, verifiedIn: string[]) =>
    ({
      metadata: { name },
      origin: { kind: 'Warehouse', name: 'wh' },
      discoveredAt: `2026-01-01T00:0${minute}:00Z`,
      status: {
        verifiedIn: Object.fromEntries(verifiedIn.map(s => [s, {}])),
      },
    } as Freight);

  it('says the commonest refusal once and each other refusal by freight, stages in pipeline order', async () => {
    const view = await buildProjectView(
      {
        resourceVersions: {},
        // Listed out of order: the view puts them by distance from the warehouse.
        stages: [
          stage('prod', ['qa', 'uat']),
          stage('uat', ['dev']),
          stage('qa', ['dev']),
          stage('dev', []),
        ],
        warehouses: [{ metadata: { name: 'wh' }, spec: {} } as Warehouse],
        freight: [
          freight('f1', 1, []),
          freight('f2', 2, ['qa']),
          freight('f3', 3, []),
          freight('f4', 4, ['qa', 'uat']),
        ],
        promotions: [],
        fetchedAt: '2026-01-01T01:00:00Z',
      },
      { instance: 'i', project: 'shop', freightLimit: 10, promotionLimit: 10 },
    );
    expect(view.stages.map(s => s.name)).toEqual(['dev', 'qa', 'uat', 'prod']);
    expect(view.stages[3].freightAvailability).toEqual({
      available: ['f4'],
      unavailable: {
        f2: { blockers: [{ code: 'NotVerified', stages: ['uat'] }] },
      },
      othersBlockedBy: [{ code: 'NotVerified', stages: ['qa', 'uat'] }],
    });
  });
});
