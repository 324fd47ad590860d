import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';
import {
  Freight,
  isPromotionRequest,
  kargoFreightPromotePermission,
  kargoPromotionAbortPermission,
  Promotion,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';
import type { KargoPromotionGateRequest } from '@kargo-backstage/plugin-kargo-node';
import { KargoStore } from '../../database';
import { GateOutcome, PromotionGates } from '../gates/PromotionGates';
import { FREEZE_GATE } from '../gates/freezeGate';
import { IdempotencyKeys } from '../operations/IdempotencyKeys';
import {
  OperationDeps,
  OperationService,
} from '../operations/OperationService';
import type { Operation, OperationCall } from '../operations/types';
import { actorOf } from '../operations/operation';
import * as check from '../operations/preconditions';
import {
  idempotencyKey,
  parse,
  pathParams,
  promoteBody,
} from '../operations/schemas';

/** How far Kargo's clock may be behind ours when looking for what a lost request created. */
const CLOCK_SKEW_MS = 30_000;

/**
 * A promotion asked for: into `params.stage`, or downstream of it. A retry with the same
 * `idempotencyKey` gets the first answer, never a second Promotion.
 */
export type PromoteCall = OperationCall<unknown>;

export interface PromotionServiceOptions extends OperationDeps {
  idempotency: IdempotencyKeys;
  gates: PromotionGates;
  store: KargoStore;
  /** The portal's approvals, which gates read (see the approval gate module). */
  approvals?: {
    forGate(
      ref: { instance: string; project: string },
      stage: Stage,
      freight: string,
    ): Promise<KargoPromotionGateRequest['approval']>;
  };
  /** For availability checks (soak time); tests pass a fixed clock. */
  now?: () => number;
}

type StageOutcome = GateOutcome & { stage: string };

/**
 * Promotions, whoever asks (the Kargo tab, the actions registry): authorize → check against the
 * project → promotion gates → idempotency → Kargo → audit, in that order.
 */
export class PromotionService extends OperationService<PromotionServiceOptions> {
  private readonly now: () => number;

  constructor(options: PromotionServiceOptions) {
    super(options);
    this.now = options.now ?? Date.now;
  }

  /** Promotes freight into a stage: Kargo's Promotion, or a PromotionRequest (after v1.11.2). */
  promote(call: PromoteCall) {
    return this.run('kargo-freight-promote', call, async op => {
      const input = this.input(op, call.idempotencyKey);
      const stageName = input.stage;
      await op.authorize(kargoFreightPromotePermission, [
        op.stageRef(stageName),
      ]);
      const snapshot = await op.snapshot();
      const stage = check.requireStage(snapshot, op.project, stageName);
      const freight = check.requireFreight(
        snapshot,
        op.project,
        (input.body.freight ?? input.body.freightAlias)!,
      );
      check.requirePromotable(stage, freight, this.now());
      await this.passGates(
        op,
        input.body,
        await this.gateOutcomes(op, [stage], freight, 'promote'),
      );
      const name = freight.metadata!.name!;
      Object.assign(op.meta, {
        freight: name,
        kargoCall: `POST /v1beta1/projects/${op.project}/stages/${stageName}/promotions`,
        ...(input.key ? { idempotencyKey: input.key } : {}),
      });
      const result = await this.promoteOnce(
        op,
        input.key,
        { stages: [stageName], freight: name },
        () =>
          op.writer.promoteToStage(op.project, stageName, { freight: name }),
      );
      // A Stage that selects Targets (after v1.11.2) gets a PromotionRequest: passed on as is.
      const created = result.body as { metadata?: { name?: string } } | null;
      if (isPromotionRequest(created)) {
        op.meta.promotionRequest = created.metadata?.name ?? null;
      } else {
        op.meta.promotion = created?.metadata?.name ?? null;
      }
      return result;
    });
  }

  /** Promotes freight verified in a stage into every stage downstream of it. */
  promoteDownstream(call: PromoteCall) {
    return this.run('kargo-freight-promote-downstream', call, async op => {
      const input = this.input(op, call.idempotencyKey);
      const snapshot = await op.snapshot();
      check.requireStage(snapshot, op.project, input.stage);
      const freight = check.requireFreight(
        snapshot,
        op.project,
        (input.body.freight ?? input.body.freightAlias)!,
      );
      const downstream = check.downstreamStages(snapshot, input.stage, freight);
      // Kargo authorizes promote on each downstream stage; so do we, before anything else.
      await op.authorize(
        kargoFreightPromotePermission,
        downstream.map(s => op.stageRef(s.metadata!.name!)),
      );
      check.requireVerifiedIn(freight, input.stage);
      downstream.forEach(s => check.requirePromotable(s, freight, this.now()));
      await this.passGates(
        op,
        input.body,
        await this.gateOutcomes(op, downstream, freight, 'promote-downstream'),
      );
      const name = freight.metadata!.name!;
      Object.assign(op.meta, {
        freight: name,
        downstream: downstream.map(s => s.metadata!.name!),
        kargoCall: `POST /v1beta1/projects/${op.project}/stages/${input.stage}/promotions/downstream`,
        ...(input.key ? { idempotencyKey: input.key } : {}),
      });
      return this.promoteOnce(
        op,
        input.key,
        {
          stages: downstream.map(s => s.metadata!.name!),
          freight: name,
          downstreamOf: input.stage,
        },
        () =>
          op.writer.promoteDownstream(op.project, input.stage, {
            freight: name,
          }),
      );
    });
  }

  /** Aborts a running promotion (kargo.promotion.abort on its stage). */
  abort(call: OperationCall<unknown>) {
    return this.run('kargo-promotion-abort', call, async op => {
      const params = parse(pathParams, op.params, 'path');
      const promotion = check.requirePromotion(
        await op.snapshot(),
        op.project,
        params.promotion!,
      );
      const stageName = promotion.spec.stage;
      await op.authorize(kargoPromotionAbortPermission, [
        op.stageRef(stageName),
      ]);
      check.requireRunning(promotion);
      Object.assign(op.meta, {
        stage: stageName,
        kargoCall: `POST /v1beta1/projects/${op.project}/promotions/${params.promotion}/abort`,
      });
      await op.writer.abortPromotion(op.project, params.promotion!);
      return { status: 204 };
    });
  }

  /** What the gates would say about freight going into a stage, before anyone promotes. */
  async previewGates(
    credentials: BackstageCredentials,
    ref: { instance: string; project: string; stage: string; freight: string },
  ): Promise<StageOutcome[]> {
    const params = await this.readable(credentials, ref);
    const reader = this.options.instances.get(params.instance);
    const snapshot = await this.options.states.get(reader, ref.project);
    const stage = check.requireStage(snapshot, ref.project, ref.stage);
    const freight = check.requireFreight(snapshot, ref.project, ref.freight);
    return this.gateOutcomes(
      { instance: params.instance, project: ref.project, credentials },
      [stage],
      freight,
      'promote',
    );
  }

  /** The checked input of a promote call: stage, body and Idempotency-Key. */
  private input(op: Operation<unknown>, key: string | undefined) {
    return {
      stage: parse(pathParams, op.params, 'path').stage!,
      key: parse(idempotencyKey, key, 'Idempotency-Key header'),
      body: parse(promoteBody, op.body ?? {}, 'request body'),
    };
  }

  /** Every gate's decision for freight going into these stages. */
  private async gateOutcomes(
    op: Pick<Operation<unknown>, 'instance' | 'project' | 'credentials'>,
    stages: Stage[],
    freight: Freight,
    via: 'promote' | 'promote-downstream',
  ): Promise<StageOutcome[]> {
    const name = freight.metadata!.name!;
    const metadata = (
      await this.options.store.getFreightMetadata(op, [name])
    ).get(name);
    const perStage = await Promise.all(
      stages.map(async stage =>
        (
          await this.options.gates.evaluate({
            instance: op.instance,
            project: op.project,
            stage,
            freight,
            metadata,
            approval: (await this.options.approvals?.forGate(
              op,
              stage,
              name,
            )) ?? { policies: [] },
            credentials: op.credentials,
            via,
            now: new Date(this.now()),
          })
        ).map(o => ({ ...o, stage: stage.metadata!.name! })),
      ),
    );
    return perStage.flat();
  }

  /**
   * Lets the promotion through the gates or throws 409. A deny is overridden only when the
   * request names its gate and the gate says it can be (its outcome is overridable), and the
   * user holds the gate's override permission on each stage it lets through; all audited.
   */
  private async passGates(
    op: Operation<unknown>,
    body: { confirm?: string[]; override?: string[]; overrideFreeze?: boolean },
    outcomes: StageOutcome[],
  ) {
    const asked = new Set([
      ...(body.override ?? []),
      ...(body.overrideFreeze ? [FREEZE_GATE] : []),
    ]);
    const overriding = outcomes.filter(
      o => o.result === 'deny' && o.overridable && asked.has(o.gate),
    );
    const overridden = [...new Set(overriding.map(o => o.gate))];
    for (const gate of overridden) {
      const permission = this.options.gates.overridePermission(gate)!;
      await op.authorize(
        permission,
        overriding.filter(o => o.gate === gate).map(o => op.stageRef(o.stage)),
      );
    }
    const passed = PromotionGates.enforce(outcomes, {
      confirmed: body.confirm ?? [],
      overridden,
    });
    if (passed.length) {
      op.meta.gatesPassed = passed.map(
        o => `${o.gate}:${o.result}${o.result === 'deny' ? ':overridden' : ''}`,
      );
    }
  }

  /**
   * Makes a promotion once per caller and Idempotency-Key: a retry gets the first answer
   * (marked `Idempotent-Replayed`), never a second Promotion.
   */
  private async promoteOnce(
    op: Operation<unknown>,
    key: string | undefined,
    request: { stages: string[]; freight: string; downstreamOf?: string },
    promote: () => Promise<unknown>,
  ) {
    const result = await this.options.idempotency.run(
      {
        user: actorOf(op.credentials),
        key,
        fingerprint: JSON.stringify([op.instance, op.project, request]),
      },
      async () => ({ status: 201, body: (await promote()) as JsonValue }),
      // The first attempt's answer was lost: adopt the Promotions it left in Kargo, if any.
      async since => {
        const found = await this.promotionsSince(op, request, since);
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
  private async promotionsSince(
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
}
