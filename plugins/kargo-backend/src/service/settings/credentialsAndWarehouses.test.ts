import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Freight, Warehouse } from '@kargo-backstage/plugin-kargo-common';
import request from 'supertest';
import { denying, kargoForEachTest } from '../../testUtils';

const env = kargoForEachTest();
let logged: string[];

beforeEach(() => {
  logged = [];
  const capture = (...args: unknown[]) => {
    logged.push(
      args
        .map(a => (typeof a === 'string' ? a : JSON.stringify(a) ?? String(a)))
        .join(' '),
    );
  };
  for (const level of ['error', 'warn', 'info', 'debug', 'log'] as const) {
    jest.spyOn(console, level).mockImplementation(capture);
  }
});
// The test backends stop after the last test, still logging at debug level: keep capturing.
afterAll(() => jest.restoreAllMocks());

const settings = '/api/kargo/instances/sim/projects/kargo-demo/settings';
const dev = mockCredentials.user.header('user:default/dev');
/** kargo.project.manage for everyone but user:default/dev. */
const permissions = denying('kargo.project.manage', 'user:default/dev');
const backend = () =>
  env.backend({
    permissions,
    // Log everything, to check that no secret is ever written.
    features: [mockServices.rootLogger.factory({ level: 'debug' })],
  });
const warehouse = () =>
  env.sim.store.require<Warehouse>('Warehouse', 'kargo-demo', 'guestbook');

