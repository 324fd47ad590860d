import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import { kargoProjectReadPermission } from '@kargo-backstage/plugin-kargo-common';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import {
  kargoProjectResourceRef,
  kargoStageResourceRef,
} from '@kargo-backstage/plugin-kargo-common';
import { authorizeKargo } from '@kargo-backstage/plugin-kargo-node';
import { z } from 'zod/v3';
import { KargoClient } from '@kargo-backstage/plugin-kargo-node';
import { ProjectSnapshot } from '../views/buildProjectView';
import { parse, pathParams } from './schemas';
import {
  Operation,
  OperationCall,
  OperationDeps,
  OperationHandler,
  OperationResult,
} from './types';

export type * from './types';
export { callOf, sendResult } from './http';

/** Throws 403 unless the caller holds `permission` (kargo.project.read) on the project. */
export async function authorizeProjectRead(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  ref: { instance: string; project: string },
  permission: ResourcePermission = kargoProjectReadPermission,
): Promise<void> {
  const resourceRef = kargoProjectResourceRef(ref.instance, ref.project);
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
}

/** Who did it, for audit records and history: the user, or `service:<subject>`. */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? `service:${principal.subject}`;
}

/**
 * Runs changes: whatever asks (a route, an action), each one is audited with the Backstage user
 * (success or failure), lets its handler authorize every resource it touches and check the
 * request against the project, then tells the project's state (see ProjectStates.changedByPortal)
 * and open pages.
 */
export function createOperationRunner(deps: OperationDeps) {
  const { permissions, auditor, instances, states } = deps;

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

  function actingClient(client: KargoClient, kargoToken: string | undefined) {
    if (!client.instance.forwardUserToken) return client;
    if (!kargoToken) {
      throw new AuthenticationError(
        `Kargo instance "${client.instance.name}" acts with your own Kargo token; none was sent (x-kargo-token)`,
      );
    }
    return client.withToken(kargoToken);
  }

  async function run<B>(
    eventId: string,
    call: OperationCall<B>,
    handler: OperationHandler<B>,
  ): Promise<OperationResult> {
    const { credentials, params } = call;
    const meta: JsonObject = { ...params, actor: actorOf(credentials) };
    const audit = await auditor.createEvent({
      eventId,
      severityLevel: 'medium',
      request: call.request,
      meta,
    });
    try {
      const reader = instances.get(params.instance);
      const writer = actingClient(reader, call.kargoToken);
      const { project } = params;
      let snapshot: Promise<ProjectSnapshot> | undefined;
      const result = await handler({
        credentials,
        params,
        body: call.body,
        instance: params.instance,
        project,
        reader,
        writer,
        snapshot: () => (snapshot ??= states.get(reader, project)),
        stageRef: stage =>
          kargoStageResourceRef(params.instance, project, stage),
        authorize: async (permission, refs) => {
          const denied = await decide(credentials, permission, refs);
          if (denied.length) {
            throw new NotAllowedError(
              `Not allowed: ${permission.name} on ${denied.join(', ')}`,
            );
          }
        },
        meta,
      });
      try {
        if (!deps.portalDataOnly) {
          states.changedByPortal({ instance: params.instance, project });
        }
        await deps.onChange?.(params.instance, project);
      } catch (error) {
        // The change is made: it is no failure, but the record says what did not follow it.
        meta.afterChange = `failed: ${(error as Error).message}`;
      }
      await audit.success({ meta });
      return result;
    } catch (error) {
      await audit.fail({ error: error as Error, meta });
      throw error;
    }
  }

  /** Runs the change, with the path and `body` checked first (inside the audited run). */
  function runChecked<S extends z.ZodTypeAny>(
    eventId: string,
    call: OperationCall<unknown>,
    body: S,
    handler: OperationHandler<z.infer<S>>,
  ): Promise<OperationResult> {
    return run(eventId, call, op => handler(checked(op, body)));
  }

  return Object.assign(run, { checked: runChecked });
}

/** Runs changes; `run.checked` checks the path and body first. */
export type OperationRunner = ReturnType<typeof createOperationRunner>;

/** The operation with its path and body checked (400 naming what is wrong, audited). */
export function checked<S extends z.ZodTypeAny>(
  op: Operation<unknown>,
  bodySchema: S,
): Operation<z.infer<S>> {
  return {
    ...op,
    params: parse(pathParams, op.params, 'path'),
    body: parse(bodySchema, op.body ?? {}, 'request body'),
  };
}
