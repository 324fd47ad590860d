import {
  originKey,
  type Freight,
  type FreightBlocker,
  type FreightView,
  type KargoProjectView,
  type Promotion,
  type PromotionView,
  type Stage,
  type StageFreightAvailability,
  type StageView,
  type Warehouse,
  type WarehouseView,
} from '@kargo-backstage/plugin-kargo-common';
import {
  availabilityIn,
  isAvailable,
} from '../availability/freightAvailability';
import { breaks } from '@kargo-backstage/plugin-kargo-node';
import { type KargoList, newerFirst } from '../state/ProjectState';

/** The Kargo reads one view is built from: four list calls, whatever the project's size. */
export interface ProjectSnapshot {
  /** The lists' resourceVersions, where watches of the project resume from. */
  resourceVersions: Partial<Record<KargoList, string>>;
  stages: Stage[];
  warehouses: Warehouse[];
  freight: Freight[];
  promotions: Promotion[];
  /** Freight per origin (see originKey), newest first, where the state keeps it so. */
  freightByOrigin?: ReadonlyMap<string, readonly Freight[]>;
  fetchedAt: string;
}

export interface ViewOptions {
  instance: string;
  project: string;
  uiUrl?: string;
  /** From `kargo.akuity.io/stages`: only these stages. */
  stages?: string[];
  /** From `kargo.akuity.io/warehouses`: only these freightlines. */
  warehouses?: string[];
  /** Freight per warehouse, newest first. */
  freightLimit: number;
  promotionLimit: number;
}

function warehouseView(w: Warehouse): WarehouseView {
  const status = w.status ?? {};
  return {
    name: w.metadata!.name!,
    subscriptions: (w.spec.subscriptions ?? []) as Array<
      Record<string, unknown>
    >,
    interval: w.spec.interval,
    freightCreationPolicy: w.spec.freightCreationPolicy,
    lastDiscoveredAt: status.discoveredArtifacts?.discoveredAt,
    lastFreight: status.lastFreightID,
    problems: (status.conditions ?? [])
      .filter(c => c.type === 'Ready' && c.status !== 'True' && c.message)
      .map(c => c.message!),
  };
}

/** Freight views, kept per freight object (the state replaces only what changed). */
const freightViews = new WeakMap<Freight, FreightView>();
function freightView(f: Freight): FreightView {
  let view = freightViews.get(f);
  if (!view) freightViews.set(f, (view = newFreightView(f)));
  return view;
}

function newFreightView(f: Freight): FreightView {
  const pick = <T extends object>(
    m: Record<string, T> | undefined,
    field: keyof T,
  ) =>
    Object.fromEntries(
      Object.entries(m ?? {}).map(([k, v]) => [
        k,
        v[field] as string | undefined,
      ]),
    );
  return {
    name: f.metadata!.name!,
    alias: f.alias ?? f.metadata?.labels?.['kargo.akuity.io/alias'],
    origin: f.origin,
    discoveredAt: f.discoveredAt ?? f.metadata?.creationTimestamp,
    images: f.images ?? [],
    commits: f.commits ?? [],
    charts: f.charts ?? [],
    currentlyIn: pick(f.status?.currentlyIn, 'since'),
    verifiedIn: pick(f.status?.verifiedIn, 'verifiedAt'),
    approvedFor: pick(f.status?.approvedFor, 'approvedAt'),
    metadata: (f.status?.metadata ?? {}) as Record<string, unknown>,
  };
}

/** The pull request a promotion opened: git-wait-for-pr's or git-open-pr's `pr.url`. */
function pullRequestUrl(state: Record<string, any>): string | undefined {
  const outputs = Object.values(state ?? {});
  const urls = outputs
    .map(o => o?.pr?.url)
    .filter((u): u is string => typeof u === 'string');
  return urls[urls.length - 1];
}

/** The rendered commit: the merged PR's commit, else git-commit's output. */
function renderedCommit(p: Promotion): string | undefined {
  const state = (p.status?.state ?? {}) as Record<string, any>;
  const steps = p.spec.steps ?? [];
  const output = (uses: string) =>
    steps
      .filter(s => s.uses === uses)
      .map(s => state[s.as ?? '']?.commit)
      .find(Boolean);
  return (
    output('git-wait-for-pr') ?? output('git-merge-pr') ?? output('git-commit')
  );
}

