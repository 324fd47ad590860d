import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { PermissionsService } from '@backstage/backend-plugin-api';
import {
  KargoSimulator,
  ManualClock,
  RunningKargoSimulator,
  startKargoSimulator,
} from '@kargo-backstage/kargo-simulator';
import {
  KARGO_PORTAL_OWNERS_ANNOTATION,
  type Freight,
  type Stage,
} from '@kargo-backstage/plugin-kargo-common';
import { KargoInstances } from '@kargo-backstage/plugin-kargo-node';
import {
  actionContext,
  allowing,
  denying,
} from '../__testUtils__/actionContext';
import { createKargoFreightCreateAction } from './freightCreate';
import { createKargoProjectInitAction } from './projectInit';
import { createKargoResourcesApplyAction } from './resourcesApply';

let kargo: RunningKargoSimulator;
let sim: KargoSimulator;
let instances: KargoInstances;
let permissions: PermissionsService;
const events: Array<{ eventId: string; status: string; meta?: any }> = [];
const auditor = {
  async createEvent(options: any) {
    events.push({
      eventId: options.eventId,
      status: 'initiated',
      meta: options.meta,
    });
    return {
      success: async () =>
        void events.push({ eventId: options.eventId, status: 'succeeded' }),
      fail: async () =>
        void events.push({ eventId: options.eventId, status: 'failed' }),
    };
  },
};

/** The portal's token, and dana's own Kargo token for instances that forward it. */
const DANA_KARGO_TOKEN = 'dana-own-kargo-token';

function instancesFor(url: string, extra: Record<string, unknown> = {}) {
  return KargoInstances.fromConfig(
    new ConfigReader({
      kargo: {
        instances: [
          {
            name: 'sim',
            url,
            token: 'kargo-simulator-admin-token',
            uiUrl: 'https://kargo.example.com',
            ...extra,
          },
        ],
      },
    }),
    mockServices.logger.mock(),
  );
}

beforeEach(async () => {
  // kargo-demo is someone else's project; the tests create checkout.
  sim = new KargoSimulator({
    clock: new ManualClock(),
    projects: ['kargo-demo'],
  });
  kargo = await startKargoSimulator({
    simulator: sim,
    keepaliveMs: 60_000,
    tokens: [
      { token: 'kargo-simulator-admin-token', role: 'admin', actor: 'admin' },
      {
        token: DANA_KARGO_TOKEN,
        role: 'admin',
        actor: 'email:dana@example.com',
      },
    ],
  });
  instances = instancesFor(kargo.url);
  permissions = allowing();
  events.length = 0;
});
afterEach(() => kargo.close());

function context(input: Record<string, unknown>, isDryRun = false) {
  return actionContext(input, { isDryRun });
}

/** Everything Kargo has in a project, to compare before and after. */
const projectState = (project: string) => ({
  project: sim.store.get('Project', '', project),
  resources: (
    [
      'ProjectConfig',
      'Warehouse',
      'Stage',
      'AnalysisTemplate',
      'PromotionTask',
      'Freight',
    ] as const
  ).flatMap(kind =>
    sim.store
      .list<any>(kind, project)
      .map(o => [kind, o.metadata.name, o.metadata.resourceVersion, o.spec]),
  ),
  roles: sim.roles.list(project),
});

const spec = {
  instance: 'sim',
  project: 'checkout',
  gitRepo: 'https://github.com/example/checkout-deploy.git',
  warehouses: [
    {
      name: 'checkout',
      image: {
        repoURL: 'ghcr.io/example/checkout',
        semverConstraint: '^1.0.0',
      },
    },
  ],
  stages: [
    { name: 'test' },
    { name: 'uat', from: ['test'], verification: 'smoke-test' },
    {
      name: 'prod',
      from: ['uat'],
      pullRequest: true,
      argocdApp: 'checkout-${stage}',
    },
  ],
};

const mutations = () => kargo.requestLog.filter(r => !r.startsWith('GET '));

