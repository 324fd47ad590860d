import { randomUUID } from 'node:crypto';
import type {
  Freight,
  ProjectConfig,
  Promotion,
  Stage,
  VerificationInfo,
} from '@kargo-backstage/plugin-kargo-common';
import type { KargoSimulator, KargoSimulatorOptions } from '../KargoSimulator';
import {
  ABORT_ANNOTATION,
  parseAnnotation,
  REFRESH_ANNOTATION,
  REVERIFY_ANNOTATION,
} from './annotations';
import {
  effectiveAutoPromotionHolds,
  selectAutoPromotionCandidates,
  shouldAutoPromote,
  syncAutoPromotionHolds,
} from './autoPromotion';
import {
  isControlFlow,
  listFreightAvailableToStage,
  originKey,
} from './availability';
import { condition, setCondition } from './conditions';
import { markFreightVerified } from './freight';
import { isAutoPromotionEnabled } from './promotionPolicies';
import { createPromotion } from './promotions';
import {
  isTerminalVerification,
  startVerification,
  verifiedCondition,
} from './verification';

/*
 * The stage reconcilers (Kargo's pkg/controller/stages): a regular stage handles its refresh,
 * keeps its auto-promotion status and verifies its current freight; a control-flow stage passes
 * what is available to it through. autoPromote is the auto-promotion pass over all stages.
 */

/** The outcome the simulated Argo Rollouts gives each AnalysisRun (KargoSimulatorOptions). */
type VerificationOutcome = NonNullable<
  KargoSimulatorOptions['verificationOutcome']
>;

/** The status of a new Stage, before any promotion. */
export function initStageStatus(sim: KargoSimulator, stage: Stage) {
  sim.store.update<Stage>(
    'Stage',
    stage.metadata!.namespace!,
    stage.metadata!.name!,
    s => {
      s.status = {
        observedGeneration: 1,
        freightHistory: [],
        // assessHealth: no health without freight (control-flow stages have none).
        conditions: [condition(sim.clock, 'Ready', 'True', 'Ready')],
        autoPromotionEnabled: autoPromotionEnabled(sim, s),
      };
    },
  );
}

/** One reconciliation of a stage: refresh, auto-promotion status, verification. */
export function reconcileStage(
  sim: KargoSimulator,
  stage: Stage,
  verificationOutcome: VerificationOutcome,
) {
  const ns = stage.metadata!.namespace!;
  const name = stage.metadata!.name!;
  const annotations = stage.metadata!.annotations ?? {};
  const refresh = annotations[REFRESH_ANNOTATION];

  if (isControlFlow(stage)) {
    passThroughControlFlow(sim, stage);
  }
  if (refresh && refresh !== stage.status?.lastHandledRefresh) {
    sim.store.update<Stage>('Stage', ns, name, s => {
      s.status = { ...s.status, lastHandledRefresh: refresh };
    });
  }
  if (isControlFlow(stage)) return;
  syncAutoPromotion(sim, stage);
  verifyStageFreight(
    sim,
    sim.store.require<Stage>('Stage', ns, name),
    verificationOutcome,
  );
}

/**
 * verifyStageFreight and markFreightVerifiedForStage: nothing while promoting; a verification
 * in progress is aborted or advanced; a finished one stays unless a re-verification names it;
 * a new one starts only once the stage is healthy. A Successful verification marks the freight
 * verified in the stage.
 */
function verifyStageFreight(
  sim: KargoSimulator,
  stage: Stage,
  verificationOutcome: VerificationOutcome,
) {
  const ns = stage.metadata!.namespace!;
  const name = stage.metadata!.name!;
  const annotations = stage.metadata!.annotations ?? {};
  const current = stage.status?.freightHistory?.[0];
  if (!current || stage.status?.currentPromotion) return;
  const verification = current.verificationHistory?.[0];
  if (verification && !isTerminalVerification(verification)) {
    advanceVerification(
      sim,
      stage,
      verification,
      annotations,
      verificationOutcome,
    );
    return;
  }
  // Reverify names the verification it repeats; a new run (new id) answers it once.
  const reverify = parseAnnotation(annotations[REVERIFY_ANNOTATION]);
  if (verification && reverify?.id !== verification.id) return;
  if (stage.status?.health?.status !== 'Healthy') return;
  const started = startVerification(stage, current.id ?? '', {
    id: randomUUID(),
    now: sim.clock.isoNow(),
    actor: verification ? reverify?.actor : undefined,
    templateExists: template =>
      Boolean(sim.store.get('AnalysisTemplate', ns, template)),
  });
  updateVerification(sim, stage, started, true);
  if (started.phase === 'Successful') {
    markFreightVerified(sim, ns, name, current, started.finishTime!);
  }
}

