import express, { Request, Response } from 'express';
import type {
  Freight,
  Promotion,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';
import { ALIAS_LABEL, KargoSimulator } from '../KargoSimulator';
import {
  isFreightAvailable,
  listFreightAvailableToStage,
} from '../controller/availability';
import { Kind, KargoObject } from '../store/ResourceStore';
import { actorOf, allows, authorize } from './auth';
import { attributes } from '../rbac/authorizer';
import { Faults } from './faults';
import { HttpError } from './HttpError';
import { applyManifests, parseManifests, ResourceVerb } from './resources';
import { groupFreight, validateGrouping } from './queryFreight';
import {
  bodyText,
  Handler,
  isWatch,
  jsonBody,
  queryArray,
  queryParam,
  rawBody,
  stringField,
  wrap,
} from './requests';
import { roleResources } from './roles';
import { serveWatch } from './watch';
import { behaviourOf } from './versions';
import {
  isTargetAware,
  promotionRequestFor,
  refuseOriginForTargets,
} from './promotionRequests';

export interface KargoRoutesOptions {
  simulator: KargoSimulator;
  faults: Faults;
  keepaliveMs: number;
  version: string;
}

const PLURAL: Record<Kind, string> = {
  Project: 'projects',
  ProjectConfig: 'projectconfigs',
  Warehouse: 'warehouses',
  Freight: 'freights',
  Stage: 'stages',
  Promotion: 'promotions',
  AnalysisTemplate: 'analysistemplates',
  PromotionTask: 'promotiontasks',
};

/** The /v1beta1 routes the plugins use, with the semantics of Kargo's handlers (pkg/server). */
export function kargoRoutes(options: KargoRoutesOptions): express.Router {
  const { simulator: sim, faults } = options;
  const store = sim.store;
  const served = behaviourOf(options.version);
  /** A list's resourceVersion to watch from; Kargo before v1.11 gives none (versions.ts). */
  const listVersion = () =>
    served.watchResume ? store.currentResourceVersion() : undefined;
  const api = express.Router();
  const get = (path: string, handler: Handler) => api.get(path, wrap(handler));
  const post = (path: string, handler: Handler) =>
    api.post(path, wrap(handler));

  api.use('/resources', rawBody('4mb'));
  api.use(rawBody('1mb'));

  // Every /projects/:project route first checks that the project exists, before authorization.
  api.use('/projects/:project', (req, _res, next) => {
    next(
      store.get('Project', '', req.params.project)
        ? undefined
        : new HttpError(
            404,
            `Project.kargo.akuity.io "${req.params.project}" not found`,
          ),
    );
  });

  // Reads go through Kargo's authorizing client as the caller: get, list, or watch.
  const canRead = (
    res: Response,
    verb: 'get' | 'list' | 'watch',
    kind: Kind,
    project: string,
    name?: string,
  ) => authorize(res, verb, PLURAL[kind], project, name);

  /** A collection: listed, or with ?watch=true streamed, filtered in process like Kargo. */
  const listOrWatch = (
    req: Request,
    res: Response,
    kind: Kind,
    matches: (o: KargoObject) => boolean = () => true,
  ) => {
    const ns = req.params.project;
    canRead(res, isWatch(req) ? 'watch' : 'list', kind, ns);
    if (isWatch(req)) {
      serveWatch(store, req, res, {
        kind,
        namespace: ns,
        matches,
        resumes: served.watchResume,
        keepaliveMs: options.keepaliveMs,
        faults,
      });
      return;
    }
    const resourceVersion = listVersion();
    res.json({
      metadata: resourceVersion ? { resourceVersion } : {},
      items: store.list(kind, ns).filter(matches),
    });
  };
  /** One object: read, or with ?watch=true streamed (resourceVersion ignored). */
  const getOrWatch = (
    req: Request,
    res: Response,
    kind: Kind,
    name: string,
  ) => {
    const ns = req.params.project;
    canRead(res, 'get', kind, ns, name);
    const object = store.require(kind, ns, name);
    if (isWatch(req)) {
      canRead(res, 'watch', kind, ns);
      serveWatch(store, req, res, {
        kind,
        namespace: ns,
        matches: o => o.metadata?.name === name,
        single: true,
        resumes: served.watchResume,
        keepaliveMs: options.keepaliveMs,
        faults,
      });
      return;
    }
    res.json(object);
  };
  // Kargo's handlers check the custom verb `promote` on the stage (authorizeFn).
  const promoteRight = (res: Response, project: string) => (stage: string) =>
    authorize(res, 'promote', 'stages', project, stage);
  /** What the verification and abort handlers patch as the caller (api.patchAnnotations). */
  const patchRight =
    (res: Response, resource: string, project: string, name: string) => () =>
      authorize(res, 'patch', resource, project, name, 'patch annotation: ');
  /** api.GetStage as the caller, with its error wrapping. */
  const getStageRight = (res: Response, project: string, stage: string) =>
    authorize(
      res,
      'get',
      'stages',
      project,
      stage,
      `error getting Stage "${stage}" in namespace "${project}": `,
    );
  const ok = (res: Response) => res.status(200).end();
  /** getFreightByNameOrAliasForGin as the caller: get by name, else list by the alias label. */
  const freightAsCaller = (
    res: Response,
    project: string,
    nameOrAlias: string,
  ) => {
    authorize(res, 'get', 'freights', project, nameOrAlias);
    const freight = sim.resolveFreight(project, nameOrAlias);
    if (freight.metadata!.name !== nameOrAlias) {
      authorize(res, 'list', 'freights', project);
    }
    return freight;
  };

  // ---- system and projects ----
  get('/system/server-version', (_req, res) => {
    res.json({
      version: options.version,
      gitCommit: 'kargo-simulator',
      gitTreeDirty: false,
      buildDate: '2026-08-17T00:00:00Z',
      goVersion: 'n/a (kargo-simulator)',
      compiler: 'n/a',
      platform: `${process.platform}/${process.arch}`,
    });
  });
  get('/projects', (req, res) => {
    authorize(res, 'list', 'projects', ''); // cluster-scoped
    const filter = queryParam(req, 'filter').toLowerCase();
    const uids = queryArray(req, 'uid');
    const all = store
      .list('Project')
      // mine=true keeps projects mapped to the caller's OIDC claims; tokens here have none.
      .filter(() => queryParam(req, 'mine') !== 'true')
      .filter(p => !filter || p.metadata!.name!.toLowerCase().includes(filter))
      .filter(p => !uids.length || uids.includes(p.metadata!.uid!));
    const int = (name: string) =>
      /^-?\d+$/.test(queryParam(req, name)) ? Number(queryParam(req, name)) : 0;
    const pageSize = int('pageSize');
    const page = int('page');
    if (pageSize > 0 && page < 0)
      throw new HttpError(500, 'internal server error'); // Kargo panics here
    const start = page * pageSize;
    const items = pageSize > 0 ? all.slice(start, start + pageSize) : all;
    res.json({ items, total: all.length });
  });
  get('/projects/:project', (req, res) => {
    authorize(res, 'get', 'projects', '', req.params.project); // cluster-scoped
    res.json(store.require('Project', '', req.params.project));
  });
  get('/projects/:project/config', (req, res) => {
    getOrWatch(req, res, 'ProjectConfig', req.params.project);
  });
  get('/projects/:project/events', (req, res) => {
    authorize(res, 'list', 'events', req.params.project);
    const items = sim.events
      .filter(e => e.metadata?.namespace === req.params.project)
      .sort((a, b) =>
        String(b.lastTimestamp).localeCompare(String(a.lastTimestamp)),
      );
    res.json({ metadata: {}, items });
  });

  // ---- stages ----
  get('/projects/:project/stages', (req, res) => {
    const origins = queryArray(req, 'freightOrigins');
    listOrWatch(
      req,
      res,
      'Stage',
      o =>
        !origins.length ||
        ((o as Stage).spec.requestedFreight ?? []).some(
          r => r.origin.kind === 'Warehouse' && origins.includes(r.origin.name),
        ),
    );
  });
  get('/projects/:project/stages/:stage', (req, res) => {
    getOrWatch(req, res, 'Stage', req.params.stage);
  });
  // Kargo patches refresh annotations with its own identity: no authorization check.
  post('/projects/:project/stages/:stage/refresh', (req, res) => {
    sim.refresh('Stage', req.params.project, req.params.stage);
    ok(res);
  });
  post('/projects/:project/stages/:stage/promotions', (req, res) => {
    const body = jsonBody(req);
    const target = {
      freight: stringField(body, 'freight'),
      freightAlias: stringField(body, 'freightAlias'),
      origin: stringField(body, 'origin'),
    };
    const { project, stage } = req.params;
    const one =
      [target.freight, target.freightAlias, target.origin].filter(Boolean)
        .length === 1;
    if (one) getStageRight(res, project, stage);
    const stageObject = store.get<Stage>('Stage', project, stage);
    if (one && stageObject) {
      promoteRight(res, project)(stage);
      // Then Kargo reads the freight and creates the Promotion as the caller.
      if (target.freight)
        authorize(res, 'get', 'freights', project, target.freight);
      else if (target.freightAlias) authorize(res, 'list', 'freights', project);
      authorize(res, 'create', 'promotions', project);
    }
    if (one && stageObject && isTargetAware(stageObject)) {
      if (target.origin) refuseOriginForTargets(stage);
      const freight = sim.resolveFreight(
        project,
        target.freight || target.freightAlias,
      );
      if (!isFreightAvailable(stageObject, freight, sim.clock.now())) {
        throw new HttpError(
          400,
          `Freight "${
            freight.metadata!.name
          }" is not available to Stage "${stage}"`,
        );
      }
      res
        .status(201)
        .json(
          promotionRequestFor(
            stageObject,
            freight,
            actorOf(res),
            sim.clock.now(),
          ),
        );
      return;
    }
    const promotion = sim.promote(project, stage, target, actorOf(res));
    // Kargo v1.9.x and v1.10.0 wrap it (promote_to_stage_v1alpha1.go).
    res.status(201).json(served.barePromotion ? promotion : { promotion });
  });
  post('/projects/:project/stages/:stage/promotions/downstream', (req, res) => {
    const body = jsonBody(req);
    const { project } = req.params;
    getStageRight(res, project, req.params.stage);
    // It lists the stages to find those downstream and creates Promotions as the caller.
    authorize(res, 'list', 'stages', project);
    authorize(res, 'create', 'promotions', project);
    const result = sim.promoteDownstream(
      req.params.project,
      req.params.stage,
      {
        freight: stringField(body, 'freight'),
        freightAlias: stringField(body, 'freightAlias'),
      },
      actorOf(res),
      promoteRight(res, req.params.project),
    );
    res.status(result.errors ? 207 : 201).json(result);
  });
  post('/projects/:project/stages/:stage/verification', (req, res) => {
    // api.ReverifyStageFreight: reads the stage and patches it as the caller.
    const { project, stage } = req.params;
    getStageRight(res, project, stage);
    sim.reverify(
      project,
      stage,
      actorOf(res),
      patchRight(res, 'stages', project, stage),
    );
    ok(res);
  });
  post('/projects/:project/stages/:stage/verification/abort', (req, res) => {
    // api.AbortStageFreightVerification: patches only a verification that still runs.
    const { project, stage } = req.params;
    getStageRight(res, project, stage);
    sim.abortVerification(
      project,
      stage,
      actorOf(res),
      patchRight(res, 'stages', project, stage),
    );
    ok(res);
  });

  // ---- warehouses ----
  get('/projects/:project/warehouses', (req, res) => {
    listOrWatch(req, res, 'Warehouse');
  });
  get('/projects/:project/warehouses/:warehouse', (req, res) => {
    getOrWatch(req, res, 'Warehouse', req.params.warehouse);
  });
  post('/projects/:project/warehouses/:warehouse/refresh', (req, res) => {
    sim.refresh('Warehouse', req.params.project, req.params.warehouse);
    ok(res);
  });

  // ---- freight ----
  get('/projects/:project/freight', (req, res) => {
    const ns = req.params.project;
    const origins = queryArray(req, 'origins');
    const byOrigin = (o: KargoObject) =>
      !origins.length || origins.includes((o as Freight).origin.name);
    // Before v1.11 Kargo has no freight watch: ?watch=true is ignored, the list answered.
    if (isWatch(req) && served.watchResume) {
      listOrWatch(req, res, 'Freight', byOrigin); // a freight watch ignores stage and grouping
      return;
    }
    canRead(res, 'list', 'Freight', ns);
    const groupBy = queryParam(req, 'groupBy');
    const group = queryParam(req, 'group');
    const orderBy = queryParam(req, 'orderBy');
    validateGrouping(group, groupBy, orderBy);
    const stageName = queryParam(req, 'stage');
    let freight = store.list<Freight>('Freight', ns);
    let resourceVersion: string | undefined = listVersion();
    if (stageName) {
      const stage = store.get<Stage>('Stage', ns, stageName);
      if (!stage)
        throw new HttpError(
          404,
          `Stage "${stageName}" not found in project "${ns}"`,
        );
      // query_freights_v1alpha1.go: api.ListFreightAvailableToStage.
      freight = listFreightAvailableToStage(stage, freight, sim.clock.now());
      resourceVersion = undefined; // Kargo leaves it out for the per-stage query
    } else {
      freight = freight.filter(byOrigin);
    }
    const groups = groupFreight(freight, {
      groupBy,
      group,
      orderBy,
      reverse: queryParam(req, 'reverse') === 'true',
    });
    res.json(
      resourceVersion === undefined ? { groups } : { groups, resourceVersion },
    );
  });
  get('/projects/:project/freight/:freight', (req, res) => {
    const freight = sim.resolveFreight(req.params.project, req.params.freight);
    getOrWatch(req, res, 'Freight', freight.metadata!.name!);
  });
  api.patch(
    '/projects/:project/freight/:freight/alias',
    wrap((req, res) => {
      const ns = req.params.project;
      const alias = queryParam(req, 'newAlias');
      if (!alias)
        throw new HttpError(400, 'newAlias query parameter is required');
      const freight = freightAsCaller(res, ns, req.params.freight);
      authorize(res, 'list', 'freights', ns); // is the alias taken?
      const holders = store
        .scan<Freight>('Freight', ns)
        .filter(f => f.metadata?.labels?.[ALIAS_LABEL] === alias);
      if (
        holders.length > 1 ||
        holders.some(f => f.metadata!.name !== freight.metadata!.name)
      ) {
        throw new HttpError(
          409,
          `alias "${alias}" already used by another piece of Freight in namespace "${ns}"`,
        );
      }
      // Kargo patches the Freight as the caller; Kubernetes then validates the label.
      authorize(res, 'patch', 'freights', ns, freight.metadata!.name);
      if (
        alias.length > 63 ||
        !/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(alias)
      ) {
        throw new HttpError(
          422,
          `Freight.kargo.akuity.io "${
            freight.metadata!.name
          }" is invalid: metadata.labels: Invalid value: "${alias}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
        );
      }
      store.update<Freight>('Freight', ns, freight.metadata!.name!, f => {
        f.alias = alias;
        f.metadata = {
          ...f.metadata,
          labels: { ...f.metadata?.labels, [ALIAS_LABEL]: alias },
        };
      });
      ok(res);
    }),
  );
  post('/projects/:project/freight/:freight/approve', (req, res) => {
    const { project } = req.params;
    const stage = queryParam(req, 'stage');
    if (stage) {
      freightAsCaller(res, project, req.params.freight);
      authorize(res, 'get', 'stages', project, stage);
    }
    sim.approve(project, req.params.freight, stage, actorOf(res), name => {
      promoteRight(res, project)(name);
      // Approving patches Freight status as the caller (kubeclient.PatchStatus). Kargo checks it
      // after the origin check; only a role with promote but not this sees the difference.
      const freight = sim.resolveFreight(project, req.params.freight);
      authorize(
        res,
        'patch',
        'freights/status',
        project,
        freight.metadata!.name,
        'patch freight status: ',
      );
    });
    ok(res);
  });

  // ---- promotions ----
  get('/projects/:project/promotions', (req, res) => {
    const stage = queryParam(req, 'stage');
    const matches = (o: KargoObject) =>
      !stage || (o as Promotion).spec.stage === stage;
    listOrWatch(req, res, 'Promotion', matches); // by name: the ULID makes that creation order
  });
  get('/projects/:project/promotions/:promotion', (req, res) => {
    getOrWatch(req, res, 'Promotion', req.params.promotion);
  });
  post('/projects/:project/promotions/:promotion/abort', (req, res) => {
    // api.AbortPromotion: reads it and patches it as the caller, unless it has finished.
    const { project, promotion } = req.params;
    authorize(
      res,
      'get',
      'promotions',
      project,
      promotion,
      `error getting Promotion "${promotion}" in namespace "${project}": `,
    );
    sim.abortPromotion(
      project,
      promotion,
      actorOf(res),
      patchRight(res, 'promotions', project, promotion),
    );
    ok(res);
  });
  // ---- repository credentials ----
  api.use('/projects/:project/repo-credentials', sim.credentials.routes());
  // ---- API tokens (project and system) ----
  api.use(sim.apiTokens.routes(sim));

  // ---- roles ----
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
  post('/projects/:project/promotions/:promotion/refresh', (req, res) => {
    sim.refresh('Promotion', req.params.project, req.params.promotion);
    ok(res);
  });

  // ---- raw manifests ----
  const resources =
    (verb: ResourceVerb, status: number) => (req: Request, res: Response) => {
      const results = applyManifests(verb, parseManifests(bodyText(req)), {
        simulator: sim,
        actor: actorOf(res),
        upsert: queryParam(req, 'upsert') === 'true',
        authorize: (v, kind, namespace, name) =>
          authorize(res, v, PLURAL[kind], namespace ?? '', name),
      });
      res.status(status).json({ results });
    };
  post('/resources', resources('create', 201));
  api.put('/resources', wrap(resources('update', 200)));
  api.delete('/resources', wrap(resources('delete', 200)));

  return api;
}
