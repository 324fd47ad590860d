import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { JsonObject, JsonValue } from '@backstage/types';
import {
  kargoFreightAliasUpdatePermission,
  kargoFreightApprovePermission,
  kargoFreightPromotePermission,
  kargoProjectResourceRef,
  kargoPromotionAbortPermission,
  kargoStageRefreshPermission,
  kargoStageResourceRef,
  kargoStageReverifyPermission,
  kargoWarehouseRefreshPermission,
} from '@kargo-backstage/plugin-kargo-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import { KargoClient } from '../../kargo/KargoClient';
import { KargoInstances } from '../../kargo/KargoInstances';
import { ProjectSnapshots } from '../ProjectSnapshots';
import { ProjectSnapshot } from '../views/buildProjectView';
import { IdempotencyKeys } from './IdempotencyKeys';
import * as check from './preconditions';
import {
  aliasBody,
  approveBody,
  emptyBody,
  idempotencyKey,
  parse,
  pathParams,
  promoteBody,
} from './schemas';

export interface OperationsRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  instances: KargoInstances;
  snapshots: ProjectSnapshots;
  idempotency: IdempotencyKeys;
  /** For availability checks (soak time); tests pass a fixed clock. */
  now?: () => number;
}

/** What every operation handler gets: the checked request and the project as last read. */
interface Operation<B> {
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
  stageRef(stage: string): string;
  /** Fills the audit event's meta as the operation learns more. */
  meta: JsonObject;
}

interface Result {
  status: number;
  body?: JsonValue;
  headers?: Record<string, string>;
}

/**
 * The mutating routes: promote, promote downstream, approve, abort a promotion, refresh,
 * re-verify, abort verification, alias. Each one authenticates, validates, authorizes every
 * stage it touches with the permission framework, checks the request against the project
 * (4xx without a Kargo call), calls Kargo, and audits the outcome with the Backstage user.
 */
