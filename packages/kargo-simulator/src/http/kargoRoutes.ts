import express from 'express';
import { HttpError } from './HttpError';
import { freightRoutes } from './freightRoutes';
import { kargoRouteContext, KargoRoutesOptions } from './kargoRouteContext';
import { projectRoutes } from './projectRoutes';
import { promotionRoutes } from './promotionRoutes';
import { rawBody } from './requests';
import { resourceRoutes } from './resourceRoutes';
import { roleRoutes } from './roleRoutes';
import { stageRoutes } from './stageRoutes';
import { warehouseRoutes } from './warehouseRoutes';

/** The /v1beta1 routes the plugins use, with the semantics of Kargo's handlers (pkg/server). */
export function kargoRoutes(options: KargoRoutesOptions): express.Router {
  const api = express.Router();
  const { store } = options.simulator;

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

  const context = kargoRouteContext(api, options);
  projectRoutes(context);
  stageRoutes(context);
  warehouseRoutes(context);
  freightRoutes(context);
  promotionRoutes(context);
  api.use(
    '/projects/:project/repo-credentials',
    options.simulator.credentials.routes(),
  );
  api.use(options.simulator.apiTokens.routes(options.simulator));
  roleRoutes(context);
  resourceRoutes(context);

  return api;
}
