import { Conformance, stage } from '../harness';
import { Suite } from './suite';

/*
 * Auto-promotion as Kargo v1.11.2 does it: which ProjectConfig policy applies to a stage
 * (pkg/api/auto_promotion.go findMatchingPromotionPolicy), and the holds a user's promotion of
 * other freight than the candidate puts on it (pkg/webhook/kubernetes/promotion/webhook.go
 * syncHoldAnnotations, pkg/controller/stages/regular_stages.go).
 */

const ORIGIN = 'Warehouse/wh';
const HOLD = 'kargo.akuity.io/auto-promotion-hold';
const RESUME = 'kargo.akuity.io/auto-promotion-resume';

/** Freight's discoveredAt has second precision: the candidate is the newest, so wait a second. */
const nextSecond = () => new Promise(resolve => setTimeout(resolve, 1_100));

function projectConfig(project: string, promotionPolicies: object[]) {
  return {
    apiVersion: 'kargo.akuity.io/v1alpha1',
    kind: 'ProjectConfig',
    metadata: { name: project, namespace: project },
    spec: { promotionPolicies },
  };
}

function helpers(c: () => Conformance) {
  const getStage = async (project: string, name: string) => {
    const answer = await c().api(
      'GET',
      `/v1beta1/projects/${project}/stages/${name}`,
    );
    if (answer.status !== 200) {
      throw new Error(`get stage answered ${answer.status}: ${answer.text}`);
    }
    return answer.json;
  };
  const current = async (project: string, name: string) =>
    (await getStage(project, name)).status?.freightHistory?.[0]?.items?.[ORIGIN]
      ?.name as string | undefined;
  return {
    getStage,
    current,
    async promote(project: string, name: string, freight: string) {
      const answer = await c().api(
        'POST',
        `/v1beta1/projects/${project}/stages/${name}/promotions`,
        { body: { freight } },
      );
      if (answer.status !== 201) {
        throw new Error(`promote answered ${answer.status}: ${answer.text}`);
      }
      return answer.json;
    },
    async promotionsOf(project: string, name: string): Promise<any[]> {
      const answer = await c().api(
        'GET',
        `/v1beta1/projects/${project}/promotions?stage=${name}`,
      );
      return answer.json?.items ?? [];
    },
    eventuallyCurrent(project: string, name: string, freight: string) {
      return c().eventually(`${name} to have ${freight}`, async () =>
        (await current(project, name)) === freight ? true : undefined,
      );
    },
    /** Refreshes the stage and waits until Kargo finished a reconciliation that saw it. */
    async reconciled(project: string, name: string) {
      for (;;) {
        const before = (await getStage(project, name)).status
          ?.lastHandledRefresh;
        const answer = await c().api(
          'POST',
          `/v1beta1/projects/${project}/stages/${name}/refresh`,
        );
        if (answer.status !== 200) {
          throw new Error(`refresh answered ${answer.status}: ${answer.text}`);
        }
        const token = (await getStage(project, name)).metadata?.annotations?.[
          'kargo.akuity.io/refresh'
        ];
        // The token is a time to the second: the same as before means the same second.
        if (token && token !== before) {
          await c().eventually(`${name} to handle refresh ${token}`, async () =>
            (await getStage(project, name)).status?.lastHandledRefresh === token
              ? true
              : undefined,
          );
          return;
        }
        await nextSecond();
      }
    },
  };
}