describe('kargo:project:init', () => {
  it('creates the project, promotion policies, warehouse and stages as Kargo has them', async () => {
    const action = createKargoProjectInitAction({
      instances,
      auditor,
      permissions,
    });
    const { ctx, outputs } = context(spec);
    await action.handler(ctx);
    expect(outputs).toEqual({
      project: 'checkout',
      url: 'https://kargo.example.com/project/checkout',
      annotations: {
        'kargo.akuity.io/project': 'checkout',
        'kargo.akuity.io/instance': 'sim',
      },
      resources: [
        'Project/checkout',
        'ProjectConfig/checkout',
        'Warehouse/checkout',
        'Stage/test',
        'Stage/uat',
        'Stage/prod',
      ],
    });
    expect(sim.store.get('Project', '', 'checkout')).toBeDefined();
    expect(
      sim.store.get<any>('ProjectConfig', 'checkout', 'checkout')!.spec
        .promotionPolicies,
    ).toEqual([
      { stageSelector: { name: 'test' }, autoPromotionEnabled: true },
      { stageSelector: { name: 'uat' }, autoPromotionEnabled: false },
      { stageSelector: { name: 'prod' }, autoPromotionEnabled: false },
    ]);
    expect(
      sim.store.get<any>('Warehouse', 'checkout', 'checkout')!.spec
        .subscriptions,
    ).toEqual([
      {
        image: {
          repoURL: 'ghcr.io/example/checkout',
          constraint: '^1.0.0',
          imageSelectionStrategy: 'SemVer',
          discoveryLimit: 20,
        },
      },
    ]);
    const prod = sim.store.get<Stage>('Stage', 'checkout', 'prod')!;
    expect(prod.spec.requestedFreight).toEqual([
      {
        origin: { kind: 'Warehouse', name: 'checkout' },
        sources: { stages: ['uat'] },
      },
    ]);
    expect(prod.spec.promotionTemplate!.spec!.steps!.map(s => s.uses)).toEqual([
      'git-clone',
      'kustomize-set-image',
      'kustomize-build',
      'git-commit',
      'git-push',
      'git-open-pr',
      'git-wait-for-pr',
      'argocd-update',
    ]);
    expect(
      (prod.spec.promotionTemplate!.spec!.steps!.at(-1)!.config as any).apps[0]
        .name,
    ).toBe('checkout-prod');
    expect(
      sim.store.get<Stage>('Stage', 'checkout', 'uat')!.spec.verification,
    ).toEqual({ analysisTemplates: [{ name: 'smoke-test' }] });
    expect(events.map(e => [e.eventId, e.status])).toEqual([
      ['kargo-project-init', 'initiated'],
      ['kargo-project-init', 'succeeded'],
    ]);
    expect(events[0].meta).toMatchObject({ initiator: 'user:default/dana' });
  });

  it('binds portal groups to the personas through Kargo roles, idempotently', async () => {
    const action = createKargoProjectInitAction({
      instances,
      auditor,
      permissions,
    });
    const input = {
      ...spec,
      roles: {
        promoter: ['group:default/checkout-team'],
        viewer: ['group:default/checkout-team', 'everyone'],
      },
    };
    await action.handler(context(input).ctx);
    await action.handler(context(input).ctx);
    const claims = (role: string) =>
      sim.roles.list('checkout').find(r => r.metadata.name === role)!.claims;
    expect(claims('kargo-promoter')).toEqual([
      { name: 'groups', values: ['checkout-team'] },
    ]);
    expect(claims('kargo-viewer')).toEqual([
      { name: 'groups', values: ['checkout-team', 'everyone'] },
    ]);
    expect(claims('kargo-admin')).toEqual([]);
  });

  it('is idempotent: a re-run leaves the same resources', async () => {
    const action = createKargoProjectInitAction({
      instances,
      auditor,
      permissions,
    });
    await action.handler(context(spec).ctx);
    const snapshot = () =>
      (['Stage', 'Warehouse', 'ProjectConfig'] as const).flatMap(kind =>
        sim.store
          .list<any>(kind, 'checkout')
          .map(o => [kind, o.metadata.name, o.spec]),
      );
    const first = snapshot();
    await action.handler(context(spec).ctx);
    expect(snapshot()).toEqual(first);
    expect(sim.store.list('Project')).toHaveLength(2);
  });

  it('dry-run creates nothing and still says what it would do', async () => {
    const action = createKargoProjectInitAction({
      instances,
      auditor,
      permissions,
    });
    const { ctx, outputs } = context(spec, true);
    await action.handler(ctx);
    expect(outputs.resources).toHaveLength(6);
    expect(mutations()).toEqual([]);
    expect(sim.store.get('Project', '', 'checkout')).toBeUndefined();
  });

  it('refuses an inconsistent spec with a clear error, creating nothing', async () => {
    const action = createKargoProjectInitAction({
      instances,
      auditor,
      permissions,
    });
    const { ctx } = context({
      ...spec,
      stages: [
        { name: 'uat', from: ['test'] },
        { name: 'test', warehouses: ['nope'] },
      ],
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      'Invalid Kargo project: stage uat takes freight from test, which must come before it; stage test names unknown warehouse nope',
    );
    expect(mutations()).toEqual([]);
  });
});

describe('kargo:resources:apply', () => {
  it('creates and updates manifests in the project, refusing other namespaces', async () => {
    await createKargoProjectInitAction({
      instances,
      auditor,
      permissions,
    }).handler(context(spec).ctx);
    const action = createKargoResourcesApplyAction({
      instances,
      auditor,
      permissions,
    });
    const manifests = `apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: smoke-test
spec:
  metrics: []
`;
    const { ctx, outputs } = context({ project: 'checkout', manifests });
    await action.handler(ctx);
    expect(outputs.resources).toEqual(['AnalysisTemplate/smoke-test']);
    expect(
      sim.store.get('AnalysisTemplate', 'checkout', 'smoke-test'),
    ).toBeDefined();
    await action.handler(context({ project: 'checkout', manifests }).ctx);

    await expect(
      action.handler(
        context({
          project: 'checkout',
          manifests:
            'apiVersion: kargo.akuity.io/v1alpha1\nkind: Stage\nmetadata: { name: x, namespace: other }',
        }).ctx,
      ),
    ).rejects.toThrow(
      'document 1 (Stage/x) is for namespace other, not project checkout',
    );
    await expect(
      action.handler(
        context({ project: 'checkout', manifests: 'kind: [' }).ctx,
      ),
    ).rejects.toThrow(/manifests are not YAML/);
  });
});

describe('kargo:freight:create', () => {
  it('creates promotable freight for an image no warehouse subscribes to', async () => {
    await createKargoProjectInitAction({
      instances,
      auditor,
      permissions,
    }).handler(context(spec).ctx);
    const action = createKargoFreightCreateAction({
      instances,
      auditor,
      permissions,
    });
    const { ctx, outputs } = context({
      project: 'checkout',
      warehouse: 'image-writeback',
      image: {
        repoURL: 'ghcr.io/example/checkout-hotfix',
        tag: '1.4.2-hotfix.1',
      },
    });
    await action.handler(ctx);
    const freight = sim.store.get<Freight>(
      'Freight',
      'checkout',
      outputs.freight as string,
    )!;
    expect(freight.origin).toEqual({
      kind: 'Warehouse',
      name: 'image-writeback',
    });
    expect(freight.images).toEqual([
      { repoURL: 'ghcr.io/example/checkout-hotfix', tag: '1.4.2-hotfix.1' },
    ]);
    expect(outputs.alias).toBe(freight.alias);
    expect(
      sim.store.get<any>('Warehouse', 'checkout', 'image-writeback')!.spec,
    ).toMatchObject({
      freightCreationPolicy: 'Manual',
      subscriptions: [
        { image: { repoURL: 'ghcr.io/example/checkout-hotfix' } },
      ],
    });
    // A stage that takes the writeback warehouse can promote it.
    await createKargoResourcesApplyAction({
      instances,
      auditor,
      permissions,
    }).handler(
      context({
        project: 'checkout',
        manifests: JSON.stringify({
          apiVersion: 'kargo.akuity.io/v1alpha1',
          kind: 'Stage',
          metadata: { name: 'hotfix' },
          spec: {
            requestedFreight: [
              {
                origin: { kind: 'Warehouse', name: 'image-writeback' },
                sources: { direct: true },
              },
            ],
            promotionTemplate: {
              spec: { steps: [{ uses: 'git-clone', config: {} }] },
            },
          },
        }),
      }).ctx,
    );
    const promotion = sim.promote(
      'checkout',
      'hotfix',
      { freight: outputs.freight as string },
      'admin',
    );
    expect(promotion.spec.freight).toBe(outputs.freight);
  });

  it('refuses freight in a project that does not exist, clearly', async () => {
    const action = createKargoFreightCreateAction({
      instances,
      auditor,
      permissions,
    });
    await expect(
      action.handler(
        context({
          project: 'nowhere',
          warehouse: 'image-writeback',
          image: { repoURL: 'ghcr.io/x/y', tag: '1' },
        }).ctx,
      ),
    ).rejects.toThrow(/Kargo instance "sim"/);
  });
});

describe('kargo:project:init acts for the user who runs it', () => {
  const takeover = {
    ...spec,
    project: 'kargo-demo',
    warehouses: [{ name: 'guestbook', image: { repoURL: 'ghcr.io/evil/x' } }],
    stages: [{ name: 'test' }, { name: 'prod', from: ['test'] }],
    roles: { admin: ['group:default/dev-team'] },
  };

  it("refuses an ordinary user an existing project and changes nothing in it (the template's takeover)", async () => {
    permissions = denying({
      permission: 'kargo.project.manage',
      resourceRef: 'sim/kargo-demo',
    });
    const action = createKargoProjectInitAction({
      instances,
      auditor,
      permissions,
    });
    const before = projectState('kargo-demo');
    await expect(
      action.handler(actionContext(takeover, { user: 'user:default/dev' }).ctx),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'kargo.project.manage on sim/kargo-demo',
      ),
    });
    expect(projectState('kargo-demo')).toEqual(before);
    expect(mutations()).toEqual([]);
    // The attempt is audited, as the user's, and failed.
    expect(events.map(e => [e.eventId, e.status])).toEqual([
      ['kargo-project-init', 'initiated'],
      ['kargo-project-init', 'failed'],
    ]);
    expect(events[0].meta).toMatchObject({ initiator: 'user:default/dev' });
  });

  it('says in a dry run that it would be refused, changing nothing', async () => {
    permissions = denying({
      permission: 'kargo.project.manage',
      resourceRef: 'sim/kargo-demo',
    });
    const action = createKargoProjectInitAction({
      instances,
      auditor,
      permissions,
    });
    await expect(
      action.handler(
        actionContext(takeover, { user: 'user:default/dev', isDryRun: true })
          .ctx,
      ),
    ).rejects.toThrow(/Not allowed: kargo.project.manage on sim\/kargo-demo/);
    expect(mutations()).toEqual([]);
  });

  it('needs kargo.stage.manage on the stages an update governs, and kargo.project.admin.grant to grant kargo-admin', async () => {
    permissions = denying(
      { permission: 'kargo.stage.manage', resourceRef: 'sim/kargo-demo/prod' },
      { permission: 'kargo.project.admin.grant' },
    );
    const action = createKargoProjectInitAction({
      instances,
      auditor,
      permissions,
    });
    const before = projectState('kargo-demo');
    await expect(
      action.handler(actionContext(takeover, { user: 'user:default/dev' }).ctx),
    ).rejects.toThrow(
      'Not allowed: kargo.stage.manage on sim/kargo-demo/prod; kargo.project.admin.grant on sim/kargo-demo',
    );
    expect(projectState('kargo-demo')).toEqual(before);
    // The promotion policies govern every stage, the project's and the spec's.
    expect(
      (permissions as any).seen
        .filter((r: any) => r.permission === 'kargo.stage.manage')
        .map((r: any) => r.resourceRef),
    ).toEqual([
      'sim/kargo-demo/prod',
      'sim/kargo-demo/test',
      'sim/kargo-demo/uat',
    ]);
  });

  it('creates a new project for a user allowed to create, naming the user and the owner as its portal owners', async () => {
    permissions = denying({ permission: 'kargo.project.manage' });
    const action = createKargoProjectInitAction({
      instances,
      auditor,
      permissions,
    });
    await action.handler(
      actionContext(
        { ...spec, owner: 'group:default/checkout-team' },
        { user: 'user:default/dev' },
      ).ctx,
    );
    const project = sim.store.get<any>('Project', '', 'checkout')!;
    expect(project.metadata.annotations[KARGO_PORTAL_OWNERS_ANNOTATION]).toBe(
      'user:default/dev,group:default/checkout-team',
    );
    expect(sim.store.list('Stage', 'checkout')).toHaveLength(3);
    expect((permissions as any).seen).toEqual([
      { permission: 'kargo.project.create', user: 'user:default/dev' },
    ]);
  });

  it('reads a short owner as a group of the default namespace, and refuses what is no entity ref', async () => {
    const action = createKargoProjectInitAction({
      instances,
      auditor,
      permissions,
    });
    await expect(
      action.handler(context({ ...spec, owner: 'a, b' }).ctx),
    ).rejects.toThrow(/owner must be an entity ref/);
    expect(mutations()).toEqual([]);
    await action.handler(context({ ...spec, owner: 'Checkout-Team' }).ctx);
    expect(
      sim.store.get<any>('Project', '', 'checkout')!.metadata.annotations[
        KARGO_PORTAL_OWNERS_ANNOTATION
      ],
    ).toBe('user:default/dana,group:default/checkout-team');
  });

  it('refuses a new project to a user without kargo.project.create, creating nothing', async () => {
    permissions = denying({ permission: 'kargo.project.create' });
    const action = createKargoProjectInitAction({
      instances,
      auditor,
      permissions,
    });
    await expect(action.handler(context(spec).ctx)).rejects.toThrow(
      /^Not allowed: kargo.project.create$/,
    );
    expect(mutations()).toEqual([]);
    expect(sim.store.get('Project', '', 'checkout')).toBeUndefined();
  });

  it('does not take over a project someone else creates while it runs', async () => {
    // The project appears between the check that it is new and its creation.
    const allowed = allowing();
    permissions = {
      ...allowed,
      authorize: async (...args: Parameters<typeof allowed.authorize>) => {
        sim.createResource({
          apiVersion: 'kargo.akuity.io/v1alpha1',
          kind: 'Project',
          metadata: { name: 'checkout' },
        });
        return allowed.authorize(...args);
      },
    };
    const action = createKargoProjectInitAction({
      instances,
      auditor,
      permissions,
    });
    await expect(action.handler(context(spec).ctx)).rejects.toThrow(
      'Kargo project checkout was created by someone else while the template ran; nothing was changed',
    );
    expect(sim.store.list('Stage', 'checkout')).toEqual([]);
    expect(
      sim.store.get<any>('Project', '', 'checkout')!.metadata.annotations?.[
        KARGO_PORTAL_OWNERS_ANNOTATION
      ],
    ).toBeUndefined();
  });

  it('keeps the owners Kargo has when it updates an existing project', async () => {
    const action = createKargoProjectInitAction({
      instances,
      auditor,
      permissions,
    });
    await action.handler(
      context({ ...spec, owner: 'group:default/checkout-team' }).ctx,
    );
    const owners = () =>
      sim.store.get<any>('Project', '', 'checkout')!.metadata.annotations;
    const first = owners();
    await action.handler(
      actionContext(
        { ...spec, owner: 'group:default/someone-else' },
        { user: 'user:default/erin' },
      ).ctx,
    );
    expect(owners()).toEqual(first);
    expect(first[KARGO_PORTAL_OWNERS_ANNOTATION]).toBe(
      'user:default/dana,group:default/checkout-team',
    );
    // The second run needed manage on the project it found, not create.
    expect((permissions as any).seen.map((r: any) => r.permission)).toEqual(
      expect.arrayContaining(['kargo.project.create', 'kargo.project.manage']),
    );
  });

  it("acts with the user's own Kargo token where the instance forwards it, and fails without one", async () => {
    instances = instancesFor(kargo.url, { forwardUserToken: true });
    const action = createKargoProjectInitAction({
      instances,
      auditor,
      permissions,
    });
    await expect(action.handler(context(spec).ctx)).rejects.toThrow(
      /acts with the user's own Kargo token .*no secret "kargoToken"/,
    );
    expect(mutations()).toEqual([]);
    const run = actionContext(spec, {
      secrets: { kargoToken: DANA_KARGO_TOKEN },
    });
    await action.handler(run.ctx);
    expect(
      sim.store.get<any>('Project', '', 'checkout')!.metadata.annotations[
        'kargo.akuity.io/create-actor'
      ],
    ).toBe('email:dana@example.com');
    expect(
      JSON.stringify([run.outputs, run.logger.info.mock.calls, events]),
    ).not.toContain(DANA_KARGO_TOKEN);
  });
});

