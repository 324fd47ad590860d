import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  kargoPermissions,
  kargoProjectPermissions,
  kargoStagePermissions,
} from '@kargo-backstage/plugin-kargo-common';
import { KargoResourceOwners } from './permissions/KargoResourceOwners';
import {
  kargoProjectResourceRef,
  kargoProjectRules,
  kargoStageResourceRef,
  kargoStageRules,
} from './permissions/rules';
import { IdempotencyKeys } from './service/operations/IdempotencyKeys';
import { KargoInstances } from './kargo/KargoInstances';
import { ProjectSnapshots } from './service/ProjectSnapshots';
import { ProjectWatchers } from './service/ProjectWatchers';
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
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        auditor: coreServices.auditor,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        cache: coreServices.cache,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        signals: signalsServiceRef,
      },
      async init(deps) {
        const { config, httpRouter, logger, cache, lifecycle } = deps;
        // Invalid kargo.* config stops the backend here, with the key named.
        const instances = KargoInstances.fromConfig(config, logger);
        deps.permissionsRegistry.addPermissions(kargoPermissions);
        // Conditional decisions (in project, is stage, owned by the user) are resolved here,
        // against the owners of the catalog entities that show the stage or project.
        const owners = new KargoResourceOwners(
          deps.catalog,
          deps.auth,
          () => instances.names()[0],
        );
        deps.permissionsRegistry.addResourceType({
          resourceRef: kargoStageResourceRef,
          permissions: kargoStagePermissions,
          rules: Object.values(kargoStageRules),
          getResources: refs => owners.stages(refs),
        });
        deps.permissionsRegistry.addResourceType({
          resourceRef: kargoProjectResourceRef,
          permissions: kargoProjectPermissions,
          rules: Object.values(kargoProjectRules),
          getResources: refs => owners.projects(refs),
        });
        const ttlMs =
          (config.getOptionalNumber('kargo.cache.ttlSeconds') ?? 30) * 1000;
        const snapshots = new ProjectSnapshots(cache, ttlMs);
        const watchers = new ProjectWatchers({
          snapshots,
          signals: deps.signals,
          logger,
        });
        lifecycle.addShutdownHook(() => watchers.stopAll());
        httpRouter.use(
          await createRouter({
            logger,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            idempotency: new IdempotencyKeys(cache),
            catalog: deps.catalog,
            instances,
            snapshots,
            watchers,
          }),
        );
        // Load balancers and uptime probes call this without a Backstage token.
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
