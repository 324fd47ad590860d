import type {
  Freight,
  FreightRequest,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';
import { parseDuration } from './durations';

export const isControlFlow = (stage: Stage) =>
  !stage.spec.promotionTemplate?.spec?.steps?.length;

export const originKey = (origin: { kind?: string; name?: string }) =>
  `${origin.kind ?? 'Warehouse'}/${origin.name}`;

/** How long freight has soaked in a stage: its longest recorded soak or its current stay. */
function soakedFor(freight: Freight, stage: string, now: number): number {
  const verified = freight.status?.verifiedIn?.[stage];
  if (!verified) return 0;
  const recorded = parseDuration(verified.longestSoak);
  const since = freight.status?.currentlyIn?.[stage]?.since;
  return Math.max(recorded, since ? now - Date.parse(since) : 0);
}

function upstreamOk(
  freight: Freight,
  upstream: string,
  request: FreightRequest,
  now: number,
): boolean {
  if (!freight.status?.verifiedIn?.[upstream]) return false;
  const soak = parseDuration(request.sources?.requiredSoakTime);
  return soak === 0 || soakedFor(freight, upstream, now) >= soak;
}

/**
 * Kargo's rule for whether a Stage may receive a Freight: the Stage must request the Freight's
 * origin, and the Freight must come directly from it, or be verified (and soaked long enough)
 * in the upstream stages it names (one of them, or all with availabilityStrategy All), or be
 * manually approved for the Stage.
 */
export function isFreightAvailable(
  stage: Stage,
  freight: Freight,
  now: number,
): boolean {
  const request = stage.spec.requestedFreight?.find(
    r => originKey(r.origin) === originKey(freight.origin),
  );
  if (!request) return false;
  const stageName = stage.metadata!.name!;
  if (freight.status?.approvedFor?.[stageName]) return true;
  const sources = request.sources ?? {};
  if (sources.direct) return true;
  const upstream = sources.stages ?? [];
  if (!upstream.length) return false;
  const ok = upstream.map(s => upstreamOk(freight, s, request, now));
  return sources.availabilityStrategy === 'All'
    ? ok.every(Boolean)
    : ok.some(Boolean);
}