describe('kargo:resources:apply acts for the user who runs it', () => {
  const stage = (name: string, extra = '') =>
    `apiVersion: kargo.akuity.io/v1alpha1
kind: Stage
metadata:
  name: ${name}${extra}
spec:
  requestedFreight:
    - origin: { kind: Warehouse, name: guestbook }
      sources: { direct: true }
  promotionTemplate:
    spec:
      steps: [{ uses: git-clone, config: {} }]
`;
  const apply = (manifests: string, project = 'kargo-demo') =>
    createKargoResourcesApplyAction({
      instances,
      auditor,
      permissions,
    }).handler(context({ project, manifests }).ctx);

  it.each([
    [
      'a Secret',
      'apiVersion: v1\nkind: Secret\nmetadata: { name: git-creds }\nstringData: { password: x }',
      'document 2 (Secret/git-creds): kind v1 Secret cannot be applied',
    ],
    [
      'a Project',
      'apiVersion: kargo.akuity.io/v1alpha1\nkind: Project\nmetadata: { name: kargo-demo }',
      'document 2 (Project/kargo-demo): kind kargo.akuity.io/v1alpha1 Project cannot be applied',
    ],
    [
      'a RoleBinding',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: { name: admins }\nroleRef: { kind: ClusterRole, name: cluster-admin }',
      'document 2 (RoleBinding/admins): kind rbac.authorization.k8s.io/v1 RoleBinding cannot be applied',
    ],
    [
      'a ServiceAccount',
      'apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: robot }',
      'document 2 (ServiceAccount/robot): kind v1 ServiceAccount cannot be applied',
    ],
    [
      'a ClusterPromotionTask',
      'apiVersion: kargo.akuity.io/v1alpha1\nkind: ClusterPromotionTask\nmetadata: { name: everywhere }',
      'document 2 (ClusterPromotionTask/everywhere): kind kargo.akuity.io/v1alpha1 ClusterPromotionTask cannot be applied',
    ],
    [
      'a Stage of another namespace',
      stage('elsewhere', '\n  namespace: microservices'),
      'document 2 (Stage/elsewhere) is for namespace microservices, not project kargo-demo',
    ],
    [
      'a Stage without apiVersion',
      'kind: Stage\nmetadata: { name: loose }',
      'document 2 (Stage/loose): kind (no apiVersion) Stage cannot be applied',
    ],
  ])(
    'refuses %s, applying nothing of the manifest it is in',
    async (_what, bad, message) => {
      const before = projectState('kargo-demo');
      await expect(
        apply(`${stage('hotfix')}---\n${bad}\n---\n${stage('canary')}`),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(message),
      });
      expect(mutations()).toEqual([]);
      expect(projectState('kargo-demo')).toEqual(before);
      expect(sim.store.get('Stage', 'kargo-demo', 'hotfix')).toBeUndefined();
    },
  );

  it('needs kargo.project.manage on the project', async () => {
    permissions = denying({
      permission: 'kargo.project.manage',
      resourceRef: 'sim/kargo-demo',
    });
    await expect(apply(stage('hotfix'))).rejects.toThrow(
      'Not allowed: kargo.project.manage on sim/kargo-demo',
    );
    expect(mutations()).toEqual([]);
    expect(events.map(e => e.status)).toEqual(['initiated', 'failed']);
  });

  it('needs kargo.stage.manage on every stage the manifests govern', async () => {
    permissions = denying({
      permission: 'kargo.stage.manage',
      resourceRef: 'sim/kargo-demo/prod',
    });
    // The warehouse feeds prod, and so does a stage of that name.
    await expect(
      apply(
        'apiVersion: kargo.akuity.io/v1alpha1\nkind: Warehouse\nmetadata: { name: guestbook }\nspec: { subscriptions: [{ image: { repoURL: ghcr.io/akuity/guestbook } }] }',
      ),
    ).rejects.toThrow('Not allowed: kargo.stage.manage on sim/kargo-demo/prod');
    await expect(apply(stage('prod'))).rejects.toThrow(
      'kargo.stage.manage on sim/kargo-demo/prod',
    );
    expect(mutations()).toEqual([]);
    // The smoke test verifies uat only: prod's guard does not apply.
    await apply(
      'apiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\nmetadata: { name: smoke-test }\nspec: { metrics: [] }',
    );
    expect(
      sim.store.get<any>('AnalysisTemplate', 'kargo-demo', 'smoke-test')!.spec,
    ).toEqual({ metrics: [] });
  });

  it('applies only in a project that exists', async () => {
    await expect(apply(stage('hotfix'), 'nowhere')).rejects.toThrow(
      'Kargo instance "sim" has no project "nowhere"',
    );
    expect(mutations()).toEqual([]);
  });

  it('refuses in a dry run what the real run would be refused, changing nothing', async () => {
    permissions = denying({ permission: 'kargo.project.manage' });
    await expect(
      createKargoResourcesApplyAction({
        instances,
        auditor,
        permissions,
      }).handler(
        context({ project: 'kargo-demo', manifests: stage('hotfix') }, true)
          .ctx,
      ),
    ).rejects.toThrow('Not allowed: kargo.project.manage on sim/kargo-demo');
    expect(mutations()).toEqual([]);
  });

  it('fails without the user token secret where the instance forwards it', async () => {
    instances = instancesFor(kargo.url, { forwardUserToken: true });
    await expect(apply(stage('hotfix'))).rejects.toThrow(
      /no secret "kargoToken"/,
    );
    expect(mutations()).toEqual([]);
  });
});