export function promotionView(p: Promotion): PromotionView {
  const metas = p.status?.stepExecutionMetadata ?? [];
  return {
    name: p.metadata!.name!,
    stage: p.spec.stage,
    freight: p.spec.freight ?? p.status?.freight?.name,
    phase: p.status?.phase || 'Pending',
    message: p.status?.message,
    createdAt: p.metadata?.creationTimestamp,
    startedAt: p.status?.startedAt,
    finishedAt: p.status?.finishedAt,
    actor: p.metadata?.annotations?.['kargo.akuity.io/create-actor'],
    steps: (p.spec.steps ?? []).map((step, i) => ({
      alias: step.as ?? `step-${i + 1}`,
      uses: step.uses,
      task: step.task?.name,
      status: metas[i]?.status,
      message: metas[i]?.message,
    })),
    currentStep: p.status?.currentStep,
    pullRequestUrl: pullRequestUrl(p.status?.state as Record<string, any>),
    commit: renderedCommit(p),
  };
}

/**
 * The Argo CD Applications in Kargo's health output: an array with one entry per health check
 * (pkg/health/aggregating_checker.go), read like Kargo's UI does; a single object (what our
 * simulator once wrote) is read too. Kargo serializes their name and namespace capitalized
 * (an untagged embedded struct); lower case is accepted as well.
 */
function argocdApps(output: unknown): StageView['argocdApps'] {
  type HealthEntry = { applicationStatuses?: unknown };
  const entries = (Array.isArray(output) ? output : [output]) as Array<
    HealthEntry | undefined
  >;
  const lists = entries
    .map(e => e?.applicationStatuses)
    .filter((l): l is unknown[] => Array.isArray(l));
  if (!lists.length) return undefined;
  return lists.flat().flatMap(entry => {
    const a = entry as Record<string, any>;
    const name = a.Name ?? a.name;
    if (typeof name !== 'string') return [];
    return [
      {
        name,
        namespace: a.Namespace ?? a.namespace,
        health: a.health?.status,
        sync: a.sync?.status,
      },
    ];
  });
}

/**
 * The stage's availability for the view's freight only (already limited per warehouse): the
 * work and the payload grow with what the view shows, not with the project's history.
 */
function stageFreightAvailability(
  s: Stage,
  freight: Freight[],
  now: number,
): StageFreightAvailability {
  const result: StageFreightAvailability = { available: [], unavailable: {} };
  const availabilityOf = availabilityIn(s);
  // Freight refused for the same reasons (no soak ending), by those reasons.
  const refused = new Map<
    string,
    { blockers: FreightBlocker[]; names: string[] }
  >();
  for (const f of freight) {
    const name = f.metadata!.name!;
    const availability = availabilityOf(f);
    if (isAvailable(availability, now)) {
      result.available.push(name);
    } else if (availability.availableFrom === undefined) {
      const key = refusalKey(availability.blockers);
      const same = refused.get(key);
      if (same) same.names.push(name);
      else refused.set(key, { blockers: availability.blockers, names: [name] });
    } else {
      result.unavailable[name] = {
        blockers: availability.blockers,
        availableAt: new Date(availability.availableFrom).toISOString(),
      };
    }
  }
  // The commonest reason is said once; freight refused for others is listed by name.
  let common: { blockers: FreightBlocker[]; names: string[] } | undefined;
  for (const reason of refused.values()) {
    if (!common || reason.names.length > common.names.length) common = reason;
  }
  for (const reason of refused.values()) {
    if (reason === common && reason.names.length > 1) continue;
    for (const name of reason.names) {
      result.unavailable[name] = { blockers: reason.blockers };
    }
  }
  if (common && common.names.length > 1) {
    result.othersBlockedBy = common.blockers;
  }
  return result;
}

/** A key per distinct refusal (thousands per first view: cheaper than JSON.stringify). */
function refusalKey(blockers: FreightBlocker[]): string {
  let key = '';
  for (const b of blockers) {
    switch (b.code) {
      case 'NotVerified':
        key += `NotVerified ${b.stages.join(' ')}\n`;
        break;
      case 'NotSoaked':
        key += `NotSoaked ${b.stage} ${b.requiredSoakTime} ${b.until ?? ''}\n`;
        break;
      case 'NotRequested':
        key += `NotRequested ${b.origin}\n`;
        break;
      case 'ControlFlow':
        key += 'ControlFlow\n';
        break;
      default:
        key += `${JSON.stringify(b)}\n`;
    }
  }
  return key;
}

