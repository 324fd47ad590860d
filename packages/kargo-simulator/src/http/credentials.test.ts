import { simulatorForEachTest } from '../__testUtils__/testSimulator';
import { DEFAULT_TOKENS } from './auth';
import { REDACTED } from './credentials';

const env = simulatorForEachTest({
  tokens: [
    ...DEFAULT_TOKENS,
    {
      token: 'viewer',
      role: 'kargo-viewer',
      project: 'kargo-demo',
      actor: 'email:viewer@example.com',
    },
  ],
});
/** The answer as text, to show that no secret is in it anywhere. */
const call = async (
  method: string,
  path: string,
  body?: unknown,
  token?: string,
) => {
  const answer = await env.call(method, path, { body, token });
  return { status: answer.status, text: JSON.stringify(answer.body) };
};

const creds = '/projects/kargo-demo/repo-credentials';

describe('repository credentials', () => {
  it('are written, never read back', async () => {
    const created = await call('POST', creds, {
      name: 'deploy-repo',
      type: 'git',
      repoUrl: 'https://github.com/example/guestbook-deploy.git',
      username: 'bot',
      password: 's3cr3t-value',
      description: 'push to the deploy repo',
    });
    expect(created.status).toBe(201);
    expect(created.text).not.toContain('s3cr3t-value');
    expect(JSON.parse(created.text).stringData).toEqual({
      repoURL: 'https://github.com/example/guestbook-deploy.git',
      username: 'bot',
      password: REDACTED,
    });
    const listed = await call('GET', creds);
    expect(listed.text).not.toContain('s3cr3t-value');
    expect(JSON.parse(listed.text).items).toHaveLength(1);

    // PATCH changes the fields it is given and keeps the password; PUT replaces the
    // credentials whole and refuses an empty password.
    const patched = await call('PATCH', `${creds}/deploy-repo`, {
      username: 'robot',
    });
    expect(patched.status).toBe(200);
    expect(JSON.parse(patched.text).stringData.username).toBe('robot');
    expect(env.sim.credentials.passwordOf('kargo-demo', 'deploy-repo')).toBe(
      's3cr3t-value',
    );
    const replace = {
      type: 'git',
      repoUrl: 'https://github.com/example/guestbook-deploy.git',
      username: 'robot',
    };
    const refused = await call('PUT', `${creds}/deploy-repo`, replace);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('password should not be empty');
    const replaced = await call('PUT', `${creds}/deploy-repo`, {
      ...replace,
      password: 'rotated',
    });
    expect(replaced.status).toBe(200);
    // A description left out of a PUT is removed.
    expect(JSON.parse(replaced.text).metadata.annotations).toBeUndefined();
    expect(env.sim.credentials.passwordOf('kargo-demo', 'deploy-repo')).toBe(
      'rotated',
    );

    expect((await call('DELETE', `${creds}/deploy-repo`)).status).toBe(200);
    expect((await call('GET', `${creds}/deploy-repo`)).status).toBe(404);
  });

  it.each([
    [{ type: 'git', repoUrl: 'x', username: 'u', password: 'p' }, 'name'],
    [
      { name: 'a', type: 'svn', repoUrl: 'x', username: 'u', password: 'p' },
      'type',
    ],
    [{ name: 'a', type: 'git', username: 'u', password: 'p' }, 'repoUrl'],
    [{ name: 'a', type: 'git', repoUrl: 'x', username: 'u' }, 'password'],
    [
      {
        name: 'a',
        type: 'git',
        repoUrl: '(',
        repoUrlIsRegex: true,
        username: 'u',
        password: 'p',
      },
      'regular expression',
    ],
  ])('refuses %j (%s)', async (body, field) => {
    const res = await call('POST', creds, body);
    expect(res.status).toBe(400);
    expect(res.text).toContain(field);
  });

  it("need a role that may read Secrets: kargo-viewer's may not", async () => {
    const res = await call('GET', creds, undefined, 'viewer');
    expect(res.status).toBe(403);
    expect(res.text).toContain('secrets is forbidden: list is not permitted');
  });
});

describe('warehouse validation', () => {
  const warehouse = (spec: unknown) => ({
    apiVersion: 'kargo.akuity.io/v1alpha1',
    kind: 'Warehouse',
    metadata: { name: 'guestbook', namespace: 'kargo-demo' },
    spec,
  });
  it.each([
    [{ subscriptions: [] }, 'spec.subscriptions'],
    [
      {
        subscriptions: [
          { image: { repoURL: 'ghcr.io/x', constraint: 'not a range' } },
        ],
      },
      'spec.subscriptions[0].image.constraint',
    ],
    [
      { subscriptions: [{ image: { repoURL: 'ghcr.io/x', allowTags: '(' } }] },
      'spec.subscriptions[0].image.allowTags',
    ],
    [
      {
        subscriptions: [
          { git: { repoURL: 'https://x', branch: 'bad branch' } },
        ],
      },
      'spec.subscriptions[0].git.branch',
    ],
    [
      {
        interval: 'often',
        subscriptions: [{ image: { repoURL: 'ghcr.io/x' } }],
      },
      'spec.interval',
    ],
    [
      { subscriptions: [{ image: { repoURL: 'a' }, git: { repoURL: 'b' } }] },
      'exactly one',
    ],
  ])('refuses %j naming %s, changing nothing', async (spec, field) => {
    const before = env.sim.store.currentResourceVersion();
    const res = await call('PUT', '/resources', warehouse(spec));
    expect(res.status).toBe(400);
    expect(res.text).toContain(field);
    expect(env.sim.store.currentResourceVersion()).toBe(before);
  });

  it('accepts a valid change', async () => {
    const res = await call(
      'PUT',
      '/resources',
      warehouse({
        interval: '10m0s',
        subscriptions: [
          {
            image: {
              repoURL: 'ghcr.io/example/guestbook',
              constraint: '^1.30.0',
            },
          },
        ],
      }),
    );
    expect(res.status).toBe(200);
  });
});
