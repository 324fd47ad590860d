import { LoggerService } from '@backstage/backend-plugin-api';
import {
  NotFoundError,
  NotImplementedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type {
  Freight,
  KargoPaths,
  KargoSchemas,
  KargoWatchEvent,
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
import {
  isTransient,
  kargoResponseError,
  KargoOutcomeUnknownError,
} from './kargoErrors';
import { KargoInstanceConfig } from './KargoInstanceConfig';
import { KargoServerInfo, kargoServerInfo } from './kargoServer';
import { readWatchStream, WatchErrorFrame } from './watchStream';
import { listItems, listResourceVersion, WatchReplay } from './watchReplay';

/** Query parameters; lists are sent as repeated keys. @public */
export type KargoQuery = Record<
  string,
  string | string[] | boolean | undefined
>;

interface RequestOptions {
  query?: KargoQuery;
  body?: unknown;
  /** Raw text body (YAML manifests). */
  text?: string;
  /** Only idempotent reads are retried. */
  retry?: boolean;
  /**
   * Kargo answers with a body (reads, promotions): an empty 2xx answer is an error that Kargo
   * before v1.11.1 left unreported (its handleError wrote nothing, so gin sent 200; see
   * pkg/server/rest_router.go at v1.10.10).
   */
  expectBody?: boolean;
}

/** Fills `{param}` segments of a Kargo path template, encoded. */
function fill<P extends keyof KargoPaths>(
  template: P,
  params: Record<string, string>,
): string {
  return (template as string).replace(/\{([^}]+)\}/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined || value === '') {
      throw new Error(`missing path parameter ${key} for ${template}`);
    }
    return encodeURIComponent(value);
  });
}

