import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import { kargoProjectReadPermission } from '@kargo-backstage/plugin-kargo-common';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { JsonObject, JsonValue } from '@backstage/types';
import {
  kargoProjectResourceRef,
  kargoStageResourceRef,
} from '@kargo-backstage/plugin-kargo-common';
import { authorizeKargo } from '@kargo-backstage/plugin-kargo-node';
import express from 'express';
import { z } from 'zod/v3';
import { KargoClient } from '@kargo-backstage/plugin-kargo-node';
import { KargoInstances } from '@kargo-backstage/plugin-kargo-node';
import { ProjectSnapshots } from '../ProjectSnapshots';
import { ProjectSnapshot } from '../views/buildProjectView';
import { parse, pathParams } from './schemas';

export interface OperationDeps {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  instances: KargoInstances;
  snapshots: ProjectSnapshots;
  /** Called after a change succeeded, e.g. to tell open pages. */
  onChange?(instance: string, project: string): Promise<void> | void;
  /** The routes change only the portal's data, not Kargo's: keep the Kargo cache. */
  portalDataOnly?: boolean;
}

/** What every operation handler gets: the checked request and the project as last read. */
export interface Operation<B> {
  credentials: BackstageCredentials;
  params: z.infer<typeof pathParams>;
  body: B;
  instance: string;
  project: string;
  /** Reads (snapshots) always use the service token. */
  reader: KargoClient;
  /** The client that makes the change: the user's own token when forwarded. */
  writer: KargoClient;
  snapshot: () => Promise<ProjectSnapshot>;
  /** Throws 403 unless the user holds `permission` on every resource. */
  authorize(
    permission: ResourcePermission,
    resourceRefs: string[],
  ): Promise<void>;
  /** Whether the user holds `permission` on every resource. */
  isAllowed(
    permission: ResourcePermission,
    resourceRefs: string[],
  ): Promise<boolean>;
  stageRef(stage: string): string;
  /** Fills the audit event's meta as the operation learns more. */
  meta: JsonObject;
}

/**
 * The caller of a read route of one project: a signed-in user or a service, holding
 * `permission` (kargo.project.read unless said otherwise) on that project. Authenticates (401),
 * then checks the path (400), then authorizes (403).
 */
export async function readerCredentials(
  req: express.Request,
  httpAuth: HttpAuthService,
  permissions: PermissionsService,
  permission: ResourcePermission = kargoProjectReadPermission,
): Promise<{
  credentials: BackstageCredentials;
  params: z.infer<typeof pathParams>;
}> {
  const credentials = await httpAuth.credentials(req, {
    allow: ['user', 'service'],
  });
  const params = parse(pathParams, req.params, 'path');
  const resourceRef = kargoProjectResourceRef(params.instance, params.project);
  const [decision] = await authorizeKargo(
    permissions,
    [{ permission, resourceRef }],
    credentials,
  );
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `Not allowed: ${permission.name} on ${resourceRef}`,
    );
  }
  return { credentials, params };
}

/** Who did it, for audit records and history: the user, or `service:<subject>`. */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? `service:${principal.subject}`;
}

export interface OperationResult {
  status: number;
  body?: JsonValue;
  headers?: Record<string, string>;
}

/**
 * Defines mutating routes on a router. Each one authenticates, validates, lets the handler
 * authorize every resource it touches and check the request against the project, then audits
 * the outcome with the Backstage user, success or failure.
 */
export function createOperationDefiner(
  router: express.Router,
  deps: OperationDeps,
) {
  const { httpAuth, permissions, auditor, instances, snapshots } = deps;

  async function decide(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
    resourceRefs: string[],
  ): Promise<string[]> {
    const decisions = await authorizeKargo(
      permissions,
      resourceRefs.map(resourceRef => ({ permission, resourceRef })),
      credentials,
    );
    return resourceRefs.filter(
      (_, i) => decisions[i].result !== AuthorizeResult.ALLOW,
    );
  }

  async function authorize(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
    resourceRefs: string[],
  ) {
    const denied = await decide(credentials, permission, resourceRefs);
    if (denied.length) {
      throw new NotAllowedError(
        `Not allowed: ${permission.name} on ${denied.join(', ')}`,
      );
    }
  }

  function actingClient(client: KargoClient, req: express.Request) {
    if (!client.instance.forwardUserToken) return client;
    const token = req.header('x-kargo-token');
    if (!token) {
      throw new AuthenticationError(
        `Kargo instance "${client.instance.name}" acts with your own Kargo token; none was sent (x-kargo-token)`,
      );
    }
    return client.withToken(token);
  }

  return function operation<S extends z.ZodTypeAny>(
    method: 'post' | 'patch' | 'put' | 'delete',
    path: string,
    eventId: string,
    bodySchema: S,
    handler: (
      op: Operation<z.infer<S>>,
      req: express.Request,
    ) => Promise<OperationResult>,
  ) {
    router[method](path, async (req, res) => {
      // Who asks comes first: an anonymous request is refused before anything is audited.
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      const meta: JsonObject = { ...req.params };
      const audit = await auditor.createEvent({
        eventId,
        severityLevel: 'medium',
        request: req,
        meta,
      });
      try {
        const params = parse(pathParams, req.params, 'path');
        const body = parse(bodySchema, req.body ?? {}, 'request body');
        const reader = instances.get(params.instance);
        const writer = actingClient(reader, req);
        const { project } = params;
        let snapshot: Promise<ProjectSnapshot> | undefined;
        const result = await handler(
          {
            credentials,
            params,
            body,
            instance: params.instance,
            project,
            reader,
            writer,
            snapshot: () => (snapshot ??= snapshots.get(reader, project)),
            stageRef: stage =>
              kargoStageResourceRef(params.instance, project, stage),
            authorize: (permission, refs) =>
              authorize(credentials, permission, refs),
            isAllowed: async (permission, refs) =>
              (await decide(credentials, permission, refs)).length === 0,
            meta,
          },
          req,
        );
        if (!deps.portalDataOnly) {
          await snapshots.invalidate(params.instance, project);
        }
        await deps.onChange?.(params.instance, project);
        await audit.success({ meta });
        res.set(result.headers ?? {});
        if (result.body === undefined) res.status(result.status).end();
        else res.status(result.status).json(result.body);
      } catch (error) {
        await audit.fail({ error: error as Error, meta });
        throw error;
      }
    });
  };
}
