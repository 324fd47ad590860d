import { NextFunction, Request, Response } from 'express';
import { HttpError } from './HttpError';

/** What a bearer token may do: a small stand-in for Kargo's roles (kargo-viewer/-promoter/-admin). */
export interface SimulatorToken {
  token: string;
  role: 'viewer' | 'promoter' | 'admin';
  /** Projects the token reaches; all when absent. */
  projects?: string[];
  /** Recorded as the actor of what it does, e.g. `admin` or `email:dana@example.com`. */
  actor?: string;
}

export const DEFAULT_TOKENS: SimulatorToken[] = [
  { token: 'kargo-simulator-admin-token', role: 'admin', actor: 'admin' },
];

const RANK = { viewer: 0, promoter: 1, admin: 2 };

/** Kargo's auth middleware: only login and the public config are open. */
export function authenticate(tokens: SimulatorToken[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.header('authorization') ?? '';
    const value = header.startsWith('Bearer ') ? header.slice(7) : header;
    if (!value) throw new HttpError(401, 'no token provided');
    const token = tokens.find(t => t.token === value);
    if (!token) throw new HttpError(401, 'invalid token');
    res.locals.token = token;
    next();
  };
}

export function callerOf(res: Response): SimulatorToken {
  return res.locals.token as SimulatorToken;
}

export function actorOf(res: Response): string {
  return callerOf(res).actor ?? 'unknown actor';
}

/**
 * Kargo's SubjectAccessReview, reduced to roles: viewers read, promoters also promote and patch,
 * admins also write resources. 403 carries Kubernetes' wording.
 */
export function authorize(
  res: Response,
  verb: string,
  resource: string,
  project: string | undefined,
  needs: SimulatorToken['role'],
  name?: string,
): void {
  const token = callerOf(res);
  const inProject =
    !project || !token.projects || token.projects.includes(project);
  if (!inProject || RANK[token.role] < RANK[needs]) {
    const object = name
      ? `${resource}.kargo.akuity.io "${name}"`
      : `${resource}.kargo.akuity.io`;
    throw new HttpError(
      403,
      `${object} is forbidden: ${verb} is not permitted`,
    );
  }
}
