import type {
  FreightView,
  KargoProjectView,
  StageView,
} from '@kargo-backstage/plugin-kargo-common';

/** One artifact line of the diff: what the stage runs now against what it would run. */
export interface ArtifactChange {
  kind: 'image' | 'commit' | 'chart';
  /** Repository (and chart name). */
  source: string;
  from?: string;
  to?: string;
  /** A commit message or similar, for the new side. */
  detail?: string;
  changed: boolean;
}

export interface PromotionWarning {
  /** `error` blocks the promotion: Kargo would refuse it. */
  severity: 'error' | 'warning' | 'info';
  message: string;
}

const commitLabel = (c: FreightView['commits'][number]) =>
  c.tag ?? c.id?.slice(0, 12);

function artifacts(freight: FreightView): Map<string, ArtifactChange> {
  const out = new Map<string, ArtifactChange>();
  for (const i of freight.images) {
    out.set(`image ${i.repoURL}`, {
      kind: 'image',
      source: i.repoURL ?? '',
      to: i.tag ?? i.digest,
      changed: true,
    });
  }
  for (const c of freight.commits) {
    out.set(`commit ${c.repoURL}`, {
      kind: 'commit',
      source: c.repoURL ?? '',
      to: commitLabel(c),
      detail: c.message,
      changed: true,
    });
  }
  for (const c of freight.charts) {
    const source = c.name ? `${c.repoURL}/${c.name}` : c.repoURL ?? '';
    out.set(`chart ${source}`, {
      kind: 'chart',
      source,
      to: c.version,
      changed: true,
    });
  }
  return out;
}

/** The freight a stage runs now for the candidate's origin, if the view holds it. */
export function currentFreightFor(
  view: KargoProjectView,
  stage: StageView,
  candidate: FreightView,
): { name?: string; freight?: FreightView } {
  const name =
    stage.currentFreight[`${candidate.origin.kind}/${candidate.origin.name}`];
  return { name, freight: view.freight.find(f => f.name === name) };
}

/** Images, commits and charts of the candidate against the stage's current freight. */
export function diffFreight(
  current: FreightView | undefined,
  candidate: FreightView,
): ArtifactChange[] {
  const next = artifacts(candidate);
  const now = current ? artifacts(current) : new Map();
  const keys = [...new Set([...next.keys(), ...now.keys()])];
  return keys.map(key => {
    const to = next.get(key);
    const from = now.get(key);
    return {
      kind: (to ?? from)!.kind,
      source: (to ?? from)!.source,
      from: from?.to,
      to: to?.to,
      detail: to?.detail,
      changed: from?.to !== to?.to,
    };
  });
}

/**
 * Kargo's availability rule on the view: a requested origin that is direct, or freight approved
 * for the stage, or verified in one upstream stage (all of them with the `All` strategy).
 */
export function isAvailable(stage: StageView, freight: FreightView): boolean {
  return stage.requestedFreight.some(r => {
    if (r.origin.name !== freight.origin.name) return false;
    if (r.direct || freight.approvedFor[stage.name]) return true;
    const verified = (s: string) => s in freight.verifiedIn;
    return r.availabilityStrategy === 'All'
      ? r.stages.every(verified)
      : r.stages.some(verified);
  });
}

/** What someone about to promote should know, most serious first. */
export function promotionWarnings(
  view: KargoProjectView,
  stage: StageView,
  candidate: FreightView,
): PromotionWarning[] {
  const warnings: PromotionWarning[] = [];
  const request = stage.requestedFreight.find(
    r => r.origin.name === candidate.origin.name,
  );
  if (!request) {
    return [
      {
        severity: 'error',
        message: `Stage ${stage.name} does not take freight from warehouse ${candidate.origin.name}.`,
      },
    ];
  }
  if (stage.controlFlow) {
    warnings.push({
      severity: 'error',
      message: `Stage ${stage.name} has no promotion steps; freight passes through it from upstream.`,
    });
  }
  const upstream = request.stages;
  const verifiedUpstream = upstream.filter(s => s in candidate.verifiedIn);
  const approved = stage.name in candidate.approvedFor;
  if (!request.direct && !isAvailable(stage, candidate)) {
    warnings.push({
      severity: 'error',
      message: `Not verified upstream (${upstream.join(
        request.availabilityStrategy === 'All' ? ' and ' : ' or ',
      )}) and not approved for ${
        stage.name
      }: Kargo refuses this promotion. Approve the freight for ${
        stage.name
      } to skip verification.`,
    });
  } else if (!request.direct && approved && !verifiedUpstream.length) {
    warnings.push({
      severity: 'warning',
      message: `Not verified upstream (${upstream.join(
        ', ',
      )}); it was approved for ${stage.name} by hand.`,
    });
  }
  if (request.requiredSoakTime) {
    warnings.push({
      severity: 'info',
      message: `Must soak ${request.requiredSoakTime} upstream first; Kargo checks this.`,
    });
  }
  if (stage.health && stage.health !== 'Healthy') {
    warnings.push({
      severity: 'warning',
      message: `Stage ${stage.name} is ${stage.health}${
        stage.healthIssues.length ? `: ${stage.healthIssues.join('; ')}` : ''
      }.`,
    });
  }
  if (stage.currentPromotion) {
    warnings.push({
      severity: 'warning',
      message: `Promotion ${stage.currentPromotion} is still running; this one waits for it.`,
    });
  }
  const verdict = candidate.portalMetadata?.verdict;
  if (verdict?.value === 'do-not-promote') {
    warnings.push({
      severity: 'warning',
      message: `Marked "do not promote"${
        candidate.portalMetadata?.updatedBy
          ? ` by ${candidate.portalMetadata.updatedBy}`
          : ''
      }${verdict.reason ? `: ${verdict.reason}` : ''}.`,
    });
  }
  if (currentFreightFor(view, stage, candidate).name === candidate.name) {
    warnings.push({
      severity: 'info',
      message: `${stage.name} already runs this freight; promoting runs its steps again.`,
    });
  }
  const order = { error: 0, warning: 1, info: 2 };
  return warnings.sort((a, b) => order[a.severity] - order[b.severity]);
}

/** Freight a stage may receive: of its requested origins, newest first as the view lists it. */
export function candidatesFor(
  view: KargoProjectView,
  stage: StageView,
): FreightView[] {
  const origins = new Set(stage.requestedFreight.map(r => r.origin.name));
  return view.freight.filter(f => origins.has(f.origin.name));
}