/** The simulated Argo Rollouts: an AnalysisRun runs one tick, then ends with the outcome. */
function advanceVerification(
  sim: KargoSimulator,
  stage: Stage,
  verification: VerificationInfo,
  annotations: Record<string, string>,
  verificationOutcome: VerificationOutcome,
) {
  const ns = stage.metadata!.namespace!;
  const name = stage.metadata!.name!;
  const abort = annotations[ABORT_ANNOTATION];
  if (parseAnnotation(abort)?.id === verification.id) {
    updateVerification(sim, stage, {
      ...verification,
      phase: 'Aborted',
      message: `Verification aborted by ${
        parseAnnotation(abort)?.actor ?? 'user'
      }`,
      finishTime: sim.clock.isoNow(),
      ...(verification.analysisRun
        ? { analysisRun: { ...verification.analysisRun, phase: 'Aborted' } }
        : {}),
    });
    return;
  }
  if (verification.phase === 'Pending') {
    updateVerification(sim, stage, {
      ...verification,
      phase: 'Running',
      analysisRun: {
        namespace: ns,
        name: `${name}.${verification.id!.slice(0, 8)}`,
        phase: 'Running',
      },
    });
    return;
  }
  const outcome = verificationOutcome(ns, name);
  const finishTime = sim.clock.isoNow();
  updateVerification(sim, stage, {
    ...verification,
    phase: outcome,
    message:
      outcome === 'Successful'
        ? undefined
        : 'Metric "smoke-test" assessed Failed due to failed (1) > failureLimit (0)',
    finishTime,
    analysisRun: { ...verification.analysisRun!, phase: outcome },
  });
  if (outcome === 'Successful') {
    markFreightVerified(
      sim,
      ns,
      name,
      stage.status!.freightHistory![0],
      finishTime,
    );
  }
}

/** Replaces (or with `prepend`, adds) the current freight's latest verification, and Verified. */
function updateVerification(
  sim: KargoSimulator,
  stage: Stage,
  info: VerificationInfo,
  prepend = false,
) {
  sim.store.update<Stage>(
    'Stage',
    stage.metadata!.namespace!,
    stage.metadata!.name!,
    s => {
      const history = [...(s.status?.freightHistory ?? [])];
      const head = { ...history[0] };
      const runs = [...(head.verificationHistory ?? [])];
      if (prepend) runs.unshift(info);
      else runs[0] = info;
      head.verificationHistory = runs.slice(0, 10);
      history[0] = head;
      const verified = verifiedCondition(head.verificationHistory);
      s.status = {
        ...s.status,
        freightHistory: history,
        ...(verified
          ? {
              conditions: setCondition(
                sim.clock,
                s.status?.conditions,
                'Verified',
                verified.status,
                verified.reason,
                verified.message,
              ),
            }
          : {}),
      };
    },
  );
}

/** A control-flow stage holds no freight; what is available to it counts as verified there. */
function passThroughControlFlow(sim: KargoSimulator, stage: Stage) {
  const ns = stage.metadata!.namespace!;
  const name = stage.metadata!.name!;
  const available = listFreightAvailableToStage(
    stage,
    [...sim.store.scan<Freight>('Freight', ns)],
    sim.clock.now(),
  );
  for (const freight of available) {
    if (freight.status?.verifiedIn?.[name]) continue;
    sim.store.update<Freight>('Freight', ns, freight.metadata!.name!, f => {
      f.status = {
        ...f.status,
        verifiedIn: {
          ...f.status?.verifiedIn,
          [name]: { verifiedAt: sim.clock.isoNow() },
        },
      };
    });
  }
}

