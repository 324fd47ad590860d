import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  KargoSimulator,
  ManualClock,
  RunningKargoSimulator,
  startKargoSimulator,
} from '@kargo-backstage/kargo-simulator';
import type { Freight, Stage } from '@kargo-backstage/plugin-kargo-common';
import { KargoInstances } from '@kargo-backstage/plugin-kargo-node';
import { createKargoFreightCreateAction } from './freightCreate';
import { createKargoProjectInitAction } from './projectInit';
import { createKargoResourcesApplyAction } from './resourcesApply';

let kargo: RunningKargoSimulator;
let sim: KargoSimulator;
let instances: KargoInstances;
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

beforeEach(async () => {
  sim = new KargoSimulator({ clock: new ManualClock(), projects: [] });
  kargo = await startKargoSimulator({ simulator: sim, keepaliveMs: 60_000 });
  instances = KargoInstances.fromConfig(
    new ConfigReader({
      kargo: {
        instances: [
          {
            name: 'sim',
            url: kargo.url,
            token: 'kargo-simulator-admin-token',
            uiUrl: 'https://kargo.example.com',
          },
        ],
      },
    }),
    mockServices.logger.mock(),
  );
  events.length = 0;
});
afterEach(() => kargo.close());

function context(input: Record<string, unknown>, isDryRun = false) {
  const outputs: Record<string, unknown> = {};
  return {
    outputs,
    ctx: {
      input,
      isDryRun,
      output: (name: string, value: unknown) => {
        outputs[name] = value;
      },
      logger: mockServices.logger.mock(),
      workspacePath: '/tmp',
      task: { id: 'task-1' },
      createTemporaryDirectory: async () => '/tmp',
      checkpoint: async ({ fn }: { fn: () => unknown }) => fn(),
      getInitiatorCredentials: async () =>
        mockCredentials.user('user:default/dana'),
    } as any,
  };
}

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
    const action = createKargoProjectInitAction({ instances, auditor });
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
    const action = createKargoProjectInitAction({ instances, auditor });
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
    const action = createKargoProjectInitAction({ instances, auditor });
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
    expect(sim.store.list('Project')).toHaveLength(1);
  });

  it('dry-run creates nothing and still says what it would do', async () => {
    const action = createKargoProjectInitAction({ instances, auditor });
    const { ctx, outputs } = context(spec, true);
    await action.handler(ctx);
    expect(outputs.resources).toHaveLength(6);
    expect(mutations()).toEqual([]);
    expect(sim.store.list('Project')).toEqual([]);
  });

  it('refuses an inconsistent spec with a clear error, creating nothing', async () => {
    const action = createKargoProjectInitAction({ instances, auditor });
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
    await createKargoProjectInitAction({ instances, auditor }).handler(
      context(spec).ctx,
    );
    const action = createKargoResourcesApplyAction({ instances, auditor });
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
          manifests: 'kind: Stage\nmetadata: { name: x, namespace: other }',
        }).ctx,
      ),
    ).rejects.toThrow('Stage/x is for namespace other, not project checkout');
    await expect(
      action.handler(
        context({ project: 'checkout', manifests: 'kind: [' }).ctx,
      ),
    ).rejects.toThrow(/manifests are not YAML/);
  });
});

describe('kargo:freight:create', () => {
  it('creates promotable freight for an image no warehouse subscribes to', async () => {
    await createKargoProjectInitAction({ instances, auditor }).handler(
      context(spec).ctx,
    );
    const action = createKargoFreightCreateAction({ instances, auditor });
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
    await createKargoResourcesApplyAction({ instances, auditor }).handler(
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
    const action = createKargoFreightCreateAction({ instances, auditor });
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
