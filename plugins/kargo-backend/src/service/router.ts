import {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import { KargoInstances } from '@kargo-backstage/plugin-kargo-node';
import { createOpenApiRouter } from '../schema/openapi/generated/router';
import { PortalData } from './PortalData';
import { ProjectSignals } from './ProjectSignals';
import { ProjectStates } from './state/ProjectStates';
import { ProjectWatchers } from './watch/ProjectWatchers';
import { createOperationsRouter } from './operations/operationsRouter';
import { PromotionService } from './promotions/PromotionService';
import { StageService } from './stages/StageService';
import { FreightService } from './freight/FreightService';
import { EntityViews } from './views/EntityViews';
import { KargoStore } from '../database';
import { createMetadataRouter } from './metadata/metadataRouter';
import { FreightMetadataService } from './metadata/FreightMetadataService';
import { createFreezeRouter } from './freeze/freezeRouter';
import { PromotionWindowService } from './freeze/PromotionWindowService';
import { createSettingsRouter } from './settings/settingsRouter';
import { CredentialsService } from './settings/CredentialsService';
import { ProjectSettingsService } from './settings/ProjectSettingsService';
import { WarehouseService } from './settings/WarehouseService';
import { KargoResourceOwners } from '../permissions/KargoResourceOwners';
import { KargoTokenAccess } from './access/KargoTokenAccess';
import { ApprovalService } from './approvals/ApprovalService';
import { createApprovalsRouter } from './approvals/approvalsRouter';
import { LineStops } from './lineStops/LineStops';
import { createLineStopsRouter } from './lineStops/lineStopsRouter';
import { FreezeNotifications } from './notifications/FreezeNotifications';

export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  store: KargoStore;
  portalData: PortalData;
  signals: ProjectSignals;
  now?: () => Date;
  catalog: CatalogService;
  owners: KargoResourceOwners;
  /** The OIDC claim Kargo matches portal groups against. */
  groupsClaim: string;
  instances: KargoInstances;
  states: ProjectStates;
  watchers: ProjectWatchers;
  /** What the portal's Kargo token may do per project (learnt from Kargo when absent). */
  tokenAccess?: KargoTokenAccess;
  /** Promotions, shared with the actions registry. */
  promotions: PromotionService;
  /** Entity views, shared with the actions registry. */
  entityViews: EntityViews;
  /** The portal's freight metadata, shared with the actions registry. */
  metadata: FreightMetadataService;
  approvals: ApprovalService;
  lineStops: LineStops;
  /** Tells the owners of a freeze ended by hand. */
  freezes?: FreezeNotifications;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, instances } = options;
  // Requests are checked against the spec (400 naming what is wrong) before any route runs.
  // The body is parsed outside it (the inner parser then has nothing left to do), so that a
  // body over the limit stays a 413 rather than becoming the validator's 400.
  const json = express.json({ limit: '100kb' });
  const router = await createOpenApiRouter({
    middleware: [json],
    // Under test, every answer is checked against the spec too: a test of any route fails
    // when the code answers what the spec does not say.
    validatorOptions: { validateResponses: process.env.NODE_ENV === 'test' },
  });
  const outer = express.Router();
  outer.use(json);
  outer.use(router);
  const tokenAccess =
    options.tokenAccess ?? new KargoTokenAccess(options.logger);
  const entityViews = options.entityViews;

  // Says whether the plugin runs and which instances it knows; it does not call Kargo.
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', instances: instances.names() });
  });

  router.get('/entity-view', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const answer = await entityViews.json(credentials, req.query);
    // Sent in full (or given up) first: a big project's first view waits for nothing else.
    res.once('close', answer.viewed);
    if ('error' in answer) {
      const { name, message, statusCode = 503 } = answer.error;
      res.status(statusCode).json({
        error: { name, message },
        request: { method: req.method, url: req.originalUrl },
        response: { statusCode },
      });
      return;
    }
    // Sent as the JSON it already is (the typed router would serialize it again).
    (res as express.Response).type('json').send(answer.json);
  });

  const deps = {
    ...options,
    tokenAccess,
    onChange: undefined,
  };
  router.use(
    createOperationsRouter({
      httpAuth,
      promotions: options.promotions,
      stages: new StageService(deps),
      freight: new FreightService(deps),
    }),
  );
  /** For the portal's own data: Kargo's state is not touched; open pages hear of the change. */
  const portalData = (kind: 'PromotionWindow') => ({
    ...deps,
    portalDataOnly: true,
    onChange: (instance: string, project: string) =>
      options.signals.publish({ instance, project, kind }),
  });
  router.use(createMetadataRouter({ httpAuth, metadata: options.metadata }));
  router.use(
    createFreezeRouter({
      httpAuth,
      windows: new PromotionWindowService({
        ...portalData('PromotionWindow'),
        onEnded: (ref, window, now) =>
          options.freezes?.endedEarly(ref, window, now) ?? Promise.resolve(),
      }),
    }),
  );

  router.use(createApprovalsRouter({ httpAuth, approvals: options.approvals }));
  router.use(createLineStopsRouter({ httpAuth, lineStops: options.lineStops }));
  router.use(
    createSettingsRouter({
      httpAuth,
      settings: new ProjectSettingsService(deps),
      credentials: new CredentialsService(deps),
      warehouses: new WarehouseService(deps),
    }),
  );

  return outer;
}
