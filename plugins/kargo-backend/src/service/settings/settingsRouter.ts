import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { callOf, sendResult } from '../operations/operation';
import { CredentialsService } from './CredentialsService';
import { ProjectSettingsService } from './ProjectSettingsService';
import { WarehouseService } from './WarehouseService';

/** A project's settings over HTTP: roles, auto-promotion, credentials, warehouses. */
export function createSettingsRouter(options: {
  httpAuth: HttpAuthService;
  settings: ProjectSettingsService;
  credentials: CredentialsService;
  warehouses: WarehouseService;
}): express.Router {
  const { settings, credentials, warehouses } = options;
  const router = Router();
  const call = (req: express.Request) => callOf(options.httpAuth, req);
  const base = '/instances/:instance/projects/:project/settings';

  router.get(base, async (req, res) => {
    const asked = await call(req);
    res.json(await settings.get(asked.credentials, asked.params));
  });
  router.post(`${base}/roles/:role/grants`, async (req, res) =>
    sendResult(res, await settings.changeGrants(await call(req), 'grants')),
  );
  router.post(`${base}/roles/:role/revocations`, async (req, res) =>
    sendResult(
      res,
      await settings.changeGrants(await call(req), 'revocations'),
    ),
  );
  router.put(`${base}/stages/:stage/auto-promotion`, async (req, res) =>
    sendResult(res, await settings.setAutoPromotion(await call(req))),
  );

  router.get(`${base}/credentials`, async (req, res) => {
    const asked = await call(req);
    res.json({
      items: await credentials.list(asked.credentials, asked.params),
    });
  });
  router.post(`${base}/credentials`, async (req, res) =>
    sendResult(res, await credentials.create(await call(req))),
  );
  router.put(`${base}/credentials/:name`, async (req, res) =>
    sendResult(res, await credentials.update(await call(req))),
  );
  router.delete(`${base}/credentials/:name`, async (req, res) =>
    sendResult(res, await credentials.delete(await call(req))),
  );

  router.put(`${base}/warehouses/:warehouse`, async (req, res) =>
    sendResult(res, await warehouses.update(await call(req))),
  );
  router.post(`${base}/warehouses/:warehouse/freight`, async (req, res) =>
    sendResult(res, await warehouses.assembleFreight(await call(req))),
  );
  return router;
}
