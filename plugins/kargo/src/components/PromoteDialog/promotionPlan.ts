import {
  describeFreightBlockers,
  type FreightBlocker,
  type FreightView,
  type KargoProjectView,
  originKey,
  type StageView,
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

/** Freight the stage requests, with whether Kargo takes it: the backend decided, in the view. */
export interface Candidate {
  freight: FreightView;
  available: boolean;
  /** Why not; empty when available. */
  blockers: FreightBlocker[];
}

/**
 * The view's freight from the stage's requested origins, newest first as the view lists it,
 * with the backend's decision. Freight that only waited for its soak time to end is available
 * once that time has passed: the view is rebuilt when Kargo changes, not when a soak ends.
 */
export function candidatesFor(
  view: KargoProjectView,
  stage: StageView,
  now: number,
): Candidate[] {
  const { available, unavailable, othersBlockedBy } = stage.freightAvailability;
  const origins = new Set(stage.requestedFreight.map(r => originKey(r.origin)));
  return view.freight.flatMap((freight): Candidate[] => {
    if (available.includes(freight.name)) {
      return [{ freight, available: true, blockers: [] }];
    }
    const why =
      unavailable[freight.name] ??
      (othersBlockedBy && origins.has(originKey(freight.origin))
        ? { blockers: othersBlockedBy, availableAt: undefined }
        : undefined);
    if (!why) return [];
    const soaked =
      why.availableAt !== undefined && Date.parse(why.availableAt) <= now;
    return [
      { freight, available: soaked, blockers: soaked ? [] : why.blockers },
    ];
  });
}

const localTime = (iso: string) => new Date(iso).toLocaleString();

/** What someone about to promote should know, most serious first. */
export function promotionWarnings(
  view: KargoProjectView,
  stage: StageView,
  candidate: Candidate,
): PromotionWarning[] {
  const { freight } = candidate;
  const warnings: PromotionWarning[] = [];
  if (!candidate.available) {
    warnings.push({
      severity: 'error',
      message: `Kargo refuses this promotion: ${describeFreightBlockers(
        stage.name,
        candidate.blockers,
        localTime,
      )}.`,
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
  const verdict = freight.portalMetadata?.verdict;
  if (verdict?.value === 'do-not-promote') {
    warnings.push({
      severity: 'warning',
      message: `Marked "do not promote"${
        freight.portalMetadata?.updatedBy
          ? ` by ${freight.portalMetadata.updatedBy}`
          : ''
      }${verdict.reason ? `: ${verdict.reason}` : ''}.`,
    });
  }
  if (currentFreightFor(view, stage, freight).name === freight.name) {
    warnings.push({
      severity: 'info',
      message: `${stage.name} already runs this freight; promoting runs its steps again.`,
    });
  }
  const order = { error: 0, warning: 1, info: 2 };
  return warnings.sort((a, b) => order[a.severity] - order[b.severity]);
}