export function createOperationsRouter(
  options: OperationsRouterOptions,
): express.Router {
  const { httpAuth, permissions, auditor, instances, snapshots } = options;
  const now = options.now ?? Date.now;
  const router = Router();

  function operation<S extends z.ZodTypeAny>(
    method: 'post' | 'patch',
    path: string,
    eventId: string,
    bodySchema: S,
    handler: (
      op: Operation<z.infer<S>>,
      req: express.Request,
    ) => Promise<Result>,
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
            meta,
          },
          req,
        );
        await snapshots.invalidate(params.instance, project);
        await audit.success({ meta });
        res.set(result.headers ?? {});
        if (result.body === undefined) res.status(result.status).end();
        else res.status(result.status).json(result.body);
      } catch (error) {
        await audit.fail({ error: error as Error, meta });
        throw error;
      }
    });
  }

  async function authorize(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
    resourceRefs: string[],
  ) {
    const decisions = await permissions.authorize(
      resourceRefs.map(resourceRef => ({ permission, resourceRef })),
      { credentials },
    );
    const denied = resourceRefs.filter(
      (_, i) => decisions[i].result !== AuthorizeResult.ALLOW,
    );
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

  const stagePath = '/instances/:instance/projects/:project/stages/:stage';
  const freightPath = '/instances/:instance/projects/:project/freight/:freight';

  operation(
    'post',
    `${stagePath}/promotions`,
    'freight-promote',
    promoteBody,
    async (op, req) => {
      const stageName = op.params.stage!;
      await op.authorize(kargoFreightPromotePermission, [
        op.stageRef(stageName),
      ]);
      const key = parse(
        idempotencyKey,
        req.header('idempotency-key'),
        'Idempotency-Key header',
      );
      const snapshot = await op.snapshot();
      const stage = check.requireStage(snapshot, op.project, stageName);
      const freight = check.requireFreight(
        snapshot,
        op.project,
        (op.body.freight ?? op.body.freightAlias)!,
      );
      check.requirePromotable(stage, freight, now());
      Object.assign(op.meta, {
        freight: freight.metadata!.name!,
        kargoCall: `POST /v1beta1/projects/${op.project}/stages/${stageName}/promotions`,
        ...(key ? { idempotencyKey: key } : {}),
      });
      const result = await options.idempotency.run(
        {
          user: userOf(op.credentials),
          key,
          fingerprint: JSON.stringify([
            op.instance,
            op.project,
            stageName,
            freight.metadata!.name,
          ]),
        },
        async () => ({
          status: 201,
          body: (await op.writer.promoteToStage(op.project, stageName, {
            freight: freight.metadata!.name!,
          })) as unknown as JsonValue,
        }),
      );
      op.meta.promotion = (result.body as any)?.metadata?.name ?? null;
      op.meta.replayed = result.replayed;
      return {
        status: result.status,
        body: result.body,
        headers: result.replayed
          ? { 'idempotent-replayed': 'true' }
          : undefined,
      };
    },
  );

  operation(
    'post',
    `${stagePath}/promotions/downstream`,
    'freight-promote-downstream',
    promoteBody,
    async (op, req) => {
      const stageName = op.params.stage!;
      const key = parse(
        idempotencyKey,
        req.header('idempotency-key'),
        'Idempotency-Key header',
      );
      const snapshot = await op.snapshot();
      check.requireStage(snapshot, op.project, stageName);
      const freight = check.requireFreight(
        snapshot,
        op.project,
        (op.body.freight ?? op.body.freightAlias)!,
      );
      const downstream = check.downstreamStages(snapshot, stageName, freight);
      // Kargo authorizes promote on each downstream stage; so do we, before anything else.
      await op.authorize(
        kargoFreightPromotePermission,
        downstream.map(s => op.stageRef(s.metadata!.name!)),
      );
      check.requireVerifiedIn(freight, stageName);
      downstream.forEach(s => check.requirePromotable(s, freight, now()));
      Object.assign(op.meta, {
        freight: freight.metadata!.name!,
        downstream: downstream.map(s => s.metadata!.name!),
        kargoCall: `POST /v1beta1/projects/${op.project}/stages/${stageName}/promotions/downstream`,
        ...(key ? { idempotencyKey: key } : {}),
      });
      const result = await options.idempotency.run(
        {
          user: userOf(op.credentials),
          key,
          fingerprint: JSON.stringify([
            op.instance,
            op.project,
            stageName,
            'downstream',
            freight.metadata!.name,
          ]),
        },
        async () => ({
          status: 201,
          body: (await op.writer.promoteDownstream(op.project, stageName, {
            freight: freight.metadata!.name!,
          })) as unknown as JsonValue,
        }),
      );
      op.meta.replayed = result.replayed;
      return {
        status: result.status,
        body: result.body,
        headers: result.replayed
          ? { 'idempotent-replayed': 'true' }
          : undefined,
      };
    },
  );

  operation(
    'post',
    `${freightPath}/approve`,
    'freight-approve',
    approveBody,
    async op => {
      await op.authorize(kargoFreightApprovePermission, [
        op.stageRef(op.body.stage),
      ]);
      const snapshot = await op.snapshot();
      const stage = check.requireStage(snapshot, op.project, op.body.stage);
      const freight = check.requireFreight(
        snapshot,
        op.project,
        op.params.freight!,
      );
      check.requireApprovable(stage, freight);
      Object.assign(op.meta, {
        freight: freight.metadata!.name!,
        kargoCall: `POST /v1beta1/projects/${op.project}/freight/${
          freight.metadata!.name
        }/approve?stage=${op.body.stage}`,
      });
      await op.writer.approveFreight(
        op.project,
        freight.metadata!.name!,
        op.body.stage,
      );
      return { status: 204 };
    },
  );

  operation(
    'post',
    '/instances/:instance/projects/:project/promotions/:promotion/abort',
    'promotion-abort',
    emptyBody,
    async op => {
      const snapshot = await op.snapshot();
      const promotion = check.requirePromotion(
        snapshot,
        op.project,
        op.params.promotion!,
      );
      const stageName = promotion.spec.stage;
      await op.authorize(kargoPromotionAbortPermission, [
        op.stageRef(stageName),
      ]);
      check.requireRunning(promotion);
      Object.assign(op.meta, {
        stage: stageName,
        kargoCall: `POST /v1beta1/projects/${op.project}/promotions/${op.params.promotion}/abort`,
      });
      await op.writer.abortPromotion(op.project, op.params.promotion!);
      return { status: 204 };
    },
  );

  operation(
    'post',
    `${stagePath}/refresh`,
    'stage-refresh',
    emptyBody,
    async op => {
      const stageName = op.params.stage!;
      await op.authorize(kargoStageRefreshPermission, [op.stageRef(stageName)]);
      check.requireStage(await op.snapshot(), op.project, stageName);
      op.meta.kargoCall = `POST /v1beta1/projects/${op.project}/stages/${stageName}/refresh`;
      await op.writer.refreshStage(op.project, stageName);
      return { status: 204 };
    },
  );

  operation(
    'post',
    '/instances/:instance/projects/:project/warehouses/:warehouse/refresh',
    'warehouse-refresh',
    emptyBody,
    async op => {
      const name = op.params.warehouse!;
      await op.authorize(kargoWarehouseRefreshPermission, [
        kargoProjectResourceRef(op.instance, op.project),
      ]);
      check.requireWarehouse(await op.snapshot(), op.project, name);
      op.meta.kargoCall = `POST /v1beta1/projects/${op.project}/warehouses/${name}/refresh`;
      await op.writer.refreshWarehouse(op.project, name);
      return { status: 204 };
    },
  );

  for (const mode of ['reverify', 'abort'] as const) {
    operation(
      'post',
      mode === 'reverify'
        ? `${stagePath}/verification`
        : `${stagePath}/verification/abort`,
      mode === 'reverify' ? 'stage-reverify' : 'verification-abort',
      emptyBody,
      async op => {
        const stageName = op.params.stage!;
        await op.authorize(kargoStageReverifyPermission, [
          op.stageRef(stageName),
        ]);
        const stage = check.requireStage(
          await op.snapshot(),
          op.project,
          stageName,
        );
        check.requireVerification(stage, mode);
        const path = `/v1beta1/projects/${op.project}/stages/${stageName}/verification`;
        if (mode === 'reverify') {
          op.meta.kargoCall = `POST ${path}`;
          await op.writer.reverify(op.project, stageName);
        } else {
          op.meta.kargoCall = `POST ${path}/abort`;
          await op.writer.abortVerification(op.project, stageName);
        }
        return { status: 204 };
      },
    );
  }

  operation(
    'patch',
    `${freightPath}/alias`,
    'freight-alias-update',
    aliasBody,
    async op => {
      await op.authorize(kargoFreightAliasUpdatePermission, [
        kargoProjectResourceRef(op.instance, op.project),
      ]);
      const snapshot = await op.snapshot();
      const freight = check.requireFreight(
        snapshot,
        op.project,
        op.params.freight!,
      );
      check.requireAliasFree(snapshot, freight, op.body.alias);
      Object.assign(op.meta, {
        freight: freight.metadata!.name!,
        alias: op.body.alias,
        kargoCall: `PATCH /v1beta1/projects/${op.project}/freight/${
          freight.metadata!.name
        }/alias?newAlias=${op.body.alias}`,
      });
      await op.writer.updateFreightAlias(
        op.project,
        freight.metadata!.name!,
        op.body.alias,
      );
      return { status: 204 };
    },
  );

  return router;
}

/** Whose idempotency keys these are: a user, or a service (scaffolder, tools). */
function userOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? `service:${principal.subject}`;
}
