import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { LineStops } from './LineStops';

/** Stop-the-line freezes over HTTP. */
export function createLineStopsRouter(options: {
  httpAuth: HttpAuthService;
  lineStops: LineStops;
}): express.Router {
  const { httpAuth, lineStops } = options;
  const router = Router();
  const credentials = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.get('/line-stops', async (req, res) => {
    res.json({ items: await lineStops.list(await credentials(req)) });
  });
  router.post('/line-stops', async (req, res) => {
    res
      .status(201)
      .json(await lineStops.start(await credentials(req), req.body, req));
  });
  router.delete('/line-stops/:id', async (req, res) => {
    await lineStops.end(await credentials(req), req.params.id, req);
    res.status(204).end();
  });
  return router;
}
