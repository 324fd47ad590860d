import express, { Request, Response } from 'express';
import { authorize } from './auth';
import { HttpError } from './HttpError';
import { jsonBody } from './requests';

/** What Kargo shows instead of a secret's value. */
export const REDACTED = '*** REDACTED ***';

interface StoredCredentials {
  name: string;
  namespace: string;
  type: 'git' | 'helm' | 'image';
  repoUrl: string;
  repoUrlIsRegex: boolean;
  username: string;
  password: string;
  description?: string;
  creationTimestamp: string;
}

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const TYPES = ['git', 'helm', 'image'];

/** The fields a create or a replace sets from the body, as Kargo stores them. */
function credentialFields(body: StoredCredentials) {
  return {
    type: body.type,
    repoUrl: body.repoUrl,
    repoUrlIsRegex: Boolean(body.repoUrlIsRegex),
    username: body.username,
    password: body.password,
    description: body.description || undefined,
  };
}

/** A credentials Secret as Kargo's API returns it: the password redacted. */
function toSecret(c: StoredCredentials) {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: c.name,
      namespace: c.namespace,
      creationTimestamp: c.creationTimestamp,
      labels: { 'kargo.akuity.io/cred-type': c.type },
      ...(c.description
        ? { annotations: { 'kargo.akuity.io/description': c.description } }
        : {}),
    },
    type: 'Opaque',
    stringData: {
      repoURL: c.repoUrl,
      ...(c.repoUrlIsRegex ? { repoURLIsRegex: 'true' } : {}),
      username: c.username,
      password: REDACTED,
    },
  };
}

/**
 * A project's repository credentials (`/v1beta1/projects/:project/repo-credentials`) with
 * Kargo's checks: the secret is written, never read back.
 */
export class SimulatedCredentials {
  private readonly stored = new Map<string, StoredCredentials>();

  constructor(private readonly isoNow: () => string) {}

  /** Test helper: the password as stored (the API never returns it). */
  passwordOf(project: string, name: string): string | undefined {
    return this.stored.get(`${project}/${name}`)?.password;
  }

  routes(): express.Router {
    const router = express.Router({ mergeParams: true });
    const key = (req: Request, name = req.params.name) =>
      `${req.params.project}/${name}`;
    const find = (req: Request) => {
      const found = this.stored.get(key(req));
      if (!found) {
        throw new HttpError(404, `secrets "${req.params.name}" not found`);
      }
      return found;
    };
    /** `whole`: create and PUT need every field, PATCH only the ones it changes. */
    const check = (
      body: any,
      whole: 'create' | 'replace' | false,
    ): Partial<StoredCredentials> => {
      if (whole === 'create' && !NAME.test(body?.name ?? '')) {
        throw new HttpError(
          400,
          'name should not be empty and must be a valid name',
        );
      }
      if (whole && !body?.type) {
        throw new HttpError(400, 'type should not be empty');
      }
      // Kargo's PATCH sets any type it is given (and then no longer knows the secret).
      if (body?.type && !TYPES.includes(body.type)) {
        throw new HttpError(400, 'type should be one of git, helm, or image');
      }
      if (whole && !body?.repoUrl) {
        throw new HttpError(400, 'repoUrl should not be empty');
      }
      if (whole && !body?.username) {
        throw new HttpError(400, 'username should not be empty');
      }
      if (whole && !body?.password) {
        throw new HttpError(400, 'password should not be empty');
      }
      if (body?.repoUrlIsRegex && body?.repoUrl) {
        try {
          RegExp(body.repoUrl);
        } catch {
          throw new HttpError(400, 'repoUrl is not a valid regular expression');
        }
      }
      return body;
    };

    router.get('/', (req: Request, res: Response) => {
      authorize(res, 'list', 'secrets', req.params.project);
      res.json({
        metadata: {},
        items: [...this.stored.values()]
          .filter(c => c.namespace === req.params.project)
          .sort((a, b) => a.name.localeCompare(b.name))
          .map(toSecret),
      });
    });
    router.get('/:name', (req: Request, res: Response) => {
      authorize(res, 'get', 'secrets', req.params.project, req.params.name);
      res.json(toSecret(find(req)));
    });
    router.post('/', (req: Request, res: Response) => {
      authorize(res, 'create', 'secrets', req.params.project);
      const body = check(jsonBody(req), 'create') as StoredCredentials;
      if (this.stored.has(key(req, body.name))) {
        throw new HttpError(409, `secrets "${body.name}" already exists`);
      }
      const created: StoredCredentials = {
        name: body.name,
        namespace: req.params.project,
        ...credentialFields(body),
        creationTimestamp: this.isoNow(),
      };
      this.stored.set(key(req, body.name), created);
      res.status(201).json(toSecret(created));
    });
    // PUT replaces the credentials whole (update_repo_credentials_v1alpha1.go): every field
    // is required but the description, and one left out is removed.
    router.put('/:name', (req: Request, res: Response) => {
      authorize(res, 'update', 'secrets', req.params.project, req.params.name);
      const body = check(jsonBody(req), 'replace') as StoredCredentials;
      const existing = find(req);
      Object.assign(existing, credentialFields(body));
      res.json(toSecret(existing));
    });
    // PATCH changes only the fields given non-empty (patch_repo_credentials_v1alpha1.go): an
    // empty description removes it, repoUrlIsRegex counts only along with repoUrl.
    router.patch('/:name', (req: Request, res: Response) => {
      authorize(res, 'update', 'secrets', req.params.project, req.params.name);
      const body = check(jsonBody(req), false);
      const existing = find(req);
      if (body.description !== undefined) {
        existing.description = body.description || undefined;
      }
      if (body.type) existing.type = body.type;
      if (body.repoUrl) {
        existing.repoUrl = body.repoUrl;
        existing.repoUrlIsRegex = Boolean(body.repoUrlIsRegex);
      }
      if (body.username) existing.username = body.username;
      if (body.password) existing.password = body.password;
      res.json(toSecret(existing));
    });
    router.delete('/:name', (req: Request, res: Response) => {
      authorize(res, 'delete', 'secrets', req.params.project, req.params.name);
      find(req);
      this.stored.delete(key(req));
      res.json({});
    });
    return router;
  }
}
