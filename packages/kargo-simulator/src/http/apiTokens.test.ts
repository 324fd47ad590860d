import type { Stage } from '@kargo-backstage/plugin-kargo-common';
import { normalizePolicyRules, PROJECT_ROLE_RULES } from '../rbac/policyRules';
import {
  freightInTest,
  simulatorForEachTest,
} from '../__testUtils__/testSimulator';

const env = simulatorForEachTest({
  projects: ['kargo-demo', 'microservices'],
  keepaliveMs: 50,
});
const { call } = env;

/** A token made through Kargo's route, as the admin. */
async function token(path: string, name: string): Promise<string> {
  const created = await call('POST', `${path}/api-tokens`, { body: { name } });
  expect(created.status).toBe(201);
  return Buffer.from(created.body.data.token, 'base64').toString();
}

const demo = '/projects/kargo-demo';
const newest = () => freightInTest(env.sim);

describe('roles', () => {
  it("report ensureDefaultUserRoles' rules, normalized as Kargo reports them", async () => {
    const promoter = await call('GET', `${demo}/roles/kargo-promoter`);
    expect(promoter.body.rules).toEqual(
      normalizePolicyRules(PROJECT_ROLE_RULES['kargo-promoter']),
    );
    expect(
      promoter.body.rules.map(
        (r: any) => `${r.apiGroups[0] || 'core'}/${r.resources[0]}`,
      ),
    ).toEqual([
      'argoproj.io/analysisruns',
      'argoproj.io/analysistemplates',
      'core/configmaps',
      'core/events',
      'core/serviceaccounts',
      'kargo.akuity.io/freights',
      'kargo.akuity.io/freights/status',
      'kargo.akuity.io/projectconfigs',
      'kargo.akuity.io/promotions',
      'kargo.akuity.io/stages',
      'kargo.akuity.io/warehouses',
      'rbac.authorization.k8s.io/rolebindings',
      'rbac.authorization.k8s.io/roles',
    ]);
    const stages = promoter.body.rules.find(
      (r: any) => r.resources[0] === 'stages',
    );
    expect(stages.verbs).toEqual(['get', 'list', 'promote', 'watch']);
    const admin = await call('GET', `${demo}/roles/kargo-admin`);
    expect(
      admin.body.rules.find((r: any) => r.resources[0] === 'stages').verbs,
    ).toEqual([
      'create',
      'delete',
      'deletecollection',
      'get',
      'list',
      'patch',
      'promote',
      'update',
      'watch',
    ]);
  });
});

