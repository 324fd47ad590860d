import type {
  Freight,
  KargoSchemas,
  Promotion,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';
import { originKey } from './availability';

/*
 * The simulator's port of Kargo v1.11.2's auto-promotion holds: a Promotion a user makes of
 * freight other than the auto-promotion candidate holds auto-promotion for that origin until a
 * user promotes the candidate again (pkg/api/auto_promotion.go,
 * pkg/webhook/kubernetes/promotion/webhook.go syncHoldAnnotations,
 * pkg/controller/stages/regular_stages.go syncPromotions, computeEffectiveAutoPromotionHolds,
 * autoPromoteFreight).
 */

export const AUTO_PROMOTION_HOLD_ANNOTATION =
  'kargo.akuity.io/auto-promotion-hold';
export const AUTO_PROMOTION_RESUME_ANNOTATION =
  'kargo.akuity.io/auto-promotion-resume';
const CREATE_ACTOR = 'kargo.akuity.io/create-actor';

export type AutoPromotionHold = KargoSchemas['AutoPromotionHold'];
type Holds = Record<string, AutoPromotionHold>;

const TERMINAL = ['Succeeded', 'Failed', 'Errored', 'Aborted'];
const isTerminal = (p: Promotion) => TERMINAL.includes(p.status?.phase ?? '');
const name = (o: { metadata?: { name?: string } }) => o.metadata?.name ?? '';
/** Promotion names embed a ULID: their order is creation order. */
const newer = (a: Promotion, b: { name?: string } | undefined) =>
  !b?.name || name(a) > b.name;

const discoveredAt = (f: Freight) =>
  Date.parse(f.discoveredAt ?? f.metadata?.creationTimestamp ?? '') || 0;

/**
 * SelectAutoPromotionCandidates: per requested origin, the newest available freight (by
 * discoveredAt, then name, both descending). `MatchUpstream` with more than one freight is a
 * transient race in Kargo: no candidate this pass.
 */
export function selectAutoPromotionCandidates(
  stage: Stage,
  available: Freight[],
): Map<string, Freight> {
  const candidates = new Map<string, Freight>();
  for (const req of stage.spec.requestedFreight ?? []) {
    const origin = originKey(req.origin);
    const freight = available.filter(f => originKey(f.origin) === origin);
    if (!freight.length) continue;
    if (
      req.sources?.autoPromotionOptions?.selectionPolicy === 'MatchUpstream' &&
      freight.length > 1
    ) {
      continue;
    }
    freight.sort(
      (a, b) =>
        discoveredAt(b) - discoveredAt(a) || (name(b) > name(a) ? 1 : -1),
    );
    candidates.set(origin, freight[0]);
  }
  return candidates;
}

/**
 * The intent the promotion webhook stamps on a user's Promotion (syncHoldAnnotations), only
 * while auto-promotion is enabled for the stage: resume when it promotes the candidate of the
 * freight's origin, hold otherwise (also when there is no candidate). Controller-made
 * Promotions (no actor, or a `controller:` actor) carry no intent; a caller's own intent
 * annotations are dropped.
 */
export function stampHoldIntent(
  promotion: Promotion,
  freight: Freight,
  candidates: Map<string, Freight>,
  autoPromotionEnabled: boolean,
) {
  const annotations = promotion.metadata!.annotations ?? {};
  const actor = annotations[CREATE_ACTOR] ?? '';
  if (!actor || actor.startsWith('controller:')) return;
  delete annotations[AUTO_PROMOTION_HOLD_ANNOTATION];
  delete annotations[AUTO_PROMOTION_RESUME_ANNOTATION];
  if (autoPromotionEnabled) {
    const origin = originKey(freight.origin);
    const isCandidate =
      candidates.get(origin)?.metadata?.name === name(freight);
    annotations[
      isCandidate
        ? AUTO_PROMOTION_RESUME_ANNOTATION
        : AUTO_PROMOTION_HOLD_ANNOTATION
    ] = origin;
  }
  promotion.metadata!.annotations = annotations;
}

/** newAutoPromotionHold: the hold a hold-intent Promotion establishes. */
function newHold(promotion: Promotion, origin: string): AutoPromotionHold {
  const [kind, originName] = origin.split('/');
  const actor = promotion.metadata?.annotations?.[CREATE_ACTOR];
  return {
    freightName: promotion.spec.freight ?? '',
    origin: { kind: kind as 'Warehouse', name: originName },
    promotionName: name(promotion),
    ...(actor ? { actor } : {}),
    ...(promotion.metadata?.creationTimestamp
      ? { createdAt: promotion.metadata.creationTimestamp }
      : {}),
  };
}

const requestedOrigins = (stage: Stage) =>
  new Set((stage.spec.requestedFreight ?? []).map(r => originKey(r.origin)));

/**
 * syncPromotions' bookkeeping of the durable holds: none while auto-promotion is disabled;
 * only for origins the stage still requests; then each newly terminal Promotion, oldest
 * first, applies its intent (an Aborted one withdrew it).
 */
export function syncAutoPromotionHolds(
  stage: Stage,
  holds: Holds | undefined,
  enabled: boolean,
  newlyTerminal: Promotion[],
): Holds | undefined {
  if (!enabled) return undefined;
  const requested = requestedOrigins(stage);
  const next: Holds = Object.fromEntries(
    Object.entries(holds ?? {}).filter(([key]) => requested.has(key)),
  );
  for (const promotion of [...newlyTerminal].sort((a, b) =>
    name(a) < name(b) ? -1 : 1,
  )) {
    if (promotion.status?.phase === 'Aborted') continue;
    const annotations = promotion.metadata?.annotations ?? {};
    const hold = annotations[AUTO_PROMOTION_HOLD_ANNOTATION];
    const resume = annotations[AUTO_PROMOTION_RESUME_ANNOTATION];
    if (hold) {
      if (requested.has(hold)) next[hold] = newHold(promotion, hold);
    } else if (resume) {
      delete next[resume];
    }
  }
  return Object.keys(next).length ? next : undefined;
}

/**
 * computeEffectiveAutoPromotionHolds: the durable holds overlaid, per requested origin, with the
 * newest non-aborted Promotion not yet recorded (newer than lastPromotion) that carries an
 * intent for it: a hold holds, a resume releases.
 */
export function effectiveAutoPromotionHolds(
  stage: Stage,
  enabled: boolean,
  promotions: readonly Promotion[],
): Holds | undefined {
  if (!enabled) return undefined;
  const effective: Holds = { ...stage.status?.autoPromotionHolds };
  const last = stage.status?.lastPromotion;
  for (const origin of requestedOrigins(stage)) {
    let newest: Promotion | undefined;
    for (const p of promotions) {
      if (p.status?.phase === 'Aborted' || !newer(p, last)) continue;
      const a = p.metadata?.annotations ?? {};
      if (
        a[AUTO_PROMOTION_HOLD_ANNOTATION] !== origin &&
        a[AUTO_PROMOTION_RESUME_ANNOTATION] !== origin
      ) {
        continue;
      }
      if (!newest || name(p) > name(newest)) newest = p;
    }
    if (!newest) continue;
    if (
      newest.metadata?.annotations?.[AUTO_PROMOTION_HOLD_ANNOTATION] === origin
    ) {
      effective[origin] = newHold(newest, origin);
    } else {
      delete effective[origin];
    }
  }
  return Object.keys(effective).length ? effective : undefined;
}

/**
 * autoPromoteFreight's checks for one origin's candidate: not held, not already current or
 * being promoted, no Promotion of it in flight or succeeded but not yet recorded, and its
 * newest finished Promotion (if any) succeeded, so a failure is not retried in a loop.
 */
export function shouldAutoPromote(
  stage: Stage,
  origin: string,
  candidate: Freight,
  promotions: readonly Promotion[],
): boolean {
  if (stage.status?.effectiveAutoPromotionHolds?.[origin]) return false;
  const freightName = name(candidate);
  const current = stage.status?.freightHistory?.[0]?.items?.[origin];
  if (current?.name === freightName) return false;
  const awaiting = stage.status?.currentPromotion?.freight;
  if (
    awaiting?.name === freightName &&
    awaiting.origin &&
    originKey(awaiting.origin) === origin
  ) {
    return false;
  }
  const forCandidate = promotions.filter(p => p.spec.freight === freightName);
  const last = stage.status?.lastPromotion;
  if (
    forCandidate.some(
      p =>
        !isTerminal(p) || (p.status?.phase === 'Succeeded' && newer(p, last)),
    )
  ) {
    return false;
  }
  const newestTerminal = forCandidate
    .filter(isTerminal)
    .sort(
      (a, b) =>
        Date.parse(b.metadata?.creationTimestamp ?? '') -
          Date.parse(a.metadata?.creationTimestamp ?? '') ||
        (name(b) > name(a) ? 1 : -1),
    )[0];
  return !newestTerminal || newestTerminal.status?.phase === 'Succeeded';
}