/**
 * What the stage reconciler keeps about auto-promotion each pass: whether the ProjectConfig
 * enables it (autoPromoteFreight), the durable holds (syncPromotions: none while disabled,
 * only for requested origins) and the holds in effect (computeEffectiveAutoPromotionHolds).
 * A policy lookup Kargo fails on leaves all of it as it was.
 */
function syncAutoPromotion(sim: KargoSimulator, stage: Stage) {
  const enabled = policyAutoPromotion(sim, stage);
  if (enabled === undefined) return;
  const ns = stage.metadata!.namespace!;
  const name = stage.metadata!.name!;
  const holds = syncAutoPromotionHolds(
    stage,
    stage.status?.autoPromotionHolds,
    enabled,
    [],
  );
  const promotions = sim.store
    .scan<Promotion>('Promotion', ns)
    .filter(p => p.spec.stage === name);
  const effective = effectiveAutoPromotionHolds(
    { ...stage, status: { ...stage.status, autoPromotionHolds: holds } },
    enabled,
    promotions,
  );
  const status = stage.status ?? {};
  const same = (a: unknown, b: unknown) =>
    JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  if (
    Boolean(status.autoPromotionEnabled) === enabled &&
    same(status.autoPromotionHolds, holds) &&
    same(status.effectiveAutoPromotionHolds, effective)
  ) {
    return;
  }
  sim.store.update<Stage>('Stage', ns, name, s => {
    const next = { ...s.status, autoPromotionEnabled: enabled };
    delete next.autoPromotionHolds;
    delete next.effectiveAutoPromotionHolds;
    s.status = {
      ...next,
      ...(holds ? { autoPromotionHolds: holds } : {}),
      ...(effective ? { effectiveAutoPromotionHolds: effective } : {}),
    };
  });
}

/** IsAutoPromotionEnabled against the project's ProjectConfig; undefined when Kargo's lookup fails. */
function policyAutoPromotion(
  sim: KargoSimulator,
  stage: Stage,
): boolean | undefined {
  const ns = stage.metadata!.namespace!;
  try {
    return isAutoPromotionEnabled(
      sim.store.get<ProjectConfig>('ProjectConfig', ns, ns),
      stage,
    );
  } catch {
    return undefined;
  }
}

/** Whether the project's promotion policies enable auto-promotion for the stage (see controller/promotionPolicies). */
export function autoPromotionEnabled(
  sim: KargoSimulator,
  stage: Stage,
): boolean {
  return Boolean(policyAutoPromotion(sim, stage));
}

/** autoPromoteFreight: for each origin of each enabled stage, its candidate, unless held or already handled. */
export function autoPromote(sim: KargoSimulator) {
  for (const stage of sim.store.scan<Stage>('Stage')) {
    if (isControlFlow(stage) || !autoPromotionEnabled(sim, stage)) continue;
    const ns = stage.metadata!.namespace!;
    const name = stage.metadata!.name!;
    const promotions = sim.store
      .scan<Promotion>('Promotion', ns)
      .filter(p => p.spec.stage === name);
    const candidates = autoPromotionCandidates(sim, stage);
    for (const request of stage.spec.requestedFreight ?? []) {
      const origin = originKey(request.origin);
      const candidate = candidates.get(origin);
      if (
        candidate &&
        shouldAutoPromote(stage, origin, candidate, promotions)
      ) {
        createPromotion(sim, ns, stage, candidate, undefined);
      }
    }
  }
}

/** Per origin, the freight auto-promotion would promote into the stage now. */
export function autoPromotionCandidates(sim: KargoSimulator, stage: Stage) {
  const ns = stage.metadata!.namespace!;
  return selectAutoPromotionCandidates(
    stage,
    listFreightAvailableToStage(
      stage,
      [...sim.store.scan<Freight>('Freight', ns)],
      sim.clock.now(),
    ),
  );
}

/** The auto-promotion candidate of an origin: what promoting by origin picks. */
export function newestAvailableFreight(
  sim: KargoSimulator,
  _project: string,
  stage: Stage,
  origin: { kind?: string; name?: string },
): Freight | undefined {
  return autoPromotionCandidates(sim, stage).get(originKey(origin));
}
