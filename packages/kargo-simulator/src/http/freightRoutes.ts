import type { Freight, Stage } from '@kargo-backstage/plugin-kargo-common';
import { ALIAS_LABEL } from '../KargoSimulator';
import { listFreightAvailableToStage } from '../controller/availability';
import { KargoObject } from '../store/ResourceStore';
import { actorOf, authorize } from './auth';
import { HttpError } from './HttpError';
import { KargoRouteContext } from './kargoRouteContext';
import { groupFreight, validateGrouping } from './queryFreight';
import { isWatch, queryArray, queryParam, wrap } from './requests';

/** Freight: the grouped query, reads, alias and approval. */
export function freightRoutes({
  api,
  get,
  post,
  sim,
  store,
  served,
  listVersion,
  canRead,
  listOrWatch,
  getOrWatch,
  promoteRight,
  freightAsCaller,
  ok,
}: KargoRouteContext) {
  get('/projects/:project/freight', (req, res) => {
    const ns = req.params.project;
    const origins = queryArray(req, 'origins');
    const byOrigin = (o: KargoObject) =>
      !origins.length || origins.includes((o as Freight).origin.name);
    // Before v1.11 Kargo has no freight watch: ?watch=true is ignored, the list answered.
    if (isWatch(req) && served.watchResume) {
      listOrWatch(req, res, 'Freight', byOrigin); // a freight watch ignores stage and grouping
      return;
    }
    canRead(res, 'list', 'Freight', ns);
    const groupBy = queryParam(req, 'groupBy');
    const group = queryParam(req, 'group');
    const orderBy = queryParam(req, 'orderBy');
    validateGrouping(group, groupBy, orderBy);
    const stageName = queryParam(req, 'stage');
    let freight = store.list<Freight>('Freight', ns);
    let resourceVersion: string | undefined = listVersion();
    if (stageName) {
      const stage = store.get<Stage>('Stage', ns, stageName);
      if (!stage)
        throw new HttpError(
          404,
          `Stage "${stageName}" not found in project "${ns}"`,
        );
      // query_freights_v1alpha1.go: api.ListFreightAvailableToStage.
      freight = listFreightAvailableToStage(stage, freight, sim.clock.now());
      resourceVersion = undefined; // Kargo leaves it out for the per-stage query
    } else {
      freight = freight.filter(byOrigin);
    }
    const groups = groupFreight(freight, {
      groupBy,
      group,
      orderBy,
      reverse: queryParam(req, 'reverse') === 'true',
    });
    res.json(
      resourceVersion === undefined ? { groups } : { groups, resourceVersion },
    );
  });
  get('/projects/:project/freight/:freight', (req, res) => {
    const freight = sim.resolveFreight(req.params.project, req.params.freight);
    getOrWatch(req, res, 'Freight', freight.metadata!.name!);
  });
  api.patch(
    '/projects/:project/freight/:freight/alias',
    wrap((req, res) => {
      const ns = req.params.project;
      const alias = queryParam(req, 'newAlias');
      if (!alias)
        throw new HttpError(400, 'newAlias query parameter is required');
      const freight = freightAsCaller(res, ns, req.params.freight);
      authorize(res, 'list', 'freights', ns); // is the alias taken?
      const holders = store
        .scan<Freight>('Freight', ns)
        .filter(f => f.metadata?.labels?.[ALIAS_LABEL] === alias);
      if (
        holders.length > 1 ||
        holders.some(f => f.metadata!.name !== freight.metadata!.name)
      ) {
        throw new HttpError(
          409,
          `alias "${alias}" already used by another piece of Freight in namespace "${ns}"`,
        );
      }
      // Kargo patches the Freight as the caller; Kubernetes then validates the label.
      authorize(res, 'patch', 'freights', ns, freight.metadata!.name);
      if (
        alias.length > 63 ||
        !/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(alias)
      ) {
        throw new HttpError(
          422,
          `Freight.kargo.akuity.io "${
            freight.metadata!.name
          }" is invalid: metadata.labels: Invalid value: "${alias}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
        );
      }
      store.update<Freight>('Freight', ns, freight.metadata!.name!, f => {
        f.alias = alias;
        f.metadata = {
          ...f.metadata,
          labels: { ...f.metadata?.labels, [ALIAS_LABEL]: alias },
        };
      });
      ok(res);
    }),
  );
  post('/projects/:project/freight/:freight/approve', (req, res) => {
    const { project } = req.params;
    const stage = queryParam(req, 'stage');
    if (stage) {
      freightAsCaller(res, project, req.params.freight);
      authorize(res, 'get', 'stages', project, stage);
    }
    sim.approve(project, req.params.freight, stage, actorOf(res), name => {
      promoteRight(res, project)(name);
      // Approving patches Freight status as the caller (kubeclient.PatchStatus). Kargo checks it
      // after the origin check; only a role with promote but not this sees the difference.
      const freight = sim.resolveFreight(project, req.params.freight);
      authorize(
        res,
        'patch',
        'freights/status',
        project,
        freight.metadata!.name,
        'patch freight status: ',
      );
    });
    ok(res);
  });
}
