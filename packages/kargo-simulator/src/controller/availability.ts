import type {
  Freight,
  FreightOrigin,
  FreightRequest,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';
import { parseDuration } from './durations';

/*
 * The simulator's own port of Kargo's freight availability rules (v1.11.2), kept apart from the
 * plugin's copy so that a wrong rule in the plugin fails a test against the simulator.
 */

/** FreightOrigin.String() (api/v1alpha1/stage_types.go): "Kind/name", the key of holds and freight collections. */
export const originKey = (
  origin: FreightOrigin | { kind?: string; name?: string },
) => `${origin.kind}/${origin.name}`;

/** Stage.IsControlFlow() (api/v1alpha1/stage_types.go): no promotion steps. */
export const isControlFlow = (stage: Stage) =>
  !stage.spec.promotionTemplate?.spec?.steps?.length;

const isVerifiedIn = (f: Freight, stage: string) =>
  Boolean(f.status?.verifiedIn?.[stage]);
const isApprovedFor = (f: Freight, stage: string) =>
  Boolean(f.status?.approvedFor?.[stage]);

/** Freight.GetLongestSoak (api/v1alpha1/freight_types.go): 0 unless verified in the stage. */
function longestSoak(f: Freight, stage: string, now: number): number {
  const verified = f.status?.verifiedIn?.[stage];
  if (!verified) return 0;
  const completed = parseDuration(verified.longestSoak);
  const since = f.status?.currentlyIn?.[stage]?.since;
  return Math.max(completed, since ? now - Date.parse(since) : 0);
}

/** Freight.HasSoakedIn: no required soak time is always soaked. */
function hasSoakedIn(
  f: Freight,
  stage: string,
  required: string | undefined,
  now: number,
): boolean {
  if (!required) return true;
  return longestSoak(f, stage, now) >= parseDuration(required);
}

/**
 * Stage.IsFreightAvailable (api/v1alpha1/stage_types.go), what PromoteToStage and the
 * promotion webhook check: approved for the stage, or a direct source, or verified and soaked
 * in one upstream stage (`OneOf`) or all of them (`All`).
 */
export function isFreightAvailable(
  stage: Stage,
  freight: Freight,
  now: number,
): boolean {
  if (stage.metadata?.namespace !== freight.metadata?.namespace) return false;
  const name = stage.metadata?.name ?? '';
  for (const req of stage.spec.requestedFreight ?? []) {
    if (originKey(freight.origin) !== originKey(req.origin)) continue;
    if (isApprovedFor(freight, name)) return true;
    const sources = req.sources ?? {};
    if (sources.direct) return true;
    const upstream = sources.stages ?? [];
    if (sources.availabilityStrategy === 'All') {
      return upstream.every(
        u =>
          isVerifiedIn(freight, u) &&
          hasSoakedIn(freight, u, sources.requiredSoakTime, now),
      );
    }
    if (
      upstream.some(
        u =>
          isVerifiedIn(freight, u) &&
          hasSoakedIn(freight, u, sources.requiredSoakTime, now),
      )
    ) {
      return true;
    }
  }
  return false;
}

/**
 * ListFreightFromWarehouse with a stage's options (pkg/api/warehouse.go): unlike
 * IsFreightAvailable, the soak filter counts every stage the freight is verified and soaked in,
 * upstream or not (`OneOf`: any such stage; `All`: exactly the upstream stages), and the
 * `MatchUpstream` selection policy keeps only freight currently in the one upstream stage.
 */
function availableFromRequest(
  stage: Stage,
  req: FreightRequest,
  freight: Freight[],
  now: number,
): Freight[] {
  const origin = originKey(req.origin);
  const sameOrigin = freight.filter(f => originKey(f.origin) === origin);
  const sources = req.sources ?? {};
  if (sources.direct) return sameOrigin;
  const name = stage.metadata?.name ?? '';
  const upstream = sources.stages ?? [];
  const currentlyIn =
    sources.autoPromotionOptions?.selectionPolicy === 'MatchUpstream'
      ? upstream[0]
      : undefined;
  const listed = sameOrigin.filter(f => {
    if (currentlyIn && !f.status?.currentlyIn?.[currentlyIn]) return false;
    if (isApprovedFor(f, name)) return true;
    return sources.availabilityStrategy === 'All'
      ? upstream.every(u => isVerifiedIn(f, u))
      : upstream.some(u => isVerifiedIn(f, u));
  });
  if (!upstream.length || !sources.requiredSoakTime) return listed;
  return listed.filter(f => {
    if (isApprovedFor(f, name)) return true;
    const soaked = Object.keys(f.status?.verifiedIn ?? {}).filter(s =>
      hasSoakedIn(f, s, sources.requiredSoakTime, now),
    );
    if (sources.availabilityStrategy === 'All') {
      // sets.Equal: the soaked stages are exactly the upstream stages.
      const wanted = new Set(upstream);
      return soaked.length === wanted.size && soaked.every(s => wanted.has(s));
    }
    return soaked.length > 0;
  });
}

/**
 * ListFreightAvailableToStage (pkg/api/stage.go): what auto-promotion, promote-by-origin and
 * the per-stage freight query choose from, sorted by name and without duplicates.
 */
export function listFreightAvailableToStage(
  stage: Stage,
  freight: Freight[],
  now: number,
): Freight[] {
  const byName = new Map<string, Freight>();
  for (const req of stage.spec.requestedFreight ?? []) {
    for (const f of availableFromRequest(stage, req, freight, now)) {
      byName.set(f.metadata!.name!, f);
    }
  }
  return [...byName.values()].sort((a, b) =>
    a.metadata!.name! < b.metadata!.name! ? -1 : 1,
  );
}
