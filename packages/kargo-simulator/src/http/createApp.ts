import express, { NextFunction, Request, Response } from 'express';
import semver from 'semver';
import YAML from 'yaml';
import type {
  Freight,
  Promotion,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';
import {
  ABORT_ANNOTATION,
  ALIAS_LABEL,
  CREATE_ACTOR_ANNOTATION,
  KargoSimulator,
  REFRESH_ANNOTATION,
  REVERIFY_ANNOTATION,
} from '../KargoSimulator';
import { isFreightAvailable } from '../controller/availability';
import { Kind, KargoObject, kindOf } from '../store/ResourceStore';
import { authenticate, authorize, SimulatorToken } from './auth';
import { Faults } from './faults';
import { HttpError } from './HttpError';
import { serveWatch } from './watch';

export interface AppOptions {
  simulator: KargoSimulator;
  tokens: SimulatorToken[];
  faults: Faults;
  keepaliveMs: number;
  version: string;
}

type Handler = (req: Request, res: Response) => unknown;

const list = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value])
    .filter((v): v is string => typeof v === 'string')
    .flatMap(v => v.split(','))
    .map(v => v.trim())
    .filter(Boolean);

const isWatch = (req: Request) => req.query.watch === 'true';

/** Kargo's REST API v1beta1 over the simulator's state; see rest-routes in Kargo's repo. */
export function createApp(options: AppOptions): express.Express {
  const { simulator: sim, faults } = options;
  const store = sim.store;
  const app = express();
  app.disable('x-powered-by');

  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok');
  });

  // ---- the simulator's own controls (not Kargo's API) ------------------------------------
  const admin = express.Router();
  admin.use(express.json());
  admin.get('/faults', (_req, res) => {
    res.json(faults);
  });
  admin.put('/faults', (req, res) => {
    for (const key of Object.keys(faults) as (keyof Faults)[]) {
      if (typeof req.body?.[key] === 'number') faults[key] = req.body[key];
    }
    res.json(faults);
  });
  admin.post('/pull-requests/:id/merge', (req, res) => {
    const pr = sim.mergePullRequest(Number(req.params.id));
    sim.tick();
    res.json(pr);
  });
  admin.get('/pull-requests', (_req, res) => {
    res.json({ items: [...sim.pullRequests.values()] });
  });
  admin.post('/artifacts', (req, res) => {
    const { image, tag, git, message, author, chart, version } = req.body ?? {};
    if (image && tag)
      res.status(201).json(sim.registry.publishImage(image, tag));
    else if (git)
      res
        .status(201)
        .json(sim.registry.publishCommit(git, { message, author }));
    else if (chart && version)
      res.status(201).json(sim.registry.publishChart(chart, version));
    else throw new HttpError(400, 'give image+tag, git, or chart+version');
  });
  admin.post('/tick', (_req, res) => {
    sim.tick();
    res.json({ resourceVersion: store.currentResourceVersion() });
  });
  app.use('/simulator', admin);

  // ---- Kargo's API -----------------------------------------------------------------------
  const api = express.Router();
  api.use((_req, _res, next) => {
    const delay = new Promise(resolve => setTimeout(resolve, faults.latencyMs));
    delay
      .then(() => {
        if (faults.failNextRequests > 0) {
          faults.failNextRequests -= 1;
          throw new HttpError(
            503,
            'the server is currently unable to handle the request',
          );
        }
        if (faults.errorRate > 0 && Math.random() < faults.errorRate) {
          throw new HttpError(500, 'internal server error');
        }
        next();
      })
      .catch(next);
  });
  api.use(authenticate(options.tokens));
  api.use(express.json({ limit: '2mb' }));
  api.use(
    express.text({
      type: ['application/yaml', 'application/x-yaml', 'text/*'],
      limit: '2mb',
    }),
  );
  api.use((_req, res, next) => {
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      if (faults.malformedRate > 0 && Math.random() < faults.malformedRate) {
        const text = JSON.stringify(body);
        res.type('application/json');
        return res.send(
          text.slice(0, Math.max(1, Math.floor(text.length / 2))),
        );
      }
      return json(body);
    };
    next();
  });

  const get = (path: string, handler: Handler) => api.get(path, wrap(handler));
  const post = (path: string, handler: Handler) =>
    api.post(path, wrap(handler));

  const project = (req: Request) => {
    const name = req.params.project;
    store.require('Project', '', name);
    return name;
  };
  const read = (req: Request, res: Response, resource: string) => {
    authorize(res, 'get', resource, req.params.project, 'viewer');
    return project(req);
  };
  const listResult = (items: KargoObject[]) => ({
    metadata: { resourceVersion: store.currentResourceVersion() },
    items,
  });
  /** Lists, or with ?watch=true streams changes, of one kind in a project. */
  const listOrWatch = (
    req: Request,
    res: Response,
    kind: Kind,
    ns: string,
    matches: (o: KargoObject) => boolean = () => true,
  ) => {
    if (isWatch(req)) {
      serveWatch(store, req, res, {
        kind,
        namespace: ns,
        matches,
        keepaliveMs: options.keepaliveMs,
        faults,
      });
      return;
    }
    res.json(listResult(store.list(kind, ns).filter(matches)));
  };
  const getOrWatch = (
    req: Request,
    res: Response,
    kind: Kind,
    ns: string,
    name: string,
  ) => {
    if (isWatch(req)) {
      store.require(kind, ns, name);
      serveWatch(store, req, res, {
        kind,
        namespace: ns,
        matches: o => o.metadata?.name === name,
        keepaliveMs: options.keepaliveMs,
        faults,
      });
      return;
    }
    res.json(store.require(kind, ns, name));
  };
  const annotate = (
    kind: Kind,
    ns: string,
    name: string,
    annotations: Record<string, string>,
  ) =>
    store.update(kind, ns, name, o => {
      o.metadata = {
        ...o.metadata,
        annotations: { ...o.metadata?.annotations, ...annotations },
      };
    });

  get('/system/server-version', (_req, res) => {
    res.json({
      version: options.version,
      gitCommit: 'simulator',
      gitTreeDirty: false,
      buildDate: '2026-08-17T00:00:00Z',
      goVersion: 'n/a (kargo-simulator)',
      compiler: 'n/a',
      platform: `${process.platform}/${process.arch}`,
    });
  });

  get('/projects', (req, res) => {
    authorize(res, 'list', 'projects', undefined, 'viewer');
    const filter =
      typeof req.query.filter === 'string'
        ? req.query.filter.toLowerCase()
        : '';
    const { token } = res.locals.caller as { token: SimulatorToken };
    const all = store
      .list('Project')
      .filter(
        p => !token.projects || token.projects.includes(p.metadata!.name!),
      )
      .filter(p => !filter || p.metadata!.name!.toLowerCase().includes(filter));
    const pageSize = Number(req.query.pageSize ?? 0);
    const page = Number(req.query.page ?? 0);
    if (
      !Number.isInteger(pageSize) ||
      pageSize < 0 ||
      !Number.isInteger(page) ||
      page < 0
    ) {
      throw new HttpError(
        400,
        'page and pageSize must be non-negative integers',
      );
    }
    const items = pageSize
      ? all.slice(page * pageSize, (page + 1) * pageSize)
      : all;
    res.json({ items, total: all.length });
  });
  get('/projects/:project', (req, res) => {
    authorize(res, 'get', 'projects', req.params.project, 'viewer');
    res.json(store.require('Project', '', req.params.project));
  });
  get('/projects/:project/config', (req, res) => {
    const ns = read(req, res, 'projectconfigs');
    getOrWatch(req, res, 'ProjectConfig', ns, ns);
  });
  get('/projects/:project/events', (req, res) => {
    const ns = read(req, res, 'events');
    res.json({
      metadata: { resourceVersion: store.currentResourceVersion() },
      items: sim.events.filter(e => e.metadata?.namespace === ns),
    });
  });

  // Stages
  get('/projects/:project/stages', (req, res) => {
    const ns = read(req, res, 'stages');
    const origins = list(req.query.freightOrigins);
    listOrWatch(
      req,
      res,
      'Stage',
      ns,
      o =>
        !origins.length ||
        ((o as Stage).spec.requestedFreight ?? []).some(r =>
          origins.includes(r.origin.name),
        ),
    );
  });
  get('/projects/:project/stages/:stage', (req, res) => {
    const ns = read(req, res, 'stages');
    getOrWatch(req, res, 'Stage', ns, req.params.stage);
  });
  post('/projects/:project/stages/:stage/refresh', (req, res) => {
    authorize(res, 'patch', 'stages', req.params.project, 'promoter');
    const ns = project(req);
    annotate('Stage', ns, req.params.stage, {
      [REFRESH_ANNOTATION]: new Date().toISOString(),
    });
    res.status(200).end();
  });
  post('/projects/:project/stages/:stage/promotions', (req, res) => {
    const actor = authorize(
      res,
      'promote',
      'stages',
      req.params.project,
      'promoter',
    );
    const ns = project(req);
    const body = objectBody(req);
    const promotion = sim.promote(ns, req.params.stage, body, actor);
    res.status(201).json(promotion);
  });
  post('/projects/:project/stages/:stage/promotions/downstream', (req, res) => {
    const actor = authorize(
      res,
      'promote',
      'stages',
      req.params.project,
      'promoter',
    );
    const ns = project(req);
    const promotions = sim.promoteDownstream(
      ns,
      req.params.stage,
      objectBody(req),
      actor,
    );
    res.status(201).json({ promotions });
  });
  post('/projects/:project/stages/:stage/verification', (req, res) => {
    const actor = authorize(
      res,
      'patch',
      'stages',
      req.params.project,
      'promoter',
    );
    const ns = project(req);
    const stage = store.require<Stage>('Stage', ns, req.params.stage);
    if (!stage.spec.verification) {
      throw new HttpError(
        400,
        `stage "${req.params.stage}" has no verification configured`,
      );
    }
    if (!stage.status?.freightHistory?.[0]) {
      throw new HttpError(
        400,
        `stage "${req.params.stage}" has no current freight to verify`,
      );
    }
    annotate('Stage', ns, req.params.stage, {
      [REVERIFY_ANNOTATION]: `${Date.now().toString(36)}${Math.random()
        .toString(36)
        .slice(2, 8)}`,
      [CREATE_ACTOR_ANNOTATION]: actor,
    });
    res.status(200).end();
  });
  post('/projects/:project/stages/:stage/verification/abort', (req, res) => {
    authorize(res, 'patch', 'stages', req.params.project, 'promoter');
    const ns = project(req);
    const stage = store.require<Stage>('Stage', ns, req.params.stage);
    const running = stage.status?.freightHistory?.[0]?.verificationHistory?.[0];
    if (!running || !['Pending', 'Running'].includes(running.phase ?? '')) {
      throw new HttpError(
        400,
        `stage "${req.params.stage}" has no verification in progress`,
      );
    }
    annotate('Stage', ns, req.params.stage, {
      [ABORT_ANNOTATION]: running.id!,
    });
    res.status(200).end();
  });

  // Warehouses
  get('/projects/:project/warehouses', (req, res) => {
    listOrWatch(req, res, 'Warehouse', read(req, res, 'warehouses'));
  });
  get('/projects/:project/warehouses/:warehouse', (req, res) => {
    getOrWatch(
      req,
      res,
      'Warehouse',
      read(req, res, 'warehouses'),
      req.params.warehouse,
    );
  });
  post('/projects/:project/warehouses/:warehouse/refresh', (req, res) => {
    authorize(res, 'patch', 'warehouses', req.params.project, 'promoter');
    const ns = project(req);
    annotate('Warehouse', ns, req.params.warehouse, {
      [REFRESH_ANNOTATION]: new Date().toISOString(),
    });
    res.status(200).end();
  });

  // Freight
  get('/projects/:project/freight', (req, res) => {
    const ns = read(req, res, 'freights');
    const origins = list(req.query.origins);
    if (isWatch(req)) {
      // Kargo's freight watch filters by origins only.
      listOrWatch(
        req,
        res,
        'Freight',
        ns,
        o => !origins.length || origins.includes((o as Freight).origin.name),
      );
      return;
    }
    validateGrouping(
      queryParam(req, 'group'),
      queryParam(req, 'groupBy'),
      queryParam(req, 'orderBy'),
    );
    const stageName = queryParam(req, 'stage');
    let freight = store.list<Freight>('Freight', ns);
    let resourceVersion = store.currentResourceVersion();
    if (stageName) {
      const stage = store.get<Stage>('Stage', ns, stageName);
      if (!stage)
        throw new HttpError(
          404,
          `Stage "${stageName}" not found in project "${ns}"`,
        );
      const now = sim.clock.now();
      freight = freight.filter(f => isFreightAvailable(stage, f, now));
      resourceVersion = ''; // Kargo returns none for the per-stage query
    } else if (origins.length) {
      freight = freight.filter(f => origins.includes(f.origin.name));
    }
    res.json(queryFreight(freight, req, resourceVersion));
  });
  get('/projects/:project/freight/:freight', (req, res) => {
    const ns = read(req, res, 'freights');
    const freight = sim.resolveFreight(ns, req.params.freight);
    getOrWatch(req, res, 'Freight', ns, freight.metadata!.name!);
  });
  api.patch(
    '/projects/:project/freight/:freight/alias',
    wrap((req, res) => {
      authorize(res, 'patch', 'freights', req.params.project, 'promoter');
      const ns = project(req);
      const alias =
        typeof req.query.newAlias === 'string' ? req.query.newAlias.trim() : '';
      if (!alias) {
        throw new HttpError(400, 'newAlias query parameter is required');
      }
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(alias) || alias.length > 63) {
        throw new HttpError(
          400,
          `invalid alias "${alias}": must be a valid Kubernetes label value`,
        );
      }
      const freight = sim.resolveFreight(ns, req.params.freight);
      const clash = store
        .list<Freight>('Freight', ns)
        .find(
          f => f.alias === alias && f.metadata!.name !== freight.metadata!.name,
        );
      if (clash) {
        throw new HttpError(
          409,
          `alias "${alias}" already used by another piece of Freight in namespace "${ns}"`,
        );
      }
      store.update<Freight>('Freight', ns, freight.metadata!.name!, f => {
        f.alias = alias;
        f.metadata = {
          ...f.metadata,
          labels: { ...f.metadata?.labels, [ALIAS_LABEL]: alias },
        };
      });
      res.status(200).end();
    }),
  );
  post('/projects/:project/freight/:freight/approve', (req, res) => {
    const actor = authorize(
      res,
      'promote',
      'stages',
      req.params.project,
      'promoter',
    );
    const ns = project(req);
    const stageName =
      typeof req.query.stage === 'string' ? req.query.stage : '';
    if (!stageName) throw new HttpError(400, 'stage should not be empty');
    sim.approve(ns, req.params.freight, stageName, actor);
    res.status(200).end();
  });

  // Promotions
  get('/projects/:project/promotions', (req, res) => {
    const ns = read(req, res, 'promotions');
    const stageName =
      typeof req.query.stage === 'string' ? req.query.stage : '';
    const matches = (o: KargoObject) =>
      !stageName || (o as Promotion).spec.stage === stageName;
    if (isWatch(req)) {
      listOrWatch(req, res, 'Promotion', ns, matches);
      return;
    }
    const items = store
      .list<Promotion>('Promotion', ns)
      .filter(matches)
      .sort(
        (a, b) =>
          b
            .metadata!.name!.split('.')[1]
            ?.localeCompare(a.metadata!.name!.split('.')[1] ?? '') ?? 0,
      );
    res.json(listResult(items));
  });
  get('/projects/:project/promotions/:promotion', (req, res) => {
    getOrWatch(
      req,
      res,
      'Promotion',
      read(req, res, 'promotions'),
      req.params.promotion,
    );
  });
  post('/projects/:project/promotions/:promotion/abort', (req, res) => {
    authorize(res, 'patch', 'promotions', req.params.project, 'promoter');
    const ns = project(req);
    const promotion = store.require<Promotion>(
      'Promotion',
      ns,
      req.params.promotion,
    );
    if (
      ['Succeeded', 'Failed', 'Errored', 'Aborted'].includes(
        promotion.status?.phase ?? '',
      )
    ) {
      throw new HttpError(
        400,
        `promotion "${req.params.promotion}" has already finished (${promotion.status?.phase})`,
      );
    }
    annotate('Promotion', ns, req.params.promotion, {
      [ABORT_ANNOTATION]: new Date().toISOString(),
    });
    res.status(200).end();
  });
  post('/projects/:project/promotions/:promotion/refresh', (req, res) => {
    authorize(res, 'patch', 'promotions', req.params.project, 'promoter');
    const ns = project(req);
    annotate('Promotion', ns, req.params.promotion, {
      [REFRESH_ANNOTATION]: new Date().toISOString(),
    });
    res.status(200).end();
  });

  // Raw manifests
  const manifests = (req: Request): KargoObject[] => {
    const text =
      typeof req.body === 'string' ? req.body : JSON.stringify(req.body ?? '');
    let docs: KargoObject[];
    try {
      const parsed = YAML.parseAllDocuments(text);
      const broken = parsed.flatMap(d => d.errors);
      if (broken.length) throw broken[0];
      docs = parsed.map(d => d.toJS() as KargoObject).filter(Boolean);
    } catch (e) {
      throw new HttpError(
        400,
        `error parsing manifests: ${(e as Error).message}`,
      );
    }
    if (!docs.length) throw new HttpError(400, 'no manifests provided');
    return docs;
  };
  const resourceRef = (o: KargoObject) => ({
    group: 'kargo.akuity.io',
    version: 'v1alpha1',
    kind: o.kind,
    namespace: o.metadata?.namespace,
    name: o.metadata?.name,
  });
  const eachResource = (
    req: Request,
    res: Response,
    verb: string,
    apply: (kind: Kind, o: KargoObject) => Record<string, unknown>,
  ) => {
    const results = manifests(req).map(o => {
      try {
        const kind = kindOf(o.kind);
        if (!kind) throw new HttpError(400, `unsupported kind "${o.kind}"`);
        const ns =
          kind === 'Project' ? o.metadata?.name : o.metadata?.namespace;
        authorize(res, verb, `${kind.toLowerCase()}s`, ns, 'admin');
        return apply(kind, o);
      } catch (e) {
        return { error: (e as Error).message };
      }
    });
    return results;
  };
  post('/resources', (req, res) => {
    res.status(201).json({
      results: eachResource(req, res, 'create', (_kind, o) => ({
        createdResourceManifest: sim.createResource(o),
      })),
    });
  });
  api.put(
    '/resources',
    wrap((req, res) => {
      const upsert = req.query.upsert === 'true';
      res.json({
        results: eachResource(req, res, 'update', (kind, o) => {
          const ns = kind === 'Project' ? '' : o.metadata?.namespace ?? '';
          const name = o.metadata?.name ?? '';
          if (!store.get(kind, ns, name)) {
            if (!upsert)
              throw new HttpError(
                404,
                `${kind.toLowerCase()}s.kargo.akuity.io "${name}" not found`,
              );
            return { createdResourceManifest: sim.createResource(o) };
          }
          const updated = store.update(kind, ns, name, current => {
            for (const key of Object.keys(current))
              if (key !== 'metadata' && key !== 'status') delete current[key];
            Object.assign(current, {
              ...o,
              metadata: {
                ...current.metadata,
                labels: o.metadata?.labels,
                annotations: o.metadata?.annotations,
              },
              status: current.status,
            });
          });
          return { updatedResourceManifest: updated };
        }),
      });
    }),
  );
  api.delete(
    '/resources',
    wrap((req, res) => {
      res.json({
        results: eachResource(req, res, 'delete', (kind, o) => {
          const ns = kind === 'Project' ? '' : o.metadata?.namespace ?? '';
          store.delete(kind, ns, o.metadata?.name ?? '');
          return { deletedResourceManifest: resourceRef(o) };
        }),
      });
    }),
  );

  app.use('/v1beta1', api);
  app.use((_req, _res, next) => next(new HttpError(404, 'not found')));
  app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) {
      res.end();
      return;
    }
    const status =
      error instanceof HttpError
        ? error.status
        : (error as { status?: number }).status ?? 500;
    const message =
      error instanceof HttpError || status < 500
        ? error.message
        : 'internal server error';
    res.status(status).json({ error: message });
  });
  return app;
}

