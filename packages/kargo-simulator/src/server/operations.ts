import type {
  Freight,
  Promotion,
  Stage,
  VerificationInfo,
} from '@kargo-backstage/plugin-kargo-common';
import type { KargoSimulator } from '../KargoSimulator';
import {
  ABORT_ANNOTATION,
  REFRESH_ANNOTATION,
  REVERIFY_ANNOTATION,
} from '../controller/annotations';
import { originKey } from '../controller/availability';
import { resolveFreight } from '../controller/freight';
import { PROMOTION_TERMINAL } from '../controller/promotions';
import { VERIFICATION_TERMINAL } from '../controller/verification';
import { HttpError } from '../http/HttpError';
import type { Kind } from '../store/ResourceStore';

/*
 * The small operations of Kargo's API server (pkg/server): approving freight, and asking the
 * controllers, through annotations, to abort a promotion, verify again, abort a verification
 * or refresh. Each `authorize…` callback makes the check Kargo makes as the caller, at the point
 * where Kargo makes it.
 */

/**
 * POST .../freight/{name-or-alias}/approve?stage=: the stage must request the freight's
 * origin; approval then skips verification and soak. Approving twice changes nothing.
 */
export function approve(
  sim: KargoSimulator,
  project: string,
  nameOrAlias: string,
  stageName: string,
  actor: string,
  authorizeStage: (stage: string) => void = () => {},
): void {
  if (!stageName) throw new HttpError(400, 'stage query parameter is required');
  const freight = resolveFreight(sim, project, nameOrAlias);
  const stage = sim.store.require<Stage>('Stage', project, stageName);
  authorizeStage(stageName);
  const requested = stage.spec.requestedFreight?.some(
    r => originKey(r.origin) === originKey(freight.origin),
  );
  if (!requested) {
    throw new HttpError(
      400,
      `Stage "${stageName}" does not request Freight from origin "${originKey(
        freight.origin,
      )}"`,
    );
  }
  if (freight.status?.approvedFor?.[stageName]) return;
  sim.store.update<Freight>('Freight', project, freight.metadata!.name!, f => {
    f.status = {
      ...f.status,
      approvedFor: {
        ...f.status?.approvedFor,
        [stageName]: { approvedAt: sim.clock.isoNow() },
      },
    };
  });
  sim.recordEvent(
    project,
    'Freight',
    freight.metadata!.name!,
    'FreightApproved',
    `Freight approved for Stage "${stageName}" by "${actor}"`,
    {
      actor,
      component: 'api',
    },
  );
}

/**
 * POST .../promotions/{p}/abort: annotates a running promotion; a finished one is left alone.
 * `authorizePatch` checks the caller's right to patch it, where Kargo patches as the caller.
 */
export function abortPromotion(
  sim: KargoSimulator,
  project: string,
  name: string,
  actor: string,
  authorizePatch: () => void = () => {},
): void {
  const promotion = sim.store.get<Promotion>('Promotion', project, name);
  if (!promotion) throw new HttpError(500, 'internal server error'); // Kargo's handler returns an untyped error here
  if (PROMOTION_TERMINAL.includes(promotion.status?.phase ?? '')) return;
  authorizePatch();
  annotate(
    sim,
    'Promotion',
    project,
    name,
    ABORT_ANNOTATION,
    JSON.stringify({ action: 'terminate', actor }),
  );
}

/**
 * An operation on a stage's current verification: unless `skip` says it is not needed, the
 * caller's right to patch the stage is checked and the controller is asked, through `annotation`.
 */
function verificationOperation(
  annotation: string,
  skip: (current: VerificationInfo) => boolean,
) {
  return (
    sim: KargoSimulator,
    project: string,
    stageName: string,
    actor: string,
    authorizePatch: () => void = () => {},
  ): void => {
    const current = currentVerification(sim, project, stageName);
    if (skip(current)) return;
    authorizePatch();
    annotate(
      sim,
      'Stage',
      project,
      stageName,
      annotation,
      JSON.stringify({ id: current.id, actor }),
    );
  };
}

/** POST .../stages/{s}/verification: asks the controller to verify the current freight again. */
export const reverify = verificationOperation(REVERIFY_ANNOTATION, () => false);

/** POST .../stages/{s}/verification/abort: stops the running verification, if any. */
export const abortVerification = verificationOperation(ABORT_ANNOTATION, v =>
  VERIFICATION_TERMINAL.includes(v.phase ?? ''),
);

/** Kargo answers a missing stage, freight or verification here with an untyped 500. */
function currentVerification(
  sim: KargoSimulator,
  project: string,
  stageName: string,
): VerificationInfo {
  const stage = sim.store.get<Stage>('Stage', project, stageName);
  const current = stage?.status?.freightHistory?.[0];
  const verification = current?.verificationHistory?.[0];
  if (
    !stage ||
    !current ||
    !Object.keys(current.items ?? {}).length ||
    !verification?.id
  ) {
    throw new HttpError(500, 'internal server error');
  }
  return verification;
}

/** POST .../{stages|warehouses|promotions}/{n}/refresh: the refresh annotation, RFC 3339 to the second. */
export function refresh(
  sim: KargoSimulator,
  kind: 'Stage' | 'Warehouse' | 'Promotion',
  project: string,
  name: string,
): void {
  const token = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const plural = `${kind.toLowerCase()}s`;
  if (!sim.store.get(kind, project, name)) {
    throw new HttpError(
      404,
      `patch annotation: ${plural}.kargo.akuity.io "${name}" not found`,
    );
  }
  annotate(sim, kind, project, name, REFRESH_ANNOTATION, token);
  if (kind === 'Stage') {
    const current = sim.store.get<Stage>('Stage', project, name)?.status
      ?.currentPromotion?.name;
    if (current && sim.store.get('Promotion', project, current)) {
      annotate(sim, 'Promotion', project, current, REFRESH_ANNOTATION, token);
    }
  }
}

function annotate(
  sim: KargoSimulator,
  kind: Kind,
  project: string,
  name: string,
  key: string,
  value: string,
) {
  sim.store.update(kind, project, name, o => {
    o.metadata = {
      ...o.metadata,
      annotations: { ...o.metadata?.annotations, [key]: value },
    };
  });
}
