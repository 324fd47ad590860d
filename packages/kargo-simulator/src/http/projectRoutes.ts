import { authorize } from './auth';
import { HttpError } from './HttpError';
import { KargoRouteContext } from './kargoRouteContext';
import { queryArray, queryParam } from './requests';

/** The server version, projects, their config and events. */
export function projectRoutes({
  get,
  options,
  sim,
  store,
  getOrWatch,
}: KargoRouteContext) {
  get('/system/server-version', (_req, res) => {
    res.json({
      version: options.version,
      gitCommit: 'kargo-simulator',
      gitTreeDirty: false,
      buildDate: '2026-08-17T00:00:00Z',
      goVersion: 'n/a (kargo-simulator)',
      compiler: 'n/a',
      platform: `${process.platform}/${process.arch}`,
    });
  });
  get('/projects', (req, res) => {
    authorize(res, 'list', 'projects', ''); // cluster-scoped
    const filter = queryParam(req, 'filter').toLowerCase();
    const uids = queryArray(req, 'uid');
    const all = store
      .list('Project')
      // mine=true keeps projects mapped to the caller's OIDC claims; tokens here have none.
      .filter(() => queryParam(req, 'mine') !== 'true')
      .filter(p => !filter || p.metadata!.name!.toLowerCase().includes(filter))
      .filter(p => !uids.length || uids.includes(p.metadata!.uid!));
    const int = (name: string) =>
      /^-?\d+$/.test(queryParam(req, name)) ? Number(queryParam(req, name)) : 0;
    const pageSize = int('pageSize');
    const page = int('page');
    if (pageSize > 0 && page < 0)
      throw new HttpError(500, 'internal server error'); // Kargo panics here
    const start = page * pageSize;
    const items = pageSize > 0 ? all.slice(start, start + pageSize) : all;
    res.json({ items, total: all.length });
  });
  get('/projects/:project', (req, res) => {
    authorize(res, 'get', 'projects', '', req.params.project); // cluster-scoped
    res.json(store.require('Project', '', req.params.project));
  });
  get('/projects/:project/config', (req, res) => {
    getOrWatch(req, res, 'ProjectConfig', req.params.project);
  });
  get('/projects/:project/events', (req, res) => {
    authorize(res, 'list', 'events', req.params.project);
    const items = sim.events
      .filter(e => e.metadata?.namespace === req.params.project)
      .sort((a, b) =>
        String(b.lastTimestamp).localeCompare(String(a.lastTimestamp)),
      );
    res.json({ metadata: {}, items });
  });
}
