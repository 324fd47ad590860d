import {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
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
  KargoEntityAnnotations,
  KargoEntityView,
  KargoProjectError,
  KargoProjectView,
  KargoTokenAccess as KargoTokenAccessView,
  kargoProjectReadPermission,
  kargoProjectResourceRef,
  KARGO_PROJECT_ANNOTATION,
} from '@kargo-backstage/plugin-kargo-common';
import {
  authorizeKargo,
  KargoClient,
  KargoInstances,
} from '@kargo-backstage/plugin-kargo-node';
import { z } from 'zod/v3';
import { KargoTokenAccess } from '../access/KargoTokenAccess';
import { stagePromotionWindow } from '../freeze/stagePromotionWindow';
import { objectName, parse } from '../operations/schemas';
import { PortalData } from '../PortalData';
import { ProjectStates } from '../state/ProjectStates';
import { ProjectWatchers } from '../watch/ProjectWatchers';
import { buildProjectView, ProjectSnapshot } from './buildProjectView';
import type { ApprovalService } from '../approvals/ApprovalService';
import type { LineStops } from '../lineStops/LineStops';

export interface EntityViewsOptions {
  logger: LoggerService;
  permissions: PermissionsService;
  catalog: CatalogService;
  instances: KargoInstances;
  states: ProjectStates;
  watchers: ProjectWatchers;
  portalData: PortalData;
  now?: () => Date;
  /** What the portal's Kargo token may do per project (learnt from Kargo when absent). */
  tokenAccess?: KargoTokenAccess;
  /** The portal's approval policies and requests, shown per project. */
  approvals?: Pick<ApprovalService, 'forView'>;
  /** Stop-the-line freezes, shown on every tab of their instance. */
  lineStops?: Pick<LineStops, 'active'>;
}