export const autoPromotion: Suite = {
  title: 'auto-promotion',
  define(c) {
    const h = helpers(c);

    it('holds auto-promotion after a user promotes freight other than the candidate, until a user promotes the candidate', async () => {
      const project = await c().newProject('autohold');
      await c().apply([
        projectConfig(project, [{ stage: 'test', autoPromotionEnabled: true }]),
      ]);
      await h.reconciled(project, 'test');

      const f1 = (await c().createFreight(project)).metadata!.name!;
      await h.eventuallyCurrent(project, 'test', f1);
      // The controller's own Promotion names no actor and carries no intent.
      const [auto] = (await h.promotionsOf(project, 'test')).filter(
        p => p.spec.freight === f1,
      );
      expect(auto.metadata.annotations?.['kargo.akuity.io/create-actor']).toBe(
        undefined,
      );
      expect(auto.metadata.annotations?.[HOLD]).toBe(undefined);
      expect(auto.metadata.annotations?.[RESUME]).toBe(undefined);

      await nextSecond();
      const f2 = (await c().createFreight(project)).metadata!.name!;
      await h.eventuallyCurrent(project, 'test', f2);

      // Back to f1, which is not the candidate (f2 is newer): the webhook stamps hold intent.
      const back = await h.promote(project, 'test', f1);
      expect(back.metadata.annotations?.[HOLD]).toBe(ORIGIN);
      expect(back.metadata.annotations?.[RESUME]).toBe(undefined);
      await h.eventuallyCurrent(project, 'test', f1);
      const held = await c().eventually('the hold', async () => {
        const s = await h.getStage(project, 'test');
        return s.status?.autoPromotionHolds?.[ORIGIN] ? s : undefined;
      });
      expect(held.status.autoPromotionHolds[ORIGIN]).toMatchObject({
        freightName: f1,
        origin: { kind: 'Warehouse', name: 'wh' },
        promotionName: back.metadata.name,
      });
      expect(held.status.effectiveAutoPromotionHolds?.[ORIGIN]).toMatchObject({
        freightName: f1,
      });

      // Newer freight is not auto-promoted while the hold lasts.
      await nextSecond();
      const f3 = (await c().createFreight(project)).metadata!.name!;
      await h.reconciled(project, 'test');
      expect(await h.current(project, 'test')).toBe(f1);
      expect(
        (await h.promotionsOf(project, 'test')).filter(
          p => p.spec.freight === f3,
        ),
      ).toEqual([]);

      // Promoting the candidate releases the hold; auto-promotion goes on.
      const release = await h.promote(project, 'test', f3);
      expect(release.metadata.annotations?.[RESUME]).toBe(ORIGIN);
      expect(release.metadata.annotations?.[HOLD]).toBe(undefined);
      await h.eventuallyCurrent(project, 'test', f3);
      await c().eventually('the hold to be released', async () => {
        const s = await h.getStage(project, 'test');
        return !s.status?.autoPromotionHolds &&
          !s.status?.effectiveAutoPromotionHolds
          ? true
          : undefined;
      });
      await nextSecond();
      const f4 = (await c().createFreight(project)).metadata!.name!;
      await h.eventuallyCurrent(project, 'test', f4);
    });

    it('applies the first matching policy: stageSelector names (regexp:, glob:) and labels, ANDed', async () => {
      const project = await c().newProject('autopolicy');
      await c().apply([
        {
          ...stage(project, 'edge', { warehouse: 'wh' }),
          metadata: {
            name: 'edge',
            namespace: project,
            labels: { tier: 'edge' },
          },
        },
        projectConfig(project, [
          // The name matches test, the labels do not: not test's policy.
          {
            stageSelector: { name: 'test', matchLabels: { tier: 'edge' } },
            autoPromotionEnabled: false,
          },
          // A Go regexp found anywhere in the name.
          {
            stageSelector: { name: 'regexp:^(test|ua)' },
            autoPromotionEnabled: true,
          },
          {
            stageSelector: {
              matchExpressions: [
                { key: 'tier', operator: 'In', values: ['edge'] },
              ],
            },
            autoPromotionEnabled: true,
          },
          { stageSelector: { name: 'glob:*' }, autoPromotionEnabled: false },
          // Never reached: the glob above already picked prod.
          { stage: 'prod', autoPromotionEnabled: true },
        ]),
      ]);
      const enabled: Record<string, boolean> = {};
      for (const name of ['test', 'uat', 'prod', 'edge']) {
        await h.reconciled(project, name);
        enabled[name] = Boolean(
          (await h.getStage(project, name)).status?.autoPromotionEnabled,
        );
      }
      expect(enabled).toEqual({
        test: true,
        uat: true,
        prod: false,
        edge: true,
      });
      // The label-selected stage takes new freight by itself.
      const freight = (await c().createFreight(project)).metadata!.name!;
      await h.eventuallyCurrent(project, 'edge', freight);
    });

    it('refuses a promotion policy with both stage and stageSelector', async () => {
      const project = await c().newProject('autoboth');
      await expect(
        c().apply([
          projectConfig(project, [
            {
              stage: 'test',
              stageSelector: { name: 'uat' },
              autoPromotionEnabled: true,
            },
          ]),
        ]),
      ).rejects.toThrow(
        /PromotionPolicy must have exactly one of stage or stageSelector set/,
      );
    });
  },
};
