import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { KargoResourceOwners } from './permissions/KargoResourceOwners';
import { registerKargoPermissions } from './permissions/registerKargoPermissions';
import { readKargoBackendConfig } from './config';
import { ProjectEnrichment } from './service/enrichment/ProjectEnrichment';
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
import { kargoInstancesServiceRef } from '@kargo-backstage/plugin-kargo-node';
import { changelogEnricher } from './service/enrichment/changelogEnricher';
import { FreightEnrichment } from './service/enrichment/FreightEnrichment';
import { AutoPromotionFreezer } from './service/freeze/AutoPromotionFreezer';
import { createFreezeGate } from './service/gates/freezeGate';
import { PromotionGates } from './service/gates/PromotionGates';
import { PortalData, renewingStamps } from './service/PortalData';
import { ProjectStates } from './service/state/ProjectStates';
import { ProjectSignals } from './service/ProjectSignals';
import { ProjectWatchers } from './service/watch/ProjectWatchers';
import { WatchLeases } from './service/watch/WatchLeases';
import { createRouter } from './service/router';
import { PromotionService } from './service/promotions/PromotionService';
import { EntityViews } from './service/views/EntityViews';
import { FreightMetadataService } from './service/metadata/FreightMetadataService';
import { KargoTokenAccess } from './service/access/KargoTokenAccess';
import os from 'node:os';
import { notificationService } from '@backstage/plugin-notifications-node';
import { KARGO_LINE_STOPS_CHANNEL } from '@kargo-backstage/plugin-kargo-common';
import { ApprovalService } from './service/approvals/ApprovalService';
import { ApprovalStore } from './service/approvals/ApprovalStore';
import { LineStops } from './service/lineStops/LineStops';
import { KargoNotifier } from './service/notifications/KargoNotifier';
import { KargoEventNotifications } from './service/notifications/KargoEventNotifications';
import { FreezeNotifications } from './service/notifications/FreezeNotifications';
import type { ProjectRef } from './database';

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
        userInfo: coreServices.userInfo,
        notifications: notificationService,
        catalog: catalogServiceRef,
        signals: signalsServiceRef,
        events: eventsServiceRef,
        instances: kargoInstancesServiceRef,
      },
      async init(deps) {
        const { httpRouter, logger, cache, instances, scheduler } = deps;
        const settings = readKargoBackendConfig(deps.config);
        const owners = new KargoResourceOwners(
          deps.catalog,
          deps.auth,
          instances,
          logger,
        );
        registerKargoPermissions(deps.permissionsRegistry, owners);
        const states = new ProjectStates({
          logger,
          events: deps.events,
          replicaId: deps.instanceMetadata.getId(),
          // A few of the watching replica's heartbeats (one per third of a lease).
          liveMs: settings.leaseMs * 2,
        });
        await states.subscribe();
        const database = await DatabaseKargoStore.create({
          database: deps.database,
        });
        const portalData = new PortalData(database, cache);
        const store = renewingStamps(database, portalData);
        // In the database (migrated above), so that they hold across replicas.
        const db = await deps.database.getClient();
        const idempotency = new IdempotencyKeys(db);
        const signals = new ProjectSignals(deps.signals, logger);
        const notifier = new KargoNotifier(deps.notifications, db, logger);
        /** The owners of the entities that show a project, and the first one's Kargo tab. */
        const audience = async (ref: ProjectRef) => {
          const showing = await owners.entitiesShowing(
            ref.instance,
            ref.project,
          );
          const first = showing[0]?.entity;
          return {
            owners: [...new Set(showing.flatMap(s => s.owners))],
            link: first
              ? `/catalog/${
                  first.metadata.namespace ?? 'default'
                }/${first.kind.toLocaleLowerCase('en-US')}/${
                  first.metadata.name
                }/kargo`
              : undefined,
          };
        };
        const events = new KargoEventNotifications({
          notifier,
          audience,
          productionStages: settings.productionStages,
        });
        const enrichment = new ProjectEnrichment({
          // The database itself: the run tells views once, not per enrichment it stores.
          enrichment: new FreightEnrichment(enrichers, database, logger),
          portalData,
          states,
          signals,
          logger,
        });
        const watchers = new ProjectWatchers({
          instances,
          leases: new WatchLeases(db, {
            // Says which host and process holds a watch, for whoever reads the table.
            holder: `${os.hostname()}/${
              process.pid
            }/${deps.instanceMetadata.getId()}`,
            leaseMs: settings.leaseMs,
          }),
          leaseMs: settings.leaseMs,
          pollIntervalMs: settings.pollIntervalMs,
          states,
          signals,
          logger,
          // Enrichers run where the project is watched: on one replica, not on each.
          // A second later: after the first view, which started the watch, has answered.
          onWatching: (client, project) =>
            enrichment.later(client, project, 1000),
          // A burst of new freight makes one run, once it has arrived.
          onFreightAdded: (client, project) =>
            enrichment.later(client, project, 500),
          onChange: (ref, change) => void events.changed(ref, change),
        });
        const promotionGates = new PromotionGates([
          createFreezeGate(store),
          ...gates,
        ]);
        const approvals = new ApprovalService({
          httpAuth: deps.httpAuth,
          permissions: deps.permissions,
          auditor: deps.auditor,
          instances,
          states,
          store: new ApprovalStore(db),
          userInfo: deps.userInfo,
          notifier,
          linkTo: async ref => (await audience(ref)).link,
          gateInstalled: () => promotionGates.names().includes('approval'),
          // The portal's own data: Kargo's state is not touched; open pages hear of the change.
          portalDataOnly: true,
          onChange: async (instance, project) => {
            await portalData.changed({ instance, project });
            await signals.publish({ instance, project, kind: 'Approval' });
          },
        });
        await approvals.seed(settings.approvalPolicies);
        const lineStops = new LineStops({
          db,
          notifier,
          permissions: deps.permissions,
          auditor: deps.auditor,
          instances,
          onChange: async () => {
            await portalData.changedEverywhere();
            await deps.signals.publish({
              recipients: { type: 'broadcast' },
              channel: KARGO_LINE_STOPS_CHANNEL,
              message: { kind: 'LineStop' },
            });
          },
        });
        const freezer = new AutoPromotionFreezer(store, instances, logger, {
          approvals,
          lineStops,
          states,
          auditor: deps.auditor,
        });
        await scheduler.scheduleTask({
          id: 'kargo-freeze-auto-promotion',
          frequency: { seconds: 30 },
          timeout: { minutes: 2 },
          fn: () => freezer.run(new Date()),
        });
        const freezes = new FreezeNotifications({
          store,
          instances,
          notifier,
          audience,
          logger,
        });
        await scheduler.scheduleTask({
          id: 'kargo-freeze-notifications',
          frequency: { minutes: 1 },
          timeout: { minutes: 2 },
          fn: () => freezes.run(new Date()),
        });
        await scheduler.scheduleTask({
          id: 'kargo-idempotency-prune',
          frequency: { hours: 1 },
          timeout: { minutes: 5 },
          fn: async () => {
            await idempotency.prune();
            await notifier.prune();
          },
        });
        watchers.start();
        deps.lifecycle.addShutdownHook(async () => {
          enrichment.stop();
          await watchers.stopAll();
        });
        const promotions = new PromotionService({
          httpAuth: deps.httpAuth,
          permissions: deps.permissions,
          auditor: deps.auditor,
          instances,
          states,
          idempotency,
          store,
          gates: promotionGates,
          approvals,
        });
        // What the portal's Kargo token may do, learnt from Kargo once for the views and settings.
        const tokenAccess = new KargoTokenAccess(logger);
        const entityViews = new EntityViews({
          logger,
          tokenAccess,
          permissions: deps.permissions,
          catalog: deps.catalog,
          instances,
          states,
          watchers,
          portalData,
          approvals,
          lineStops,
        });
        const metadata = new FreightMetadataService({
          httpAuth: deps.httpAuth,
          permissions: deps.permissions,
          auditor: deps.auditor,
          instances,
          states,
          store,
          // The portal's own data: Kargo's state is not touched; open pages hear of the change.
          portalDataOnly: true,
          onChange: (instance, project) =>
            signals.publish({ instance, project, kind: 'FreightMetadata' }),
        });
        httpRouter.use(
          await createRouter({
            logger,
            tokenAccess,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            store,
            portalData,
            signals,
            catalog: deps.catalog,
            owners,
            groupsClaim: settings.groupsClaim,
            instances,
            states,
            watchers,
            promotions,
            entityViews,
            metadata,
            approvals,
            lineStops,
            freezes,
          }),
        );
        // Load balancers and uptime probes call this without a Backstage token.
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        // For tools and MCP clients: the same services, and so the same checks, as the routes.
        registerKargoActions({
          actionsRegistry: deps.actionsRegistry,
          entityViews,
          promotions,
          metadata,
        });
      },
    });
  },
});