/**
 * Stage views, kept per stage object while what they are made of is the same: its last
 * succeeded promotion, the shown freight of its origins (the same objects), and the time, where
 * a soak makes it matter. A Kargo change rebuilds the views of the stages it touched.
 */
const stageViews = new WeakMap<
  Stage,
  {
    lastSucceeded?: Promotion;
    freight: Freight[];
    now: number;
    view: StageView;
  }
>();
function stageViewOf(
  s: Stage,
  lastSucceeded: Promotion | undefined,
  shownByOrigin: Map<string, Freight[]>,
  now: number,
): StageView {
  const origins = new Set(
    (s.spec.requestedFreight ?? []).map(r => originKey(r.origin)),
  );
  const freight = [...origins].flatMap(o => shownByOrigin.get(o) ?? []);
  const kept = stageViews.get(s);
  if (
    kept &&
    kept.lastSucceeded === lastSucceeded &&
    kept.freight.length === freight.length &&
    kept.freight.every((f, i) => f === freight[i]) &&
    (kept.now === now ||
      !Object.values(kept.view.freightAvailability.unavailable).some(
        u => u.availableAt,
      ))
  ) {
    return kept.view;
  }
  const view = stageView(s, lastSucceeded, freight, now);
  stageViews.set(s, { lastSucceeded, freight, now, view });
  return view;
}

function stageView(
  s: Stage,
  lastSucceeded: Promotion | undefined,
  freight: Freight[],
  now: number,
): StageView {
  const status = s.status ?? {};
  const current = status.freightHistory?.[0];
  const last = status.lastPromotion;
  return {
    name: s.metadata!.name!,
    description: s.metadata?.annotations?.['kargo.akuity.io/description'],
    requestedFreight: (s.spec.requestedFreight ?? []).map(r => ({
      origin: r.origin,
      direct: Boolean(r.sources?.direct),
      stages: r.sources?.stages ?? [],
      requiredSoakTime: r.sources?.requiredSoakTime,
      availabilityStrategy: r.sources?.availabilityStrategy,
    })),
    controlFlow: !s.spec.promotionTemplate?.spec?.steps?.length,
    freightAvailability: stageFreightAvailability(s, freight, now),
    currentFreight: Object.fromEntries(
      Object.entries(current?.items ?? {}).map(([origin, ref]) => [
        origin,
        ref.name ?? '',
      ]),
    ),
    health: status.health?.status,
    healthIssues: status.health?.issues ?? [],
    argocdApps: argocdApps(status.health?.output),
    verification: current?.verificationHistory?.[0],
    conditions: (status.conditions ?? []).map(c => ({
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message,
    })),
    currentPromotion: status.currentPromotion?.name,
    lastPromotion: last
      ? {
          name: last.name,
          phase: last.status?.phase,
          finishedAt: last.finishedAt,
        }
      : undefined,
    autoPromotionEnabled: Boolean(status.autoPromotionEnabled),
    renderedCommit: lastSucceeded ? renderedCommit(lastSucceeded) : undefined,
    history: (status.freightHistory ?? []).map(h => ({
      id: h.id,
      freight: Object.fromEntries(
        Object.entries(h.items ?? {}).map(([o, ref]) => [o, ref.name ?? '']),
      ),
      verifications: h.verificationHistory ?? [],
    })),
  };
}

/** Stages in pipeline order: by distance from the warehouses, then by name. */
function pipelineOrder(stages: Stage[]): Stage[] {
  const byName = new Map(stages.map(s => [s.metadata!.name!, s]));
  const depth = new Map<string, number>();
  const depthOf = (name: string, seen: Set<string>): number => {
    if (depth.has(name)) return depth.get(name)!;
    const stage = byName.get(name);
    if (!stage || seen.has(name)) return 0;
    seen.add(name);
    const upstream = (stage.spec.requestedFreight ?? []).flatMap(
      r => r.sources?.stages ?? [],
    );
    const d = upstream.length
      ? 1 + Math.max(...upstream.map(u => depthOf(u, seen)))
      : 0;
    depth.set(name, d);
    return d;
  };
  // Each depth once, not once per comparison.
  return stages
    .map(s => ({
      s,
      name: s.metadata!.name!,
      d: depthOf(s.metadata!.name!, new Set()),
    }))
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
    .map(o => o.s);
}