describe('repository credentials from the portal', () => {
  const SECRET = 'sekret-PASSWORD-123';
  const ROTATED = 'rotated-SECRET-456';

  it('are created, listed, updated and deleted; no answer, audit record or log line holds a secret', async () => {
    const server = await backend();
    const answers: string[] = [];
    const send = async (r: request.Test) => {
      const res = await r;
      answers.push(res.text);
      return res;
    };
    const created = await send(
      request(server).post(`${settings}/credentials`).send({
        name: 'deploy-repo',
        type: 'git',
        repoUrl: 'https://github.com/example/guestbook-deploy.git',
        username: 'bot',
        password: SECRET,
        description: 'push to the deploy repo',
      }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      name: 'deploy-repo',
      type: 'git',
      repoUrl: 'https://github.com/example/guestbook-deploy.git',
      repoUrlIsRegex: false,
      username: 'bot',
      description: 'push to the deploy repo',
    });
    expect(env.sim.credentials.passwordOf('kargo-demo', 'deploy-repo')).toBe(
      SECRET,
    );

    const listed = await send(request(server).get(`${settings}/credentials`));
    expect(listed.body.items.map((c: any) => c.name)).toEqual(['deploy-repo']);
    const all = await send(request(server).get(settings));
    expect(all.body.credentials).toHaveLength(1);

    const kept = await send(
      request(server).put(`${settings}/credentials/deploy-repo`).send({
        type: 'git',
        repoUrl: 'https://github.com/example/guestbook-deploy.git',
        username: 'robot',
      }),
    );
    expect(kept.status).toBe(200);
    expect(env.sim.credentials.passwordOf('kargo-demo', 'deploy-repo')).toBe(
      SECRET,
    );
    // Kargo's PUT refuses an empty password: keeping the stored one is a PATCH, which still
    // replaces every other field (the description left out is removed).
    const repoCredentials =
      '/v1beta1/projects/kargo-demo/repo-credentials/deploy-repo';
    expect(env.kargo.requestLog).toContain(`PATCH ${repoCredentials}`);
    expect(env.kargo.requestLog).not.toContain(`PUT ${repoCredentials}`);
    expect(kept.body).toMatchObject({ username: 'robot' });
    expect(kept.body.description).toBeUndefined();
    // The stored password never follows the credentials to another repository.
    const redirected = await send(
      request(server).put(`${settings}/credentials/deploy-repo`).send({
        type: 'git',
        repoUrl: 'https://attacker.example.com/collect.git',
        username: 'robot',
      }),
    );
    expect(redirected.status).toBe(400);
    expect(redirected.body.error.message).toMatch(/^password: required/);
    const afterRedirect = await send(
      request(server).get(`${settings}/credentials`),
    );
    expect(afterRedirect.body.items[0].repoUrl).toBe(
      'https://github.com/example/guestbook-deploy.git',
    );
    await send(
      request(server).put(`${settings}/credentials/deploy-repo`).send({
        type: 'git',
        repoUrl: 'https://github.com/example/guestbook-deploy.git',
        username: 'robot',
        password: ROTATED,
      }),
    );
    expect(env.sim.credentials.passwordOf('kargo-demo', 'deploy-repo')).toBe(
      ROTATED,
    );
    expect(env.kargo.requestLog).toContain(`PUT ${repoCredentials}`);

    // Refused attempts carry the secret too.
    const denied = await send(
      request(server)
        .post(`${settings}/credentials`)
        .set('authorization', dev)
        .send({
          name: 'x',
          type: 'git',
          repoUrl: 'https://x',
          username: 'u',
          password: SECRET,
        }),
    );
    expect(denied.status).toBe(403);
    const bad = await send(
      request(server).post(`${settings}/credentials`).send({
        name: 'Bad Name',
        type: 'git',
        repoUrl: 'https://x',
        username: 'u',
        password: SECRET,
      }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('name');

    const deleted = await send(
      request(server).delete(`${settings}/credentials/deploy-repo`),
    );
    expect(deleted.status).toBe(204);
    expect(
      env.sim.credentials.passwordOf('kargo-demo', 'deploy-repo'),
    ).toBeUndefined();

    expect(logged.length).toBeGreaterThan(0);
    for (const text of [...answers, JSON.stringify(env.audit), ...logged]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(ROTATED);
    }
    expect(env.audit.map(a => `${a.eventId} ${a.status}`)).toContain(
      'kargo-credentials-create succeeded',
    );
  });

  it.each([
    [
      { type: 'git', repoUrl: 'https://x', username: 'u', password: 'p' },
      'name',
    ],
    [
      {
        name: 'a',
        type: 'svn',
        repoUrl: 'https://x',
        username: 'u',
        password: 'p',
      },
      'type',
    ],
    [
      { name: 'a', type: 'git', repoUrl: 'https://x', username: 'u' },
      'password',
    ],
    [
      {
        name: 'a',
        type: 'git',
        repoUrl: '(',
        repoUrlIsRegex: true,
        username: 'u',
        password: 'p',
      },
      'repoUrl',
    ],
    [
      {
        name: 'a',
        type: 'git',
        repoUrl: 'https://x',
        username: 'u',
        password: 'p',
        token: 't',
      },
      // The spec's validator refuses unknown fields before any route runs.
      'request/body must NOT have additional properties',
    ],
  ])('refuses %j naming %s, creating nothing', async (body, field) => {
    const server = await backend();
    const res = await request(server)
      .post(`${settings}/credentials`)
      .send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(field);
    expect(
      (await request(server).get(`${settings}/credentials`)).body.items,
    ).toEqual([]);
  });
});

describe('warehouses from the portal', () => {
  const image = (extra: object = {}) => ({
    image: {
      repoURL: 'ghcr.io/example/guestbook',
      imageSelectionStrategy: 'SemVer',
      discoveryLimit: 20,
      ...extra,
    },
  });
  const git = {
    git: {
      repoURL: 'https://github.com/example/guestbook-deploy.git',
      branch: 'main',
      commitSelectionStrategy: 'NewestFromBranch',
    },
  };
  const newestTag = () =>
    env.sim.store
      .list<Freight>('Freight', 'kargo-demo')
      .sort((a, b) =>
        b.metadata!.creationTimestamp!.localeCompare(
          a.metadata!.creationTimestamp!,
        ),
      )[0].images![0].tag;

  it("change a subscription's filter; the next discovered freight follows it", async () => {
    const server = await backend();
    const res = await request(server)
      .put(`${settings}/warehouses/guestbook`)
      .send({ subscriptions: [image({ constraint: '>=1.0.0 <1.40.0' }), git] });
    expect(res.status).toBe(200);
    expect((warehouse().spec.subscriptions![0] as any).image.constraint).toBe(
      '>=1.0.0 <1.40.0',
    );
    expect(warehouse().spec.interval).toBe('5m0s'); // untouched fields stay

    env.sim.registry.publishImage('ghcr.io/example/guestbook', '1.45.0');
    env.sim.registry.publishImage('ghcr.io/example/guestbook', '1.39.0');
    env.sim.discoverWarehouse('kargo-demo', 'guestbook');
    expect(newestTag()).toBe('1.39.0');
    expect(env.audit).toContainEqual(
      expect.objectContaining({
        eventId: 'kargo-warehouse-update',
        status: 'succeeded',
      }),
    );
  });

  it.each([
    [
      { subscriptions: [image({ constraint: 'nope' }), git] },
      'subscriptions.0',
    ],
    [{ subscriptions: [image({ allowTags: '(' })] }, 'subscriptions.0'],
    [{ subscriptions: [{ ...image(), ...git }] }, 'subscriptions.0'],
    [{ subscriptions: [] }, 'subscriptions'],
    [{ interval: 'often', subscriptions: [image()] }, 'interval'],
    [
      { freightCreationPolicy: 'Sometimes', subscriptions: [image()] },
      'freightCreationPolicy',
    ],
  ])('refuse %j naming %s, changing nothing', async (body, field) => {
    const server = await backend();
    const before = JSON.stringify(warehouse().spec);
    const res = await request(server)
      .put(`${settings}/warehouses/guestbook`)
      .send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(field);
    expect(JSON.stringify(warehouse().spec)).toBe(before);
  });

  it('answer 404 for an unknown warehouse and 403 without kargo.project.manage', async () => {
    const server = await backend();
    const unknown = await request(server)
      .put(`${settings}/warehouses/nowhere`)
      .send({ subscriptions: [image()] });
    expect(unknown.status).toBe(404);
    const denied = await request(server)
      .put(`${settings}/warehouses/guestbook`)
      .set('authorization', dev)
      .send({ subscriptions: [image()] });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain('kargo.project.manage');
  });

  it('assemble freight by hand from what a Manual warehouse discovered', async () => {
    const server = await backend();
    const path = `${settings}/warehouses/guestbook/freight`;
    const automatic = await request(server)
      .post(path)
      .send({
        images: [{ repoURL: 'ghcr.io/example/guestbook', tag: '1.29.0' }],
      });
    expect(automatic.status).toBe(409);

    await request(server)
      .put(`${settings}/warehouses/guestbook`)
      .send({ freightCreationPolicy: 'Manual', subscriptions: [image(), git] })
      .expect(200);
    env.sim.registry.publishImage('ghcr.io/example/guestbook', '1.50.0');
    env.sim.discoverWarehouse('kargo-demo', 'guestbook');
    const discovered = (
      warehouse().status?.discoveredArtifacts as any
    ).images[0].references.map((r: any) => r.tag);
    expect(discovered).toContain('1.50.0');

    const undiscovered = await request(server)
      .post(path)
      .send({
        images: [{ repoURL: 'ghcr.io/example/guestbook', tag: '9.9.9' }],
      });
    expect(undiscovered.status).toBe(400);

    const created = await request(server)
      .post(path)
      .send({
        images: [{ repoURL: 'ghcr.io/example/guestbook', tag: '1.50.0' }],
      });
    expect(created.status).toBe(201);
    const freight = env.sim.store.require<Freight>(
      'Freight',
      'kargo-demo',
      created.body.metadata.name,
    );
    expect(freight.images![0]).toMatchObject({
      tag: '1.50.0',
      digest: expect.stringMatching(/^sha256:/),
    });
    expect(freight.origin).toEqual({ kind: 'Warehouse', name: 'guestbook' });
  });
});
