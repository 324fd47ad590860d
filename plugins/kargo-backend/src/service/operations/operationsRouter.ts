import { z } from 'zod/v3';
import { JsonValue } from '@backstage/types';
import {
  kargoFreightAliasUpdatePermission,
  kargoFreightApprovePermission,
  kargoFreightPromotePermission,
  kargoFreezeOverridePermission,
  kargoProjectResourceRef,
  kargoPromotionAbortPermission,
  kargoStageRefreshPermission,
  kargoStageReverifyPermission,
  kargoWarehouseRefreshPermission,
} from '@kargo-backstage/plugin-kargo-common';
import express from 'express';
import Router from 'express-promise-router';
import {
  Freight,
  isPromotionRequest,
  Promotion,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';
import { KargoStore } from '../../database';
import { GateOutcome, PromotionGates } from '../gates/PromotionGates';
import { FREEZE_GATE } from '../gates/freezeGate';
import {
  actorOf,
  createOperationDefiner,
  Operation,
  OperationDeps,
  OperationResult,
  readerCredentials,
} from './operation';
import { IdempotencyKeys } from './IdempotencyKeys';
import * as check from './preconditions';
import {
  aliasBody,
  approveBody,
  emptyBody,
  idempotencyKey,
  parse,
  promoteBody,
} from './schemas';

/** How far Kargo's clock may be behind ours when looking for what a lost request created. */
const CLOCK_SKEW_MS = 30_000;

const gatesQuery = z.object({
  freight: z.string().min(1).max(253),
});

export interface OperationsRouterOptions extends OperationDeps {
  idempotency: IdempotencyKeys;
  gates: PromotionGates;
  store: KargoStore;
  /** For availability checks (soak time); tests pass a fixed clock. */
  now?: () => number;
}

/**
 * The Kargo operations: promote, promote downstream, approve, abort a promotion, refresh,
 * re-verify, abort verification, alias. Each checks the request against the project (4xx
 * without a Kargo call) before it calls Kargo.
 */
export function createOperationsRouter(
  options: OperationsRouterOptions,
): express.Router {
  const now = options.now ?? Date.now;
  const router = Router();
  const operation = createOperationDefiner(router, options);

  /** Every gate's decision for freight going into these stages. */
  async function gateOutcomes(
    op: Operation<unknown>,
    stages: Stage[],
    freight: Freight,
    via: 'promote' | 'promote-downstream',
  ): Promise<Array<GateOutcome & { stage: string }>> {
    const metadata = (
      await options.store.getFreightMetadata(op, [freight.metadata!.name!])
    ).get(freight.metadata!.name!);
    const perStage = await Promise.all(
      stages.map(async stage =>
        (
          await options.gates.evaluate({
            instance: op.instance,
            project: op.project,
            stage,
            freight,
            metadata,
            credentials: op.credentials,
            via,
            now: new Date(now()),
          })
        ).map(o => ({ ...o, stage: stage.metadata!.name! })),
      ),
    );
    return perStage.flat();
  }

  /**
   * Lets the promotion through the gates or throws 409. A freeze is overridden only when the
   * request asks for it and the user holds kargo.freeze.override on the stage; both are audited.
   */
  async function passGates(
    op: Operation<{ confirm?: string[]; overrideFreeze?: boolean }>,
    outcomes: Array<GateOutcome & { stage: string }>,
  ) {
    const frozen = outcomes.filter(
      o => o.gate === FREEZE_GATE && o.result === 'deny',
    );
    let overridden: string[] = [];
    if (frozen.length && op.body.overrideFreeze) {
      await op.authorize(
        kargoFreezeOverridePermission,
        frozen.map(o => op.stageRef(o.stage)),
      );
      overridden = [FREEZE_GATE];
    }
    const passed = PromotionGates.enforce(outcomes, {
      confirmed: op.body.confirm ?? [],
      overridden,
    });
    if (passed.length) {
      op.meta.gatesPassed = passed.map(
        o =>
          `${o.gate}:${o.result}${o.gate === FREEZE_GATE ? ':overridden' : ''}`,
      );
    }
  }

  /**
   * Makes a promotion once per caller and Idempotency-Key: a retry gets the first answer
   * (marked `Idempotent-Replayed`), never a second Promotion.
   */
  async function promoteOnce(
    op: Operation<unknown>,
    key: string | undefined,
    request: { stages: string[]; freight: string; downstreamOf?: string },
    promote: () => Promise<unknown>,
  ): Promise<OperationResult> {
    const result = await options.idempotency.run(
      {
        user: actorOf(op.credentials),
        key,
        fingerprint: JSON.stringify([op.instance, op.project, request]),
      },
      async () => ({ status: 201, body: (await promote()) as JsonValue }),
      // The first attempt's answer was lost: adopt the Promotions it left in Kargo, if any.
      async since => {
        const found = await promotionsSince(op, request, since);
        if (!found.length) return undefined;
        op.meta.adoptedAfterUnknownOutcome = true;
        return {
          status: 201,
          body: (request.downstreamOf
            ? { promotions: found }
            : found[0]) as unknown as JsonValue,
        };
      },
    );
    op.meta.replayed = result.replayed;
    return {
      status: result.status,
      body: result.body,
      headers: result.replayed ? { 'idempotent-replayed': 'true' } : undefined,
    };
  }

  /**
   * The newest Promotion of the freight into each stage created since `since`, read from
   * Kargo itself (not the cache), allowing for clocks a little apart.
   */
  async function promotionsSince(
    op: Operation<unknown>,
    request: { stages: string[]; freight: string },
    since: number,
  ): Promise<Promotion[]> {
    const found: Promotion[] = [];
    for (const stage of request.stages) {
      const { items = [] } = await op.reader.listPromotions(op.project, {
        stage,
      });
      const newest = items
        .filter(
          p =>
            p.spec?.stage === stage &&
            p.spec?.freight === request.freight &&
            Date.parse(p.metadata?.creationTimestamp ?? '') >=
              since - CLOCK_SKEW_MS,
        )
        .sort((a, b) =>
          String(b.metadata?.creationTimestamp).localeCompare(
            String(a.metadata?.creationTimestamp),
          ),
        )[0];
      if (newest) found.push(newest);
    }
    return found;
  }

  /** What the gates would say, before anyone presses Promote (the dialog shows it). */
  router.get(
    '/instances/:instance/projects/:project/stages/:stage/gates',
    async (req, res) => {
      const { credentials, params } = await readerCredentials(
        req,
        options.httpAuth,
        options.permissions,
      );
      const freightName = parse(gatesQuery, req.query, 'query').freight;
      const reader = options.instances.get(params.instance);
      const snapshot = await options.snapshots.get(reader, params.project);
      const stage = check.requireStage(snapshot, params.project, params.stage!);
      const freight = check.requireFreight(
        snapshot,
        params.project,
        freightName,
      );
      const outcomes = await gateOutcomes(
        {
          instance: params.instance,
          project: params.project,
          credentials,
        } as Operation<unknown>,
        [stage],
        freight,
        'promote',
      );
      res.json({ items: outcomes });
    },
  );

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
      await passGates(op, await gateOutcomes(op, [stage], freight, 'promote'));
      Object.assign(op.meta, {
        freight: freight.metadata!.name!,
        kargoCall: `POST /v1beta1/projects/${op.project}/stages/${stageName}/promotions`,
        ...(key ? { idempotencyKey: key } : {}),
      });
      const result = await promoteOnce(
        op,
        key,
        { stages: [stageName], freight: freight.metadata!.name! },
        () =>
          op.writer.promoteToStage(op.project, stageName, {
            freight: freight.metadata!.name!,
          }),
      );
      // A Stage that selects Targets (after v1.11.2) gets a PromotionRequest: passed on as is.
      const created = result.body as { metadata?: { name?: string } } | null;
      if (isPromotionRequest(created)) {
        op.meta.promotionRequest = created.metadata?.name ?? null;
      } else {
        op.meta.promotion = created?.metadata?.name ?? null;
      }
      return result;
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
      await passGates(
        op,
        await gateOutcomes(op, downstream, freight, 'promote-downstream'),
      );
      Object.assign(op.meta, {
        freight: freight.metadata!.name!,
        downstream: downstream.map(s => s.metadata!.name!),
        kargoCall: `POST /v1beta1/projects/${op.project}/stages/${stageName}/promotions/downstream`,
        ...(key ? { idempotencyKey: key } : {}),
      });
      return promoteOnce(
        op,
        key,
        {
          stages: downstream.map(s => s.metadata!.name!),
          freight: freight.metadata!.name!,
          downstreamOf: stageName,
        },
        () =>
          op.writer.promoteDownstream(op.project, stageName, {
            freight: freight.metadata!.name!,
          }),
      );
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
