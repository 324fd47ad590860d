import type {
  ProjectConfig,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';
import { KargoClient } from '@kargo-backstage/plugin-kargo-node';
import { selectsStage } from './freeze/promotionSchedule';

/** One of ProjectConfig's `spec.promotionPolicies`. */
export type PromotionPolicy = NonNullable<
  NonNullable<ProjectConfig['spec']>['promotionPolicies']
>[number];

/** The policy Kargo applies to a stage, the first that matches: by `stage` name or by `stageSelector`. */
export function policyIndex(policies: PromotionPolicy[], stage: Stage): number {
  const name = stage.metadata!.name!;
  return policies.findIndex(p =>
    p.stage
      ? p.stage === name
      : Boolean(p.stageSelector) &&
        selectsStage(p.stageSelector, { name, labels: stage.metadata?.labels }),
  );
}

/**
 * The policies with a stage's auto-promotion set: its own policy changes; a selector shared
 * with other stages stays as it is, and a policy naming the stage goes before it.
 */
export function withAutoPromotion(
  policies: PromotionPolicy[],
  stage: Stage,
  enabled: boolean,
): PromotionPolicy[] {
  const next = structuredClone(policies);
  const index = policyIndex(next, stage);
  const name = stage.metadata!.name!;
  if (index >= 0 && next[index].stage === name) {
    next[index] = { ...next[index], autoPromotionEnabled: enabled };
  } else {
    next.splice(Math.max(index, 0), 0, {
      stage: name,
      autoPromotionEnabled: enabled,
    });
  }
  return next;
}

/** Writes the project's promotion policies through Kargo's resource API. */
export async function updatePromotionPolicies(
  client: KargoClient,
  project: string,
  config: ProjectConfig,
  policies: PromotionPolicy[],
): Promise<void> {
  await client.updateResources(
    JSON.stringify({
      apiVersion: 'kargo.akuity.io/v1alpha1',
      kind: 'ProjectConfig',
      metadata: { name: project, namespace: project },
      spec: { ...config.spec, promotionPolicies: policies },
    }),
    // A project without a ProjectConfig gets one.
    { upsert: true },
  );
}
