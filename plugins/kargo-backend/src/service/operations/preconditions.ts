import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  describeFreightBlockers,
  Freight,
  originKey,
  Promotion,
  Stage,
  TERMINAL_PROMOTION_PHASES,
  TERMINAL_VERIFICATION_PHASES,
  Warehouse,
} from '@kargo-backstage/plugin-kargo-common';
import {
  freightAvailability,
  isAvailable,
} from '../availability/freightAvailability';
import { ProjectSnapshot } from '../views/buildProjectView';

/**
 * Checks a mutation against the project as the portal last read it (kept fresh by the watch
 * streams), so that a request Kargo would refuse is refused here with a clear 4xx and no call
 * to Kargo. Kargo checks again; these only save a round trip and explain better.
 */

const ALIAS_LABEL = 'kargo.akuity.io/alias';

const aliasOf = (f: Freight) => f.alias ?? f.metadata?.labels?.[ALIAS_LABEL];

/** How people name a freight: its alias, else the start of its name. */
export function freightLabel(snapshot: ProjectSnapshot, name: string): string {
  const f = snapshot.freight.find(x => x.metadata?.name === name);
  return (f && aliasOf(f)) ?? name.slice(0, 7);
}

export function requireStage(
  snapshot: ProjectSnapshot,
  project: string,
  name: string,
): Stage {
  const stage = snapshot.stages.find(s => s.metadata?.name === name);
  if (!stage) {
    throw new NotFoundError(
      `Stage "${name}" not found in project "${project}"`,
    );
  }
  return stage;
}

export function requireWarehouse(
  snapshot: ProjectSnapshot,
  project: string,
  name: string,
): Warehouse {
  const warehouse = snapshot.warehouses.find(w => w.metadata?.name === name);
  if (!warehouse) {
    throw new NotFoundError(
      `Warehouse "${name}" not found in project "${project}"`,
    );
  }
  return warehouse;
}

/** Freight by name or alias, as Kargo's `{freight-name-or-alias}` path segments resolve it. */
export function requireFreight(
  snapshot: ProjectSnapshot,
  project: string,
  nameOrAlias: string,
): Freight {
  const freight =
    snapshot.freight.find(f => f.metadata?.name === nameOrAlias) ??
    snapshot.freight.find(f => aliasOf(f) === nameOrAlias);
  if (!freight) {
    throw new NotFoundError(
      `Freight "${nameOrAlias}" not found in project "${project}"`,
    );
  }
  return freight;
}

export function requirePromotion(
  snapshot: ProjectSnapshot,
  project: string,
  name: string,
): Promotion {
  const promotion = snapshot.promotions.find(p => p.metadata?.name === name);
  if (!promotion) {
    throw new NotFoundError(
      `Promotion "${name}" not found in project "${project}"`,
    );
  }
  return promotion;
}

/** Kargo must take the freight into the stage now: the rule the project view shows too. */
export function requirePromotable(
  stage: Stage,
  freight: Freight,
  now: number,
): void {
  const availability = freightAvailability(stage, freight);
  if (isAvailable(availability, now)) return;
  const stageName = stage.metadata!.name!;
  const [first] = availability.blockers;
  // The stage itself refuses: the freight is not the point.
  if (first?.code === 'NotRequested' || first?.code === 'ControlFlow') {
    throw new InputError(describeFreightBlockers(stageName, [first]));
  }
  throw new InputError(
    `Freight "${
      freight.metadata!.name
    }" is not available to Stage "${stageName}": ${describeFreightBlockers(
      stageName,
      availability.blockers,
    )}`,
  );
}

/** The stages that take this freight's origin from `stage`, as Kargo's downstream promote finds them. */
export function downstreamStages(
  snapshot: ProjectSnapshot,
  stageName: string,
  freight: Freight,
): Stage[] {
  const origin = originKey(freight.origin);
  const downstream = snapshot.stages.filter(s =>
    s.spec.requestedFreight?.some(
      r =>
        originKey(r.origin) === origin &&
        r.sources?.stages?.includes(stageName),
    ),
  );
  if (!downstream.length) {
    throw new InputError(
      `Stage "${stageName}" has no downstream stages for ${origin}`,
    );
  }
  return downstream;
}

/** Freight can only go downstream once the stage has verified it. */
export function requireVerifiedIn(freight: Freight, stageName: string): void {
  if (!freight.status?.verifiedIn?.[stageName]) {
    throw new InputError(
      `Freight "${
        freight.metadata!.name
      }" is not verified in Stage "${stageName}"; it cannot go downstream yet`,
    );
  }
}

export function requireApprovable(stage: Stage, freight: Freight): void {
  const origin = originKey(freight.origin);
  if (!stage.spec.requestedFreight?.some(r => originKey(r.origin) === origin)) {
    throw new InputError(
      `Stage "${stage.metadata!.name}" does not request freight from ${origin}`,
    );
  }
}

/** Re-verify and abort need a current freight with a verification to act on. */
export function requireVerification(
  stage: Stage,
  mode: 'reverify' | 'abort',
): void {
  const current = stage.status?.freightHistory?.[0];
  const verification = current?.verificationHistory?.[0];
  const name = stage.metadata!.name!;
  if (!current || !Object.keys(current.items ?? {}).length) {
    throw new ConflictError(`Stage "${name}" has no current freight`);
  }
  if (!verification?.id) {
    throw new ConflictError(
      `Stage "${name}" has no verification for its current freight`,
    );
  }
  if (
    mode === 'abort' &&
    (TERMINAL_VERIFICATION_PHASES as readonly string[]).includes(
      verification.phase ?? '',
    )
  ) {
    throw new ConflictError(
      `The verification of Stage "${name}" has already finished (${verification.phase})`,
    );
  }
}

export function requireRunning(promotion: Promotion): void {
  const phase = promotion.status?.phase ?? '';
  if ((TERMINAL_PROMOTION_PHASES as readonly string[]).includes(phase)) {
    throw new ConflictError(
      `Promotion "${promotion.metadata!.name}" has already finished (${phase})`,
    );
  }
}

/** Kargo keeps aliases unique per project. */
export function requireAliasFree(
  snapshot: ProjectSnapshot,
  freight: Freight,
  alias: string,
): void {
  const holder = snapshot.freight.find(f => aliasOf(f) === alias);
  if (holder && holder.metadata?.name !== freight.metadata?.name) {
    throw new ConflictError(
      `Alias "${alias}" is already used by freight "${holder.metadata?.name}"`,
    );
  }
}
