import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import { FreightService } from '../freight/FreightService';
import { PromotionService } from '../promotions/PromotionService';
import { StageService } from '../stages/StageService';
import { callOf, sendResult } from './operation';
import { parse } from './schemas';

const gatesQuery = z.object({
  freight: z.string().min(1).max(253),
});

export interface OperationsRouterOptions {
  httpAuth: HttpAuthService;
  promotions: PromotionService;
  stages: StageService;
  freight: FreightService;
}

/**
 * The Kargo operations over HTTP: promote, promote downstream, approve, abort a promotion,
 * refresh, re-verify, abort verification, alias. Each route only translates the request for
 * its service (which authorizes, checks, gates, calls Kargo and audits) and sends the answer.
 */
export function createOperationsRouter(
  options: OperationsRouterOptions,
): express.Router {
  const { promotions, stages, freight } = options;
  const router = Router();

  const call = (req: express.Request) => callOf(options.httpAuth, req);

  const stagePath = '/instances/:instance/projects/:project/stages/:stage';
  const freightPath = '/instances/:instance/projects/:project/freight/:freight';

  router.get(`${stagePath}/gates`, async (req, res) => {
    const { credentials } = await call(req);
    const items = await promotions.previewGates(credentials, {
      ...(req.params as { instance: string; project: string; stage: string }),
      freight: parse(gatesQuery, req.query, 'query').freight,
    });
    res.json({ items });
  });

  for (const [path, promote] of [
    [`${stagePath}/promotions`, promotions.promote],
    [`${stagePath}/promotions/downstream`, promotions.promoteDownstream],
  ] as const) {
    router.post(path, async (req, res) =>
      sendResult(res, await promote.call(promotions, await call(req))),
    );
  }

  router.post(`${freightPath}/approve`, async (req, res) =>
    sendResult(res, await freight.approve(await call(req))),
  );
  router.patch(`${freightPath}/alias`, async (req, res) =>
    sendResult(res, await freight.updateAlias(await call(req))),
  );
  router.post(
    '/instances/:instance/projects/:project/promotions/:promotion/abort',
    async (req, res) =>
      sendResult(res, await promotions.abort(await call(req))),
  );
  router.post(`${stagePath}/refresh`, async (req, res) =>
    sendResult(res, await stages.refresh(await call(req))),
  );
  router.post(
    '/instances/:instance/projects/:project/warehouses/:warehouse/refresh',
    async (req, res) =>
      sendResult(res, await stages.refreshWarehouse(await call(req))),
  );
  router.post(`${stagePath}/verification`, async (req, res) =>
    sendResult(res, await stages.verification(await call(req), 'reverify')),
  );
  router.post(`${stagePath}/verification/abort`, async (req, res) =>
    sendResult(res, await stages.verification(await call(req), 'abort')),
  );

  return router;
}