export const entityViewQuery = z.object({
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

/** Views kept per snapshot (one per distinct set of options, oldest dropped first). */
const VIEWS_PER_SNAPSHOT = 16;
/** Kargo projects one entity may name (each costs Kargo reads). */
const MAX_PROJECTS_PER_ENTITY = 20;

function statusOf(error: unknown): number | undefined {
  if (error instanceof NotAllowedError) return 403;
  if (error instanceof InputError) return 400;
  return (error as { statusCode?: number }).statusCode;
}

/**
 * The entity view's answer: JSON, or the error when every project failed; and `viewed`, which
 * starts watching the projects read, to be called once the answer is out.
 */
export type EntityViewAnswer = (
  | { json: string }
  | { error: KargoProjectError['error'] }
) & { viewed(): void };

/**
 * Everything the Kargo tab shows for a catalog entity: one view per Kargo project it names,
 * each read per project (kargo.project.read). A project whose Kargo fails is reported in place;
 * when all fail, the first failure is the answer.
 */
export class EntityViews {
  private readonly tokenAccess: KargoTokenAccess;

  constructor(private readonly options: EntityViewsOptions) {
    this.tokenAccess =
      options.tokenAccess ?? new KargoTokenAccess(options.logger);
  }

  /** The view as the object it is (for actions). */
  async get(
    credentials: BackstageCredentials,
    input: z.input<typeof entityViewQuery>,
  ): Promise<KargoEntityView> {
    const answer = await this.json(credentials, input);
    answer.viewed();
    if ('error' in answer) throw errorOf(answer.error);
    return JSON.parse(answer.json);
  }

  /** The view as JSON: a warm project view is serialized once, not on every request. */
  async json(
    credentials: BackstageCredentials,
    input: unknown,
  ): Promise<EntityViewAnswer> {
    const query = parse(entityViewQuery, input, 'query');
    const entityRef = stringifyEntityRef(parseEntityRef(query.entityRef));
    const entity = await this.options.catalog.getEntityByRef(entityRef, {
      credentials,
    });
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
    const client = this.options.instances.get(annotations.instance);
    // Read is decided per project: an entity naming a project does not make it readable.
    const decisions = await authorizeKargo(
      this.options.permissions,
      annotations.projects.map(project => ({
        permission: kargoProjectReadPermission,
        resourceRef: kargoProjectResourceRef(client.instance.name, project),
      })),
      credentials,
    );
    // Each project as JSON: a warm view is serialized once, not on every request.
    const snapshots: Array<[string, ProjectSnapshot]> = [];
    // Watched once the answer is out: the watch resumes from the snapshot's resourceVersions,
    // so it misses nothing, and its database and Kargo work does not hold up a first view.
    const viewed = () => {
      for (const [project, snapshot] of snapshots.splice(0)) {
        this.options.watchers.viewed(client, project, snapshot);
      }
    };
    const projects = await Promise.all(
      annotations.projects.map((project, i) =>
        this.projectJson(client, project, {
          allowed: decisions[i].result === AuthorizeResult.ALLOW,
          annotations,
          query,
          snapshots,
        }),
      ),
    );
    const failed = projects.filter(
      (p): p is KargoProjectError => typeof p !== 'string',
    );
    if (failed.length === projects.length) {
      return { error: failed[0].error, viewed };
    }
    const lineStops = await this.options.lineStops?.active(
      client.instance.name,
    );
    const head: Omit<KargoEntityView, 'projects'> = {
      entityRef,
      stages: annotations.stages,
      warehouses: annotations.warehouses,
      ...(lineStops?.length ? { lineStops } : {}),
    };
    // A KargoEntityView, with its projects spliced in as the JSON they already are.
    return {
      json: `${JSON.stringify(head).slice(0, -1)},"projects":[${projects
        .map(p => (typeof p === 'string' ? p : JSON.stringify(p)))
        .join(',')}]}`,
      viewed,
    };
  }

  /** One project's view as JSON, or its error in place. */
  private async projectJson(
    client: KargoClient,
    project: string,
    context: {
      allowed: boolean;
      annotations: KargoEntityAnnotations;
      query: z.infer<typeof entityViewQuery>;
      /** Where the snapshots read go, to be watched. */
      snapshots: Array<[string, ProjectSnapshot]>;
    },
  ): Promise<string | KargoProjectError> {
    const { annotations, query } = context;
    try {
      if (!objectName.safeParse(project).success) {
        throw new InputError(
          `"${project}" in ${KARGO_PROJECT_ANNOTATION} is no Kargo project name`,
        );
      }
      if (!context.allowed) {
        throw new NotAllowedError(
          `Not allowed: ${
            kargoProjectReadPermission.name
          } on ${kargoProjectResourceRef(client.instance.name, project)}`,
        );
      }
      // Learnt from Kargo beside the lists, not after them (it never fails).
      const kargoAccess = this.tokenAccess.forProject(client, project);
      const snapshot = await this.options.states.get(client, project);
      context.snapshots.push([project, snapshot]);
      const view = await this.viewOf(snapshot, {
        instance: client.instance.name,
        project,
        uiUrl: client.instance.uiUrl,
        stages: annotations.stages,
        warehouses: annotations.warehouses,
        freightLimit: query.freightLimit,
        promotionLimit: query.promotionLimit,
      });
      return await this.withPortalData(view, snapshot, await kargoAccess);
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
  }

  /** Views built from a snapshot, per options: a warm view costs no rebuild. */
  private readonly built = new WeakMap<
    ProjectSnapshot,
    Map<string, Promise<KargoProjectView>>
  >();

  private viewOf(
    snapshot: ProjectSnapshot,
    viewOptions: Parameters<typeof buildProjectView>[1],
  ): Promise<KargoProjectView> {
    const key = JSON.stringify(viewOptions);
    let views = this.built.get(snapshot);
    if (!views) this.built.set(snapshot, (views = new Map()));
    let view = views.get(key);
    if (!view) {
      // Long for a big project: it gives the event loop turns of its own.
      const building = buildProjectView(snapshot, viewOptions);
      const kept = views;
      building.catch(() => {
        if (kept.get(key) === building) kept.delete(key); // a failure is not kept
      });
      view = building;
      // Callers choose the options (limits, entities' filters): keep the latest few, not all.
      if (views.size >= VIEWS_PER_SNAPSHOT) {
        views.delete(views.keys().next().value!);
      }
      views.set(key, view);
    }
    return view;
  }

  /** A view with the portal's data, as JSON, kept while that data and the freeze state hold. */
  private readonly withPortal = new WeakMap<
    KargoProjectView,
    { key: string; json: string }
  >();
  /** The portal's own data on the view: freight metadata and freeze state. */
  private async withPortalData(
    view: KargoProjectView,
    snapshot: ProjectSnapshot,
    kargoAccess: KargoTokenAccessView,
  ): Promise<string> {
    const stages = new Map(snapshot.stages.map(s => [s.metadata?.name, s]));
    const ref = { instance: view.instance, project: view.project };
    const { stamp, metadata, windows } = await this.options.portalData.forView(
      ref,
      view.freight.map(f => f.name),
    );
    const now = this.options.now?.() ?? new Date();
    // Kargo's own promotionWindowStatus first, where it reports one.
    const promotionWindows = view.stages.map(s => {
      const stage = stages.get(s.name);
      return stage ? stagePromotionWindow(stage, windows, now) : undefined;
    });
    // Approvals expire with time: what they amount to now is part of the key.
    const approvals = await this.options.approvals?.forView(
      ref,
      snapshot.stages,
    );
    const key = `${stamp} ${JSON.stringify([
      promotionWindows,
      kargoAccess,
      approvals,
    ])}`;
    const kept = this.withPortal.get(view);
    if (kept?.key === key) return kept.json;
    const json = JSON.stringify({
      ...view,
      kargoAccess,
      ...(approvals ? { approvals } : {}),
      freight: view.freight.map(f => ({
        ...f,
        portalMetadata: metadata.get(f.name),
      })),
      stages: view.stages.map((s, i) => ({
        ...s,
        promotionWindow: promotionWindows[i],
      })),
    } satisfies KargoProjectView);
    this.withPortal.set(view, { key, json });
    return json;
  }
}

function errorOf(error: KargoProjectError['error']): Error {
  return Object.assign(new Error(error.message), {
    name: error.name,
    statusCode: error.statusCode,
  });
}
