import type { Promotion } from '@kargo-backstage/plugin-kargo-common';
import { KargoObject } from '../store/ResourceStore';
import { actorOf, authorize } from './auth';
import { KargoRouteContext } from './kargoRouteContext';
import { queryParam } from './requests';

/** Promotions: reads, abort and refresh (promoting is the stages' route). */
export function promotionRoutes({
  get,
  post,
  sim,
  listOrWatch,
  getOrWatch,
  patchRight,
  ok,
}: KargoRouteContext) {
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
  post('/projects/:project/promotions/:promotion/refresh', (req, res) => {
    sim.refresh('Promotion', req.params.project, req.params.promotion);
    ok(res);
  });
}
