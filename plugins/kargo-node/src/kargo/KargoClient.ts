import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError, NotImplementedError } from '@backstage/errors';
import type {
  Freight,
  ListProjectsResponse,
  Project,
  ProjectConfig,
  ProjectEventList,
  Promotion,
  PromotionList,
  PromoteToStageRequest,
  PromotionRequest,
  QueryFreightResponse,
  Stage,
  StageList,
  VersionInfo,
  Warehouse,
  WarehouseList,
} from '@kargo-backstage/plugin-kargo-common';
import { KargoApi } from './kargoApi';
import { KargoInstanceConfig } from './KargoInstanceConfig';
import { KargoServerInfo, kargoServerInfo } from './kargoServer';
import { KargoTransport } from './kargoTransport';
import {
  KargoRepoCredentialsPatch,
  KargoRepoCredentialsRequest,
  KargoRole,
  KargoSecret,
  KargoSecretList,
  ResourcesResponse,
} from './kargoTypes';
import { watchKargo, WatchRequest } from './kargoWatch';

export type { KargoQuery } from './kargoTransport';
export type { WatchRequest } from './kargoWatch';
export type {
  KargoRepoCredentialsPatch,
  KargoRepoCredentialsRequest,
  KargoRole,
  KargoSecret,
  KargoSecretList,
  ResourcesResponse,
} from './kargoTypes';

/** @public */
export interface KargoClientOptions {
  logger: LoggerService;
  /** Attempts for idempotent reads (default 3). */
  readAttempts?: number;
  /** First retry delay; doubles each time (default 200 ms). */
  retryDelayMs?: number;
}

/**
 * The one place that speaks Kargo's REST API (`/v1beta1`). One client per configured
 * instance; the token stays here. HTTP is kargoTransport's, the typed calls kargoApi's and
 * watches kargoWatch's; this class names Kargo's operations.
 * @public
 */
export class KargoClient {
  readonly instance: KargoInstanceConfig;
  private readonly logger: LoggerService;
  private readonly readAttempts: number;
  private readonly retryDelayMs: number;
  /** What the server is, read once (serverInfo) and shared with the withToken copies. */
  private server: {
    info?: KargoServerInfo;
    refused?: Error;
    reading?: Promise<KargoServerInfo>;
  } = {};
  private readonly transport: KargoTransport;
  private readonly api: KargoApi;

  constructor(instance: KargoInstanceConfig, options: KargoClientOptions) {
    this.instance = instance;
    this.logger = options.logger;
    this.readAttempts = options.readAttempts ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 200;
    this.transport = new KargoTransport(instance, {
      logger: this.logger,
      readAttempts: this.readAttempts,
      retryDelayMs: this.retryDelayMs,
      // Read each time: withToken replaces `server` after construction.
      refused: () => this.server.refused,
    });
    this.api = new KargoApi(this.transport);
  }

  /**
   * The same client acting with another bearer token: the user's own Kargo token, for
   * instances configured with `forwardUserToken`.
   */
  withToken(token: string): KargoClient {
    const client = new KargoClient(
      { ...this.instance, token },
      {
        logger: this.logger,
        readAttempts: this.readAttempts,
        retryDelayMs: this.retryDelayMs,
      },
    );
    client.server = this.server;
    return client;
  }

  /**
   * The Kargo release this instance runs and what that means for the client, read once from
   * `/v1beta1/system/server-version`. A server without the REST API (before v1.9: its UI answers
   * every path with index.html, pkg/server/server.go at v1.8.0) is refused: from then on every
   * call to this instance fails with that reason (501), other instances are not affected.
   * Failures to reach it are not remembered.
   */
  serverInfo(): Promise<KargoServerInfo> {
    const server = this.server;
    if (server.refused) return Promise.reject(server.refused);
    if (server.info) return Promise.resolve(server.info);
    server.reading ??= this.readServerInfo().finally(() => {
      server.reading = undefined;
    });
    return server.reading;
  }

