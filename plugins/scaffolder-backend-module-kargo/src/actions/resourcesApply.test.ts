import { context, kargoActionTest, runExample } from '../__testUtils__';
import { createKargoProjectInitAction } from './projectInit';
import { createKargoResourcesApplyAction } from './resourcesApply';

const t = kargoActionTest();

describe('kargo:resources:apply', () => {
  it('creates and updates manifests in the project, refusing other namespaces', async () => {
    await t.initCheckout();
    const action = createKargoResourcesApplyAction(t);
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
      t.sim.store.get('AnalysisTemplate', 'checkout', 'smoke-test'),
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
    createKargoResourcesApplyAction(t).handler(
      context({ project, manifests }).ctx,
    );

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
      const before = t.projectState('kargo-demo');
      await expect(
        apply(`${stage('hotfix')}---\n${bad}\n---\n${stage('canary')}`),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(message),
      });
      expect(t.mutations()).toEqual([]);
      expect(t.projectState('kargo-demo')).toEqual(before);
      expect(t.sim.store.get('Stage', 'kargo-demo', 'hotfix')).toBeUndefined();
    },
  );

  it('needs kargo.project.manage on the project', async () => {
    t.deny({
      permission: 'kargo.project.manage',
      resourceRef: 'sim/kargo-demo',
    });
    await expect(apply(stage('hotfix'))).rejects.toThrow(
      'Not allowed: kargo.project.manage on sim/kargo-demo',
    );
    expect(t.mutations()).toEqual([]);
    expect(t.events.map(e => e.status)).toEqual(['initiated', 'failed']);
  });

  it('needs kargo.stage.manage on every stage the manifests govern', async () => {
    t.deny({
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
    expect(t.mutations()).toEqual([]);
    // The smoke test verifies uat only: prod's guard does not apply.
    await apply(
      'apiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\nmetadata: { name: smoke-test }\nspec: { metrics: [] }',
    );
    expect(
      t.sim.store.get<any>('AnalysisTemplate', 'kargo-demo', 'smoke-test')!
        .spec,
    ).toEqual({ metrics: [] });
  });

  it('applies only in a project that exists', async () => {
    await expect(apply(stage('hotfix'), 'nowhere')).rejects.toThrow(
      'Kargo instance "sim" has no project "nowhere"',
    );
    expect(t.mutations()).toEqual([]);
  });

  it('refuses in a dry run what the real run would be refused, changing nothing', async () => {
    t.deny({ permission: 'kargo.project.manage' });
    await expect(
      createKargoResourcesApplyAction(t).handler(
        context({ project: 'kargo-demo', manifests: stage('hotfix') }, true)
          .ctx,
      ),
    ).rejects.toThrow('Not allowed: kargo.project.manage on sim/kargo-demo');
    expect(t.mutations()).toEqual([]);
  });

  it('fails without the user token secret where the instance forwards it', async () => {
    t.configureInstance({ forwardUserToken: true });
    await expect(apply(stage('hotfix'))).rejects.toThrow(
      /no secret "kargoToken"/,
    );
    expect(t.mutations()).toEqual([]);
  });
});

describe('kargo:resources:apply example', () => {
  it("applies its manifest to the project kargo:project:init's example creates", async () => {
    await runExample(createKargoProjectInitAction(t));
    const action = createKargoResourcesApplyAction(t);
    expect(action.examples).toHaveLength(1); // another example needs its test here
    const [outputs] = await runExample(action);
    expect(outputs).toEqual({ resources: ['AnalysisTemplate/smoke-test'] });
    expect(
      t.sim.store.get<any>('AnalysisTemplate', 'checkout', 'smoke-test')!.spec,
    ).toEqual({ metrics: [] });
  });
});
