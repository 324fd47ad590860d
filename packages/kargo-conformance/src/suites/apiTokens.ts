import type { Freight, Promotion } from '@kargo-backstage/plugin-kargo-common';
import { stage } from '../harness';
import { Suite } from './suite';

const REDACTED = Buffer.from('*** REDACTED ***').toString('base64');

const decode = (base64: string) => Buffer.from(base64, 'base64').toString();

/** The claims of a JWT, read without checking its signature. */
const claimsOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

/**
 * Kargo's API tokens (pkg/server/*_api_token_v1alpha1.go, pkg/server/rbac/roles.go
 * CreateAPIToken): a token is a ServiceAccount token Secret of a Kargo role, and whoever holds it
 * acts with that role's rules as Kubernetes RBAC evaluates them. The default project roles are
 * those of ensureDefaultUserRoles (pkg/controller/management/projects/projects.go): kargo-promoter
 * may promote (`promote` on stages, `create` promotions) and approve (`patch` freights/status),
 * but aborting a promotion, re-verifying and setting an alias patch promotions, stages and
 * freights as the caller, which it may not.
 */
export const apiTokens: Suite = {
  title: 'API tokens',
  define(c) {
    let project: string;
    let freight: Freight;
    let promoter: string;
    let viewer: string;
    const base = () => `/v1beta1/projects/${project}`;

    const createToken = async (role: string, name: string) => {
      const answer = await c().api(
        'POST',
        `${base()}/roles/${role}/api-tokens`,
        { body: { name } },
      );
      if (answer.status !== 201) {
        throw new Error(
          `token ${name} answered ${answer.status}: ${answer.text}`,
        );
      }
      return answer;
    };

    beforeAll(async () => {
      project = await c().newProject('tokens');
      // An HTTP step whose success criteria never hold keeps its promotion Running (Kargo's
      // http step polls): something to abort.
      await c().apply([
        stage(
          project,
          'hold',
          { warehouse: 'wh' },
          {
            promotionTemplate: {
              spec: {
                steps: [
                  {
                    uses: 'http',
                    as: 'wait',
                    config: {
                      method: 'GET',
                      url: `${c().target.url}/healthz`,
                      successExpression: 'false',
                    },
                  },
                ],
              },
            },
          },
        ),
      ]);
      freight = await c().createFreight(project);
      promoter = decode(
        (await createToken('kargo-promoter', 'promoter')).json.data.token,
      );
      viewer = decode(
        (await createToken('kargo-viewer', 'viewer')).json.data.token,
      );
    });

    it('creates a token as a ServiceAccount token Secret of the role, the token in its data', async () => {
      const answer = await createToken('kargo-promoter', 'shape');
      expect(answer.json.metadata).toMatchObject({
        name: 'shape',
        namespace: project,
        labels: { 'rbac.kargo.akuity.io/api-token': 'true' },
        annotations: {
          'kubernetes.io/service-account.name': 'kargo-promoter',
          'rbac.kargo.akuity.io/managed': 'true',
        },
      });
      expect(answer.json.metadata.ownerReferences).toEqual([
        expect.objectContaining({
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          name: 'kargo-promoter',
        }),
      ]);
      expect(answer.json.type).toBe('kubernetes.io/service-account-token');
      expect(decode(answer.json.data.namespace)).toBe(project);
      const token = decode(answer.json.data.token);
      expect(claimsOf(token).sub).toBe(
        `system:serviceaccount:${project}:kargo-promoter`,
      );
    });

    it('refuses a token without a name, and one of a role that does not exist', async () => {
      const nameless = await c().api(
        'POST',
        `${base()}/roles/kargo-viewer/api-tokens`,
        { body: {} },
      );
      expect(nameless.status).toBe(400);
      expect(nameless.json.error).toBe('name should not be empty');
      const noRole = await c().api('POST', `${base()}/roles/nope/api-tokens`, {
        body: { name: 'nope' },
      });
      expect(noRole.status).toBe(404);
      // Kargo's own wording, not the Kubernetes API's (`serviceaccounts "nope" not found`).
      expect(noRole.json.error).toBe(
        `error getting ServiceAccount "nope" in namespace "${project}": ServiceAccount "nope" not found`,
      );
    });

    it('lists and gets tokens with their data redacted', async () => {
      const listed = await c().api(
        'GET',
        `${base()}/api-tokens?role=kargo-viewer`,
      );
      expect(listed.status).toBe(200);
      const items: any[] = listed.json.items;
      expect(items.map(i => i.metadata.name)).toEqual(['viewer']);
      expect(items[0].data.token).toBe(REDACTED);
      const all = await c().api('GET', `${base()}/api-tokens`);
      expect(all.json.items.map((i: any) => i.metadata.name)).toEqual(
        expect.arrayContaining(['promoter', 'viewer']),
      );
      const one = await c().api('GET', `${base()}/api-tokens/promoter`);
      expect(one.status).toBe(200);
      expect(one.json.data.token).toBe(REDACTED);
      expect(one.json.metadata.annotations).toMatchObject({
        'kubernetes.io/service-account.name': 'kargo-promoter',
      });
    });

    it('deletes a token: 204, then it is gone and no longer authenticates', async () => {
      const token = decode(
        (await createToken('kargo-viewer', 'doomed')).json.data.token,
      );
      expect((await c().api('GET', `${base()}/stages`, { token })).status).toBe(
        200,
      );
      const deleted = await c().api('DELETE', `${base()}/api-tokens/doomed`);
      expect(deleted.status).toBe(204);
      const gone = await c().api('GET', `${base()}/api-tokens/doomed`);
      expect(gone.status).toBe(404);
      expect(gone.json.error).toContain('secrets "doomed" not found');
      await c().eventually('the deleted token to be refused', async () => {
        const a = await c().api('GET', `${base()}/stages`, { token });
        return a.status === 401 ? a : undefined;
      });
    });

    it('lets a kargo-promoter token promote and approve', async () => {
      const client = c().client(promoter);
      const promotion = (await client.promoteToStage(project, 'test', {
        freight: freight.metadata!.name!,
      })) as Promotion;
      expect(promotion.spec.stage).toBe('test');
      expect(
        promotion.metadata?.annotations?.['kargo.akuity.io/create-actor'],
      ).toBe('unknown actor');
      await client.approveFreight(project, freight.metadata!.name!, 'uat');
      const approved = await c()
        .client()
        .getFreight(project, freight.metadata!.name!);
      expect(approved.status?.approvedFor?.uat).toBeDefined();
    });

    it('answers a kargo-promoter token 403 for aborting, re-verifying and setting an alias', async () => {
      const name = freight.metadata!.name!;
      // Something running to abort, and a stage with a verification to re-run.
      const running = (await c().client().promoteToStage(project, 'hold', {
        freight: name,
      })) as Promotion;
      await c().eventually('test verified', async () => {
        const f = await c().client().getFreight(project, name);
        return f.status?.verifiedIn?.test ? f : undefined;
      });

      const abort = await c().api(
        'POST',
        `${base()}/promotions/${running.metadata!.name}/abort`,
        { token: promoter },
      );
      expect(abort.status).toBe(403);
      expect(abort.json.error).toContain(
        `promotions.kargo.akuity.io "${
          running.metadata!.name
        }" is forbidden: patch is not permitted`,
      );

      const reverify = await c().api(
        'POST',
        `${base()}/stages/test/verification`,
        {
          token: promoter,
        },
      );
      expect(reverify.status).toBe(403);
      expect(reverify.json.error).toContain(
        'stages.kargo.akuity.io "test" is forbidden: patch is not permitted',
      );

      const alias = await c().api(
        'PATCH',
        `${base()}/freight/${name}/alias?newAlias=renamed`,
        { token: promoter },
      );
      expect(alias.status).toBe(403);
      expect(alias.json.error).toContain(
        `freights.kargo.akuity.io "${name}" is forbidden: patch is not permitted`,
      );
      // The same requests with the admin's rights go through.
      expect(
        (
          await c().api(
            'PATCH',
            `${base()}/freight/${name}/alias?newAlias=renamed`,
          )
        ).status,
      ).toBe(200);
      expect(
        (
          await c().api(
            'POST',
            `${base()}/promotions/${running.metadata!.name}/abort`,
          )
        ).status,
      ).toBe(200);
    });

    it("answers a kargo-promoter's abort of a finished verification 200: Kargo checks nothing before it would patch", async () => {
      // api.AbortStageFreightVerification returns before patching when the verification is
      // terminal; test's verification (no spec.verification) succeeded at once.
      const answer = await c().api(
        'POST',
        `${base()}/stages/test/verification/abort`,
        { token: promoter },
      );
      expect(answer.status).toBe(200);
    });

    it('answers a kargo-viewer token 403 for promote, and lets it read', async () => {
      const answer = await c().api('POST', `${base()}/stages/uat/promotions`, {
        token: viewer,
        body: { freight: freight.metadata!.name },
      });
      expect(answer.status).toBe(403);
      expect(answer.json.error).toContain(
        'stages.kargo.akuity.io "uat" is forbidden: promote is not permitted',
      );
      const stages = await c().client(viewer).listStages(project);
      expect(stages.items?.map(s => s.metadata?.name).sort()).toEqual([
        'hold',
        'prod',
        'test',
        'uat',
      ]);
    });

    it("does not let a project's token read its Project (cluster-scoped) or other projects", async () => {
      const own = await c().api('GET', base(), { token: viewer });
      expect(own.status).toBe(403);
      expect(own.json.error).toContain(
        `projects.kargo.akuity.io "${project}" is forbidden: get is not permitted`,
      );
      const list = await c().api('GET', '/v1beta1/projects', { token: viewer });
      expect(list.status).toBe(403);
      const other = await c().newProject('tokens-other');
      const stages = await c().api('GET', `/v1beta1/projects/${other}/stages`, {
        token: viewer,
      });
      expect(stages.status).toBe(403);
      expect(stages.json.error).toContain(
        'stages.kargo.akuity.io is forbidden: list is not permitted',
      );
    });

    it('answers a kargo-promoter token 403 for creating tokens (creating a Secret)', async () => {
      const answer = await c().api(
        'POST',
        `${base()}/roles/kargo-admin/api-tokens`,
        { token: promoter, body: { name: 'escalate' } },
      );
      expect(answer.status).toBe(403);
      expect(answer.json.error).toContain(
        'secrets "escalate" is forbidden: create is not permitted',
      );
    });
  },
};
