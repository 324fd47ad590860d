import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { KargoBackendClient, kargoApiRef } from './api';
import { entityContentRouteRef } from './routes';

/**
 * The Kargo plugin for apps on the classic frontend system; see `/alpha` for the new one.
 * @public
 */
export const kargoPlugin = createPlugin({
  id: 'kargo',
  apis: [
    createApiFactory({
      api: kargoApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new KargoBackendClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { entityContent: entityContentRouteRef },
});

/**
 * The Kargo tab of an entity page (classic frontend system).
 * @public
 */
export const EntityKargoContent: () => JSX.Element = kargoPlugin.provide(
  createRoutableExtension({
    name: 'EntityKargoContent',
    component: () =>
      import('./components/EntityKargoContent').then(m => m.EntityKargoContent),
    mountPoint: entityContentRouteRef,
  }),
);

/**
 * The Kargo card for an entity's overview page (classic frontend system).
 * @public
 */
export const EntityKargoCard: () => JSX.Element = kargoPlugin.provide(
  createComponentExtension({
    name: 'EntityKargoCard',
    component: {
      lazy: () =>
        import('./components/EntityKargoCard').then(m => m.EntityKargoCard),
    },
  }),
);
