import type {
  ProjectConfig,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';
import { KargoClient } from '@kargo-backstage/plugin-kargo-node';
import {
  InvalidStageSelectorError,
  selectsStage,
} from './freeze/stageSelector';

/** One of ProjectConfig's `spec.promotionPolicies`. */
export type PromotionPolicy = NonNullable<
  NonNullable<ProjectConfig['spec']>['promotionPolicies']
>[number];

/**
 * The policy Kargo applies to a stage, the first that matches: by `stage` name or by
 * `stageSelector` (matched as Kargo does, see ./freeze/stageSelector). A selector Kargo cannot
 * parse before a match makes Kargo fail the lookup, so no policy applies (-1), as in Kargo.
 */
export function policyIndex(policies: PromotionPolicy[], stage: Stage): number {
  const name = stage.metadata!.name!;
  const ref = { name, labels: stage.metadata?.labels };
  for (let i = 0; i < policies.length; i++) {
    const p = policies[i];
    try {
      if (
        p.stage
          ? p.stage === name
          : Boolean(p.stageSelector) && selectsStage(p.stageSelector, ref)
      ) {
        return i;
      }
    } catch (error) {
      if (error instanceof InvalidStageSelectorError) return -1;
      throw error;
    }
  }
  return -1;
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
