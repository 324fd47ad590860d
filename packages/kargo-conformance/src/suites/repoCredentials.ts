import { Suite } from './suite';

const REDACTED = '*** REDACTED ***';

/**
 * Kargo's repository credentials routes: PUT replaces the credentials whole and refuses an
 * empty password (pkg/server/update_repo_credentials_v1alpha1.go); PATCH changes only the
 * fields it is given (patch_repo_credentials_v1alpha1.go). Both answer the Secret redacted.
 * A real Kargo must run with SECRET_MANAGEMENT_ENABLED=true (the Helm chart's default).
 */
export const repoCredentials: Suite = {
  title: 'repository credentials',
  define(c) {
    let project: string;
    beforeAll(async () => {
      project = await c().newProject('creds');
    });
    const path = (name = '') =>
      `/v1beta1/projects/${project}/repo-credentials${name ? `/${name}` : ''}`;
    const create = async (name: string) => {
      const answer = await c().api('POST', path(), {
        body: {
          name,
          type: 'git',
          repoUrl: 'https://git.example.com/conformance/app.git',
          username: 'bot',
          password: 'first',
          description: 'the app repository',
        },
      });
      expect(answer.status).toBe(201);
      return answer.json;
    };

    it('creates credentials and answers them redacted', async () => {
      const created = await create('created');
      expect(created.metadata.labels['kargo.akuity.io/cred-type']).toBe('git');
      expect(created.metadata.annotations['kargo.akuity.io/description']).toBe(
        'the app repository',
      );
      expect(created.stringData).toEqual({
        repoURL: 'https://git.example.com/conformance/app.git',
        username: 'bot',
        password: REDACTED,
      });
      expect(created.data).toBeUndefined();
    });

    it('refuses a PUT without a password: PUT replaces the credentials whole', async () => {
      await create('put-no-password');
      const answer = await c().api('PUT', path('put-no-password'), {
        body: {
          type: 'git',
          repoUrl: 'https://git.example.com/conformance/other.git',
          username: 'bot',
        },
      });
      expect(answer.status).toBe(400);
      expect(answer.json.error).toContain('password should not be empty');
    });

    it('replaces every field with PUT, the description too when left out', async () => {
      await create('put-replaces');
      const answer = await c().api('PUT', path('put-replaces'), {
        body: {
          type: 'helm',
          repoUrl: 'https://charts.example.com/.*',
          repoUrlIsRegex: true,
          username: 'robot',
          password: 'second',
        },
      });
      expect(answer.status).toBe(200);
      expect(answer.json.metadata.labels['kargo.akuity.io/cred-type']).toBe(
        'helm',
      );
      expect(
        answer.json.metadata.annotations?.['kargo.akuity.io/description'],
      ).toBeUndefined();
      expect(answer.json.stringData).toEqual({
        repoURL: 'https://charts.example.com/.*',
        repoURLIsRegex: 'true',
        username: 'robot',
        password: REDACTED,
      });
    });

    it('changes only the given fields with PATCH, keeping the password', async () => {
      await create('patched');
      const answer = await c().api('PATCH', path('patched'), {
        body: { username: 'robot' },
      });
      expect(answer.status).toBe(200);
      expect(answer.json.metadata.labels['kargo.akuity.io/cred-type']).toBe(
        'git',
      );
      expect(
        answer.json.metadata.annotations['kargo.akuity.io/description'],
      ).toBe('the app repository');
      expect(answer.json.stringData).toEqual({
        repoURL: 'https://git.example.com/conformance/app.git',
        username: 'robot',
        password: REDACTED,
      });
      // An empty description clears it; a left-out one is kept.
      const cleared = await c().api('PATCH', path('patched'), {
        body: { description: '' },
      });
      expect(cleared.status).toBe(200);
      expect(
        cleared.json.metadata.annotations?.['kargo.akuity.io/description'],
      ).toBeUndefined();
      expect(cleared.json.stringData.username).toBe('robot');
    });

    it('answers 404 to a PATCH of credentials that do not exist', async () => {
      const answer = await c().api('PATCH', path('nope'), {
        body: { username: 'robot' },
      });
      expect(answer.status).toBe(404);
      expect(typeof answer.json?.error).toBe('string');
    });

    it('updates with the client: PATCH keeps the stored password, PUT replaces it', async () => {
      await create('client');
      const client = c().client();
      const patched = await client.patchRepoCredentials(project, 'client', {
        repoUrl: 'https://git.example.com/conformance/moved.git',
      });
      expect(patched.stringData?.repoURL).toBe(
        'https://git.example.com/conformance/moved.git',
      );
      const replaced = await client.updateRepoCredentials(project, 'client', {
        type: 'git',
        repoUrl: 'https://git.example.com/conformance/moved.git',
        username: 'robot',
        password: 'third',
      });
      expect(replaced.stringData).toMatchObject({
        username: 'robot',
        password: REDACTED,
      });
      expect(
        replaced.metadata?.annotations?.['kargo.akuity.io/description'],
      ).toBeUndefined();
    });
  },
};
