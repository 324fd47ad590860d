import type { Entity } from '@backstage/catalog-model';
import type { KargoApi } from '../../api';
import type {
  ApprovalRequestView,
  FreightView,
  KargoProjectView,
  StageView,
} from '@kargo-backstage/plugin-kargo-common';

/** Small hand-written views for component tests: two freightlines merged by a control-flow stage. */
export function freight(
  name: string,
  warehouse: string,
  tag: string,
  extra: Partial<FreightView> = {},
): FreightView {
  return {
    name: `${name}0000000000000000000000000000000000`.slice(0, 40),
    alias: name,
    origin: { kind: 'Warehouse', name: warehouse },
    discoveredAt: '2026-11-01T10:00:00Z',
    images: [
      {
        repoURL: `ghcr.io/example/${warehouse}`,
        tag,
        digest: `sha256:${name}`,
      },
    ],
    commits: [],
    charts: [],
    currentlyIn: {},
    verifiedIn: {},
    approvedFor: {},
    metadata: {},
    ...extra,
  };
}

export function stage(
  name: string,
  requests: Array<[string, { direct?: boolean; stages?: string[] }]>,
  extra: Partial<StageView> = {},
): StageView {
  return {
    name,
    requestedFreight: requests.map(([warehouse, sources]) => ({
      origin: { kind: 'Warehouse', name: warehouse },
      direct: Boolean(sources.direct),
      stages: sources.stages ?? [],
    })),
    controlFlow: false,
    freightAvailability: { available: [], unavailable: {} },
    currentFreight: {},
    health: 'Healthy',
    healthIssues: [],
    conditions: [],
    autoPromotionEnabled: false,
    history: [],
    ...extra,
  };
}

export function shopView(): KargoProjectView {
  const cartNew = freight('brave-badger', 'cart', '2.4.1', {
    currentlyIn: { 'cart-dev': '2026-11-02T10:00:00Z' },
    discoveredAt: '2026-11-02T09:00:00Z',
  });
  const cartOld = freight('calm-capybara', 'cart', '2.4.0', {
    currentlyIn: { prod: '2026-11-01T12:00:00Z' },
    verifiedIn: { 'cart-dev': 'x', integration: 'y', prod: 'z' },
    approvedFor: { prod: 'w' },
  });
  const checkout = freight('daring-dingo', 'checkout', '2.3.0', {
    currentlyIn: { 'checkout-dev': 'a', prod: 'b' },
    verifiedIn: { 'checkout-dev': 'a', integration: 'b', prod: 'c' },
    commits: [
      {
        repoURL: 'https://github.com/example/shop.git',
        id: 'abcdef1234567890',
        message: 'Add coupons',
        author: 'Dana <dana@example.com>',
      },
    ],
    metadata: { 'release-notes': 'https://example.com/notes/2.3.0' },
  });
  return {
    instance: 'sim',
    project: 'shop',
    url: 'https://kargo.example.com/project/shop',
    warehouses: [
      {
        name: 'cart',
        subscriptions: [
          { image: { repoURL: 'ghcr.io/example/cart', constraint: '^2.0.0' } },
        ],
        problems: [],
      },
      {
        name: 'checkout',
        subscriptions: [{ image: { repoURL: 'ghcr.io/example/checkout' } }],
        problems: [],
      },
    ],
    stages: [
      stage('cart-dev', [['cart', { direct: true }]], {
        freightAvailability: {
          available: [cartNew.name, cartOld.name],
          unavailable: {},
        },
        currentFreight: { 'Warehouse/cart': cartNew.name },
        autoPromotionEnabled: true,
      }),
      stage('checkout-dev', [['checkout', { direct: true }]], {
        freightAvailability: { available: [checkout.name], unavailable: {} },
        currentFreight: { 'Warehouse/checkout': checkout.name },
      }),
      stage(
        'integration',
        [
          ['cart', { stages: ['cart-dev'] }],
          ['checkout', { stages: ['checkout-dev'] }],
        ],
        {
          controlFlow: true,
          freightAvailability: {
            available: [],
            unavailable: Object.fromEntries(
              [cartNew, cartOld, checkout].map(f => [
                f.name,
                { blockers: [{ code: 'ControlFlow' }] },
              ]),
            ),
          },
          health: 'NotApplicable',
        },
      ),
      stage(
        'prod',
        [
          ['cart', { stages: ['integration'] }],
          ['checkout', { stages: ['integration'] }],
        ],
        {
          // As the backend decides it: the new cart freight is not through integration yet.
          freightAvailability: {
            available: [cartOld.name, checkout.name],
            unavailable: {
              [cartNew.name]: {
                blockers: [{ code: 'NotVerified', stages: ['integration'] }],
              },
            },
          },
          currentFreight: {
            'Warehouse/cart': cartOld.name,
            'Warehouse/checkout': checkout.name,
          },
          currentPromotion: 'prod.01abc.brave-b',
          verification: { id: 'v1', phase: 'Running' },
          renderedCommit: 'feedbeef1234567890',
          history: [
            {
              id: 'h1',
              freight: { 'Warehouse/cart': cartOld.name },
              verifications: [
                { id: 'v0', phase: 'Successful', actor: 'kargo controller' },
              ],
            },
          ],
        },
      ),
    ],
    freight: [cartNew, cartOld, checkout],
    freightTotal: { cart: 12, checkout: 1 },
    promotions: [
      {
        name: 'prod.01abc.brave-b',
        stage: 'prod',
        freight: cartNew.name,
        phase: 'Running',
        actor: 'email:dana@example.com',
        steps: [
          { alias: 'clone', uses: 'git-clone', status: 'Succeeded' },
          { alias: 'open-pr', uses: 'git-open-pr', status: 'Succeeded' },
          {
            alias: 'wait-for-pr',
            uses: 'git-wait-for-pr',
            status: 'Running',
            message: 'waiting for pull request',
          },
        ],
        pullRequestUrl: 'https://github.com/example/shop-deploy/pull/42',
      },
    ],
    fetchedAt: '2026-11-02T10:00:00Z',
  };
}

