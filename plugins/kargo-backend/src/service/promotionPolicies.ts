import type {
  ProjectConfig,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';
import { KargoClient } from '@kargo-backstage/plugin-kargo-node';
import {
  InvalidStageSelectorError,
  selectsStage,
  StageSelector,
} from './freeze/stageSelector';

/** One of ProjectConfig's `spec.promotionPolicies`. */
export type PromotionPolicy = NonNullable<
  NonNullable<ProjectConfig['spec']>['promotionPolicies']
>[number];

/**
 * The selector Kargo matches a policy by (pkg/api/auto_promotion.go
 * findMatchingPromotionPolicy): its `stageSelector`, or else the deprecated `stage` as an exact
 * name. A selector without a name or labels selects every stage.
 */
export const policySelector = (policy: PromotionPolicy): StageSelector =>
  policy.stageSelector ?? { name: policy.stage };

/**
 * The policy Kargo applies to a stage, the first whose selector ({@link policySelector}) picks
 * it (matched as Kargo does, see ./freeze/stageSelector). A selector Kargo cannot parse before
 * a match makes Kargo fail the lookup, so no policy applies (-1), as in Kargo.
 */
export function policyIndex(policies: PromotionPolicy[], stage: Stage): number {
  const name = stage.metadata!.name!;
  const ref = { name, labels: stage.metadata?.labels };
  for (let i = 0; i < policies.length; i++) {
    try {
      if (selectsStage(policySelector(policies[i]), ref)) return i;
    } catch (error) {
      if (error instanceof InvalidStageSelectorError) return -1;
      throw error;
    }
  }
  return -1;
}

/**
 * Whether the policy is the stage's own: its selector is the stage's exact name and nothing
 * else (`stage: test`, or `stageSelector: {name: test}`).
 */
function namesOnly(policy: PromotionPolicy, name: string): boolean {
  const selector = policySelector(policy);
  return (
    selector.name === name &&
    !Object.keys(selector.matchLabels ?? {}).length &&
    !selector.matchExpressions?.length
  );
}

/**
 * The policies with a stage's auto-promotion set: its own policy changes; a selector shared
 * with other stages stays as it is, and the stage's own policy (new, or moved if the selector
 * shadowed it) goes before it.
 */
export function withAutoPromotion(
  policies: PromotionPolicy[],
  stage: Stage,
  enabled: boolean,
): PromotionPolicy[] {
  const next = structuredClone(policies);
  const index = policyIndex(next, stage);
  const name = stage.metadata!.name!;
  if (index >= 0 && namesOnly(next[index], name)) {
    next[index] = { ...next[index], autoPromotionEnabled: enabled };
    return next;
  }
  // An own policy shadowed by an earlier selector moves before it: Kargo's webhook refuses a
  // stage name defined twice.
  const own = next.findIndex(p => namesOnly(p, name));
  const policy = own >= 0 ? next.splice(own, 1)[0] : { stage: name };
  next.splice(Math.max(index, 0), 0, {
    ...policy,
    autoPromotionEnabled: enabled,
  });
  return next;
}

/**
 * Writes the project's promotion policies through Kargo's resource API: the ProjectConfig as it
 * was read (`config`: its other settings, labels and annotations are kept) with these policies,
 * and the `metadata.resourceVersion` it was read at, so that a Kubernetes API refuses the write
 * (409 Conflict) if the ProjectConfig changed since. Kargo's PUT /v1beta1/resources (v1.11,
 * `update_resource.go`) replaces that version with the live one before updating, so through
 * Kargo the check is only as good as the read is fresh: read right before writing
 * ({@link modifyPromotionPolicies}).
 */
export async function updatePromotionPolicies(
  client: KargoClient,
  project: string,
  config: ProjectConfig,
  policies: PromotionPolicy[],
): Promise<void> {
  const { resourceVersion, labels, annotations } = config.metadata ?? {};
  await client.updateResources(
    JSON.stringify({
      apiVersion: 'kargo.akuity.io/v1alpha1',
      kind: 'ProjectConfig',
      metadata: {
        name: project,
        namespace: project,
        ...(labels ? { labels } : {}),
        ...(annotations ? { annotations } : {}),
        ...(resourceVersion ? { resourceVersion } : {}),
      },
      spec: { ...config.spec, promotionPolicies: policies },
    }),
    // A project without a ProjectConfig gets one.
    { upsert: true },
  );
}

/** Attempts of {@link modifyPromotionPolicies} before a conflict is given up on. */
export const PROMOTION_POLICY_WRITE_ATTEMPTS = 5;

/**
 * Read-modify-write of a project's promotion policies: reads the ProjectConfig (none: an empty
 * one), asks `change` for the policies to write given it (undefined: nothing to write), and
 * writes them with the resourceVersion read. When Kargo answers 409 Conflict (the config changed
 * in between, or another writer created it) it reads again and asks again, a few times, so a
 * concurrent edit is built upon rather than overwritten. Resolves whether it wrote.
 */
export async function modifyPromotionPolicies(
  client: KargoClient,
  project: string,
  change: (
    policies: PromotionPolicy[],
    config: ProjectConfig,
  ) => Promise<PromotionPolicy[] | undefined>,
): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const config: ProjectConfig = (await client
      .getProjectConfig(project)
      .catch((error: Error) => {
        if (error.name === 'NotFoundError') return undefined;
        throw error;
      })) ?? { spec: {} };
    const policies = await change(
      structuredClone(config.spec?.promotionPolicies ?? []),
      config,
    );
    if (!policies) return false;
    try {
      await updatePromotionPolicies(client, project, config, policies);
      return true;
    } catch (error) {
      if (
        (error as Error).name !== 'ConflictError' ||
        attempt >= PROMOTION_POLICY_WRITE_ATTEMPTS
      ) {
        throw error;
      }
    }
  }
}
