import { Suite } from './suite';

/**
 * `Stage.status.health.output` is what Kargo's health checks report (pkg/health/
 * aggregating_checker.go): a JSON array with one entry per check that had output, and no output
 * at all when the last promotion registered no check. Only `argocd-update` registers one, and it
 * needs Argo CD, which neither target has: the array itself is tested in the simulator's tests.
 */
export const healthOutput: Suite = {
  title: 'health output',
  define(c) {
    it('has no output when the last promotion registered no health check', async () => {
      const project = await c().newProject('health');
      const freight = await c().createFreight(project);
      const promotion = await c()
        .client()
        .promoteToStage(project, 'test', { freight: freight.metadata!.name! });
      await c().eventually('the promotion to succeed', async () => {
        const p = await c()
          .client()
          .getPromotion(project, promotion.metadata!.name!);
        return p.status?.phase === 'Succeeded' ? true : undefined;
      });
      const health = await c().eventually('a healthy stage', async () => {
        const h = (await c().client().getStage(project, 'test')).status?.health;
        return h?.status === 'Healthy' ? h : undefined;
      });
      expect(health.output).toBeUndefined();
    });
  },
};
