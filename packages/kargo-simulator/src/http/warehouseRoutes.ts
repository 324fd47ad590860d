import { KargoRouteContext } from './kargoRouteContext';

/** Warehouses: reads and refresh. */
export function warehouseRoutes({
  get,
  post,
  sim,
  listOrWatch,
  getOrWatch,
  ok,
}: KargoRouteContext) {
  get('/projects/:project/warehouses', (req, res) => {
    listOrWatch(req, res, 'Warehouse');
  });
  get('/projects/:project/warehouses/:warehouse', (req, res) => {
    getOrWatch(req, res, 'Warehouse', req.params.warehouse);
  });
  post('/projects/:project/warehouses/:warehouse/refresh', (req, res) => {
    sim.refresh('Warehouse', req.params.project, req.params.warehouse);
    ok(res);
  });
}
