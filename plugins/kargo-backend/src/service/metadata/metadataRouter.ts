import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { callOf, sendResult } from '../operations/operation';
import { FreightMetadataService } from './FreightMetadataService';

/** The portal's freight metadata over HTTP. */
export function createMetadataRouter(options: {
  httpAuth: HttpAuthService;
  metadata: FreightMetadataService;
}): express.Router {
  const { httpAuth, metadata } = options;
  const router = Router();
  const project = '/instances/:instance/projects/:project';

  /** `GET .../freight-metadata?freight=a&freight=b` */
  router.get(`${project}/freight-metadata`, async (req, res) => {
    const { credentials, params } = await callOf(httpAuth, req);
    res.json({ items: await metadata.get(credentials, params, req.query) });
  });
  router.get(
    `${project}/freight/:freight/metadata/history`,
    async (req, res) => {
      const { credentials, params } = await callOf(httpAuth, req);
      res.json({
        items: await metadata.history(credentials, {
          ...params,
          freight: params.freight!,
        }),
      });
    },
  );
  router.put(`${project}/freight/:freight/metadata`, async (req, res) =>
    sendResult(res, await metadata.update(await callOf(httpAuth, req))),
  );
  return router;
}
