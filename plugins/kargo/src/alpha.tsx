import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  OverridableFrontendPlugin,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { KargoBackendClient, kargoApiRef } from './api';
import { isKargoAvailable } from './conditions';

const kargoApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: kargoApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new KargoBackendClient({ discoveryApi, fetchApi }),
    }),
});

const kargoEntityContent = EntityContentBlueprint.make({
  params: {
    path: 'kargo',
    title: 'Kargo',
    filter: isKargoAvailable,
    loader: () =>
      import('./components/EntityKargoContent').then(m => (
        <m.EntityKargoContent />
      )),
  },
});

const kargoEntityCard = EntityCardBlueprint.make({
  params: {
    filter: isKargoAvailable,
    loader: () =>
      import('./components/EntityKargoCard').then(m => <m.EntityKargoCard />),
  },
});

/**
 * The Kargo plugin for apps on the new frontend system.
 * @alpha
 */
const kargoPlugin: OverridableFrontendPlugin = createFrontendPlugin({
  pluginId: 'kargo',
  info: { packageJson: () => import('../package.json') },
  extensions: [kargoApi, kargoEntityContent, kargoEntityCard],
});

export default kargoPlugin;