  private async readServerInfo(): Promise<KargoServerInfo> {
    const refuse = (why: string) => {
      this.server.refused = new NotImplementedError(
        `Kargo instance "${this.instance.name}" ${why}; the portal needs Kargo v1.9 or later (tested on v1.11)`,
      );
      return this.server.refused;
    };
    let answer: VersionInfo | undefined;
    try {
      answer = await this.getServerVersion();
    } catch (error) {
      // An HTML page (see KargoTransport) or no such route: not Kargo's REST API.
      if (error instanceof NotImplementedError) throw refuse('has no REST API');
      if (error instanceof NotFoundError) {
        throw refuse('has no /v1beta1/system/server-version (HTTP 404)');
      }
      throw error;
    }
    const version = answer?.version;
    if (typeof version !== 'string' || !version) {
      throw refuse('answered /v1beta1/system/server-version without a version');
    }
    const info = kargoServerInfo(version);
    if ('refused' in info) throw refuse(info.refused);
    this.server.info = info;
    return info;
  }

  // Where Kargo's OpenAPI document declares no answer (or an empty object) for a route that
  // has one, the method states Kargo's actual answer with a cast.

  // ---- projects and system ----

  getServerVersion(): Promise<VersionInfo> {
    return this.api.get('/v1beta1/system/server-version', {});
  }

  listProjects(
    query: { filter?: string; page?: number; pageSize?: number } = {},
  ): Promise<ListProjectsResponse> {
    return this.api.get('/v1beta1/projects', {
      query: {
        filter: query.filter,
        page: query.page,
        pageSize: query.pageSize,
      },
    });
  }

  getProject(project: string): Promise<Project> {
    return this.api.get('/v1beta1/projects/{project}', { path: { project } });
  }

  getProjectConfig(project: string): Promise<ProjectConfig> {
    return this.api.get('/v1beta1/projects/{project}/config', {
      path: { project },
    });
  }

  listProjectEvents(project: string): Promise<ProjectEventList> {
    return this.api.get('/v1beta1/projects/{project}/events', {
      path: { project },
    });
  }

  // ---- stages ----

  listStages(
    project: string,
    query: { freightOrigins?: string[] } = {},
  ): Promise<StageList> {
    return this.api.get('/v1beta1/projects/{project}/stages', {
      path: { project },
      query,
    });
  }

  getStage(project: string, stage: string): Promise<Stage> {
    return this.api.get('/v1beta1/projects/{project}/stages/{stage}', {
      path: { project, stage },
    });
  }

  refreshStage(project: string, stage: string): Promise<Stage> {
    return this.api.post('/v1beta1/projects/{project}/stages/{stage}/refresh', {
      path: { project, stage },
    }) as Promise<Stage>;
  }

  /**
   * Promotes freight (by name or alias, optionally with its origin) into a stage. Kargo answers
   * the Promotion it created, or, for a Stage that selects Targets (after v1.11.2), a
   * PromotionRequest (see isPromotionRequest).
   */
  async promoteToStage(
    project: string,
    stage: string,
    request: PromoteToStageRequest,
  ): Promise<Promotion | PromotionRequest> {
    // Kargo's document names only the Promotion.
    const answer = (await this.api.post(
      '/v1beta1/projects/{project}/stages/{stage}/promotions',
      { path: { project, stage }, body: request, expectBody: true },
    )) as Promotion | PromotionRequest | { promotion?: Promotion };
    // Kargo v1.9.x and v1.10.0 wrap it: {"promotion": {...}} (promote_to_stage_v1alpha1.go).
    return 'promotion' in answer && answer.promotion && !('spec' in answer)
      ? answer.promotion
      : (answer as Promotion | PromotionRequest);
  }

  /**
   * Promotes freight verified in `stage` into every stage downstream of it. Downstream Stages
   * that select Targets yield PromotionRequests (after v1.11.2); `errors` names the stages
   * Kargo could not promote into (HTTP 207).
   */
  promoteDownstream(
    project: string,
    stage: string,
    request: PromoteToStageRequest,
  ): Promise<{
    promotions?: Promotion[];
    promotionRequests?: PromotionRequest[];
    errors?: string;
  }> {
    return this.api.post(
      '/v1beta1/projects/{project}/stages/{stage}/promotions/downstream',
      { path: { project, stage }, body: request, expectBody: true },
    ) as ReturnType<KargoClient['promoteDownstream']>;
  }

