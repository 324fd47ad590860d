import type { Stage } from '@kargo-backstage/plugin-kargo-common';
import { isFreightAvailable } from '../controller/availability';
import { actorOf, authorize } from './auth';
import { HttpError } from './HttpError';
import { KargoRouteContext } from './kargoRouteContext';
import {
  isTargetAware,
  promotionRequestFor,
  refuseOriginForTargets,
} from './promotionRequests';
import { jsonBody, queryArray, stringField } from './requests';

/** Stages: reads, refresh, promotions into and downstream of them, (re-)verification. */
export function stageRoutes({
  get,
  post,
  sim,
  store,
  served,
  listOrWatch,
  getOrWatch,
  promoteRight,
  patchRight,
  getStageRight,
  ok,
}: KargoRouteContext) {
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
  // The caller reads the stage, then patches it to ask the controller about its verification.
  const verificationRoute = (
    path: string,
    operation: 'reverify' | 'abortVerification',
  ) =>
    post(`/projects/:project/stages/:stage/${path}`, (req, res) => {
      const { project, stage } = req.params;
      getStageRight(res, project, stage);
      sim[operation](
        project,
        stage,
        actorOf(res),
        patchRight(res, 'stages', project, stage),
      );
      ok(res);
    });
  // api.ReverifyStageFreight
  verificationRoute('verification', 'reverify');
  // api.AbortStageFreightVerification: patches only a verification that still runs.
  verificationRoute('verification/abort', 'abortVerification');
}
