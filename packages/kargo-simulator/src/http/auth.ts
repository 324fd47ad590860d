import { NextFunction, Request, Response } from 'express';
import {
  attributes,
  forbidden,
  ResourceAttributes,
  ruleAllows,
  rulesFor,
  Subject,
} from '../rbac/authorizer';
import {
  KARGO_NAMESPACE,
  PolicyRule,
  SYSTEM_ROLE_RULES,
} from '../rbac/policyRules';
import { HttpError } from './HttpError';

/**
 * A bearer token the simulator accepts, and whose rights it has: Kargo's admin account, or a
 * Kargo role whose rules Kubernetes RBAC evaluates, as for an API token of that role.
 */
export interface SimulatorToken {
  token: string;
  /**
   * `admin`: Kargo's admin account (`POST /v1beta1/login`), which acts with the API server's
   * own rights. Otherwise the Kargo role the token acts as: a role of `project`
   * (kargo-admin, kargo-promoter, kargo-viewer), or without a project a system-level role
   * (kargo-admin, kargo-project-creator, kargo-user, kargo-viewer).
   */
  role: string;
  /** The project whose role it is; none for a system-level role. */
  project?: string;
  /**
   * An OIDC user's name as Kargo records it (`email:dana@example.com`). Without one the token
   * is a Kubernetes (ServiceAccount) token, which Kargo records as `unknown actor`.
   */
  actor?: string;
}

export const DEFAULT_TOKENS: SimulatorToken[] = [
  { token: 'kargo-simulator-admin-token', role: 'admin', actor: 'admin' },
];

/** Refuses tokens that name no role Kargo has at that level. */
export function checkTokens(tokens: SimulatorToken[]): void {
  for (const t of tokens) {
    if (t.role !== 'admin' && !t.project && !SYSTEM_ROLE_RULES[t.role]) {
      throw new Error(
        `Token role "${t.role}" is no system-level Kargo role (${Object.keys(
          SYSTEM_ROLE_RULES,
        ).join(', ')}): give the token a project`,
      );
    }
  }
}

/** Whose rules answer a token's requests: the roles of the projects, as Kargo reports them. */
export interface Rbac {
  projectRoleRules(project: string, role: string): PolicyRule[];
}

/** Kargo's auth middleware: only login and the public config are open. */
export function authenticate(
  lookup: (token: string) => SimulatorToken | undefined,
  rbac: Rbac,
) {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.header('authorization') ?? '';
    const value = header.startsWith('Bearer ') ? header.slice(7) : header;
    if (!value) throw new HttpError(401, 'no token provided');
    const token = lookup(value);
    if (!token) throw new HttpError(401, 'invalid token');
    res.locals.token = token;
    res.locals.rbac = rbac;
    next();
  };
}

export function callerOf(res: Response): SimulatorToken {
  return res.locals.token as SimulatorToken;
}

export function actorOf(res: Response): string {
  return callerOf(res).actor ?? 'unknown actor';
}

export function subjectOf(token: SimulatorToken): Subject {
  return token.role === 'admin'
    ? { admin: true }
    : { role: token.role, namespace: token.project ?? KARGO_NAMESPACE };
}

/** Whether the caller may: Kubernetes RBAC over the rules of the caller's role. */
export function allows(res: Response, ra: ResourceAttributes): boolean {
  const subject = subjectOf(callerOf(res));
  if (subject.admin) return true;
  const rbac = res.locals.rbac as Rbac;
  return rulesFor(subject, ra.namespace, (p, r) =>
    rbac.projectRoleRules(p, r),
  ).some(rule => ruleAllows(rule, ra));
}

/**
 * Kargo's authorizing client (pkg/server/kubernetes/client.go): a SubjectAccessReview of `verb`
 * on `resource` ("stages", "freights/status", "secrets", …) in `namespace` ("" for
 * cluster-scoped resources), as the caller. 403 in Kargo's words when refused, after
 * `context`: what the handler wraps the error in (e.g. "patch annotation: ").
 */
export function authorize(
  res: Response,
  verb: string,
  resource: string,
  namespace: string,
  name?: string,
  context = '',
): void {
  const ra = attributes(verb, resource, namespace, name);
  if (!allows(res, ra)) {
    const refused = forbidden(ra, !callerOf(res).actor);
    throw new HttpError(403, `${context}${refused.message}`);
  }
}
