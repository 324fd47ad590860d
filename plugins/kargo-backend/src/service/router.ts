import {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef, parseEntityRef } from '@backstage/catalog-model';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  serializeError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  getKargoAnnotations,
  KargoEntityView,
  KargoProjectError,
  KargoProjectView,
  KargoTokenAccess as KargoTokenAccessView,
  kargoProjectReadPermission,
  kargoProjectResourceRef,
  KARGO_PROJECT_ANNOTATION,
} from '@kargo-backstage/plugin-kargo-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import { KargoInstances } from '@kargo-backstage/plugin-kargo-node';
import { PortalData } from './PortalData';
import { ProjectSignals } from './ProjectSignals';
import { ProjectSnapshots } from './ProjectSnapshots';
import { ProjectWatchers } from './watch/ProjectWatchers';
import { buildProjectView, ProjectSnapshot } from './views/buildProjectView';
import { createOperationsRouter } from './operations/operationsRouter';
import { IdempotencyKeys } from './operations/IdempotencyKeys';
import { KargoStore } from '../database';
import { PromotionGates } from './gates/PromotionGates';
import { createMetadataRouter } from './metadata/metadataRouter';
import { createFreezeRouter } from './freeze/freezeRouter';
import { createSettingsRouter } from './settings/settingsRouter';
import { createCredentialsRouter } from './settings/credentialsRouter';
import { createWarehousesRouter } from './settings/warehousesRouter';
import { KargoResourceOwners } from '../permissions/KargoResourceOwners';
import { authorizeKargo } from '@kargo-backstage/plugin-kargo-node';
import { objectName } from './operations/schemas';
import { KargoTokenAccess } from './access/KargoTokenAccess';
import { stagePromotionWindow } from './freeze/stagePromotionWindow';

export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  idempotency: IdempotencyKeys;
  store: KargoStore;
  portalData: PortalData;
  gates: PromotionGates;
  signals: ProjectSignals;
  now?: () => Date;
  catalog: CatalogService;
  owners: KargoResourceOwners;
  /** The OIDC claim Kargo matches portal groups against. */
  groupsClaim: string;
  instances: KargoInstances;
  snapshots: ProjectSnapshots;
  watchers: ProjectWatchers;
  /** What the portal's Kargo token may do per project (learnt from Kargo when absent). */
  tokenAccess?: KargoTokenAccess;
}

const entityViewQuery = z.object({
  entityRef: z
    .string({ required_error: 'entityRef is required' })
    .min(1)
    .max(500)
    .refine(ref => {
      try {
        parseEntityRef(ref);
        return true;
      } catch {
        return false;
      }
    }, 'entityRef must look like kind:namespace/name'),
  freightLimit: z.coerce.number().int().min(1).max(500).default(50),
  promotionLimit: z.coerce.number().int().min(1).max(500).default(30),
});

function parse<S extends z.ZodTypeAny>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new InputError(
      parsed.error.issues
        .map(i => `${i.path.join('.') || 'query'}: ${i.message}`)
        .join('; '),
    );
  }
  return parsed.data;
}

/** Views kept per snapshot (one per distinct set of options, oldest dropped first). */
const VIEWS_PER_SNAPSHOT = 16;
/** Kargo projects one entity may name (each costs Kargo reads). */
const MAX_PROJECTS_PER_ENTITY = 20;

