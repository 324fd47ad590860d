import { ulid } from 'ulid';
import type {
  Freight,
  Promotion,
  PromotionStep,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';
import type { KargoSimulator } from '../KargoSimulator';
import { HttpError } from '../http/HttpError';
import { ABORT_ANNOTATION, CREATE_ACTOR_ANNOTATION } from './annotations';
import { stampHoldIntent, syncAutoPromotionHolds } from './autoPromotion';
import { isControlFlow } from './availability';
import { setCondition } from './conditions';
import { CONTROLLER_ACTOR } from './events';
import { freightRef, landFreight, markFreightIn } from './freight';
import { runStep } from './promotionSteps';
import { openPullRequest } from './pullRequests';
import { autoPromotionCandidates, autoPromotionEnabled } from './stages';
import { verificationAllowsNextPromotion } from './verification';

/*
 * The promotion reconciler (Kargo's pkg/controller/promotions): a Promotion waits while another
 * runs in its stage or the stage's verification holds it, then runs one step per tick, and when
 * it finishes the stage records it (and, on success, the freight it landed).
 */

/** PromotionPhase.IsTerminal (api/v1alpha1/promotion_types.go). */
export const PROMOTION_TERMINAL = ['Succeeded', 'Failed', 'Errored', 'Aborted'];

/**
 * Creates a Promotion the way Kargo's API server and its mutating webhook shape it. `actor`
 * is the user; the controller's own (auto-)promotions name none (api.NewMinimalPromotion).
 */
export function createPromotion(
  sim: KargoSimulator,
  project: string,
  stage: Stage,
  freight: Freight,
  actor: string | undefined,
): Promotion {
  const stageName = stage.metadata!.name!;
  if (isControlFlow(stage)) {
    throw new HttpError(
      422,
      `admission webhook "promotion.kargo.akuity.io" denied the request: Stage "${stageName}" in namespace "${project}" defines no promotion steps`,
    );
  }
  const name = `${stageName}.${ulid(
    sim.clock.now(),
  ).toLowerCase()}.${freight.metadata!.name!.slice(0, 7)}`;
  const steps = (stage.spec.promotionTemplate?.spec?.steps ?? []).map(
    (step, i) => ({
      ...step,
      as: step.as || `step-${i + 1}`,
    }),
  );
  const vars = [
    ...(stage.spec.vars ?? []),
    ...(stage.spec.promotionTemplate?.spec?.vars ?? []),
  ];
  const manifest = {
    metadata: {
      name,
      generateName: 'promo-',
      namespace: project,
      annotations: {
        ...(actor ? { [CREATE_ACTOR_ANNOTATION]: actor } : {}),
        'kargo.akuity.io/stage': stageName,
      },
      labels: { 'kargo.akuity.io/stage': stageName },
      ownerReferences: [
        {
          apiVersion: 'kargo.akuity.io/v1alpha1',
          kind: 'Stage',
          name: stageName,
          uid: stage.metadata!.uid!,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      stage: stageName,
      freight: freight.metadata!.name!,
      ...(vars.length ? { vars } : {}),
      steps,
    },
    status: {},
  } as Promotion;
  stampHoldIntent(
    manifest,
    freight,
    autoPromotionCandidates(sim, stage),
    autoPromotionEnabled(sim, stage),
  );
  const promotion = sim.store.create<Promotion>('Promotion', manifest);
  sim.recordEvent(
    project,
    'Promotion',
    name,
    'PromotionCreated',
    `Promotion created for Stage "${stageName}" by "${
      actor ?? CONTROLLER_ACTOR
    }"`,
    {
      actor: actor ?? CONTROLLER_ACTOR,
      component: actor ? 'api' : 'kargo-controller',
    },
  );
  return promotion;
}

/**
 * One reconciliation of a non-terminal Promotion: abort if asked; start it (Running, the stage
 * Promoting) unless its stage is busy; else run its next step.
 */
export function advancePromotion(
  sim: KargoSimulator,
  promotion: Promotion,
): void {
  const ns = promotion.metadata!.namespace!;
  const name = promotion.metadata!.name!;
  const stageName = promotion.spec.stage;
  const now = sim.clock.isoNow();

  if (promotion.metadata!.annotations?.[ABORT_ANNOTATION]) {
    finishPromotion(sim, promotion, 'Aborted', 'Promotion aborted by user');
    return;
  }
  const phase = promotion.status?.phase;
  if (!phase || phase === 'Pending') {
    const busy =
      sim.store
        .scan<Promotion>('Promotion', ns)
        .some(
          p => p.spec.stage === stageName && p.status?.phase === 'Running',
        ) ||
      !verificationAllowsNextPromotion(
        sim.store.require<Stage>('Stage', ns, stageName),
      );
    if (busy) {
      if (!phase)
        sim.store.update<Promotion>('Promotion', ns, name, p => {
          p.status = {
            phase: 'Pending',
            message: 'waiting for a running promotion to finish',
          };
        });
      return;
    }
    const freight = sim.store.get<Freight>(
      'Freight',
      ns,
      promotion.spec.freight ?? '',
    );
    if (!freight) {
      finishPromotion(
        sim,
        promotion,
        'Errored',
        `Freight "${promotion.spec.freight}" not found`,
      );
      return;
    }
    sim.store.update<Promotion>('Promotion', ns, name, p => {
      p.status = {
        phase: 'Running',
        startedAt: now,
        currentStep: 0,
        freight: freightRef(freight),
        stepExecutionMetadata: [],
        state: {} as never,
      };
    });
    sim.store.update<Stage>('Stage', ns, stageName, s => {
      s.status = {
        ...s.status,
        currentPromotion: { name, freight: freightRef(freight) },
        // assessHealth: no health is assessed while a Promotion is in progress.
        health: {
          status: 'Unknown',
          issues: [
            'Cannot assess health because a Promotion is currently in progress',
          ],
        },
        conditions: setCondition(
          sim.clock,
          setCondition(
            sim.clock,
            s.status?.conditions,
            'Promoting',
            'True',
            'ActivePromotion',
            `Promotion ${name} is running`,
          ),
          'Healthy',
          'Unknown',
          'ActivePromotion',
          'Stage has a Promotion in progress',
        ),
      };
    });
    sim.recordEvent(
      ns,
      'Promotion',
      name,
      'PromotionRunning',
      `Promotion ${name} started`,
    );
    return;
  }

  // Running: one step per tick.
  const steps = promotion.spec.steps ?? [];
  const index = promotion.status?.currentStep ?? 0;
  const step = steps[index] as PromotionStep | undefined;
  if (!step) {
    finishPromotion(sim, promotion, 'Succeeded', 'All steps completed');
    return;
  }
  const failure = sim.failNextPromotion.get(`${ns}/${stageName}`);
  if (failure) {
    sim.failNextPromotion.delete(`${ns}/${stageName}`);
    recordStep(sim, promotion, index, 'Failed', failure);
    finishPromotion(
      sim,
      sim.store.require<Promotion>('Promotion', ns, name),
      'Failed',
      `step "${step.as}" failed: ${failure}`,
    );
    return;
  }
  const state = (promotion.status?.state ?? {}) as Record<string, unknown>;
  const result = runStep(step, {
    project: ns,
    stage: stageName,
    promotion: name,
    freight: promotion.spec.freight ?? '',
    state,
    openPullRequest: repoURL => openPullRequest(sim, repoURL),
    pullRequest: id => sim.pullRequests.get(id),
  });
  if (result.status === 'waiting') {
    const meta = promotion.status?.stepExecutionMetadata?.[index];
    if (!meta || meta.message !== result.message) {
      recordStep(sim, promotion, index, 'Running', result.message);
    }
    return;
  }
  recordStep(sim, promotion, index, 'Succeeded', undefined, result.output);
  const updated = sim.store.require<Promotion>('Promotion', ns, name);
  if (index + 1 >= steps.length)
    finishPromotion(sim, updated, 'Succeeded', 'All steps completed');
}

/** Records a step's execution metadata and output (status.state[alias]). */
function recordStep(
  sim: KargoSimulator,
  promotion: Promotion,
  index: number,
  status: string,
  message?: string,
  output?: Record<string, unknown>,
) {
  const now = sim.clock.isoNow();
  const alias = promotion.spec.steps?.[index]?.as ?? `step-${index}`;
  sim.store.update<Promotion>(
    'Promotion',
    promotion.metadata!.namespace!,
    promotion.metadata!.name!,
    p => {
      const metas = [...(p.status?.stepExecutionMetadata ?? [])];
      const previous = metas[index];
      metas[index] = {
        alias,
        startedAt: previous?.startedAt ?? now,
        ...(status === 'Running' ? {} : { finishedAt: now }),
        status,
        ...(message ? { message } : {}),
        ...(status === 'Failed' ? { errorCount: 1 } : {}),
      };
      const state = {
        ...((p.status?.state ?? {}) as Record<string, unknown>),
      };
      if (output) state[alias] = output;
      p.status = {
        ...p.status,
        currentStep: status === 'Succeeded' ? index + 1 : index,
        stepExecutionMetadata: metas,
        state: state as never,
        ...(message ? { message } : {}),
      };
    },
  );
}

/**
 * Ends a Promotion and records it in its stage: lastPromotion, conditions, auto-promotion holds
 * and, on success, the landed freight; otherwise health is Unknown.
 */
function finishPromotion(
  sim: KargoSimulator,
  promotion: Promotion,
  phase: string,
  message: string,
) {
  const ns = promotion.metadata!.namespace!;
  const name = promotion.metadata!.name!;
  const stageName = promotion.spec.stage;
  const now = sim.clock.isoNow();
  const finished = sim.store.update<Promotion>('Promotion', ns, name, p => {
    p.status = { ...p.status, phase, message, finishedAt: now };
  });
  const freight = sim.store.get<Freight>(
    'Freight',
    ns,
    promotion.spec.freight ?? '',
  );
  sim.store.update<Stage>('Stage', ns, stageName, s => {
    const status = { ...s.status };
    if (status.currentPromotion?.name === name) delete status.currentPromotion;
    status.lastPromotion = {
      name,
      freight: freight ? freightRef(freight) : undefined,
      status: finished.status,
      finishedAt: now,
    };
    status.conditions = setCondition(
      sim.clock,
      status.conditions,
      'Promoting',
      'False',
      phase,
      message,
    );
    // syncPromotions replays each finished Promotion's hold or resume intent.
    status.autoPromotionHolds = syncAutoPromotionHolds(
      s,
      status.autoPromotionHolds,
      autoPromotionEnabled(sim, s),
      [finished],
    );
    if (!status.autoPromotionHolds) delete status.autoPromotionHolds;
    if (phase === 'Succeeded' && freight) {
      landFreight(s, status, freight);
      // syncPromotions: the new freight awaits its verification.
      status.conditions = setCondition(
        sim.clock,
        status.conditions,
        'Verified',
        'Unknown',
        'WaitingForVerification',
        'Waiting for verification to be performed after successful promotion',
      );
      if (status.health?.status === 'Healthy') {
        status.conditions = setCondition(
          sim.clock,
          status.conditions,
          'Healthy',
          'True',
          'Healthy',
          `Stage is healthy (performed ${
            (s.spec.promotionTemplate?.spec?.steps ?? []).filter(
              step => step.uses === 'argocd-update',
            ).length
          } health checks)`,
        );
      }
    } else {
      // assessHealth: health is only known after a successful Promotion.
      status.health = {
        status: 'Unknown',
        issues: ['Cannot assess health because last Promotion did not succeed'],
      };
      status.conditions = setCondition(
        sim.clock,
        status.conditions,
        'Healthy',
        'Unknown',
        `LastPromotion${phase}`,
        'Cannot assess health because last Promotion did not succeed',
      );
    }
    s.status = status;
  });
  if (phase === 'Succeeded' && freight) {
    markFreightIn(sim, ns, stageName, freight);
  }
  sim.recordEvent(
    ns,
    'Promotion',
    name,
    `Promotion${phase}`,
    `Promotion ${name} ${phase.toLowerCase()}: ${message}`,
  );
}
