import { createHash, randomBytes } from 'node:crypto';
import express, { Request, Response } from 'express';
import type { KargoSimulator } from '../KargoSimulator';
import { KARGO_NAMESPACE, SYSTEM_ROLE_RULES } from '../rbac/policyRules';
import { authorize, SimulatorToken } from './auth';
import { HttpError } from './HttpError';
import { Handler, jsonBody, queryParam, stringField, wrap } from './requests';

const API_TOKEN_LABEL = 'rbac.kargo.akuity.io/api-token';
const MANAGED_ANNOTATION = 'rbac.kargo.akuity.io/managed';
const SA_NAME_ANNOTATION = 'kubernetes.io/service-account.name';
const SA_UID_ANNOTATION = 'kubernetes.io/service-account.uid';
const REDACTED = '*** REDACTED ***';
/** Kubernetes' DNS-1123 subdomain, which Secret names must be. */
const SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

interface StoredToken {
  name: string;
  namespace: string;
  role: string;
  token: string;
  uid: string;
  resourceVersion: string;
  creationTimestamp: string;
}

const b64 = (text: string) => Buffer.from(text).toString('base64');
const b64url = (value: object) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');
/** A stable UUID for a name, as Kubernetes would have given the object. */
const uidOf = (...parts: string[]) => {
  const h = createHash('sha1').update(parts.join('/')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(
    16,
    20,
  )}-${h.slice(20, 32)}`;
};

/**
 * A ServiceAccount token as Kubernetes' token controller writes it into a
 * `kubernetes.io/service-account-token` Secret: a JWT with the legacy token claims. The
 * simulator knows its tokens by value; the signature is random.
 */
function serviceAccountJwt(namespace: string, name: string, role: string) {
  const header = b64url({ alg: 'RS256', kid: 'kargo-simulator' });
  const claims = b64url({
    iss: 'kubernetes/serviceaccount',
    'kubernetes.io/serviceaccount/namespace': namespace,
    'kubernetes.io/serviceaccount/secret.name': name,
    'kubernetes.io/serviceaccount/service-account.name': role,
    'kubernetes.io/serviceaccount/service-account.uid': uidOf(namespace, role),
    sub: `system:serviceaccount:${namespace}:${role}`,
  });
  return `${header}.${claims}.${randomBytes(32).toString('base64url')}`;
}

/** The token Secret as Kargo answers it (corev1.Secret; `data` base64, the token redacted or not). */
function toSecret(t: StoredToken, redact: boolean) {
  const saUid = uidOf(t.namespace, t.role);
  return {
    metadata: {
      name: t.name,
      namespace: t.namespace,
      uid: t.uid,
      resourceVersion: t.resourceVersion,
      creationTimestamp: t.creationTimestamp,
      labels: { [API_TOKEN_LABEL]: 'true' },
      annotations: {
        [SA_NAME_ANNOTATION]: t.role,
        [SA_UID_ANNOTATION]: saUid,
        [MANAGED_ANNOTATION]: 'true',
      },
      ownerReferences: [
        { apiVersion: 'v1', kind: 'ServiceAccount', name: t.role, uid: saUid },
      ],
    },
    data: {
      // Not a certificate: the simulator has no cluster CA.
      'ca.crt': b64('kargo-simulator has no cluster CA\n'),
      namespace: b64(t.namespace),
      token: b64(redact ? REDACTED : t.token),
    },
    type: 'kubernetes.io/service-account-token',
  };
}

/**
 * Kargo's API tokens (pkg/server/{create,list,get,delete}_api_token_v1alpha1.go and
 * pkg/server/rbac/roles.go): long-lived ServiceAccount token Secrets of a Kargo role, in the
 * project's namespace or, for system-level roles, Kargo's own. Whoever holds one acts with the
 * role's rules. Kargo reads and writes these as the caller, so creating one needs `create`
 * (and `get`) on Secrets there: a project's kargo-admin, or the system kargo-admin.
 */
export class SimulatedApiTokens {
  private readonly stored = new Map<string, StoredToken>();
  private version = 0;

  constructor(private readonly isoNow: () => string) {}

  /** The token's rights, for the auth middleware; undefined once it is deleted. */
  lookup(token: string): SimulatorToken | undefined {
    for (const t of this.stored.values()) {
      if (t.token === token) {
        return t.namespace === KARGO_NAMESPACE
          ? { token, role: t.role }
          : { token, role: t.role, project: t.namespace };
      }
    }
    return undefined;
  }

  create(namespace: string, role: string, name: string) {
    const key = `${namespace}/${name}`;
    const where = `token Secret "${name}" for ServiceAccount "${role}" in namespace "${namespace}"`;
    if (!SUBDOMAIN.test(name) || name.length > 253) {
      throw new HttpError(
        422,
        `error creating ${where}: Secret "${name}" is invalid: metadata.name: Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      );
    }
    if (this.stored.has(key)) {
      throw new HttpError(
        409,
        `error creating ${where}: secrets "${name}" already exists`,
      );
    }
    const created: StoredToken = {
      name,
      namespace,
      role,
      token: serviceAccountJwt(namespace, name, role),
      uid: uidOf(namespace, 'secrets', name, String(Date.now())),
      resourceVersion: String(++this.version),
      creationTimestamp: this.isoNow(),
    };
    this.stored.set(key, created);
    return toSecret(created, false);
  }

  list(namespace: string, role: string) {
    const items = [...this.stored.values()]
      .filter(t => t.namespace === namespace && (!role || t.role === role))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(t => toSecret(t, true));
    // corev1.SecretList{Items: tokens}: a nil slice when there are none.
    return { metadata: {}, items: items.length ? items : null };
  }

  get(namespace: string, name: string) {
    const found = this.stored.get(`${namespace}/${name}`);
    if (!found) {
      throw new HttpError(
        404,
        `error getting token Secret "${name}" in namespace "${namespace}": secrets "${name}" not found`,
      );
    }
    return found;
  }

  delete(namespace: string, name: string) {
    this.get(namespace, name);
    this.stored.delete(`${namespace}/${name}`);
  }

  /** The project (`/projects/:project/...`) and system (`/system/...`) routes. */
  routes(sim: KargoSimulator): express.Router {
    const api = express.Router();
    const route = (
      method: 'get' | 'post' | 'delete',
      path: string,
      handler: Handler,
    ) => api[method](path, wrap(handler));
    const namespaceOf = (req: Request) => req.params.project ?? KARGO_NAMESPACE;

    /**
     * rolesDatabase.GetAsResources as the caller: get the role's ServiceAccount, list the
     * RoleBindings, get the Role bound to it. System-level roles are the chart's.
     */
    const requireRole = (req: Request, res: Response, role: string) => {
      const ns = namespaceOf(req);
      const saError = `error getting ServiceAccount "${role}" in namespace "${ns}": `;
      authorize(res, 'get', 'serviceaccounts', ns, role, saError);
      const exists = req.params.project
        ? (sim.roles.ensureDefaults(
            ns,
            sim.store.get('Project', '', ns)?.metadata?.creationTimestamp ?? '',
          ),
          sim.roles.list(ns).some(r => r.metadata.name === role))
        : Boolean(SYSTEM_ROLE_RULES[role]);
      if (!exists) {
        throw new HttpError(
          404,
          `${saError}ServiceAccount "${role}" not found`,
        );
      }
      authorize(
        res,
        'list',
        'rolebindings',
        ns,
        undefined,
        `error listing RoleBindings in namespace "${ns}": `,
      );
      // Project roles are bound to a Role of their name; of the system roles only kargo-admin is.
      if (req.params.project || role === 'kargo-admin') {
        authorize(
          res,
          'get',
          'roles',
          ns,
          role,
          `error getting Role "${role}" in namespace "${ns}": `,
        );
      }
    };

    const create = (req: Request, res: Response) => {
      const body = jsonBody(req);
      const name = stringField(body, 'name');
      if (!name) throw new HttpError(400, 'name should not be empty');
      const ns = namespaceOf(req);
      const { role } = req.params;
      requireRole(req, res, role);
      const where = `token Secret "${name}" for ServiceAccount "${role}" in namespace "${ns}"`;
      authorize(
        res,
        'create',
        'secrets',
        ns,
        name,
        `error creating ${where}: `,
      );
      const secret = this.create(ns, role, name);
      // Kargo reads the Secret back, as the caller, until the token controller filled it in.
      authorize(
        res,
        'get',
        'secrets',
        ns,
        name,
        `error while waiting for token Secret "${name}" in namespace "${ns}" to be populated: `,
      );
      res.status(201).json(secret);
    };
    const list = (req: Request, res: Response) => {
      const ns = namespaceOf(req);
      const role = queryParam(req, 'role');
      if (role) requireRole(req, res, role);
      authorize(
        res,
        'list',
        'secrets',
        ns,
        undefined,
        `error listing token Secrets for ServiceAccount "${role}" in namespace "${ns}": `,
      );
      res.json(this.list(ns, role));
    };
    /** The token Secret of the route (`:apitoken`), the caller allowed to `verb` it. */
    const authorizeToken = (
      req: Request,
      res: Response,
      verb: 'get' | 'delete',
    ) => {
      const ns = namespaceOf(req);
      const name = req.params.apitoken;
      const doing = verb === 'get' ? 'getting' : 'deleting';
      authorize(
        res,
        verb,
        'secrets',
        ns,
        name,
        `error ${doing} token Secret "${name}" in namespace "${ns}": `,
      );
      return { ns, name };
    };
    const getOne = (req: Request, res: Response) => {
      const { ns, name } = authorizeToken(req, res, 'get');
      res.json(toSecret(this.get(ns, name), true));
    };
    const remove = (req: Request, res: Response) => {
      const { ns, name } = authorizeToken(req, res, 'get');
      this.get(ns, name);
      authorizeToken(req, res, 'delete');
      this.delete(ns, name);
      res.status(204).end();
    };

    // get_role_v1alpha1.go getSystemRole: a system role as GetAsResources finds it, its rules
    // only those of RoleBindings in Kargo's namespace (the ClusterRole's are not shown).
    route('get', '/system/roles/:role', (req, res) => {
      const { role } = req.params;
      requireRole(req, res, role);
      res.json({
        metadata: { name: role, namespace: KARGO_NAMESPACE },
        kargoManaged: false,
        rules:
          role === 'kargo-admin'
            ? [{ verbs: ['*'], apiGroups: [''], resources: ['secrets'] }]
            : [],
      });
    });
    route('post', '/projects/:project/roles/:role/api-tokens', create);
    route('get', '/projects/:project/api-tokens', list);
    route('get', '/projects/:project/api-tokens/:apitoken', getOne);
    route('delete', '/projects/:project/api-tokens/:apitoken', remove);
    route('post', '/system/roles/:role/api-tokens', create);
    route('get', '/system/api-tokens', list);
    route('get', '/system/api-tokens/:apitoken', getOne);
    route('delete', '/system/api-tokens/:apitoken', remove);
    return api;
  }
}