describe('kargo:freight:create acts for the user who runs it', () => {
  const input = {
    project: 'kargo-demo',
    warehouse: 'image-writeback',
    image: { repoURL: 'ghcr.io/example/hotfix', tag: '1.0.1' },
  };

  it('needs kargo.project.manage on the project', async () => {
    permissions = denying({ permission: 'kargo.project.manage' });
    const before = projectState('kargo-demo');
    await expect(
      createKargoFreightCreateAction({
        instances,
        auditor,
        permissions,
      }).handler(context(input).ctx),
    ).rejects.toThrow('Not allowed: kargo.project.manage on sim/kargo-demo');
    expect(mutations()).toEqual([]);
    expect(projectState('kargo-demo')).toEqual(before);
  });

  it('needs kargo.stage.manage on the stages the warehouse feeds, also when the warehouse stays as it is', async () => {
    // A hotfix warehouse that already follows the image, feeding a production stage.
    sim.applyManifests(`
apiVersion: kargo.akuity.io/v1alpha1
kind: Warehouse
metadata: { name: image-writeback, namespace: kargo-demo }
spec:
  freightCreationPolicy: Manual
  subscriptions:
    - image: { repoURL: ghcr.io/example/hotfix }
---
apiVersion: kargo.akuity.io/v1alpha1
kind: Stage
metadata: { name: prod-hotfix, namespace: kargo-demo }
spec:
  requestedFreight:
    - origin: { kind: Warehouse, name: image-writeback }
      sources: { direct: true }
  promotionTemplate:
    spec:
      steps:
        - uses: git-clone
          config:
            repoURL: https://github.com/example/guestbook-deploy.git
            checkout: [{ branch: main, path: ./src }]
`);
    permissions = denying({
      permission: 'kargo.stage.manage',
      resourceRef: 'sim/kargo-demo/prod-hotfix',
    });
    const before = projectState('kargo-demo');
    await expect(
      createKargoFreightCreateAction({
        instances,
        auditor,
        permissions,
      }).handler(context(input).ctx),
    ).rejects.toThrow(
      'Not allowed: kargo.stage.manage on sim/kargo-demo/prod-hotfix',
    );
    expect(mutations()).toEqual([]);
    expect(projectState('kargo-demo')).toEqual(before);
  });

  it('does not turn a warehouse that creates freight automatically into a manual one', async () => {
    const before = projectState('kargo-demo');
    await expect(
      createKargoFreightCreateAction({
        instances,
        auditor,
        permissions,
      }).handler(context({ ...input, warehouse: 'guestbook' }).ctx),
    ).rejects.toThrow(/Warehouse "guestbook" .* creates freight automatically/);
    expect(mutations()).toEqual([]);
    expect(projectState('kargo-demo')).toEqual(before);
  });

  it('fails without the user token secret where the instance forwards it', async () => {
    instances = instancesFor(kargo.url, { forwardUserToken: true });
    await expect(
      createKargoFreightCreateAction({
        instances,
        auditor,
        permissions,
      }).handler(context(input).ctx),
    ).rejects.toThrow(/no secret "kargoToken"/);
    expect(mutations()).toEqual([]);
  });
});