  reverify(project: string, stage: string): Promise<void> {
    return this.api.post(
      '/v1beta1/projects/{project}/stages/{stage}/verification',
      { path: { project, stage } },
    ) as Promise<void>;
  }

  abortVerification(project: string, stage: string): Promise<void> {
    return this.api.post(
      '/v1beta1/projects/{project}/stages/{stage}/verification/abort',
      { path: { project, stage } },
    ) as Promise<void>;
  }

  // ---- warehouses ----

  listWarehouses(project: string): Promise<WarehouseList> {
    return this.api.get('/v1beta1/projects/{project}/warehouses', {
      path: { project },
    });
  }

  getWarehouse(project: string, warehouse: string): Promise<Warehouse> {
    return this.api.get('/v1beta1/projects/{project}/warehouses/{warehouse}', {
      path: { project, warehouse },
    });
  }

  refreshWarehouse(project: string, warehouse: string): Promise<Warehouse> {
    return this.api.post(
      '/v1beta1/projects/{project}/warehouses/{warehouse}/refresh',
      { path: { project, warehouse } },
    ) as Promise<Warehouse>;
  }

  // ---- freight ----

  queryFreight(
    project: string,
    query: {
      stage?: string;
      origins?: string[];
      groupBy?: string;
      group?: string;
      orderBy?: string;
      reverse?: boolean;
    } = {},
  ): Promise<QueryFreightResponse> {
    return this.api.get('/v1beta1/projects/{project}/freight', {
      path: { project },
      query,
    });
  }

  getFreight(project: string, freightNameOrAlias: string): Promise<Freight> {
    return this.api.get(
      '/v1beta1/projects/{project}/freight/{freight-name-or-alias}',
      { path: { project, 'freight-name-or-alias': freightNameOrAlias } },
    );
  }

  updateFreightAlias(
    project: string,
    freightNameOrAlias: string,
    newAlias: string,
  ): Promise<void> {
    return this.api.patch(
      '/v1beta1/projects/{project}/freight/{freight-name-or-alias}/alias',
      {
        path: { project, 'freight-name-or-alias': freightNameOrAlias },
        query: { newAlias },
      },
    ) as Promise<void>;
  }

  approveFreight(
    project: string,
    freightNameOrAlias: string,
    stage: string,
  ): Promise<void> {
    return this.api.post(
      '/v1beta1/projects/{project}/freight/{freight-name-or-alias}/approve',
      {
        path: { project, 'freight-name-or-alias': freightNameOrAlias },
        query: { stage },
      },
    ) as Promise<void>;
  }

  // ---- promotions ----

  listPromotions(
    project: string,
    query: { stage?: string } = {},
  ): Promise<PromotionList> {
    return this.api.get('/v1beta1/projects/{project}/promotions', {
      path: { project },
      query,
    });
  }

  getPromotion(project: string, promotion: string): Promise<Promotion> {
    return this.api.get('/v1beta1/projects/{project}/promotions/{promotion}', {
      path: { project, promotion },
    });
  }

  abortPromotion(project: string, promotion: string): Promise<void> {
    return this.api.post(
      '/v1beta1/projects/{project}/promotions/{promotion}/abort',
      { path: { project, promotion } },
    ) as Promise<void>;
  }

  // ---- roles ----

  /** A project's roles, sorted by name: Kargo answers a bare array, not a list object. */
  listRoles(project: string): Promise<KargoRole[]> {
    return this.api.get('/v1beta1/projects/{project}/roles', {
      path: { project },
    }) as Promise<KargoRole[]>;
  }

  /** One project role with its rules, normalized as Kargo reports them (get_role_v1alpha1.go). */
  getRole(project: string, role: string): Promise<KargoRole> {
    return this.api.get('/v1beta1/projects/{project}/roles/{role}', {
      path: { project, role },
    }) as Promise<KargoRole>;
  }

  /**
   * A system-level role (a ServiceAccount of Kargo's namespace labelled as one). Its rules come
   * only from RoleBindings in that namespace, not from the ClusterRole that gives it its rights.
   */
  getSystemRole(role: string): Promise<KargoRole> {
    return this.api.get('/v1beta1/system/roles/{role}', {
      path: { role },
    }) as Promise<KargoRole>;
  }

