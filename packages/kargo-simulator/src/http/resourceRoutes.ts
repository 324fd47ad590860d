import { Request, Response } from 'express';
import { actorOf, authorize } from './auth';
import { KargoRouteContext, PLURAL } from './kargoRouteContext';
import { applyManifests, parseManifests, ResourceVerb } from './resources';
import { bodyText, queryParam, wrap } from './requests';

/** Raw manifests: create, update (or upsert) and delete from YAML or JSON. */
export function resourceRoutes({ api, post, sim }: KargoRouteContext) {
  const resources =
    (verb: ResourceVerb, status: number) => (req: Request, res: Response) => {
      const results = applyManifests(verb, parseManifests(bodyText(req)), {
        simulator: sim,
        actor: actorOf(res),
        upsert: queryParam(req, 'upsert') === 'true',
        authorize: (v, kind, namespace, name) =>
          authorize(res, v, PLURAL[kind], namespace ?? '', name),
      });
      res.status(status).json({ results });
    };
  post('/resources', resources('create', 201));
  api.put('/resources', wrap(resources('update', 200)));
  api.delete('/resources', wrap(resources('delete', 200)));
}
