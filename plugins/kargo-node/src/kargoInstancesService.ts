import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { KargoInstances } from './kargo/KargoInstances';

/**
 * The configured Kargo instances (`kargo.instances`) and their clients: one set per backend,
 * shared by the Kargo backend plugin and the scaffolder module. Invalid config stops the
 * backend with the key named; each instance's Kargo version is checked in the background, so a
 * Kargo that is down does not stop the portal.
 *
 * @public
 */
export const kargoInstancesServiceRef = createServiceRef<KargoInstances>({
  id: 'kargo.instances',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.rootLogger,
      },
      factory({ config, logger }) {
        const instances = KargoInstances.fromConfig(config, logger);
        void instances.checkServers();
        return instances;
      },
    }),
});