/** Freight per origin, newest first, for a snapshot that does not keep it so. */
function freightByOrigin(freight: Freight[]): Map<string, Freight[]> {
  const byOrigin = new Map<string, Freight[]>();
  for (const f of freight) {
    const key = originKey(f.origin ?? {});
    const list = byOrigin.get(key);
    if (list) list.push(f);
    else byOrigin.set(key, [f]);
  }
  for (const list of byOrigin.values()) list.sort(newerFirst);
  return byOrigin;
}

/**
 * Turns one project's Kargo lists into the entity view: stages and warehouses limited by the
 * entity's annotations, freight newest first and paged per warehouse, recent promotions.
 */
export async function buildProjectView(
  snapshot: ProjectSnapshot,
  options: ViewOptions,
): Promise<KargoProjectView> {
  const warehouseFilter = options.warehouses?.length
    ? new Set(options.warehouses)
    : undefined;
  const stageFilter = options.stages?.length
    ? new Set(options.stages)
    : undefined;

  const warehouses = snapshot.warehouses
    .filter(w => !warehouseFilter || warehouseFilter.has(w.metadata!.name!))
    .map(warehouseView);
  const keep = new Set(
    warehouses.map(w => originKey({ kind: 'Warehouse', name: w.name })),
  );

  const byOrigin =
    snapshot.freightByOrigin ?? freightByOrigin(snapshot.freight);
  const freightTotal: Record<string, number> = {};
  const shownByOrigin = new Map<string, Freight[]>();
  for (const w of warehouses) {
    const key = originKey({ kind: 'Warehouse', name: w.name });
    const list = byOrigin.get(key);
    if (!list?.length) continue;
    freightTotal[w.name] = list.length;
    shownByOrigin.set(key, list.slice(0, options.freightLimit));
  }
  const shown = [...shownByOrigin.values()].flat().sort(newerFirst);
  const freight = shown.map(freightView);

  // The snapshot's time, not the clock's: the view is a function of its snapshot (and cached
  // with it); freight still soaking carries the time it becomes available.
  const now = Date.parse(snapshot.fetchedAt) || 0;
  // Each stage's newest succeeded promotion, in one pass (not one pass per stage).
  const lastSucceeded = new Map<string, Promotion>();
  for (const p of snapshot.promotions) {
    if (p.status?.phase !== 'Succeeded') continue;
    const kept = lastSucceeded.get(p.spec.stage);
    if (!kept || p.metadata!.name! > kept.metadata!.name!) {
      lastSucceeded.set(p.spec.stage, p);
    }
  }
  const stages: StageView[] = [];
  // 500 stages take longer than a request should wait for the event loop: breaks in between.
  const pause = breaks();
  for (const s of pipelineOrder(snapshot.stages)) {
    if (stageFilter && !stageFilter.has(s.metadata!.name!)) continue;
    const requests = s.spec.requestedFreight ?? [];
    if (warehouseFilter && !requests.some(r => keep.has(originKey(r.origin)))) {
      continue;
    }
    await pause();
    stages.push(
      stageViewOf(s, lastSucceeded.get(s.metadata!.name!), shownByOrigin, now),
    );
  }
  const stageNames = new Set(stages.map(s => s.name));

  const promotions = snapshot.promotions
    .filter(p => stageNames.has(p.spec.stage))
    .sort((a, b) =>
      (b.metadata!.name!.split('.')[1] ?? '').localeCompare(
        a.metadata!.name!.split('.')[1] ?? '',
      ),
    )
    .slice(0, options.promotionLimit)
    .map(promotionView);

  return {
    instance: options.instance,
    project: options.project,
    url: options.uiUrl
      ? `${options.uiUrl}/project/${encodeURIComponent(options.project)}`
      : undefined,
    warehouses,
    stages,
    freight,
    freightTotal,
    promotions,
    fetchedAt: snapshot.fetchedAt,
  };
}