function wrap(handler: Handler) {
  return (req: Request, res: Response, next: NextFunction) => {
    try {
      const result = handler(req, res);
      if (result instanceof Promise) result.catch(next);
    } catch (error) {
      next(error);
    }
  };
}

function objectBody(req: Request): Record<string, any> {
  if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) {
    throw new HttpError(400, 'request body must be a JSON object');
  }
  return req.body;
}

const GROUP_BY = ['image_repo', 'git_repo', 'chart_repo', ''];

function queryParam(req: Request, name: string): string {
  const value = req.query[name];
  return typeof value === 'string' ? value : '';
}

/** The checks of Kargo's validateGroupByOrderBy. */
function validateGrouping(group: string, groupBy: string, orderBy: string) {
  if (group && !groupBy)
    throw new HttpError(400, 'cannot filter by group without group by');
  if (!GROUP_BY.includes(groupBy))
    throw new HttpError(400, `invalid group by: ${groupBy}`);
  if (
    orderBy === 'tag' &&
    groupBy !== 'image_repo' &&
    groupBy !== 'chart_repo'
  ) {
    throw new HttpError(
      400,
      'tag ordering only valid when grouping by: image_repo, chart_repo',
    );
  }
  if (!['tag', 'first_seen', ''].includes(orderBy))
    throw new HttpError(400, `invalid order by: ${orderBy}`);
}

