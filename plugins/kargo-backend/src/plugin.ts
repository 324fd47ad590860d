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
import {
  KargoFreightEnricher,
  kargoFreightEnrichersExtensionPoint,
  KargoPromotionGate,
  kargoPromotionGatesExtensionPoint,
} from '@kargo-backstage/plugin-kargo-node';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { registerKargoActions } from './actions/registerKargoActions';
import { DatabaseKargoStore } from './database';
import {
  KargoClient,
  kargoInstancesServiceRef,
} from '@kargo-backstage/plugin-kargo-node';
import { changelogEnricher } from './service/enrichment/changelogEnricher';
import { FreightEnrichment } from './service/enrichment/FreightEnrichment';
import { AutoPromotionFreezer } from './service/freeze/AutoPromotionFreezer';
import { createFreezeGate } from './service/gates/freezeGate';
import { PromotionGates } from './service/gates/PromotionGates';
import { PortalData, renewingStamps } from './service/PortalData';
import { ProjectSnapshots } from './service/ProjectSnapshots';
import { ProjectSignals } from './service/ProjectSignals';
import { ProjectWatchers } from './service/watch/ProjectWatchers';
import { WatchLeases } from './service/watch/WatchLeases';
import { createRouter } from './service/router';
import { PromotionService } from './service/promotions/PromotionService';
import { EntityViews } from './service/views/EntityViews';
import os from 'node:os';

/**
 * The Kargo backend plugin: the portal's one door to Kargo's API servers.
 *
 * @public
 */
export const kargoPlugin = createBackendPlugin({
  pluginId: 'kargo',
  register(env) {
    // Modules add promotion gates and freight enrichers through these extension points.
    const gates: KargoPromotionGate[] = [];
    env.registerExtensionPoint(kargoPromotionGatesExtensionPoint, {
      addPromotionGate(...added) {
        gates.push(...added);
      },
    });
    const enrichers: KargoFreightEnricher[] = [changelogEnricher];
    env.registerExtensionPoint(kargoFreightEnrichersExtensionPoint, {
      addFreightEnricher(...added) {
        enrichers.push(...added);
      },
    });
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
        database: coreServices.database,
        actionsRegistry: actionsRegistryServiceRef,
        scheduler: coreServices.scheduler,
        instanceMetadata: coreServices.rootInstanceMetadata,
        catalog: catalogServiceRef,
        signals: signalsServiceRef,
        instances: kargoInstancesServiceRef,
      },
      async init(deps) {
        const { config, httpRouter, logger, cache, lifecycle, instances } =
          deps;
        deps.permissionsRegistry.addPermissions(kargoPermissions);
        // Conditional decisions (in project, is stage, owned by the user) are resolved here,
        // against the owners that the catalog and the Kargo Project agree on.
        const owners = new KargoResourceOwners(
          deps.catalog,
          deps.auth,
          instances,
          logger,
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
        const database = await DatabaseKargoStore.create({
          database: deps.database,
        });
        const portalData = new PortalData(database, cache);
        // In the database (migrated above), so that they hold across replicas.
        const db = await deps.database.getClient();
        const idempotency = new IdempotencyKeys(db);
        await deps.scheduler.scheduleTask({
          id: 'kargo-idempotency-prune',
          frequency: { hours: 1 },
          timeout: { minutes: 5 },
          fn: async () => {
            await idempotency.prune();
          },
        });
        const store = renewingStamps(database, portalData);
        const signals = new ProjectSignals(deps.signals, logger);
        const enrichment = new FreightEnrichment(enrichers, store, logger);
        // Enrichment runs in the background: a slow enricher never delays a page. One run per
        // project at a time, and at most one more after it, however many freight events came
        // (a Kargo before v1.11 replays all freight as ADDED when its watch starts).
        const enriching = new Map<string, { again: boolean }>();
        const enrichOnce = (client: KargoClient, project: string) =>
          snapshots
            .get(client, project)
            .then(snapshot =>
              enrichment.enrich(
                { instance: client.instance.name, project },
                snapshot.freight,
                snapshot.freight,
              ),
            )
            .then(stored =>
              stored
                ? signals.publish({
                    instance: client.instance.name,
                    project,
                    kind: 'FreightMetadata',
                  })
                : undefined,
            )
            .catch(error =>
              logger.warn(
                `Kargo freight enrichment of ${project} failed: ${error}`,
              ),
            );
        const enrichProject = (client: KargoClient, project: string) => {
          const key = ProjectSnapshots.key(client.instance.name, project);
          const running = enriching.get(key);
          if (running) {
            running.again = true;
            return;
          }
          const run = { again: false };
          enriching.set(key, run);
          const done = () => {
            if (run.again) {
              run.again = false;
              enrichOnce(client, project).finally(done);
            } else {
              enriching.delete(key);
            }
          };
          enrichOnce(client, project).finally(done);
        };
        const leaseSeconds =
          config.getOptionalNumber('kargo.watch.leaseSeconds') ?? 10;
        if (!(leaseSeconds >= 1)) {
          // Shorter leases would pass the watches back and forth between replicas.
          throw new Error(
            `kargo.watch.leaseSeconds must be at least 1, got ${leaseSeconds}`,
          );
        }
        const leaseMs = leaseSeconds * 1000;
        const watchers = new ProjectWatchers({
          instances,
          leases: new WatchLeases(db, {
            // Says which host and process holds a watch, for whoever reads the table.
            holder: `${os.hostname()}/${
              process.pid
            }/${deps.instanceMetadata.getId()}`,
            leaseMs,
          }),
          leaseMs,
          pollIntervalMs:
            (config.getOptionalNumber('kargo.watch.pollSeconds') ?? 30) * 1000,
          snapshots,
          signals,
          logger,
          // Enrichers run where the project is watched: on one replica, not on each.
          onWatching: enrichProject,
          // Watches invalidate the snapshot first; read it again once that settled.
          onFreightAdded: (client, project) =>
            setTimeout(() => enrichProject(client, project), 500),
        });
        const freezer = new AutoPromotionFreezer(store, instances, logger);
        await deps.scheduler.scheduleTask({
          id: 'kargo-freeze-auto-promotion',
          frequency: { seconds: 30 },
          timeout: { minutes: 2 },
          fn: () => freezer.run(new Date()),
        });
        watchers.start();
        lifecycle.addShutdownHook(() => watchers.stopAll());
        const promotions = new PromotionService({
          httpAuth: deps.httpAuth,
          permissions: deps.permissions,
          auditor: deps.auditor,
          instances,
          snapshots,
          idempotency,
          store,
          gates: new PromotionGates([createFreezeGate(store), ...gates]),
        });
        const entityViews = new EntityViews({
          logger,
          permissions: deps.permissions,
          catalog: deps.catalog,
          instances,
          snapshots,
          watchers,
          portalData,
        });
        httpRouter.use(
          await createRouter({
            logger,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            store,
            portalData,
            signals,
            catalog: deps.catalog,
            owners,
            groupsClaim:
              config.getOptionalString('kargo.groupsClaim') ?? 'groups',
            instances,
            snapshots,
            watchers,
            promotions,
            entityViews,
          }),
        );
        // Load balancers and uptime probes call this without a Backstage token.
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        // For tools and MCP clients: the same services, and so the same checks, as the routes.
        registerKargoActions({
          actionsRegistry: deps.actionsRegistry,
          entityViews,
          promotions,
          store,
          permissions: deps.permissions,
        });
      },
    });
  },
});