function queryString(query: KargoQuery = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) {
      // Kargo reads list parameters with gin's QueryArray: repeated keys, not commas.
      for (const item of value) search.append(key, item);
    } else {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Connection errors that mean the request never reached Kargo. */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const isEventStream = (response: Response) =>
  (response.headers.get('content-type') ?? '').startsWith('text/event-stream');

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>(resolve => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** @public */
export interface KargoClientOptions {
  logger: LoggerService;
  /** Attempts for idempotent reads (default 3). */
  readAttempts?: number;
  /** First retry delay; doubles each time (default 200 ms). */
  retryDelayMs?: number;
}

/** What `watch` needs: a list path template and its parameters. @public */
export interface WatchRequest<T> {
  path: keyof KargoPaths;
  params: Record<string, string>;
  query?: KargoQuery;
  /** Resume after this resourceVersion (from a list); all objects as ADDED when absent. */
  resourceVersion?: string;
  onEvent(event: KargoWatchEvent<T>): void;
  /**
   * The resourceVersion expired (Kubernetes compacted its history): list again and return the
   * list's resourceVersion to resume from. Without it the watch restarts from scratch.
   */
  onExpired?(): Promise<string | undefined>;
  /** Called on each failed connection before the reconnect. */
  onDisconnect?(error: Error): void;
  signal: AbortSignal;
  /** Reconnect when nothing (not even a keepalive) arrived for this long (default 60 s). */
  idleTimeoutMs?: number;
  /**
   * How often to list again where Kargo has no watch for the path (freight before v1.11),
   * reporting the differences as events (default 30 s).
   */
  pollIntervalMs?: number;
}

/**
 * The one place that speaks Kargo's REST API (`/v1beta1`). One client per configured
 * instance; the token stays here.
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

  constructor(instance: KargoInstanceConfig, options: KargoClientOptions) {
    this.instance = instance;
    this.logger = options.logger;
    this.readAttempts = options.readAttempts ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 200;
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
      // An HTML page (see once) or no such route: not Kargo's REST API.
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

  // ---- projects and system ----

  getServerVersion(): Promise<VersionInfo> {
    return this.get('/v1beta1/system/server-version', {});
  }

  listProjects(
    query: { filter?: string; page?: number; pageSize?: number } = {},
  ): Promise<ListProjectsResponse> {
    return this.get(
      '/v1beta1/projects',
      {},
      {
        filter: query.filter,
        page: query.page?.toString(),
        pageSize: query.pageSize?.toString(),
      },
    );
  }

  getProject(project: string): Promise<Project> {
    return this.get('/v1beta1/projects/{project}', { project });
  }

  getProjectConfig(project: string): Promise<ProjectConfig> {
    return this.get('/v1beta1/projects/{project}/config', { project });
  }

  listProjectEvents(project: string): Promise<ProjectEventList> {
    return this.get('/v1beta1/projects/{project}/events', { project });
  }

  // ---- stages ----

  listStages(
    project: string,
    query: { freightOrigins?: string[] } = {},
  ): Promise<StageList> {
    return this.get('/v1beta1/projects/{project}/stages', { project }, query);
  }

  getStage(project: string, stage: string): Promise<Stage> {
    return this.get('/v1beta1/projects/{project}/stages/{stage}', {
      project,
      stage,
    });
  }

  refreshStage(project: string, stage: string): Promise<Stage> {
    return this.send(
      'POST',
      '/v1beta1/projects/{project}/stages/{stage}/refresh',
      { project, stage },
    );
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
    const answer = await this.send<
      Promotion | PromotionRequest | { promotion?: Promotion }
    >(
      'POST',
      '/v1beta1/projects/{project}/stages/{stage}/promotions',
      { project, stage },
      { body: request, expectBody: true },
    );
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
    return this.send(
      'POST',
      '/v1beta1/projects/{project}/stages/{stage}/promotions/downstream',
      { project, stage },
      { body: request, expectBody: true },
    );
  }

  reverify(project: string, stage: string): Promise<void> {
    return this.send(
      'POST',
      '/v1beta1/projects/{project}/stages/{stage}/verification',
      { project, stage },
    );
  }

  abortVerification(project: string, stage: string): Promise<void> {
    return this.send(
      'POST',
      '/v1beta1/projects/{project}/stages/{stage}/verification/abort',
      { project, stage },
    );
  }

  // ---- warehouses ----

  listWarehouses(project: string): Promise<WarehouseList> {
    return this.get('/v1beta1/projects/{project}/warehouses', { project });
  }

  getWarehouse(project: string, warehouse: string): Promise<Warehouse> {
    return this.get('/v1beta1/projects/{project}/warehouses/{warehouse}', {
      project,
      warehouse,
    });
  }

  refreshWarehouse(project: string, warehouse: string): Promise<Warehouse> {
    return this.send(
      'POST',
      '/v1beta1/projects/{project}/warehouses/{warehouse}/refresh',
      { project, warehouse },
    );
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
    return this.get('/v1beta1/projects/{project}/freight', { project }, query);
  }

  getFreight(project: string, freightNameOrAlias: string): Promise<Freight> {
    return this.get(
      '/v1beta1/projects/{project}/freight/{freight-name-or-alias}',
      { project, 'freight-name-or-alias': freightNameOrAlias },
    );
  }

  updateFreightAlias(
    project: string,
    freightNameOrAlias: string,
    newAlias: string,
  ): Promise<void> {
    return this.send(
      'PATCH',
      '/v1beta1/projects/{project}/freight/{freight-name-or-alias}/alias',
      { project, 'freight-name-or-alias': freightNameOrAlias },
      { query: { newAlias } },
    );
  }

  approveFreight(
    project: string,
    freightNameOrAlias: string,
    stage: string,
  ): Promise<void> {
    return this.send(
      'POST',
      '/v1beta1/projects/{project}/freight/{freight-name-or-alias}/approve',
      { project, 'freight-name-or-alias': freightNameOrAlias },
      { query: { stage } },
    );
  }

  // ---- promotions ----

  listPromotions(
    project: string,
    query: { stage?: string } = {},
  ): Promise<PromotionList> {
    return this.get(
      '/v1beta1/projects/{project}/promotions',
      { project },
      query,
    );
  }

  getPromotion(project: string, promotion: string): Promise<Promotion> {
    return this.get('/v1beta1/projects/{project}/promotions/{promotion}', {
      project,
      promotion,
    });
  }

  abortPromotion(project: string, promotion: string): Promise<void> {
    return this.send(
      'POST',
      '/v1beta1/projects/{project}/promotions/{promotion}/abort',
      { project, promotion },
    );
  }

  // ---- roles ----

  /** A project's roles, sorted by name: Kargo answers a bare array, not a list object. */
  listRoles(project: string): Promise<KargoRole[]> {
    return this.get('/v1beta1/projects/{project}/roles', { project });
  }

  /** One project role with its rules, normalized as Kargo reports them (get_role_v1alpha1.go). */
  getRole(project: string, role: string): Promise<KargoRole> {
    return this.get('/v1beta1/projects/{project}/roles/{role}', {
      project,
      role,
    });
  }

  /**
   * A system-level role (a ServiceAccount of Kargo's namespace labelled as one). Its rules come
   * only from RoleBindings in that namespace, not from the ClusterRole that gives it its rights.
   */
  getSystemRole(role: string): Promise<KargoRole> {
    return this.get('/v1beta1/system/roles/{role}', { role });
  }

  /** Adds OIDC claim values to a project role (Kargo keeps the ones already there). */
  grantRoleToClaims(
    project: string,
    role: string,
    claims: Array<{ name: string; values: string[] }>,
  ): Promise<KargoRole> {
    return this.changeRoleClaims('grants', project, role, claims);
  }

  /** Removes OIDC claim values from a project role. */
  revokeRoleFromClaims(
    project: string,
    role: string,
    claims: Array<{ name: string; values: string[] }>,
  ): Promise<KargoRole> {
    return this.changeRoleClaims('revocations', project, role, claims);
  }

  /** Kargo's GrantRequest and RevokeRequest have the same shape. */
  private changeRoleClaims(
    change: 'grants' | 'revocations',
    project: string,
    role: string,
    claims: Array<{ name: string; values: string[] }>,
  ): Promise<KargoRole> {
    return this.send(
      'POST',
      change === 'grants'
        ? '/v1beta1/projects/{project}/roles/grants'
        : '/v1beta1/projects/{project}/roles/revocations',
      { project },
      { body: { role, userClaims: { claims } } },
    );
  }

  // ---- repository credentials (the password is write-only: Kargo answers it redacted) ----

  listRepoCredentials(project: string): Promise<KargoSecretList> {
    return this.get('/v1beta1/projects/{project}/repo-credentials', {
      project,
    });
  }

  createRepoCredentials(
    project: string,
    credentials: KargoRepoCredentialsRequest & { name: string },
  ): Promise<KargoSecret> {
    return this.send(
      'POST',
      '/v1beta1/projects/{project}/repo-credentials',
      { project },
      { body: credentials },
    );
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
    return this.send(
      'PUT',
      '/v1beta1/projects/{project}/repo-credentials/{repo-credentials}',
      { project, 'repo-credentials': name },
      { body: credentials },
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
    return this.send(
      'PATCH',
      '/v1beta1/projects/{project}/repo-credentials/{repo-credentials}',
      { project, 'repo-credentials': name },
      { body: patch },
    );
  }

  deleteRepoCredentials(project: string, name: string): Promise<void> {
    return this.send(
      'DELETE',
      '/v1beta1/projects/{project}/repo-credentials/{repo-credentials}',
      { project, 'repo-credentials': name },
    );
  }

  // ---- raw manifests ----

  /** Creates the resources in a (multi-document) YAML or JSON manifest. */
  createResources(manifest: string): Promise<ResourcesResponse> {
    return this.send('POST', '/v1beta1/resources', {}, { text: manifest });
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
        return await this.send<ResourcesResponse>(
          'PUT',
          '/v1beta1/resources',
          {},
          {
            text: manifest,
            query: { upsert: options.upsert ? 'true' : undefined },
          },
        );
      } catch (error) {
        if ((error as Error).name !== 'ConflictError' || attempt >= 3) {
          throw error;
        }
      }
    }
  }

  deleteResources(manifest: string): Promise<ResourcesResponse> {
    return this.send('DELETE', '/v1beta1/resources', {}, { text: manifest });
  }

  // ---- watch ----

  /**
   * Follows a list endpoint with `?watch=true` until the signal aborts: reconnects with
   * backoff after a cut, resuming from the last resourceVersion seen, and re-lists (through
   * onExpired) when Kargo says that version expired. On a Kargo that cannot resume (before
   * v1.11) each connection lists again and reports only what changed (see watchReplaying).
   */
  async watch<
    T extends { metadata?: { resourceVersion?: string; name?: string } },
  >(request: WatchRequest<T>): Promise<void> {
    const position = { resourceVersion: request.resourceVersion, failures: 0 };
    let replay: WatchReplay<T> | undefined;
    while (!request.signal.aborted) {
      try {
        if (!(await this.serverInfo()).resumesWatches) {
          replay ??= new WatchReplay<T>(event => {
            position.failures = 0;
            request.onEvent(event);
          });
          await this.watchReplaying(request, replay, position);
          position.failures = 0; // a poll went through
          continue;
        }
        const expired = await this.watchOnce(request, position);
        if (expired) {
          position.resourceVersion = request.onExpired
            ? await request.onExpired()
            : undefined;
          continue;
        }
        throw new ServiceUnavailableError(
          `Kargo instance "${this.instance.name}" ended the watch stream`,
        );
      } catch (error) {
        if (request.signal.aborted) return;
        position.failures += 1;
        const err = error instanceof Error ? error : new Error(String(error));
        request.onDisconnect?.(err);
        this.logger.debug(
          `watch of ${request.path} interrupted: ${err.message}`,
        );
        if (err instanceof NotImplementedError) throw err; // refused server
        const backoff =
          this.retryDelayMs * 2 ** Math.min(position.failures - 1, 8);
        await sleep(Math.min(30_000, backoff), request.signal);
      }
    }
  }

  /** Opens a watch connection; a refusal (404, 401...) is Kargo's error, not a stream. */
  private async openWatch<T>(
    request: WatchRequest<T>,
    resourceVersion: string | undefined,
  ): Promise<Response> {
    const url = this.url(fill(request.path, request.params), {
      ...request.query,
      watch: 'true',
      resourceVersion,
    });
    const response = await fetch(url, {
      headers: this.headers({ accept: 'text/event-stream' }),
      signal: request.signal,
    });
    if (!response.ok || !response.body) {
      throw kargoResponseError(
        this.instance.name,
        response.status,
        await response.text(),
      );
    }
    return response;
  }

  /** One watch connection; resolves true when Kargo reports the resourceVersion expired. */
  private async watchOnce<
    T extends { metadata?: { resourceVersion?: string; name?: string } },
  >(
    request: WatchRequest<T>,
    position: { resourceVersion?: string; failures: number },
  ): Promise<boolean> {
    const response = await this.openWatch(request, position.resourceVersion);
    if (!isEventStream(response)) {
      await response.body?.cancel();
      throw new ServiceUnavailableError(
        `Kargo instance "${this.instance.name}" answered the watch of ${
          request.path
        } with ${
          response.headers.get('content-type') || 'no content type'
        }, not an event stream`,
      );
    }
    let expired = false;
    await readWatchStream<T>(response.body!, {
      signal: request.signal,
      idleTimeoutMs: request.idleTimeoutMs ?? 60_000,
      onEvent: event => {
        position.failures = 0;
        position.resourceVersion =
          event.object?.metadata?.resourceVersion ?? position.resourceVersion;
        request.onEvent(event);
      },
      onError: (frame: WatchErrorFrame) => {
        if (
          frame.code === 'out_of_range' ||
          /expired|too old/i.test(frame.message ?? '')
        ) {
          expired = true;
          return;
        }
        throw new ServiceUnavailableError(
          `Kargo instance "${this.instance.name}" watch error: ${
            frame.message ?? frame.code
          }`,
        );
      },
    });
    return expired;
  }

  /**
   * One connection to a Kargo before v1.11, which ignores resourceVersion and replays every
   * object as ADDED (pkg/server/list_stages_v1alpha1.go at v1.10.10), and has no freight watch:
   * there `?watch=true` answers the list itself (query_freights_v1alpha1.go at v1.10.10), which
   * is then polled. The connection is opened first and the list read after, so nothing falls in
   * between; the caller hears only what differs from what it was told. On the first connection
   * the caller's own list stands for what it has; when that list's resourceVersion is not this
   * one's, onExpired has it list again.
   */
  private async watchReplaying<
    T extends { metadata?: { resourceVersion?: string; name?: string } },
  >(
    request: WatchRequest<T>,
    replay: WatchReplay<T>,
    position: { resourceVersion?: string },
  ): Promise<void> {
    const response = await this.openWatch(request, undefined);
    const streaming = isEventStream(response);
    let list: unknown;
    if (streaming) {
      list = await this.request('GET', fill(request.path, request.params), {
        query: request.query,
        retry: true,
        expectBody: true,
      }).catch(async error => {
        await response.body?.cancel();
        throw error;
      });
    } else {
      const text = await response.text();
      try {
        list = JSON.parse(text);
      } catch (error) {
        throw new ServiceUnavailableError(
          `Kargo instance "${this.instance.name}" answered the watch of ${request.path} with neither an event stream nor a list`,
          error as Error,
        );
      }
    }
    const items = listItems<T>(list);
    if (!replay.started && position.resourceVersion !== undefined) {
      replay.baseline(items);
      if (listResourceVersion(list) !== position.resourceVersion) {
        await request.onExpired?.();
      }
    } else {
      replay.reconcile(items);
    }
    if (!streaming) {
      await sleep(request.pollIntervalMs ?? 30_000, request.signal);
      return;
    }
    await readWatchStream<T>(response.body!, {
      signal: request.signal,
      idleTimeoutMs: request.idleTimeoutMs ?? 60_000,
      onEvent: event => replay.event(event),
      // Kargo before v1.11 sends no error frames; one here is no reason to stop either.
      onError: frame =>
        this.logger.debug(
          `watch of ${request.path}: ${frame.message ?? frame.code}`,
        ),
    });
    throw new ServiceUnavailableError(
      `Kargo instance "${this.instance.name}" ended the watch stream`,
    );
  }

  // ---- transport ----

  private url(path: string, query?: KargoQuery): string {
    return `${this.instance.url}${path}${queryString(query)}`;
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...(this.instance.token
        ? { authorization: `Bearer ${this.instance.token}` }
        : {}),
      ...extra,
    };
  }

  private get<T>(
    template: keyof KargoPaths,
    params: Record<string, string>,
    query?: KargoQuery,
  ): Promise<T> {
    return this.request<T>('GET', fill(template, params), {
      query,
      retry: true,
      expectBody: true,
    });
  }

  private send<T>(
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    template: keyof KargoPaths,
    params: Record<string, string>,
    options: RequestOptions = {},
  ): Promise<T> {
    return this.request<T>(method, fill(template, params), options);
  }

  private async request<T>(
    method: string,
    path: string,
    options: RequestOptions,
  ): Promise<T> {
    if (this.server.refused) throw this.server.refused;
    const attempts = options.retry ? this.readAttempts : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once<T>(method, path, options);
      } catch (error) {
        if (attempt >= attempts || !isTransient(error)) throw error;
        const delay = this.retryDelayMs * 2 ** (attempt - 1);
        this.logger.debug(
          `Kargo ${method} ${path} failed (${
            (error as Error).message
          }); retry ${attempt} in ${delay} ms`,
        );
        await sleep(delay + Math.random() * delay * 0.2);
      }
    }
  }

  private async once<T>(
    method: string,
    path: string,
    options: RequestOptions,
  ): Promise<T> {
    const { name, timeoutMs } = this.instance;
    // A change that was sent but not answered may have happened: say so, not "failed".
    const Lost =
      method === 'GET' ? ServiceUnavailableError : KargoOutcomeUnknownError;
    let response: Response;
    try {
      response = await fetch(this.url(path, options.query), {
        method,
        headers: this.headers({
          accept: 'application/json',
          ...(options.body !== undefined
            ? { 'content-type': 'application/json' }
            : {}),
          ...(options.text !== undefined
            ? { 'content-type': 'application/yaml' }
            : {}),
        }),
        body:
          options.text ??
          (options.body !== undefined
            ? JSON.stringify(options.body)
            : undefined),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const err = error as Error;
      // The only abort here is the timeout; some runtimes report it as AbortError.
      if (err.name === 'TimeoutError' || err.name === 'AbortError') {
        throw new Lost(
          `Kargo instance "${name}" did not answer within ${timeoutMs} ms`,
          err,
        );
      }
      // Refused or unresolvable: nothing reached Kargo. Anything else (a connection dropped
      // mid-request) may have been carried out.
      const code = (err.cause as { code?: string })?.code ?? '';
      const cause = (err.cause as Error)?.message ?? err.message;
      if (method === 'GET' || NOT_SENT.has(code)) {
        throw new ServiceUnavailableError(
          `Kargo instance "${name}" is unreachable (${cause})`,
          err,
        );
      }
      throw new Lost(
        `Kargo instance "${name}" dropped the connection to ${method} ${path} (${cause})`,
        err,
      );
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw new Lost(
        `Kargo instance "${name}" broke off its answer to ${method} ${path}`,
        error as Error,
      );
    }
    if (
      method !== 'GET' &&
      (response.status === 502 || response.status === 504)
    ) {
      // A gateway gave up on Kargo: the change may still have been made behind it.
      throw new Lost(
        `Kargo instance "${name}" is behind a gateway that gave up on ${method} ${path} (HTTP ${response.status})`,
      );
    }
    if (!response.ok) {
      throw kargoResponseError(name, response.status, text);
    }
    if (/^text\/html/i.test(response.headers.get('content-type') ?? '')) {
      // Kargo before v1.9 has no REST API; its UI answers any path with index.html.
      throw new NotImplementedError(
        `Kargo instance "${name}" answered ${method} ${path} with an HTML page, not Kargo's REST API (is the url the API server's? Kargo before v1.9 has no REST API)`,
      );
    }
    if (!text.trim()) {
      if (options.expectBody) {
        throw new ServiceUnavailableError(
          `Kargo instance "${name}" answered ${method} ${path} with HTTP ${response.status} and no body: a failure Kargo before v1.11.1 does not report (see the Kargo API server's log)`,
        );
      }
      return undefined as T;
    }
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new Lost(
        `Kargo instance "${name}" returned malformed JSON for ${method} ${path}`,
        error as Error,
      );
    }
  }
}

/** A Kargo project role (`rbacapi.Role`): the OIDC claims bound to it and its rules. @public */
export type KargoRole = KargoSchemas['RbacRole'];

/** A Kubernetes Secret as Kargo's API returns it (credentials redacted). @public */
export type KargoSecret = KargoSchemas['V1Secret'];
/** @public */
export type KargoSecretList = KargoSchemas['V1SecretList'];
/** Fields of repository credentials Kargo accepts on create and replace (PUT). @public */
export type KargoRepoCredentialsRequest =
  KargoSchemas['UpdateRepoCredentialsRequest'];
/** Fields of repository credentials to change with PATCH; left out, they stay. @public */
export type KargoRepoCredentialsPatch =
  KargoSchemas['PatchRepoCredentialsRequest'];

/** The answer of the /v1beta1/resources routes: one result per manifest document. @public */
export interface ResourcesResponse {
  results?: Array<Record<string, unknown> & { error?: string }>;
}
