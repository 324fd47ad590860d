import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  KARGO_PROJECT_RESOURCE_TYPE,
  KARGO_STAGE_RESOURCE_TYPE,
} from '@kargo-backstage/plugin-kargo-common';
import { z } from 'zod';

/** What a permission decision about a Kargo stage may look at. @public */
export interface KargoStageResource {
  instance: string;
  project: string;
  stage: string;
  /**
   * Owners (entity refs) of the catalog entities that show this stage, where the Kargo Project's
   * `kargo-backstage.io/owners` annotation names them too.
   */
  owners: string[];
}

/** What a permission decision about a Kargo project may look at. @public */
export interface KargoProjectResource {
  instance: string;
  project: string;
  /**
   * Owners (entity refs) of the catalog entities annotated with this project, where the Kargo
   * Project's `kargo-backstage.io/owners` annotation names them too.
   */
  owners: string[];
}

/** Kargo resources are not queried in bulk; rules only answer yes or no for one. @public */
export type KargoResourceQuery = { rule: string; params: unknown };

/** @public */
export const kargoStageResourceRef = createPermissionResourceRef<
  KargoStageResource,
  KargoResourceQuery
>().with({
  pluginId: 'kargo',
  resourceType: KARGO_STAGE_RESOURCE_TYPE,
});

/** @public */
export const kargoProjectResourceRef = createPermissionResourceRef<
  KargoProjectResource,
  KargoResourceQuery
>().with({
  pluginId: 'kargo',
  resourceType: KARGO_PROJECT_RESOURCE_TYPE,
});

/** Stage names match exactly, or with `*` wildcards (`glob:prod-*` style without the prefix). */
function matchesName(pattern: string, name: string): boolean {
  const glob = pattern.startsWith('glob:') ? pattern.slice(5) : pattern;
  if (!glob.includes('*')) return glob === name;
  const regex = new RegExp(
    `^${glob
      .split('*')
      .map(p => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return regex.test(name);
}

/** Entity refs compare case-insensitively, as the catalog does. */
function ownsAny(owners: string[], claims: string[]): boolean {
  const mine = new Set(claims.map(c => c.toLocaleLowerCase('en-US')));
  return owners.some(owner => mine.has(owner.toLocaleLowerCase('en-US')));
}

const projectsParams = z.object({
  projects: z.array(z.string()).describe('Kargo project names'),
  instance: z
    .string()
    .optional()
    .describe('Limit to this configured Kargo instance'),
});
const claimsParams = z.object({
  claims: z
    .array(z.string())
    .describe("The user's ownership entity refs (user and groups)"),
});

/** Permission rules for `kargo-stage`: in project, is stage, owned by the user. @public */
export const kargoStageRules = {
  isInProject: createPermissionRule({
    name: 'IS_IN_PROJECT',
    description: 'The stage belongs to one of these Kargo projects',
    resourceRef: kargoStageResourceRef,
    paramsSchema: projectsParams,
    apply: (r, { projects, instance }) =>
      projects.includes(r.project) && (!instance || instance === r.instance),
    toQuery: params => ({ rule: 'IS_IN_PROJECT', params }),
  }),
  isStage: createPermissionRule({
    name: 'IS_STAGE',
    description:
      'The stage is one of these (names, `*` wildcards allowed, e.g. prod-*)',
    resourceRef: kargoStageResourceRef,
    paramsSchema: z.object({
      stages: z.array(z.string()).describe('Stage names or patterns'),
    }),
    apply: (r, { stages }) =>
      stages.some(pattern => matchesName(pattern, r.stage)),
    toQuery: params => ({ rule: 'IS_STAGE', params }),
  }),
  isEntityOwner: createPermissionRule({
    name: 'IS_ENTITY_OWNER',
    description: 'The user owns a catalog entity that shows this stage',
    resourceRef: kargoStageResourceRef,
    paramsSchema: claimsParams,
    apply: (r, { claims }) => ownsAny(r.owners, claims),
    toQuery: params => ({ rule: 'IS_ENTITY_OWNER', params }),
  }),
};

/** Permission rules for `kargo-project`: in project, owned by the user. @public */
export const kargoProjectRules = {
  isInProject: createPermissionRule({
    name: 'IS_IN_PROJECT',
    description: 'The project is one of these Kargo projects',
    resourceRef: kargoProjectResourceRef,
    paramsSchema: projectsParams,
    apply: (r, { projects, instance }) =>
      projects.includes(r.project) && (!instance || instance === r.instance),
    toQuery: params => ({ rule: 'IS_IN_PROJECT', params }),
  }),
  isEntityOwner: createPermissionRule({
    name: 'IS_ENTITY_OWNER',
    description: 'The user owns a catalog entity annotated with this project',
    resourceRef: kargoProjectResourceRef,
    paramsSchema: claimsParams,
    apply: (r, { claims }) => ownsAny(r.owners, claims),
    toQuery: params => ({ rule: 'IS_ENTITY_OWNER', params }),
  }),
};

const stageConditionExports = createConditionExports({
  resourceRef: kargoStageResourceRef,
  rules: kargoStageRules,
});
const projectConditionExports = createConditionExports({
  resourceRef: kargoProjectResourceRef,
  rules: kargoProjectRules,
});

/**
 * Conditions for permission policies on stages, e.g.
 * `kargoStageConditions.isStage({ stages: ['prod*'] })`.
 * @public
 */
export const kargoStageConditions = stageConditionExports.conditions;

/** Wraps stage conditions into a policy decision. @public */
export const createKargoStageConditionalDecision =
  stageConditionExports.createConditionalDecision;

/** Conditions for permission policies on projects. @public */
export const kargoProjectConditions = projectConditionExports.conditions;

/** Wraps project conditions into a policy decision. @public */
export const createKargoProjectConditionalDecision =
  projectConditionExports.createConditionalDecision;