describe('project API tokens', () => {
  it('are ServiceAccount token Secrets, listed and read back redacted, deleted with 204', async () => {
    const created = await call(
      'POST',
      `${demo}/roles/kargo-viewer/api-tokens`,
      {
        body: { name: 'ci' },
      },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      type: 'kubernetes.io/service-account-token',
      metadata: {
        name: 'ci',
        namespace: 'kargo-demo',
        labels: { 'rbac.kargo.akuity.io/api-token': 'true' },
        annotations: {
          'kubernetes.io/service-account.name': 'kargo-viewer',
          'rbac.kargo.akuity.io/managed': 'true',
        },
      },
    });
    const jwt = Buffer.from(created.body.data.token, 'base64').toString();
    const claims = JSON.parse(
      Buffer.from(jwt.split('.')[1], 'base64url').toString(),
    );
    expect(claims.sub).toBe('system:serviceaccount:kargo-demo:kargo-viewer');

    const redacted = Buffer.from('*** REDACTED ***').toString('base64');
    const listed = await call('GET', `${demo}/api-tokens?role=kargo-viewer`);
    expect(listed.body.items.map((i: any) => i.data.token)).toEqual([redacted]);
    expect(
      (await call('GET', `${demo}/api-tokens?role=kargo-admin`)).body,
    ).toEqual({ metadata: {}, items: null }); // a nil slice in Go
    expect((await call('GET', `${demo}/api-tokens/ci`)).body.data.token).toBe(
      redacted,
    );
    expect(
      (
        await call('POST', `${demo}/roles/kargo-viewer/api-tokens`, {
          body: { name: 'ci' },
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await call('POST', `${demo}/roles/kargo-viewer/api-tokens`, {
          body: { name: 'Not_A_Name' },
        })
      ).status,
    ).toBe(422);

    expect((await call('GET', `${demo}/stages`, { token: jwt })).status).toBe(
      200,
    );
    expect((await call('DELETE', `${demo}/api-tokens/ci`)).status).toBe(204);
    const after = await call('GET', `${demo}/stages`, { token: jwt });
    expect(after.status).toBe(401);
    expect(after.body).toEqual({ error: 'invalid token' });
    expect((await call('GET', `${demo}/api-tokens/ci`)).body.error).toBe(
      'error getting token Secret "ci" in namespace "kargo-demo": secrets "ci" not found',
    );
  });

  it('of kargo-promoter promote and approve; abort, re-verify, abort verification and alias patch as the caller: 403', async () => {
    const promoter = await token(`${demo}/roles/kargo-promoter`, 'promoter');
    const freight = newest().metadata!.name!;
    // uat verifies with an AnalysisTemplate: re-verify (admin) leaves one running.
    expect((await call('POST', `${demo}/stages/uat/verification`)).status).toBe(
      200,
    );
    env.sim.tick();
    const uat = env.sim.store.require<Stage>('Stage', 'kargo-demo', 'uat');
    expect(['Pending', 'Running']).toContain(
      uat.status!.freightHistory![0].verificationHistory![0].phase,
    );
    for (const path of ['verification', 'verification/abort']) {
      const refused = await call('POST', `${demo}/stages/uat/${path}`, {
        token: promoter,
      });
      expect(refused.status).toBe(403);
      expect(refused.body.error).toBe(
        'patch annotation: review subject access: stages.kargo.akuity.io "uat" is forbidden: patch is not permitted',
      );
    }
    const promoted = await call('POST', `${demo}/stages/uat/promotions`, {
      token: promoter,
      body: { freight },
    });
    expect(promoted.status).toBe(201);
    expect(
      promoted.body.metadata.annotations['kargo.akuity.io/create-actor'],
    ).toBe('unknown actor');
    expect(
      (
        await call('POST', `${demo}/freight/${freight}/approve?stage=prod`, {
          token: promoter,
        })
      ).status,
    ).toBe(200);

    // prod waits for its pull request: a promotion that runs.
    const running = env.sim.promote('kargo-demo', 'prod', { freight }, 'admin');
    env.sim.tick();
    const abort = await call(
      'POST',
      `${demo}/promotions/${running.metadata!.name}/abort`,
      { token: promoter },
    );
    expect(abort.status).toBe(403);
    expect(abort.body.error).toBe(
      `patch annotation: review subject access: promotions.kargo.akuity.io "${
        running.metadata!.name
      }" is forbidden: patch is not permitted`,
    );

    const alias = await call(
      'PATCH',
      `${demo}/freight/${freight}/alias?newAlias=renamed`,
      { token: promoter },
    );
    expect(alias.status).toBe(403);
    expect(alias.body.error).toBe(
      `review subject access: freights.kargo.akuity.io "${freight}" is forbidden: patch is not permitted`,
    );
    // Refresh patches with Kargo's own identity: anyone who may call the API may.
    expect(
      (await call('POST', `${demo}/stages/uat/refresh`, { token: promoter }))
        .status,
    ).toBe(200);
    // Nothing else it may write: a Warehouse, credentials, a role's users, tokens.
    const warehouse = env.sim.store.list('Warehouse', 'kargo-demo')[0];
    const put = await fetch(`${env.kargo.url}/v1beta1/resources`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${promoter}` },
      body: JSON.stringify(warehouse),
    });
    expect(put.status).toBe(403);
    expect(
      (await call('GET', `${demo}/repo-credentials`, { token: promoter }))
        .status,
    ).toBe(403);
    const grant = await call('POST', `${demo}/roles/grants`, {
      token: promoter,
      body: {
        role: 'kargo-viewer',
        userClaims: { claims: [{ name: 'email', values: ['x@example.com'] }] },
      },
    });
    expect(grant.status).toBe(403);
    expect(grant.body.error).toBe(
      'error updating ServiceAccount "kargo-viewer" in namespace "kargo-demo": review subject access: serviceaccounts "kargo-viewer" is forbidden: update is not permitted',
    );
  });

  it('reach only their own project and not its (cluster-scoped) Project', async () => {
    const viewer = await token(`${demo}/roles/kargo-viewer`, 'viewer');
    const promote = await call('POST', `${demo}/stages/uat/promotions`, {
      token: viewer,
      body: { freight: newest().metadata!.name },
    });
    expect(promote.status).toBe(403);
    expect(promote.body.error).toBe(
      'review subject access: stages.kargo.akuity.io "uat" is forbidden: promote is not permitted',
    );
    expect(
      (await call('GET', '/projects/microservices/stages', { token: viewer }))
        .body.error,
    ).toBe(
      'review subject access: stages.kargo.akuity.io is forbidden: list is not permitted',
    );
    expect((await call('GET', demo, { token: viewer })).status).toBe(403);
    expect((await call('GET', '/projects', { token: viewer })).status).toBe(
      403,
    );
  });

  it("of kargo-admin do what the project's admin may, but make no system tokens", async () => {
    const admin = await token(`${demo}/roles/kargo-admin`, 'admin');
    const freight = newest().metadata!.name!;
    expect(
      (
        await call(
          'PATCH',
          `${demo}/freight/${freight}/alias?newAlias=renamed`,
          {
            token: admin,
          },
        )
      ).status,
    ).toBe(200);
    expect(
      (await call('GET', `${demo}/repo-credentials`, { token: admin })).status,
    ).toBe(200);
    expect(
      (
        await call('POST', `${demo}/roles/grants`, {
          token: admin,
          body: {
            role: 'kargo-admin',
            userClaims: {
              claims: [{ name: 'email', values: ['x@example.com'] }],
            },
          },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call('POST', `${demo}/roles/kargo-viewer/api-tokens`, {
          token: admin,
          body: { name: 'made-by-admin' },
        })
      ).status,
    ).toBe(201);
    const system = await call('POST', '/system/roles/kargo-viewer/api-tokens', {
      token: admin,
      body: { name: 'escalate' },
    });
    expect(system.status).toBe(403);
    expect(system.body.error).toBe(
      'error getting ServiceAccount "kargo-viewer" in namespace "kargo": review subject access: serviceaccounts "kargo-viewer" is forbidden: get is not permitted',
    );
  });
});

describe('system API tokens', () => {
  it("act with the chart's ClusterRole in every project", async () => {
    const viewer = await token('/system/roles/kargo-viewer', 'portal');
    const listed = await call('GET', '/system/api-tokens');
    expect(listed.body.items.map((i: any) => i.metadata.namespace)).toEqual([
      'kargo',
    ]);
    expect((await call('GET', '/projects', { token: viewer })).body.total).toBe(
      2,
    );
    expect((await call('GET', demo, { token: viewer })).status).toBe(200);
    expect(
      (await call('GET', '/projects/microservices/stages', { token: viewer }))
        .status,
    ).toBe(200);
    expect(
      (
        await call('POST', `${demo}/stages/uat/promotions`, {
          token: viewer,
          body: { freight: newest().metadata!.name },
        })
      ).status,
    ).toBe(403);

    const admin = await token('/system/roles/kargo-admin', 'portal-admin');
    expect(
      (
        await call('GET', '/projects/microservices/repo-credentials', {
          token: admin,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call('POST', '/system/roles/kargo-viewer/api-tokens', {
          token: admin,
          body: { name: 'by-system-admin' },
        })
      ).status,
    ).toBe(201);
  });

  it('exist only for the system roles', async () => {
    const answer = await call(
      'POST',
      '/system/roles/kargo-promoter/api-tokens',
      {
        body: { name: 'nope' },
      },
    );
    expect(answer.status).toBe(404);
    expect(answer.body.error).toBe(
      'error getting ServiceAccount "kargo-promoter" in namespace "kargo": ServiceAccount "kargo-promoter" not found',
    );
  });
});