/** A request by sam to promote `freight` into prod, needing one approval from release-managers. */
export function approvalRequest(
  freightName: string,
  extra: Partial<ApprovalRequestView> = {},
): ApprovalRequestView {
  return {
    id: 'r1',
    instance: 'sim',
    project: 'shop',
    stage: 'prod',
    freight: freightName,
    requestedBy: 'user:default/sam',
    requestedAt: '2026-11-02T11:00:00Z',
    comment: 'Coupons for the sale',
    votes: [],
    state: 'Pending',
    policies: [
      {
        policy: 'prod-approval',
        groups: ['group:default/release-managers'],
        required: 1,
        counted: 0,
      },
    ],
    ...extra,
  };
}

/** shopView with the prod-approval policy selecting prod, and `requests`. */
export function shopViewWithApprovals(
  requests: (view: KargoProjectView) => ApprovalRequestView[],
): KargoProjectView {
  const view = shopView();
  view.approvals = {
    stages: { prod: ['prod-approval'] },
    policies: [
      {
        name: 'prod-approval',
        stageSelector: { name: 'prod' },
        approvals: 1,
        groups: ['group:default/release-managers'],
        createdBy: 'user:default/alex',
        createdAt: '2026-11-01T00:00:00Z',
      },
    ],
    requests: requests(view),
  };
  return view;
}

/** The catalog's storefront service, naming the Kargo project(s) `project` when given. */
export function storefront(project?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'storefront',
      namespace: 'default',
      annotations: project ? { 'kargo.akuity.io/project': project } : undefined,
    },
    spec: { type: 'service', owner: 'guests', lifecycle: 'production' },
  };
}

/** A KargoApi whose every method fails unless the test provides it. */
export function testKargoApi(overrides: Partial<KargoApi> = {}): KargoApi {
  const unexpected = (name: string) => async () => {
    throw new Error(`unexpected call to KargoApi.${name}`);
  };
  return {
    getHealth: async () => ({ status: 'ok' }),
    getEntityView: unexpected('getEntityView'),
    promote: unexpected('promote'),
    promoteDownstream: unexpected('promoteDownstream'),
    approveFreight: unexpected('approveFreight'),
    abortPromotion: unexpected('abortPromotion'),
    refreshStage: unexpected('refreshStage'),
    refreshWarehouse: unexpected('refreshWarehouse'),
    reverify: unexpected('reverify'),
    abortVerification: unexpected('abortVerification'),
    updateFreightAlias: unexpected('updateFreightAlias'),
    getPromotionGates: async () => [],
    updateFreightMetadata: unexpected('updateFreightMetadata'),
    getFreightMetadataHistory: async () => [],
    listPromotionWindows: async () => ({ items: [], stages: {} }),
    createPromotionWindow: unexpected('createPromotionWindow'),
    deletePromotionWindow: unexpected('deletePromotionWindow'),
    getProjectSettings: unexpected('getProjectSettings'),
    changeRoleGrants: unexpected('changeRoleGrants'),
    setAutoPromotion: unexpected('setAutoPromotion'),
    updateWarehouse: unexpected('updateWarehouse'),
    assembleFreight: unexpected('assembleFreight'),
    saveRepoCredentials: unexpected('saveRepoCredentials'),
    deleteRepoCredentials: unexpected('deleteRepoCredentials'),
    listApprovalPolicies: async () => ({ items: [], stages: {} }),
    createApprovalPolicy: unexpected('createApprovalPolicy'),
    deleteApprovalPolicy: unexpected('deleteApprovalPolicy'),
    listApprovalRequests: unexpected('listApprovalRequests'),
    requestApproval: unexpected('requestApproval'),
    voteOnApprovalRequest: unexpected('voteOnApprovalRequest'),
    listLineStops: async () => [],
    startLineStop: unexpected('startLineStop'),
    endLineStop: unexpected('endLineStop'),
    ...overrides,
  };
}

/**
 * A project of `lines` freightlines of `length` stages each: warehouse-<l> feeds line-<l>-0,
 * which feeds line-<l>-1, and so on. The last stage of each freightline is Unhealthy.
 */
export function largeView(lines: number, length: number): KargoProjectView {
  const warehouses = Array.from({ length: lines }, (_, l) => ({
    name: `warehouse-${l}`,
    subscriptions: [],
    problems: [],
  }));
  const stages = warehouses.flatMap((w, l) =>
    Array.from({ length }, (_, i) =>
      stage(
        `line-${l}-${i}`,
        [[w.name, i ? { stages: [`line-${l}-${i - 1}`] } : { direct: true }]],
        i === length - 1 ? { health: 'Unhealthy' } : {},
      ),
    ),
  );
  return {
    ...shopView(),
    project: 'large',
    warehouses,
    stages,
    freight: [],
    freightTotal: {},
    promotions: [],
  };
}
