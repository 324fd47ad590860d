import express, { Request, Response } from 'express';
import { KargoSimulator } from '../KargoSimulator';
import { Kind, KargoObject } from '../store/ResourceStore';
import { authorize } from './auth';
import { Faults } from './faults';
import { Handler, isWatch, wrap } from './requests';
import { serveWatch } from './watch';
import { behaviourOf, ServedBehaviour } from './versions';

export interface KargoRoutesOptions {
  simulator: KargoSimulator;
  faults: Faults;
  keepaliveMs: number;
  version: string;
}

/** The resource name Kargo's authorizing client checks for each kind. */
export const PLURAL: Record<Kind, string> = {
  Project: 'projects',
  ProjectConfig: 'projectconfigs',
  Warehouse: 'warehouses',
  Freight: 'freights',
  Stage: 'stages',
  Promotion: 'promotions',
  AnalysisTemplate: 'analysistemplates',
  PromotionTask: 'promotiontasks',
};

/**
 * What the /v1beta1 route files share: the router, the simulator, and the reads and rights
 * Kargo's handlers go through as the caller.
 */
export function kargoRouteContext(
  api: express.Router,
  options: KargoRoutesOptions,
) {
  const { simulator: sim, faults } = options;
  const store = sim.store;
  const served: ServedBehaviour = behaviourOf(options.version);
  /** A list's resourceVersion to watch from; Kargo before v1.11 gives none (versions.ts). */
  const listVersion = () =>
    served.watchResume ? store.currentResourceVersion() : undefined;
  const get = (path: string, handler: Handler) => api.get(path, wrap(handler));
  const post = (path: string, handler: Handler) =>
    api.post(path, wrap(handler));

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

  return {
    api,
    options,
    sim,
    store,
    served,
    listVersion,
    get,
    post,
    canRead,
    listOrWatch,
    getOrWatch,
    promoteRight,
    patchRight,
    getStageRight,
    ok,
    freightAsCaller,
  };
}

export type KargoRouteContext = ReturnType<typeof kargoRouteContext>;
