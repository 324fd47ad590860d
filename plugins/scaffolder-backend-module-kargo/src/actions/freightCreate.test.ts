import type { Freight } from '@kargo-backstage/plugin-kargo-common';
import {
  context,
  kargoActionTest,
  runExample,
  writebackStage,
} from '../__testUtils__';
import { createKargoFreightCreateAction } from './freightCreate';
import { createKargoProjectInitAction } from './projectInit';
import { createKargoResourcesApplyAction } from './resourcesApply';

const t = kargoActionTest();

/** The freight named in checkout, asserted to be of the image in the writeback warehouse. */
function expectWritebackFreight(
  name: unknown,
  image: { repoURL: string; tag: string },
): Freight {
  const freight = t.sim.store.get<Freight>(
    'Freight',
    'checkout',
    String(name),
  )!;
  expect(freight.origin).toEqual({
    kind: 'Warehouse',
    name: 'image-writeback',
  });
  expect(freight.images).toEqual([image]);
  return freight;
}

describe('kargo:freight:create', () => {
  it('creates promotable freight for an image no warehouse subscribes to', async () => {
    await t.initCheckout();
    const action = createKargoFreightCreateAction(t);
    const { ctx, outputs } = context({
      project: 'checkout',
      warehouse: 'image-writeback',
      image: {
        repoURL: 'ghcr.io/example/checkout-hotfix',
        tag: '1.4.2-hotfix.1',
      },
    });
    await action.handler(ctx);
    const freight = expectWritebackFreight(outputs.freight, {
      repoURL: 'ghcr.io/example/checkout-hotfix',
      tag: '1.4.2-hotfix.1',
    });
    expect(outputs.alias).toBe(freight.alias);
    expect(
      t.sim.store.get<any>('Warehouse', 'checkout', 'image-writeback')!.spec,
    ).toMatchObject({
      freightCreationPolicy: 'Manual',
      subscriptions: [
        { image: { repoURL: 'ghcr.io/example/checkout-hotfix' } },
      ],
    });
    // A stage that takes the writeback warehouse can promote it.
    await createKargoResourcesApplyAction(t).handler(
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
    const promotion = t.sim.promote(
      'checkout',
      'hotfix',
      { freight: outputs.freight as string },
      'admin',
    );
    expect(promotion.spec.freight).toBe(outputs.freight);
  });

  it('refuses freight in a project that does not exist, clearly', async () => {
    const action = createKargoFreightCreateAction(t);
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

describe('kargo:freight:create acts for the user who runs it', () => {
  const input = {
    project: 'kargo-demo',
    warehouse: 'image-writeback',
    image: { repoURL: 'ghcr.io/example/hotfix', tag: '1.0.1' },
  };

  it('needs kargo.project.manage on the project', async () => {
    t.deny({ permission: 'kargo.project.manage' });
    const before = t.projectState('kargo-demo');
    await expect(
      createKargoFreightCreateAction(t).handler(context(input).ctx),
    ).rejects.toThrow('Not allowed: kargo.project.manage on sim/kargo-demo');
    expect(t.mutations()).toEqual([]);
    expect(t.projectState('kargo-demo')).toEqual(before);
  });

  it('needs kargo.stage.manage on the stages the warehouse feeds, also when the warehouse stays as it is', async () => {
    // A hotfix warehouse that already follows the image, feeding a production stage.
    t.sim.applyManifests(`
apiVersion: kargo.akuity.io/v1alpha1
kind: Warehouse
metadata: { name: image-writeback, namespace: kargo-demo }
spec:
  freightCreationPolicy: Manual
  subscriptions:
    - image: { repoURL: ghcr.io/example/hotfix }
---
${writebackStage('kargo-demo', 'prod-hotfix')}`);
    t.deny({
      permission: 'kargo.stage.manage',
      resourceRef: 'sim/kargo-demo/prod-hotfix',
    });
    const before = t.projectState('kargo-demo');
    await expect(
      createKargoFreightCreateAction(t).handler(context(input).ctx),
    ).rejects.toThrow(
      'Not allowed: kargo.stage.manage on sim/kargo-demo/prod-hotfix',
    );
    expect(t.mutations()).toEqual([]);
    expect(t.projectState('kargo-demo')).toEqual(before);
  });

  it('does not turn a warehouse that creates freight automatically into a manual one', async () => {
    const before = t.projectState('kargo-demo');
    await expect(
      createKargoFreightCreateAction(t).handler(
        context({ ...input, warehouse: 'guestbook' }).ctx,
      ),
    ).rejects.toThrow(/Warehouse "guestbook" .* creates freight automatically/);
    expect(t.mutations()).toEqual([]);
    expect(t.projectState('kargo-demo')).toEqual(before);
  });

  it('fails without the user token secret where the instance forwards it', async () => {
    t.configureInstance({ forwardUserToken: true });
    await expect(
      createKargoFreightCreateAction(t).handler(context(input).ctx),
    ).rejects.toThrow(/no secret "kargoToken"/);
    expect(t.mutations()).toEqual([]);
  });
});

describe('kargo:freight:create example', () => {
  it("creates the hotfix freight in the project kargo:project:init's example creates", async () => {
    await runExample(createKargoProjectInitAction(t));
    const action = createKargoFreightCreateAction(t);
    expect(action.examples).toHaveLength(1); // another example needs its test here
    const [outputs] = await runExample(action);
    expect(outputs.warehouse).toBe('image-writeback');
    expectWritebackFreight(outputs.freight, {
      repoURL: 'ghcr.io/example/checkout',
      tag: '1.4.2-hotfix.1',
    });
  });
});