function statusOf(error: unknown): number | undefined {
  if (error instanceof NotAllowedError) return 403;
  if (error instanceof InputError) return 400;
  return (error as { statusCode?: number }).statusCode;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, catalog, instances, snapshots, watchers } =
    options;
  const router = Router();
  router.use(express.json({ limit: '100kb' }));
  const tokenAccess =
    options.tokenAccess ?? new KargoTokenAccess(options.logger);

  // Says whether the plugin runs and which instances it knows; it does not call Kargo.
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', instances: instances.names() });
  });

  /**
   * Everything the Kargo tab shows for a catalog entity: one view per project it names.
   * A project whose Kargo fails is reported in place; when all fail, the error is the answer.
   */
  router.get('/entity-view', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const query = parse(entityViewQuery, req.query);
    const entityRef = stringifyEntityRef(parseEntityRef(query.entityRef));
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity)
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    const annotations = getKargoAnnotations(entity);
    if (!annotations) {
      throw new NotFoundError(
        `Entity ${entityRef} has no ${KARGO_PROJECT_ANNOTATION} annotation`,
      );
    }
    if (annotations.projects.length > MAX_PROJECTS_PER_ENTITY) {
      // Each project costs Kargo reads with the portal's token: a catalog author decides this.
      throw new InputError(
        `Entity ${entityRef} names ${annotations.projects.length} Kargo projects; at most ${MAX_PROJECTS_PER_ENTITY} are shown`,
      );
    }
    const client = instances.get(annotations.instance);
    // Read is decided per project: an entity naming a project does not make it readable.
    const decisions = await authorizeKargo(
      permissions,
      annotations.projects.map(project => ({
        permission: kargoProjectReadPermission,
        resourceRef: kargoProjectResourceRef(client.instance.name, project),
      })),
      credentials,
    );
    // Each project as JSON: a warm view is serialized once, not on every request.
    const projects = await Promise.all(
      annotations.projects.map(
        async (project, i): Promise<string | KargoProjectError> => {
          try {
            if (!objectName.safeParse(project).success) {
              throw new InputError(
                `"${project}" in ${KARGO_PROJECT_ANNOTATION} is no Kargo project name`,
              );
            }
            if (decisions[i].result !== AuthorizeResult.ALLOW) {
              throw new NotAllowedError(
                `Not allowed: ${
                  kargoProjectReadPermission.name
                } on ${kargoProjectResourceRef(client.instance.name, project)}`,
              );
            }
            const snapshot = await snapshots.get(client, project);
            watchers.viewed(client, project, snapshot);
            const view = viewOf(snapshot, {
              instance: client.instance.name,
              project,
              uiUrl: client.instance.uiUrl,
              stages: annotations.stages,
              warehouses: annotations.warehouses,
              freightLimit: query.freightLimit,
              promotionLimit: query.promotionLimit,
            });
            return await withPortalData(
              view,
              snapshot,
              await tokenAccess.forProject(client, project),
            );
          } catch (error) {
            const e = serializeError(error as Error);
            return {
              instance: client.instance.name,
              project,
              error: {
                name: e.name,
                message: e.message,
                statusCode: statusOf(error),
              },
            };
          }
        },
      ),
    );
    const failed = projects.filter(
      (p): p is KargoProjectError => typeof p !== 'string',
    );
    if (failed.length === projects.length) {
      const first = failed[0].error;
      res.status(first.statusCode ?? 503).json({
        error: { name: first.name, message: first.message },
        request: { method: req.method, url: req.originalUrl },
        response: { statusCode: first.statusCode ?? 503 },
      });
      return;
    }
    const head: Omit<KargoEntityView, 'projects'> = {
      entityRef,
      stages: annotations.stages,
      warehouses: annotations.warehouses,
    };
    // A KargoEntityView, with its projects spliced in as the JSON they already are.
    res
      .type('json')
      .send(
        `${JSON.stringify(head).slice(0, -1)},"projects":[${projects
          .map(p => (typeof p === 'string' ? p : JSON.stringify(p)))
          .join(',')}]}`,
      );
  });

  /** Views built from a snapshot, per options: a warm view costs no rebuild. */
  const built = new WeakMap<ProjectSnapshot, Map<string, KargoProjectView>>();
  function viewOf(
    snapshot: ProjectSnapshot,
    viewOptions: Parameters<typeof buildProjectView>[1],
  ): KargoProjectView {
    const key = JSON.stringify(viewOptions);
    let views = built.get(snapshot);
    if (!views) built.set(snapshot, (views = new Map()));
    let view = views.get(key);
    if (!view) {
      view = buildProjectView(snapshot, viewOptions);
      // Callers choose the options (limits, entities' filters): keep the latest few, not all.
      if (views.size >= VIEWS_PER_SNAPSHOT) {
        views.delete(views.keys().next().value!);
      }
      views.set(key, view);
    }
    return view;
  }

  /** A view with the portal's data, as JSON, kept while that data and the freeze state hold. */
  const withPortal = new WeakMap<
    KargoProjectView,
    { key: string; json: string }
  >();
  /** The portal's own data on the view: freight metadata and freeze state. */
  async function withPortalData(
    view: KargoProjectView,
    snapshot: ProjectSnapshot,
    kargoAccess: KargoTokenAccessView,
  ): Promise<string> {
    const stageOf = (name: string) =>
      snapshot.stages.find(s => s.metadata?.name === name);
    const ref = { instance: view.instance, project: view.project };
    const { stamp, metadata, windows } = await options.portalData.forView(
      ref,
      view.freight.map(f => f.name),
    );
    const now = options.now?.() ?? new Date();
    // Kargo's own promotionWindowStatus first, where it reports one.
    const promotionWindows = view.stages.map(s => {
      const stage = stageOf(s.name);
      return stage ? stagePromotionWindow(stage, windows, now) : undefined;
    });
    const key = `${stamp} ${JSON.stringify([promotionWindows, kargoAccess])}`;
    const kept = withPortal.get(view);
    if (kept?.key === key) return kept.json;
    const json = JSON.stringify({
      ...view,
      kargoAccess,
      freight: view.freight.map(f => ({
        ...f,
        portalMetadata: metadata.get(f.name),
      })),
      stages: view.stages.map((s, i) => ({
        ...s,
        promotionWindow: promotionWindows[i],
      })),
    } satisfies KargoProjectView);
    withPortal.set(view, { key, json });
    return json;
  }

  const deps = {
    ...options,
    tokenAccess,
    onChange: undefined,
  };
  router.use(
    createOperationsRouter({
      ...deps,
      now: () => (options.now?.() ?? new Date()).getTime(),
    }),
  );
  router.use(
    createMetadataRouter({
      ...deps,
      portalDataOnly: true,
      onChange: (instance, project) =>
        options.signals.publish({ instance, project, kind: 'FreightMetadata' }),
    }),
  );
  router.use(
    createFreezeRouter({
      ...deps,
      portalDataOnly: true,
      onChange: (instance, project) =>
        options.signals.publish({ instance, project, kind: 'PromotionWindow' }),
    }),
  );

  router.use(createSettingsRouter(deps));
  router.use(createCredentialsRouter(deps));
  router.use(createWarehousesRouter(deps));

  return router;
}
