import { mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import { createRouter } from '../service/router';
import { spec } from './openapi/generated/router';

/** Every route an express router (and the routers it uses) answers, as "METHOD /path/{param}". */
function routesOf(router: express.Router): string[] {
  return (router.stack as any[]).flatMap(layer => {
    if (layer.route) {
      const path = String(layer.route.path).replace(/:(\w+)/g, '{$1}');
      return Object.keys(layer.route.methods).map(
        method => `${method.toUpperCase()} ${path}`,
      );
    }
    return layer.handle?.stack ? routesOf(layer.handle) : [];
  });
}

describe('the OpenAPI spec', () => {
  it('describes exactly the routes the plugin serves', async () => {
    // Only the routes are read: no service behind them is called.
    const router = await createRouter({
      logger: mockServices.logger.mock(),
      instances: { names: () => [] },
      promotions: {},
    } as any);
    const served = routesOf(router).sort();
    expect(served.length).toBeGreaterThan(20);
    const described = Object.entries(spec.paths)
      .flatMap(([path, methods]) =>
        Object.keys(methods).map(method => `${method.toUpperCase()} ${path}`),
      )
      .filter(route => !route.endsWith('/openapi.json'))
      .sort();
    expect(served.filter(r => !r.includes('openapi.json'))).toEqual(described);
  });
});
