import type {
  Freight,
  Promotion,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';
import type { KargoSimulator } from '../KargoSimulator';
import { originKey, isFreightAvailable } from '../controller/availability';
import { freightByAlias, freightByName } from '../controller/freight';
import { createPromotion } from '../controller/promotions';
import { newestAvailableFreight } from '../controller/stages';
import { HttpError } from '../http/HttpError';

/*
 * What Kargo's API server checks before it creates Promotions (pkg/server
 * promote_to_stage_v1alpha1.go, promote_downstream_v1alpha1.go and the Promotion webhook), in
 * its order and with its error wording.
 */

/** The body of PromoteToStage / PromoteDownstream: exactly one way to name the freight. */
export type Promote = {
  freight?: string;
  freightAlias?: string;
  origin?: string;
};

/** Kargo's ParseFreightOrigin: "Warehouse/<name>". */
function parseOrigin(text: string): { kind: string; name: string } {
  const parts = text.split('/');
  if (parts.length !== 2) {
    throw new HttpError(
      400,
      `invalid origin "${text}": invalid Freight origin string "${text}"`,
    );
  }
  if (parts[0] !== 'Warehouse') {
    throw new HttpError(
      400,
      `invalid origin "${text}": invalid Freight origin kind "${parts[0]}"`,
    );
  }
  if (!parts[1]) {
    throw new HttpError(
      400,
      `invalid origin "${text}": Freight origin name must not be empty`,
    );
  }
  return { kind: parts[0], name: parts[1] };
}

function requireStage(
  sim: KargoSimulator,
  project: string,
  name: string,
): Stage {
  const stage = sim.store.get<Stage>('Stage', project, name);
  if (!stage) {
    throw new HttpError(
      404,
      `Stage "${name}" not found in project "${project}"`,
    );
  }
  return stage;
}

/**
 * POST .../stages/{stage}/promotions, with the checks of Kargo's handler and admission
 * webhook: exactly one of freight, freightAlias or origin ("Warehouse/<name>", resolved to the
 * auto-promotion candidate); the freight must be available to the stage; the stage must
 * have promotion steps.
 */
export function promote(
  sim: KargoSimulator,
  project: string,
  stageName: string,
  target: Promote,
  actor: string,
): Promotion {
  const named = [target.freight, target.freightAlias, target.origin].filter(
    Boolean,
  );
  if (named.length !== 1) {
    throw new HttpError(
      400,
      'exactly one of freight, freightAlias, or origin must be provided',
    );
  }
  const stage = requireStage(sim, project, stageName);
  let freight: Freight;
  if (target.origin) {
    const origin = parseOrigin(target.origin);
    const candidate = newestAvailableFreight(sim, project, stage, origin);
    if (!candidate) {
      throw new HttpError(
        422,
        `admission webhook "promotion.kargo.akuity.io" denied the request: Promotion.kargo.akuity.io "" is invalid: ` +
          `spec.origin: Invalid value: "${target.origin}": no auto-promotion candidate found for origin "${target.origin}" on Stage "${stageName}"`,
      );
    }
    freight = structuredClone(candidate);
  } else {
    freight = target.freight
      ? freightByName(sim, project, target.freight)
      : freightByAlias(sim, project, target.freightAlias!);
    if (!isFreightAvailable(stage, freight, sim.clock.now())) {
      throw new HttpError(
        400,
        `Freight "${
          freight.metadata!.name
        }" is not available to Stage "${stageName}"`,
      );
    }
  }
  return createPromotion(sim, project, stage, freight, actor);
}

/**
 * POST .../stages/{stage}/promotions/downstream: a Promotion for every stage that takes this
 * freight's origin from `stage`. Kargo authorizes `promote` on each downstream stage (the
 * callback), checks availability to all of them before creating any, and reports create
 * failures (e.g. a downstream without steps) next to what it created.
 */
export function promoteDownstream(
  sim: KargoSimulator,
  project: string,
  stageName: string,
  target: { freight?: string; freightAlias?: string },
  actor: string,
  authorizeStage: (stage: string) => void = () => {},
): { promotions: Promotion[]; errors?: string } {
  if ([target.freight, target.freightAlias].filter(Boolean).length !== 1) {
    throw new HttpError(
      400,
      'exactly one of freight or freightAlias must be provided',
    );
  }
  requireStage(sim, project, stageName);
  const freight = target.freight
    ? freightByName(sim, project, target.freight)
    : freightByAlias(sim, project, target.freightAlias!);
  const downstream = sim.store
    .list<Stage>('Stage', project)
    .filter(s =>
      s.spec.requestedFreight?.some(
        r =>
          originKey(r.origin) === originKey(freight.origin) &&
          r.sources?.stages?.includes(stageName),
      ),
    );
  if (!downstream.length) {
    throw new HttpError(404, `Stage "${stageName}" has no downstream stages`);
  }
  downstream.forEach(s => authorizeStage(s.metadata!.name!));
  const now = sim.clock.now();
  const unavailable = downstream.find(
    s => !isFreightAvailable(s, freight, now),
  );
  if (unavailable) {
    throw new HttpError(
      400,
      `Freight "${
        freight.metadata!.name
      }" is not available to downstream Stage "${unavailable.metadata!.name}"`,
    );
  }
  const promotions: Promotion[] = [];
  const errors: string[] = [];
  for (const s of downstream) {
    try {
      promotions.push(createPromotion(sim, project, s, freight, actor));
    } catch (error) {
      errors.push((error as Error).message);
    }
  }
  return errors.length
    ? { promotions, errors: errors.join('\n') }
    : { promotions };
}
