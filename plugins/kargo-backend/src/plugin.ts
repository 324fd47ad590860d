import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { KargoInstances } from './kargo/KargoInstances';
import { createRouter } from './service/router';

/**
 * The Kargo backend plugin: the portal's one door to Kargo's API servers.
 *
 * @public
 */
export const kargoPlugin = createBackendPlugin({
  pluginId: 'kargo',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
      },
      async init({ config, httpRouter, logger }) {
        // Invalid kargo.* config stops the backend here, with the key named.
        const instances = KargoInstances.fromConfig(config, logger);
        httpRouter.use(await createRouter({ logger, instances }));
        // Load balancers and uptime probes call this without a Backstage token.
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
