import type {
  Freight,
  FreightOrigin,
  FreightRequest,
  Stage,
} from './kargoResources';

/** Go's time.Duration text ("5m0s", "1h", "90s"), as Kargo's specs and statuses write it, in ms. @public */
export function parseGoDuration(text: string | undefined): number {
  if (!text) return 0;
  const units: Record<string, number> = {
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  let total = 0;
  let consumed = 0;
  for (const match of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(match[1]) * units[match[2]];
    consumed += match[0].length;
  }
  if (consumed !== text.length) throw new Error(`invalid duration "${text}"`);
  return total;
}

/** "Warehouse/<name>", the key Kargo uses for an origin. @public */
export const originKey = (origin: { kind?: string; name?: string }) =>
  `${origin.kind ?? 'Warehouse'}/${origin.name}`;

/**
 * Whether a stage takes freight from the warehouse (directly or through upstream stages): what
 * the warehouse lets through can reach it. @public
 */
export const requestsFreightFrom = (
  stage: { spec?: { requestedFreight?: Array<{ origin?: FreightOrigin }> } },
  warehouse: string,
) =>
  (stage.spec?.requestedFreight ?? []).some(
    r =>
      r.origin !== undefined &&
      originKey(r.origin) === originKey({ kind: 'Warehouse', name: warehouse }),
  );

/** A stage without promotion steps only passes freight on. @public */
export const isControlFlowStage = (stage: Stage) =>
  !stage.spec.promotionTemplate?.spec?.steps?.length;

/** How long freight has soaked in a stage: its longest recorded soak or its current stay. */
function soakedFor(freight: Freight, stage: string, now: number): number {
  const verified = freight.status?.verifiedIn?.[stage];
  if (!verified) return 0;
  const recorded = parseGoDuration(verified.longestSoak);
  const since = freight.status?.currentlyIn?.[stage]?.since;
  return Math.max(recorded, since ? now - Date.parse(since) : 0);
}

function verifiedAndSoaked(
  freight: Freight,
  upstream: string,
  request: FreightRequest,
  now: number,
) {
  if (!freight.status?.verifiedIn?.[upstream]) return false;
  const soak = parseGoDuration(request.sources?.requiredSoakTime);
  return soak === 0 || soakedFor(freight, upstream, now) >= soak;
}

/**
 * Kargo's Stage.IsFreightAvailable: for each request of the freight's origin, manual approval
 * or `direct` make it available; otherwise it must be verified (and soaked long enough) in one
 * upstream stage (`OneOf`, the default) or in all of them (`All`, which decides at once).
 * @public
 */
export function isFreightAvailable(
  stage: Stage,
  freight: Freight,
  now: number,
): boolean {
  const stageName = stage.metadata?.name ?? '';
  for (const request of stage.spec.requestedFreight ?? []) {
    if (originKey(request.origin) !== originKey(freight.origin)) continue;
    if (freight.status?.approvedFor?.[stageName]) return true;
    const sources = request.sources ?? {};
    if (sources.direct) return true;
    const upstream = sources.stages ?? [];
    if (sources.availabilityStrategy === 'All') {
      return upstream.every(u => verifiedAndSoaked(freight, u, request, now));
    }
    if (upstream.some(u => verifiedAndSoaked(freight, u, request, now)))
      return true;
  }
  return false;
}
