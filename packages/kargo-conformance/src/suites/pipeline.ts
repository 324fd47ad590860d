import YAML from 'yaml';
import { Conformance } from '../harness';
import { Suite } from './suite';

/*
 * A user's day in a pipeline test → uat → prod, through the plugin's client: filtered reads,
 * promote, promote downstream, approve, alias, refresh, warehouses, and the ProjectConfig writes
 * the portal's freezer makes to hold auto-promotion.
 */

const ORIGIN = 'Warehouse/wh';

/** Freight's discoveredAt has second precision and the newest is the candidate: wait a second. */
const nextSecond = () => new Promise(resolve => setTimeout(resolve, 1_100));

async function currentFreight(c: Conformance, project: string, stage: string) {
  const s = await c.client().getStage(project, stage);
  return s.status?.freightHistory?.[0]?.items?.[ORIGIN]?.name;
}

async function promotedInto(
  c: Conformance,
  project: string,
  stage: string,
  freight: string,
) {
  await c.eventually(`${freight} in ${stage}`, async () =>
    (await currentFreight(c, project, stage)) === freight ? true : undefined,
  );
}

export const pipeline: Suite = {
  title: 'pipeline',
  define(c) {
    let project: string;
    let first: string;
    beforeAll(async () => {
      project = await c().newProject('pipeline');
      first = (await c().createFreight(project)).metadata!.name!;
    });

    it('filters stages by freight origin and freight by stage and origin', async () => {
      const client = c().client();
      const fed = await c().api(
        'GET',
        `/v1beta1/projects/${project}/stages?freightOrigins=wh`,
      );
      expect(fed.status).toBe(200);
      expect(fed.json.items.map((s: any) => s.metadata.name).sort()).toEqual([
        'prod',
        'test',
        'uat',
      ]);
      const none = await c().api(
        'GET',
        `/v1beta1/projects/${project}/stages?freightOrigins=other`,
      );
      expect(none.json.items ?? []).toEqual([]);

      // Available to test (direct from the warehouse), not yet to uat.
      const forTest = await client.queryFreight(project, { stage: 'test' });
      const names = (g: typeof forTest) =>
        Object.values(g.groups ?? {}).flatMap(x =>
          (x.items ?? []).map(f => f.metadata?.name),
        );
      expect(names(forTest)).toContain(first);
      const forUat = await client.queryFreight(project, { stage: 'uat' });
      expect(names(forUat)).not.toContain(first);
      const byOrigin = await client.queryFreight(project, {
        origins: ['wh'],
      });
      expect(names(byOrigin)).toContain(first);
    });

    it('promotes into test, then downstream into uat once verified', async () => {
      const client = c().client();
      const promotion = await client.promoteToStage(project, 'test', {
        freight: first,
      });
      expect(promotion.metadata?.name).toMatch(/^test\./);
      await promotedInto(c(), project, 'test', first);
      await c().eventually(`${first} verified in test`, async () => {
        const f = await client.getFreight(project, first);
        return f.status?.verifiedIn?.test ? true : undefined;
      });
      const downstream = await client.promoteDownstream(project, 'test', {
        freight: first,
      });
      expect(downstream.promotions?.map(p => p.spec?.stage)).toEqual(['uat']);
      await promotedInto(c(), project, 'uat', first);
    });

    it('approves freight for prod, which then may skip uat', async () => {
      const client = c().client();
      const second = (await c().createFreight(project)).metadata!.name!;
      await expect(
        client.promoteToStage(project, 'prod', { freight: second }),
      ).rejects.toThrow();
      await client.approveFreight(project, second, 'prod');
      const approved = await client.getFreight(project, second);
      expect(Object.keys(approved.status?.approvedFor ?? {})).toEqual(['prod']);
      await client.promoteToStage(project, 'prod', { freight: second });
      await promotedInto(c(), project, 'prod', second);
    });

    it('sets an alias, which then names the freight in reads and promotions', async () => {
      const client = c().client();
      await client.updateFreightAlias(project, first, 'conformance-first');
      const byAlias = await client.getFreight(project, 'conformance-first');
      expect(byAlias.metadata?.name).toBe(first);
      expect(byAlias.alias).toBe('conformance-first');
      expect(byAlias.metadata?.labels?.['kargo.akuity.io/alias']).toBe(
        'conformance-first',
      );
      const promotion = await c().api(
        'POST',
        `/v1beta1/projects/${project}/stages/test/promotions`,
        { body: { freightAlias: 'conformance-first' } },
      );
      expect(promotion.status).toBe(201);
      expect(promotion.json.spec.freight).toBe(first);
    });

    it('refreshes a stage and a warehouse by annotating them', async () => {
      const stage = await c().api(
        'POST',
        `/v1beta1/projects/${project}/stages/test/refresh`,
      );
      expect(stage.status).toBe(200);
      const warehouse = await c().api(
        'POST',
        `/v1beta1/projects/${project}/warehouses/wh/refresh`,
      );
      expect(warehouse.status).toBe(200);
      const missing = await c().api(
        'POST',
        `/v1beta1/projects/${project}/warehouses/nope/refresh`,
      );
      expect(missing.status).toBe(404);
      expect(typeof missing.json?.error).toBe('string');
    });

    it('updates a warehouse through the resources route and refuses an invalid one', async () => {
      const client = c().client();
      const put = (object: object) =>
        c().api('PUT', '/v1beta1/resources', {
          body: YAML.stringify(object),
          contentType: 'application/yaml',
        });
      const current = await client.getWarehouse(project, 'wh');
      const updated = {
        apiVersion: 'kargo.akuity.io/v1alpha1',
        kind: 'Warehouse',
        metadata: { name: 'wh', namespace: project },
        spec: { ...current.spec, interval: '12h' },
      };
      // Kargo reads the stored object and updates it with that resourceVersion; when its
      // controller writes the Warehouse in between, the update answers 409 and is tried again.
      let answer = await put(updated);
      for (let i = 0; answer.status === 409 && i < 5; i++)
        answer = await put(updated);
      expect(answer.status).toBe(200);
      // Durations come back as Go prints them.
      expect((await client.getWarehouse(project, 'wh')).spec?.interval).toBe(
        '12h0m0s',
      );
      const invalid = await c().api('POST', '/v1beta1/resources', {
        body: YAML.stringify({
          ...updated,
          metadata: { name: 'broken', namespace: project },
          spec: { subscriptions: [] },
        }),
        contentType: 'application/yaml',
      });
      const result = invalid.json?.results?.[0];
      expect(invalid.status >= 400 || Boolean(result?.error)).toBe(true);
      await expect(client.getWarehouse(project, 'broken')).rejects.toThrow();
    });

    it('holds auto-promotion when ProjectConfig turns it off, even written from a stale read', async () => {
      const client = c().client();
      const config = (
        autoPromotionEnabled: boolean,
        resourceVersion?: string,
      ) =>
        YAML.stringify({
          apiVersion: 'kargo.akuity.io/v1alpha1',
          kind: 'ProjectConfig',
          metadata: { name: project, namespace: project, resourceVersion },
          spec: {
            promotionPolicies: [{ stage: 'test', autoPromotionEnabled }],
          },
        });
      const on = await c().api('PUT', '/v1beta1/resources?upsert=true', {
        body: config(true),
        contentType: 'application/yaml',
      });
      expect(on.status).toBe(200);
      await nextSecond();
      const auto = (await c().createFreight(project)).metadata!.name!;
      await promotedInto(c(), project, 'test', auto);

      const read = await client.getProjectConfig(project);
      // Someone else writes in between: the read's resourceVersion is now stale.
      await c().api('PUT', '/v1beta1/resources', {
        body: config(true),
        contentType: 'application/yaml',
      });
      // Kargo's update route takes the stored resourceVersion, so a stale one still writes
      // (pkg/server/update_resource_v1alpha1.go): the freezer cannot rely on a 409 here.
      const off = await c().api('PUT', '/v1beta1/resources', {
        body: config(false, read.metadata?.resourceVersion),
        contentType: 'application/yaml',
      });
      expect(off.status).toBe(200);
      expect(off.json?.results?.[0]?.error).toBeUndefined();
      await nextSecond();
      const held = (await c().createFreight(project)).metadata!.name!;
      await c().target.advance(5_000);
      expect(await currentFreight(c(), project, 'test')).toBe(auto);
      expect(held).not.toBe(auto);
    });
  },
};
