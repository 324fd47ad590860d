import { Request, Response } from 'express';
import { attributes } from '../rbac/authorizer';
import { allows, authorize } from './auth';
import { HttpError } from './HttpError';
import { KargoRouteContext } from './kargoRouteContext';
import { jsonBody, queryParam } from './requests';
import { roleResources } from './roles';

/** Project roles: reads, grants and revocations of OIDC claims. */
export function roleRoutes({ get, post, sim, store }: KargoRouteContext) {
  /** Kargo's `as-resources=true`: the role's Kubernetes resources instead of the Role. */
  const asResources = (req: Request) =>
    queryParam(req, 'as-resources') === 'true';
  const roles = (project: string) => {
    sim.roles.ensureDefaults(
      project,
      store.get('Project', '', project)?.metadata?.creationTimestamp ?? '',
    );
    return sim.roles;
  };
  /** rolesDatabase.GetAsResources as the caller: the ServiceAccount, RoleBindings and Role. */
  const roleResourcesRight = (res: Response, project: string, role: string) => {
    authorize(
      res,
      'get',
      'serviceaccounts',
      project,
      role,
      `error getting ServiceAccount "${role}" in namespace "${project}": `,
    );
    authorize(
      res,
      'list',
      'rolebindings',
      project,
      undefined,
      `error listing RoleBindings in namespace "${project}": `,
    );
    authorize(
      res,
      'get',
      'roles',
      project,
      role,
      `error getting Role "${role}" in namespace "${project}": `,
    );
  };
  get('/projects/:project/roles', (req, res) => {
    authorize(
      res,
      'list',
      'serviceaccounts',
      req.params.project,
      undefined,
      `error listing ServiceAccounts in namespace "${req.params.project}": `,
    );
    for (const role of roles(req.params.project).list(req.params.project)) {
      roleResourcesRight(res, req.params.project, role.metadata.name);
    }
    // A bare array, not a list object (list_roles_v1alpha1.go).
    const list = roles(req.params.project).list(req.params.project);
    res.json(asResources(req) ? list.map(roleResources) : list);
  });
  get('/projects/:project/roles/:role', (req, res) => {
    roleResourcesRight(res, req.params.project, req.params.role);
    const role = roles(req.params.project).get(
      req.params.project,
      req.params.role,
    );
    res.json(asResources(req) ? roleResources(role) : role);
  });
  for (const [path, change] of [
    ['grants', 'grant'],
    ['revocations', 'revoke'],
  ] as const) {
    post(`/projects/:project/roles/${path}`, (req, res) => {
      const body = jsonBody(req) as any;
      if (!body.role || !body.userClaims?.claims) {
        throw new HttpError(400, 'role and userClaims are required');
      }
      const { project } = req.params;
      roleResourcesRight(res, project, body.role);
      if (change === 'grant') {
        // verifyBindingNotEscalating (pkg/server/rbac/escalation.go): whoever binds users to a
        // role must hold every permission of it.
        const target = roles(project).get(project, body.role);
        for (const rule of target.rules) {
          for (const verb of rule.verbs) {
            const ra = attributes(
              verb,
              rule.resources[0],
              project,
              rule.resourceNames?.[0],
            );
            if (!allows(res, ra)) {
              const resource = ra.group
                ? `${ra.resource}.${ra.group}`
                : ra.resource;
              throw new HttpError(
                403,
                `${resource}${
                  ra.name ? ` "${ra.name}"` : ''
                } is forbidden: requester may not grant permissions it does not hold: verb "${verb}" on resource "${
                  rule.resources[0]
                }"`,
              );
            }
          }
        }
      }
      authorize(
        res,
        'update',
        'serviceaccounts',
        project,
        body.role,
        `error updating ServiceAccount "${body.role}" in namespace "${project}": `,
      );
      res.json(
        roles(req.params.project)[change](
          req.params.project,
          body.role,
          body.userClaims.claims,
        ),
      );
    });
  }
}