const discoveredAt = (f: Freight) =>
  Date.parse(f.discoveredAt ?? f.metadata!.creationTimestamp!);

/**
 * queryFreight as Kargo's handler does it: optional grouping by image, git or chart repository
 * (one group per repository the freight references), oldest first unless `reverse`, or by tag
 * (semantic version where both parse) within a repository.
 */
function queryFreight(items: Freight[], req: Request, resourceVersion: string) {
  const orderBy = queryParam(req, 'orderBy');
  const groupBy = queryParam(req, 'groupBy');
  const group = queryParam(req, 'group');
  const reverse = req.query.reverse === 'true';
  const keysOf = (f: Freight): Array<[string, string | undefined]> => {
    if (groupBy === 'image_repo')
      return (f.images ?? []).map(i => [i.repoURL!, i.tag]);
    if (groupBy === 'git_repo')
      return (f.commits ?? []).map(c => [c.repoURL!, c.tag]);
    if (groupBy === 'chart_repo') {
      return (f.charts ?? []).map(c => [
        c.name ? `${c.repoURL}/${c.name}` : c.repoURL!,
        c.version,
      ]);
    }
    return [['', undefined]];
  };
  const groups: Record<string, Array<{ freight: Freight; tag?: string }>> = {};
  for (const freight of items) {
    for (const [key, tag] of keysOf(freight)) {
      if (group && key !== group) continue;
      (groups[key] ??= []).push({ freight, tag });
    }
  }
  const result: Record<string, { items: Freight[] }> = {};
  for (const [key, entries] of Object.entries(groups)) {
    entries.sort((a, b) => {
      if (orderBy === 'tag') {
        const va = semver.valid(a.tag?.replace(/^v/, '') ?? '');
        const vb = semver.valid(b.tag?.replace(/^v/, '') ?? '');
        if (va && vb) return semver.compare(va, vb);
        return (a.tag ?? '').localeCompare(b.tag ?? '');
      }
      return discoveredAt(a.freight) - discoveredAt(b.freight);
    });
    if (reverse) entries.reverse();
    result[key] = { items: entries.map(e => e.freight) };
  }
  return { groups: result, resourceVersion };
}
