import type {
  Stage,
  VerificationInfo,
} from '@kargo-backstage/plugin-kargo-common';

/*
 * The simulator's port of Kargo v1.11.2's verification of a stage's current freight
 * (pkg/controller/stages/regular_stages.go verifyStageFreight, startVerification, syncPromotions).
 * The simulator plays a cluster with Argo Rollouts: AnalysisRuns it starts finish with the
 * simulator's verification outcome.
 */

/** VerificationPhase.IsTerminal (api/v1alpha1/stage_types.go). */
export const VERIFICATION_TERMINAL = [
  'Successful',
  'Failed',
  'Error',
  'Aborted',
  'Inconclusive',
];
export const isTerminalVerification = (v: VerificationInfo | undefined) =>
  VERIFICATION_TERMINAL.includes(v?.phase ?? '');

/**
 * The verification Kargo records when a healthy stage's current freight has none (or a
 * re-verification is asked for): without `spec.verification` it is Successful at once; else an
 * AnalysisRun from the stage's templates (Pending), or Error when one cannot be built.
 */
export function startVerification(
  stage: Stage,
  freightCollectionId: string,
  options: {
    id: string;
    now: string;
    actor?: string;
    templateExists(name: string): boolean;
  },
): VerificationInfo {
  const { id, now, actor } = options;
  const ns = stage.metadata!.namespace!;
  const name = stage.metadata!.name!;
  if (!stage.spec.verification) {
    return { id, startTime: now, finishTime: now, phase: 'Successful' };
  }
  const missing = (stage.spec.verification.analysisTemplates ?? []).find(
    t =>
      t.kind !== 'ClusterAnalysisTemplate' && !options.templateExists(t.name),
  );
  if (missing) {
    return {
      id,
      startTime: now,
      finishTime: now,
      ...(actor ? { actor } : {}),
      phase: 'Error',
      message:
        `error building AnalysisRun for Stage "${name}" and Freight collection "${freightCollectionId}" in namespace "${ns}": ` +
        `get analysis templates: get AnalysisRun "${missing.name}" in namespace "${ns}": ` +
        `analysistemplates.argoproj.io "${missing.name}" not found`,
    };
  }
  return {
    id,
    startTime: now,
    ...(actor ? { actor } : {}),
    phase: 'Pending',
    analysisRun: {
      namespace: ns,
      name: `${name}.${id.slice(0, 8)}`,
      phase: 'Pending',
    },
  };
}

/**
 * The Verified condition verifyStageFreight leaves: True once any verification of the current
 * freight succeeded, else what the latest one says.
 */
export function verifiedCondition(
  history: VerificationInfo[],
): { status: string; reason: string; message: string } | undefined {
  if (history.some(v => v.phase === 'Successful')) {
    return {
      status: 'True',
      reason: 'Verified',
      message: 'Freight has been verified',
    };
  }
  const last = history[0];
  if (!last) return undefined;
  switch (last.phase) {
    case 'Pending':
      return {
        status: 'Unknown',
        reason: 'VerificationPending',
        message: 'Freight is pending verification',
      };
    case 'Running':
      return {
        status: 'Unknown',
        reason: 'VerificationRunning',
        message: 'Freight is currently being verified',
      };
    case 'Failed':
    case 'Error':
      return {
        status: 'False',
        reason: `Verification${last.phase}`,
        message: last.message ?? '',
      };
    case 'Aborted':
      return {
        status: 'False',
        reason: 'VerificationAborted',
        message: last.message ?? '',
      };
    case 'Inconclusive':
      return {
        status: 'Unknown',
        reason: 'VerificationInconclusive',
        message: last.message ?? '',
      };
    default:
      return {
        status: 'Unknown',
        reason: 'UnknownVerificationPhase',
        message: `Freight verification is in an unknown phase: ${last.phase}`,
      };
  }
}

/**
 * Whether syncPromotions lets the stage's next Promotion start: not while the current freight
 * has a verification in progress, nor while a healthy (or not yet assessed) stage's current
 * freight awaits its verification. An unhealthy stage or a finished verification lets it go:
 * a promotion may be the fix.
 */
export function verificationAllowsNextPromotion(stage: Stage): boolean {
  const current = stage.status?.freightHistory?.[0];
  if (!current) return true;
  const history = current.verificationHistory ?? [];
  if (history.some(v => !isTerminalVerification(v))) return false;
  const health = stage.status?.health?.status;
  if (!health || health === 'Healthy') {
    return isTerminalVerification(history[0]);
  }
  return true;
}