  /** Adds OIDC claim values to a project role (Kargo keeps the ones already there). */
  grantRoleToClaims(
    project: string,
    role: string,
    claims: Array<{ name: string; values: string[] }>,
  ): Promise<KargoRole> {
    return this.api.post('/v1beta1/projects/{project}/roles/grants', {
      path: { project },
      body: { role, userClaims: { claims } },
    }) as Promise<KargoRole>;
  }

  /** Removes OIDC claim values from a project role. */
  revokeRoleFromClaims(
    project: string,
    role: string,
    claims: Array<{ name: string; values: string[] }>,
  ): Promise<KargoRole> {
    return this.api.post('/v1beta1/projects/{project}/roles/revocations', {
      path: { project },
      body: { role, userClaims: { claims } },
    }) as Promise<KargoRole>;
  }

  // ---- repository credentials (the password is write-only: Kargo answers it redacted) ----

  listRepoCredentials(project: string): Promise<KargoSecretList> {
    return this.api.get('/v1beta1/projects/{project}/repo-credentials', {
      path: { project },
    });
  }

  createRepoCredentials(
    project: string,
    credentials: KargoRepoCredentialsRequest & { name: string },
  ): Promise<KargoSecret> {
    return this.api.post('/v1beta1/projects/{project}/repo-credentials', {
      path: { project },
      body: credentials,
    });
  }

  /**
   * Replaces the credentials whole (PUT): every field, the password too (Kargo refuses an
   * empty one); a description left out is removed.
   */
  updateRepoCredentials(
    project: string,
    name: string,
    credentials: KargoRepoCredentialsRequest,
  ): Promise<KargoSecret> {
    return this.api.put(
      '/v1beta1/projects/{project}/repo-credentials/{repo-credentials}',
      { path: { project, 'repo-credentials': name }, body: credentials },
    );
  }

  /**
   * Changes only the given fields (PATCH): without a password Kargo keeps the stored one; an
   * empty description removes it; repoUrlIsRegex counts only along with repoUrl.
   */
  patchRepoCredentials(
    project: string,
    name: string,
    patch: KargoRepoCredentialsPatch,
  ): Promise<KargoSecret> {
    return this.api.patch(
      '/v1beta1/projects/{project}/repo-credentials/{repo-credentials}',
      { path: { project, 'repo-credentials': name }, body: patch },
    );
  }

  deleteRepoCredentials(project: string, name: string): Promise<void> {
    return this.api.delete(
      '/v1beta1/projects/{project}/repo-credentials/{repo-credentials}',
      { path: { project, 'repo-credentials': name } },
    ) as Promise<void>;
  }

  // ---- raw manifests ----

  /** Creates the resources in a (multi-document) YAML or JSON manifest. */
  createResources(manifest: string): Promise<ResourcesResponse> {
    return this.api.post('/v1beta1/resources', { text: manifest });
  }

  /**
   * Updates them; with `upsert`, creates those that do not exist. Kargo reads each stored
   * object and writes it back with that resourceVersion (update_resource_v1alpha1.go), so a
   * 409 only means its own controller wrote in between: the same update is sent again.
   */
  async updateResources(
    manifest: string,
    options: { upsert?: boolean } = {},
  ): Promise<ResourcesResponse> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.api.put('/v1beta1/resources', {
          text: manifest,
          query: { upsert: options.upsert ? true : undefined },
        });
      } catch (error) {
        if ((error as Error).name !== 'ConflictError' || attempt >= 3) {
          throw error;
        }
      }
    }
  }

  deleteResources(manifest: string): Promise<ResourcesResponse> {
    return this.api.delete('/v1beta1/resources', { text: manifest });
  }

  // ---- watch ----

  /**
   * Follows a list endpoint with `?watch=true` until the signal aborts: reconnects with
   * backoff after a cut, resuming from the last resourceVersion seen, and re-lists (through
   * onExpired) when Kargo says that version expired. On a Kargo that cannot resume (before
   * v1.11) each connection lists again and reports only what changed.
   */
  watch<T extends { metadata?: { resourceVersion?: string; name?: string } }>(
    request: WatchRequest<T>,
  ): Promise<void> {
    return watchKargo(this.transport, () => this.serverInfo(), request);
  }
}
