import { LoggerService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { KargoInstances } from '../kargo/KargoInstances';

export interface RouterOptions {
  logger: LoggerService;
  instances: KargoInstances;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { instances } = options;
  const router = Router();
  router.use(express.json());

  // Says whether the plugin runs, and which instances it knows; it does not call Kargo.
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', instances: instances.names() });
  });

  return router;
}
