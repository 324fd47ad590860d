import {
  KARGO_PORTAL_OWNERS_ANNOTATION,
  type Stage,
} from '@kargo-backstage/plugin-kargo-common';
import {
  actionContext,
  allowing,
  checkoutSpec,
  context,
  DANA_KARGO_TOKEN,
  kargoActionTest,
  runExample,
} from '../__testUtils__';
import { createKargoProjectInitAction } from './projectInit';

const t = kargoActionTest();

/** What kargo:project:init reports it applied for checkoutSpec. */
const CHECKOUT_RESOURCES = [
  'Project/checkout',
  'ProjectConfig/checkout',
  'Warehouse/checkout',
  'Stage/test',
  'Stage/uat',
  'Stage/prod',
];

describe('kargo:project:init', () => {
  it('creates the project, promotion policies, warehouse and stages as Kargo has them', async () => {
    const action = createKargoProjectInitAction(t);
    const { ctx, outputs } = context(checkoutSpec);
    await action.handler(ctx);
    expect(outputs).toEqual({
      project: 'checkout',
      url: 'https://kargo.example.com/project/checkout',
      annotations: {
        'kargo.akuity.io/project': 'checkout',
        'kargo.akuity.io/instance': 'sim',
      },
      resources: CHECKOUT_RESOURCES,
    });
    expect(t.sim.store.get('Project', '', 'checkout')).toBeDefined();
    expect(
      t.sim.store.get<any>('ProjectConfig', 'checkout', 'checkout')!.spec
        .promotionPolicies,
    ).toEqual([
      { stageSelector: { name: 'test' }, autoPromotionEnabled: true },
      { stageSelector: { name: 'uat' }, autoPromotionEnabled: false },
      { stageSelector: { name: 'prod' }, autoPromotionEnabled: false },
    ]);
    expect(
      t.sim.store.get<any>('Warehouse', 'checkout', 'checkout')!.spec
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
    const prod = t.sim.store.get<Stage>('Stage', 'checkout', 'prod')!;
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
      t.sim.store.get<Stage>('Stage', 'checkout', 'uat')!.spec.verification,
    ).toEqual({ analysisTemplates: [{ name: 'smoke-test' }] });
    expect(t.events.map(e => [e.eventId, e.status])).toEqual([
      ['kargo-project-init', 'initiated'],
      ['kargo-project-init', 'succeeded'],
    ]);
    expect(t.events[0].meta).toMatchObject({ initiator: 'user:default/dana' });
  });

  it('binds portal groups to the personas through Kargo roles, idempotently', async () => {
    const action = createKargoProjectInitAction(t);
    const input = {
      ...checkoutSpec,
      roles: {
        promoter: ['group:default/checkout-team'],
        viewer: ['group:default/checkout-team', 'everyone'],
      },
    };
    await action.handler(context(input).ctx);
    await action.handler(context(input).ctx);
    const claims = (role: string) =>
      t.sim.roles.list('checkout').find(r => r.metadata.name === role)!.claims;
    expect(claims('kargo-promoter')).toEqual([
      { name: 'groups', values: ['checkout-team'] },
    ]);
    expect(claims('kargo-viewer')).toEqual([
      { name: 'groups', values: ['checkout-team', 'everyone'] },
    ]);
    expect(claims('kargo-admin')).toEqual([]);
  });

  it('is idempotent: a re-run leaves the same resources', async () => {
    const action = createKargoProjectInitAction(t);
    await action.handler(context(checkoutSpec).ctx);
    const snapshot = () =>
      (['Stage', 'Warehouse', 'ProjectConfig'] as const).flatMap(kind =>
        t.sim.store
          .list<any>(kind, 'checkout')
          .map(o => [kind, o.metadata.name, o.spec]),
      );
    const first = snapshot();
    await action.handler(context(checkoutSpec).ctx);
    expect(snapshot()).toEqual(first);
    expect(t.sim.store.list('Project')).toHaveLength(2);
  });

  it('dry-run creates nothing and still says what it would do', async () => {
    const action = createKargoProjectInitAction(t);
    const { ctx, outputs } = context(checkoutSpec, true);
    await action.handler(ctx);
    expect(outputs.resources).toHaveLength(6);
    expect(t.mutations()).toEqual([]);
    expect(t.sim.store.get('Project', '', 'checkout')).toBeUndefined();
  });

  it('refuses an inconsistent spec with a clear error, creating nothing', async () => {
    const action = createKargoProjectInitAction(t);
    const { ctx } = context({
      ...checkoutSpec,
      stages: [
        { name: 'uat', from: ['test'] },
        { name: 'test', warehouses: ['nope'] },
      ],
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      'Invalid Kargo project: stage uat takes freight from test, which must come before it; stage test names unknown warehouse nope',
    );
    expect(t.mutations()).toEqual([]);
  });
});

describe('kargo:project:init acts for the user who runs it', () => {
  const takeover = {
    ...checkoutSpec,
    project: 'kargo-demo',
    warehouses: [{ name: 'guestbook', image: { repoURL: 'ghcr.io/evil/x' } }],
    stages: [{ name: 'test' }, { name: 'prod', from: ['test'] }],
    roles: { admin: ['group:default/dev-team'] },
  };

  it("refuses an ordinary user an existing project and changes nothing in it (the template's takeover)", async () => {
    t.deny({
      permission: 'kargo.project.manage',
      resourceRef: 'sim/kargo-demo',
    });
    const action = createKargoProjectInitAction(t);
    const before = t.projectState('kargo-demo');
    await expect(
      action.handler(actionContext(takeover, { user: 'user:default/dev' }).ctx),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'kargo.project.manage on sim/kargo-demo',
      ),
    });
    expect(t.projectState('kargo-demo')).toEqual(before);
    expect(t.mutations()).toEqual([]);
    // The attempt is audited, as the user's, and failed.
    expect(t.events.map(e => [e.eventId, e.status])).toEqual([
      ['kargo-project-init', 'initiated'],
      ['kargo-project-init', 'failed'],
    ]);
    expect(t.events[0].meta).toMatchObject({ initiator: 'user:default/dev' });
  });

  it('says in a dry run that it would be refused, changing nothing', async () => {
    t.deny({
      permission: 'kargo.project.manage',
      resourceRef: 'sim/kargo-demo',
    });
    const action = createKargoProjectInitAction(t);
    await expect(
      action.handler(
        actionContext(takeover, { user: 'user:default/dev', isDryRun: true })
          .ctx,
      ),
    ).rejects.toThrow(/Not allowed: kargo.project.manage on sim\/kargo-demo/);
    expect(t.mutations()).toEqual([]);
  });

  it('needs kargo.stage.manage on the stages an update governs, and kargo.project.admin.grant to grant kargo-admin', async () => {
    t.deny(
      { permission: 'kargo.stage.manage', resourceRef: 'sim/kargo-demo/prod' },
      { permission: 'kargo.project.admin.grant' },
    );
    const action = createKargoProjectInitAction(t);
    const before = t.projectState('kargo-demo');
    await expect(
      action.handler(actionContext(takeover, { user: 'user:default/dev' }).ctx),
    ).rejects.toThrow(
      'Not allowed: kargo.stage.manage on sim/kargo-demo/prod; kargo.project.admin.grant on sim/kargo-demo',
    );
    expect(t.projectState('kargo-demo')).toEqual(before);
    // The promotion policies govern every stage, the project's and the spec's.
    expect(
      (t.permissions as any).seen
        .filter((r: any) => r.permission === 'kargo.stage.manage')
        .map((r: any) => r.resourceRef),
    ).toEqual([
      'sim/kargo-demo/prod',
      'sim/kargo-demo/test',
      'sim/kargo-demo/uat',
    ]);
  });

  it('creates a new project for a user allowed to create, naming the user and the owner as its portal owners', async () => {
    t.deny({ permission: 'kargo.project.manage' });
    const action = createKargoProjectInitAction(t);
    await action.handler(
      actionContext(
        { ...checkoutSpec, owner: 'group:default/checkout-team' },
        { user: 'user:default/dev' },
      ).ctx,
    );
    const project = t.sim.store.get<any>('Project', '', 'checkout')!;
    expect(project.metadata.annotations[KARGO_PORTAL_OWNERS_ANNOTATION]).toBe(
      'user:default/dev,group:default/checkout-team',
    );
    expect(t.sim.store.list('Stage', 'checkout')).toHaveLength(3);
    expect((t.permissions as any).seen).toEqual([
      { permission: 'kargo.project.create', user: 'user:default/dev' },
    ]);
  });

  it('reads a short owner as a group of the default namespace, and refuses what is no entity ref', async () => {
    const action = createKargoProjectInitAction(t);
    await expect(
      action.handler(context({ ...checkoutSpec, owner: 'a, b' }).ctx),
    ).rejects.toThrow(/owner must be an entity ref/);
    expect(t.mutations()).toEqual([]);
    await action.handler(
      context({ ...checkoutSpec, owner: 'Checkout-Team' }).ctx,
    );
    expect(
      t.sim.store.get<any>('Project', '', 'checkout')!.metadata.annotations[
        KARGO_PORTAL_OWNERS_ANNOTATION
      ],
    ).toBe('user:default/dana,group:default/checkout-team');
  });

  it('refuses a new project to a user without kargo.project.create, creating nothing', async () => {
    t.deny({ permission: 'kargo.project.create' });
    const action = createKargoProjectInitAction(t);
    await expect(action.handler(context(checkoutSpec).ctx)).rejects.toThrow(
      /^Not allowed: kargo.project.create$/,
    );
    expect(t.mutations()).toEqual([]);
    expect(t.sim.store.get('Project', '', 'checkout')).toBeUndefined();
  });

  it('does not take over a project someone else creates while it runs', async () => {
    // The project appears between the check that it is new and its creation.
    const allowed = allowing();
    t.permissions = {
      ...allowed,
      authorize: async (...args: Parameters<typeof allowed.authorize>) => {
        t.sim.createResource({
          apiVersion: 'kargo.akuity.io/v1alpha1',
          kind: 'Project',
          metadata: { name: 'checkout' },
        });
        return allowed.authorize(...args);
      },
    };
    const action = createKargoProjectInitAction(t);
    await expect(action.handler(context(checkoutSpec).ctx)).rejects.toThrow(
      'Kargo project checkout was created by someone else while the template ran; nothing was changed',
    );
    expect(t.sim.store.list('Stage', 'checkout')).toEqual([]);
    expect(
      t.sim.store.get<any>('Project', '', 'checkout')!.metadata.annotations?.[
        KARGO_PORTAL_OWNERS_ANNOTATION
      ],
    ).toBeUndefined();
  });

  it('keeps the owners Kargo has when it updates an existing project', async () => {
    const action = createKargoProjectInitAction(t);
    await action.handler(
      context({ ...checkoutSpec, owner: 'group:default/checkout-team' }).ctx,
    );
    const owners = () =>
      t.sim.store.get<any>('Project', '', 'checkout')!.metadata.annotations;
    const first = owners();
    await action.handler(
      actionContext(
        { ...checkoutSpec, owner: 'group:default/someone-else' },
        { user: 'user:default/erin' },
      ).ctx,
    );
    expect(owners()).toEqual(first);
    expect(first[KARGO_PORTAL_OWNERS_ANNOTATION]).toBe(
      'user:default/dana,group:default/checkout-team',
    );
    // The second run needed manage on the project it found, not create.
    expect((t.permissions as any).seen.map((r: any) => r.permission)).toEqual(
      expect.arrayContaining(['kargo.project.create', 'kargo.project.manage']),
    );
  });

  it("acts with the user's own Kargo token where the instance forwards it, and fails without one", async () => {
    t.configureInstance({ forwardUserToken: true });
    const action = createKargoProjectInitAction(t);
    await expect(action.handler(context(checkoutSpec).ctx)).rejects.toThrow(
      /acts with the user's own Kargo token .*no secret "kargoToken"/,
    );
    expect(t.mutations()).toEqual([]);
    const run = actionContext(checkoutSpec, {
      secrets: { kargoToken: DANA_KARGO_TOKEN },
    });
    await action.handler(run.ctx);
    expect(
      t.sim.store.get<any>('Project', '', 'checkout')!.metadata.annotations[
        'kargo.akuity.io/create-actor'
      ],
    ).toBe('email:dana@example.com');
    expect(
      JSON.stringify([run.outputs, run.logger.info.mock.calls, t.events]),
    ).not.toContain(DANA_KARGO_TOKEN);
  });
});

describe('kargo:project:init example', () => {
  it('creates the project it shows', async () => {
    const action = createKargoProjectInitAction(t);
    expect(action.examples).toHaveLength(1); // another example needs its test here
    const [outputs] = await runExample(action);
    expect(outputs).toMatchObject({
      project: 'checkout',
      resources: CHECKOUT_RESOURCES,
    });
    expect(
      t.sim.store
        .list('Stage', 'checkout')
        .map(s => s.metadata!.name)
        .sort(),
    ).toEqual(['prod', 'test', 'uat']);
    expect(
      t.sim.store.get<Stage>('Stage', 'checkout', 'prod')!.spec
        .requestedFreight,
    ).toEqual([
      {
        origin: { kind: 'Warehouse', name: 'checkout' },
        sources: { stages: ['uat'] },
      },
    ]);
  });
});
