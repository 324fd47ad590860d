import { NextFunction, Request, Response } from 'express';
import { HttpError } from './HttpError';

/** What a bearer token may do, a small stand-in for Kargo's roles (kargo-viewer/-promoter/-admin). */
export interface SimulatorToken {
  token: string;
  role: 'viewer' | 'promoter' | 'admin';
  /** Projects the token reaches; all when absent. */
  projects?: string[];
  /** Name recorded as the actor of what it does, e.g. `admin` or `email:dana@example.com`. */
  actor?: string;
}

export const DEFAULT_TOKENS: SimulatorToken[] = [
  { token: 'kargo-simulator-admin-token', role: 'admin', actor: 'admin' },
];

const RANK = { viewer: 0, promoter: 1, admin: 2 };

export interface Caller {
  token: SimulatorToken;
}

export function authenticate(tokens: SimulatorToken[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.header('authorization') ?? '';
    const match = /^Bearer (.+)$/i.exec(header);
    if (!match) {
      throw new HttpError(401, 'no token provided');
    }
    const token = tokens.find(t => t.token === match[1]);
    if (!token) {
      throw new HttpError(401, 'invalid token');
    }
    res.locals.caller = { token } satisfies Caller;
    next();
  };
}

/** Kargo checks RBAC per request (SubjectAccessReview); 403 carries Kubernetes' wording. */
export function authorize(
  res: Response,
  verb: string,
  resource: string,
  project: string | undefined,
  needs: SimulatorToken['role'],
) {
  const { token } = res.locals.caller as Caller;
  const inProject =
    !project || !token.projects || token.projects.includes(project);
  if (!inProject || RANK[token.role] < RANK[needs]) {
    throw new HttpError(
      403,
      `${token.actor ?? 'user'} is not permitted to ${verb} ${resource}${
        project ? ` in namespace "${project}"` : ''
      }`,
    );
  }
  return token.actor ?? 'admin';
}
