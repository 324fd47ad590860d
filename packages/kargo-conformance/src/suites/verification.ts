import type { Stage } from '@kargo-backstage/plugin-kargo-common';
import { Conformance, stage } from '../harness';
import { Suite } from './suite';

/*
 * Verification and health of a stage's current freight as Kargo v1.11.2's stage reconciler
 * keeps them (pkg/controller/stages/regular_stages.go: syncPromotions, assessHealth,
 * verifyStageFreight, markFreightVerifiedForStage). Neither target runs Argo CD, so no
 * promotion registers a health check: a stage is Healthy once its promotion succeeded.
 */

const ORIGIN = 'Warehouse/wh';

function helpers(c: () => Conformance) {
  const getStage = async (project: string, name: string) =>
    (await c().api('GET', `/v1beta1/projects/${project}/stages/${name}`)).json;
  const promote = (project: string, name: string, freight: string) =>
    c().api('POST', `/v1beta1/projects/${project}/stages/${name}/promotions`, {
      body: { freight },
    });
  return {
    getStage,
    promote,
    /** Promotes and waits until the stage has the freight and is healthy. */
    async promoted(project: string, name: string, freight: string) {
      const answer = await promote(project, name, freight);
      if (answer.status !== 201) {
        throw new Error(`promote answered ${answer.status}: ${answer.text}`);
      }
      await c().eventually(
        `${name} to be healthy with ${freight}`,
        async () => {
          const s = await getStage(project, name);
          return s.status?.freightHistory?.[0]?.items?.[ORIGIN]?.name ===
            freight &&
            !s.status?.currentPromotion &&
            s.status?.health?.status === 'Healthy'
            ? true
            : undefined;
        },
      );
      return answer.json;
    },
    /** The current freight's latest verification, once it finished. */
    finishedVerification(project: string, name: string) {
      return c().eventually(`${name}'s verification to finish`, async () => {
        const s = await getStage(project, name);
        const v = s.status?.freightHistory?.[0]?.verificationHistory?.[0];
        return v && !['Pending', 'Running'].includes(v.phase) ? s : undefined;
      });
    },
  };
}

const condition = (s: any, type: string) =>
  s.status?.conditions?.find((x: any) => x.type === type);

export const verification: Suite = {
  title: 'verification and health',
  define(c) {
    const h = helpers(c);

    it('has no health before a stage has freight', async () => {
      const project = await c().newProject('health');
      const s = await c().eventually('uat to be reconciled', async () => {
        const got = await h.getStage(project, 'uat');
        return got.status?.conditions?.length ? got : undefined;
      });
      expect(s.status.health).toBe(undefined);
    });

    it('records a Successful verification for a stage without verification once it is healthy', async () => {
      const project = await c().newProject('noverify');
      const freight = (await c().createFreight(project)).metadata!.name!;
      await h.promoted(project, 'test', freight);
      const s = await h.finishedVerification(project, 'test');
      const runs = s.status.freightHistory[0].verificationHistory;
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({
        id: expect.any(String),
        phase: 'Successful',
        startTime: expect.any(String),
        finishTime: expect.any(String),
      });
      expect(runs[0].analysisRun).toBe(undefined);
      expect(condition(s, 'Verified')).toMatchObject({
        status: 'True',
        reason: 'Verified',
      });
      // markFreightVerifiedForStage: the freight is verified in test, so uat may take it.
      await c().eventually('the freight verified in test', async () => {
        const f = await c().client().getFreight(project, freight);
        return f.status?.verifiedIn?.test ? true : undefined;
      });
      expect((await h.promote(project, 'uat', freight)).status).toBe(201);
    });

    it('keeps freight whose verification failed from downstream stages, and lets the next promotion run', async () => {
      const project = await c().newProject('failverify');
      await c().apply([
        // No such AnalysisTemplate (and no Argo Rollouts on a real Kargo): verification errs.
        stage(
          project,
          'qa',
          { warehouse: 'wh' },
          { verification: { analysisTemplates: [{ name: 'missing' }] } },
        ),
        stage(project, 'staging', { upstream: 'qa' }),
      ]);
      const f1 = (await c().createFreight(project)).metadata!.name!;
      await h.promoted(project, 'qa', f1);
      const s = await h.finishedVerification(project, 'qa');
      expect(s.status.freightHistory[0].verificationHistory[0].phase).toBe(
        'Error',
      );
      expect(condition(s, 'Verified')).toMatchObject({
        status: 'False',
        reason: 'VerificationError',
      });
      const f = await c().client().getFreight(project, f1);
      expect(f.status?.verifiedIn?.qa).toBe(undefined);
      const downstream = await h.promote(project, 'staging', f1);
      expect(downstream.status).toBe(400);
      expect(downstream.json?.error).toMatch(/not available to Stage/);

      // A finished (if failed) verification does not hold the stage's next promotion back.
      const f2 = (await c().createFreight(project)).metadata!.name!;
      await h.promoted(project, 'qa', f2);
    });

    it('assesses no health while a promotion is in progress', async () => {
      const project = await c().newProject('promoting');
      const f1 = (await c().createFreight(project)).metadata!.name!;
      await h.promoted(project, 'test', f1);

      const seen: Stage[] = [];
      const controller = new AbortController();
      const watching = c()
        .client()
        .watch<Stage>({
          path: '/v1beta1/projects/{project}/stages',
          params: { project },
          signal: controller.signal,
          onEvent: event => {
            if (event.object?.metadata?.name === 'test')
              seen.push(event.object);
          },
        });
      try {
        await c().eventually('the watch to start', async () =>
          seen.length ? true : undefined,
        );
        const f2 = (await c().createFreight(project)).metadata!.name!;
        const promotion = await h.promoted(project, 'test', f2);
        await c().eventually('the watch to see test healthy', async () =>
          seen.some(
            s =>
              s.status?.freightHistory?.[0]?.items?.[ORIGIN]?.name === f2 &&
              s.status?.health?.status === 'Healthy',
          )
            ? true
            : undefined,
        );
        const promoting = seen.filter(
          s => s.status?.currentPromotion?.name === promotion.metadata.name,
        );
        expect(promoting.length).toBeGreaterThan(0);
        expect(promoting.map(s => s.status?.health)).toContainEqual({
          status: 'Unknown',
          issues: [
            'Cannot assess health because a Promotion is currently in progress',
          ],
        });
        expect(promoting.map(s => condition(s, 'Healthy'))).toContainEqual(
          expect.objectContaining({
            status: 'Unknown',
            reason: 'ActivePromotion',
          }),
        );
      } finally {
        controller.abort();
        await watching;
      }
    });
  },
};
