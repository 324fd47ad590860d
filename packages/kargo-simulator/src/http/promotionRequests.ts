import type { Freight, Stage } from '@kargo-backstage/plugin-kargo-common';
import { ulid } from 'ulid';
import { HttpError } from './HttpError';

/**
 * A Stage with `spec.targets` is target-aware (after v1.11.2, Kargo's main branch:
 * api/v1alpha1/stage_types.go, pkg/api IsTargetAware): a promotion into it is answered with a
 * PromotionRequest, not a Promotion (pkg/server/promote_to_stage.go). The simulator has no
 * Targets: the request names none, and it is answered, not kept or run.
 */
export function isTargetAware(stage: Stage): boolean {
  return Boolean((stage.spec as { targets?: unknown }).targets);
}

/** The PromotionRequest Kargo's main branch answers (api.NewPromotionRequest), 201. */
export function promotionRequestFor(
  stage: Stage,
  freight: Freight,
  actor: string,
  now: number,
): object {
  const stageName = stage.metadata!.name!;
  const freightName = freight.metadata!.name!;
  return {
    metadata: {
      // api.GeneratePromotionRequestName: <stage>.<ulid>.<freight[0:7]>
      name: `${stageName}.${ulid(now).toLowerCase()}.${freightName.slice(
        0,
        7,
      )}`,
      namespace: stage.metadata!.namespace,
      creationTimestamp: new Date(now).toISOString().replace(/\.\d+Z$/, 'Z'),
      labels: { 'kargo.akuity.io/stage': stageName },
      annotations: { 'kargo.akuity.io/create-actor': actor },
      ownerReferences: [
        {
          apiVersion: 'kargo.akuity.io/v1alpha1',
          kind: 'Stage',
          name: stageName,
          uid: stage.metadata!.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: { stage: stageName, freight: freightName, targets: [] },
    status: {},
  };
}

/** Kargo refuses promotion by origin into a target-aware Stage. */
export function refuseOriginForTargets(stageName: string): never {
  throw new HttpError(
    400,
    `promotion by origin is not supported for Stage "${stageName}", which selects Targets`,
  );
}
