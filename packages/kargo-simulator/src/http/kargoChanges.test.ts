import type {
  Freight,
  Promotion,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';
import {
  ADMIN,
  freightInTest,
  promoteInDemo,
  REST_API_TEST,
  simulatorForEachTest,
} from '../__testUtils__/testSimulator';

const env = simulatorForEachTest(REST_API_TEST);
const { call } = env;

describe('simulator REST API: promotions, approvals, verification, manifests', () => {
  it('promotes by alias, rejects unavailable freight, and gets freight by name or alias', async () => {
    const inTest = freightInTest(env.sim);
    const byAlias = await call(
      'GET',
      `/projects/kargo-demo/freight/${inTest.alias}`,
    );
    expect(byAlias.body.metadata.name).toBe(inTest.metadata!.name);

    const created = await call(
      'POST',
      '/projects/kargo-demo/stages/uat/promotions',
      {
        token: 'promoter-demo',
        body: { freightAlias: inTest.alias },
      },
    );
    expect(created.status).toBe(201);
    expect(created.body.spec).toMatchObject({
      stage: 'uat',
      freight: inTest.metadata!.name,
    });
    expect(
      created.body.metadata.annotations['kargo.akuity.io/create-actor'],
    ).toBe('email:dana@example.com');

    const unavailable = await call(
      'POST',
      '/projects/kargo-demo/stages/prod/promotions',
      {
        body: { freight: inTest.metadata!.name },
      },
    );
    expect(unavailable).toEqual({
      status: 400,
      body: {
        error: `Freight "${
          inTest.metadata!.name
        }" is not available to Stage "prod"`,
      },
    });
    const malformed = await call(
      'POST',
      '/projects/kargo-demo/stages/uat/promotions',
      { body: [] },
    );
    expect(malformed.status).toBe(400);
  });

  it('approves, aliases, refreshes, re-verifies and aborts', async () => {
    const inTest = freightInTest(env.sim);
    expect(
      (
        await call(
          'POST',
          `/projects/kargo-demo/freight/${inTest.alias}/approve?stage=prod`,
        )
      ).status,
    ).toBe(200);
    expect(
      env.sim.resolveFreight('kargo-demo', inTest.metadata!.name!).status
        ?.approvedFor?.prod,
    ).toBeDefined();
    expect(
      (
        await call(
          'POST',
          `/projects/kargo-demo/freight/${inTest.alias}/approve`,
        )
      ).status,
    ).toBe(400);

    expect(
      (
        await call(
          'PATCH',
          `/projects/kargo-demo/freight/${inTest.alias}/alias?newAlias=release-candidate`,
        )
      ).status,
    ).toBe(200);
    expect(
      env.sim.resolveFreight('kargo-demo', 'release-candidate').metadata!.name,
    ).toBe(inTest.metadata!.name);
    const other = env.sim.store
      .list<Freight>('Freight', 'kargo-demo')
      .find(f => f.metadata!.name !== inTest.metadata!.name)!;
    expect(
      (
        await call(
          'PATCH',
          `/projects/kargo-demo/freight/${
            other.metadata!.name
          }/alias?newAlias=release-candidate`,
        )
      ).status,
    ).toBe(409);
    expect(
      (
        await call(
          'PATCH',
          `/projects/kargo-demo/freight/${
            other.metadata!.name
          }/alias?newAlias=Bad%20Alias!`,
        )
      ).status,
    ).toBe(422);

    const refreshed = await call(
      'POST',
      '/projects/kargo-demo/warehouses/guestbook/refresh',
    );
    expect(refreshed).toEqual({ status: 200, body: undefined });
    expect(
      env.sim.store.require('Warehouse', 'kargo-demo', 'guestbook').metadata!
        .annotations!['kargo.akuity.io/refresh'],
    ).toBeTruthy();

    expect(
      (await call('POST', '/projects/kargo-demo/stages/uat/verification'))
        .status,
    ).toBe(200);
    env.sim.tick();
    const running = env.sim.store.require<Stage>('Stage', 'kargo-demo', 'uat')
      .status!.freightHistory![0].verificationHistory![0];
    expect(['Pending', 'Running']).toContain(running.phase);
    expect(
      (await call('POST', '/projects/kargo-demo/stages/uat/verification/abort'))
        .status,
    ).toBe(200);
    env.sim.tick();
    expect(
      env.sim.store.require<Stage>('Stage', 'kargo-demo', 'uat').status!
        .freightHistory![0].verificationHistory![0].phase,
    ).toBe('Aborted');
    // A stage without verification still records a Successful one once healthy
    // (verifyStageFreight), so it can be verified again: at once, Successful again.
    const before = env.sim.store.require<Stage>('Stage', 'kargo-demo', 'test')
      .status!.freightHistory![0].verificationHistory!;
    expect(before[0].phase).toBe('Successful');
    expect(
      (await call('POST', '/projects/kargo-demo/stages/test/verification'))
        .status,
    ).toBe(200);
    env.sim.tick();
    const again = env.sim.store.require<Stage>('Stage', 'kargo-demo', 'test')
      .status!.freightHistory![0].verificationHistory!;
    expect(again.map(v => v.phase)).toEqual([
      'Successful',
      ...before.map(v => v.phase),
    ]);
    expect(again[0].id).not.toBe(before[0].id);

    const promo = promoteInDemo(env.sim, 'prod', inTest.metadata!.name);
    expect(
      (
        await call(
          'POST',
          `/projects/kargo-demo/promotions/${promo.metadata!.name}/abort`,
        )
      ).status,
    ).toBe(200);
    env.sim.tick();
    expect(
      env.sim.store.require<Promotion>(
        'Promotion',
        'kargo-demo',
        promo.metadata!.name!,
      ).status?.phase,
    ).toBe('Aborted');
    expect(
      (
        await call(
          'POST',
          `/projects/kargo-demo/promotions/${promo.metadata!.name}/abort`,
        )
      ).status,
    ).toBe(200); // already finished: a no-op, as in Kargo
  });

  it('creates, updates and deletes resources from YAML manifests', async () => {
    const manifest = `apiVersion: kargo.akuity.io/v1alpha1
kind: Warehouse
metadata: { name: extra, namespace: kargo-demo }
spec:
  subscriptions:
    - image: { repoURL: ghcr.io/example/extra }
`;
    const post = (method: string, body: string, query = '') =>
      fetch(`${env.kargo.url}/v1beta1/resources${query}`, {
        method,
        headers: {
          authorization: `Bearer ${ADMIN}`,
          'content-type': 'application/yaml',
        },
        body,
      }).then(async r => ({ status: r.status, body: await r.json() }));
    const created = await post('POST', manifest);
    expect(created.body.results[0].createdResourceManifest.metadata.name).toBe(
      'extra',
    );
    // One manifest: its error is the response's (409), as in Kargo.
    expect(await post('POST', manifest)).toEqual({
      status: 409,
      body: {
        error:
          'create resource: warehouse.kargo.akuity.io "extra" already exists',
      },
    });
    const updated = await post('PUT', manifest.replace('extra }', 'extra-2 }'));
    expect(
      updated.body.results[0].updatedResourceManifest.spec.subscriptions[0]
        .image.repoURL,
    ).toBe('ghcr.io/example/extra-2');
    expect(
      (await post('DELETE', manifest)).body.results[0].deletedResourceManifest
        .metadata.name,
    ).toBe('extra'); // the manifest as submitted
    expect(
      env.sim.store.get('Warehouse', 'kargo-demo', 'extra'),
    ).toBeUndefined();
    expect((await post('POST', 'kind: [unclosed')).status).toBe(400);
  });
});
