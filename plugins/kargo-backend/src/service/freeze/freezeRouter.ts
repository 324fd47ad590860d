import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { callOf, sendResult } from '../operations/operation';
import { PromotionWindowService } from './PromotionWindowService';

/** Freeze (promotion) windows over HTTP. */
export function createFreezeRouter(options: {
  httpAuth: HttpAuthService;
  windows: PromotionWindowService;
}): express.Router {
  const { httpAuth, windows } = options;
  const router = Router();
  const base = '/instances/:instance/projects/:project/promotion-windows';

  router.get(base, async (req, res) => {
    const { credentials, params } = await callOf(httpAuth, req);
    res.json(await windows.list(credentials, params));
  });
  router.post(base, async (req, res) =>
    sendResult(res, await windows.create(await callOf(httpAuth, req))),
  );
  router.delete(`${base}/:name`, async (req, res) =>
    sendResult(res, await windows.delete(await callOf(httpAuth, req))),
  );
  return router;
}
