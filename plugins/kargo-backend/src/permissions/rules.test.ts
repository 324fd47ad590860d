import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  KARGO_PROJECT_RESOURCE_TYPE,
  KARGO_STAGE_RESOURCE_TYPE,
  kargoFreightPromotePermission,
  kargoProjectReadPermission,
} from '@kargo-backstage/plugin-kargo-common';
import { z } from 'zod';
import {
  createKargoProjectConditionalDecision,
  createKargoStageConditionalDecision,
  KargoProjectResource,
  kargoProjectConditions,
  kargoProjectRules,
  KargoStageResource,
  kargoStageConditions,
  kargoStageRules,
} from './rules';

/** Whether a rule's params schema (zod, as the rules declare it) takes the value. */
const accepts = (schema: unknown, value: unknown) =>
  (schema as z.ZodType).safeParse(value).success;

/** A stage as KargoResourceOwners resolves it: owners lower-cased, sorted. */
const stage = (
  fields: Partial<KargoStageResource> = {},
): KargoStageResource => ({
  instance: 'main',
  project: 'shop',
  stage: 'prod-eu',
  owners: ['group:default/team-a', 'user:default/jane'],
  ...fields,
});

const project = (
  fields: Partial<KargoProjectResource> = {},
): KargoProjectResource => ({
  instance: 'main',
  project: 'shop',
  owners: ['group:default/team-a'],
  ...fields,
});

describe('kargo-stage rules', () => {
  describe('IS_IN_PROJECT', () => {
    const { isInProject } = kargoStageRules;

    it('matches a stage of one of the projects, on any instance', () => {
      expect(isInProject.apply(stage(), { projects: ['shop'] })).toBe(true);
      expect(
        isInProject.apply(stage({ instance: 'other' }), {
          projects: ['blog', 'shop'],
        }),
      ).toBe(true);
      expect(isInProject.apply(stage(), { projects: ['blog'] })).toBe(false);
      expect(isInProject.apply(stage(), { projects: [] })).toBe(false);
    });

    it('with an instance, only that instance', () => {
      expect(
        isInProject.apply(stage(), { projects: ['shop'], instance: 'main' }),
      ).toBe(true);
      expect(
        isInProject.apply(stage(), { projects: ['shop'], instance: 'other' }),
      ).toBe(false);
    });

    it('does not take a project name for a prefix', () => {
      expect(
        isInProject.apply(stage({ project: 'shop-legacy' }), {
          projects: ['shop'],
        }),
      ).toBe(false);
    });
  });

  describe('IS_STAGE', () => {
    const { isStage } = kargoStageRules;
    const is = (name: string, stages: string[]) =>
      isStage.apply(stage({ stage: name }), { stages });

    it('matches exact names', () => {
      expect(is('prod-eu', ['uat', 'prod-eu'])).toBe(true);
      expect(is('prod-eu', ['prod'])).toBe(false);
      expect(is('prod', ['prod-eu'])).toBe(false);
      expect(is('prod-eu', [])).toBe(false);
    });

    it('matches * wildcards over the whole name', () => {
      expect(is('prod-eu', ['prod-*'])).toBe(true);
      expect(is('prod-', ['prod-*'])).toBe(true);
      expect(is('preprod-eu', ['prod-*'])).toBe(false);
      expect(is('eu-prod', ['*-prod'])).toBe(true);
      expect(is('eu-prod-2', ['*-prod'])).toBe(false);
      expect(is('prod-eu-west', ['prod-*-west'])).toBe(true);
      expect(is('anything', ['*'])).toBe(true);
    });

    it('takes the optional glob: prefix off', () => {
      expect(is('prod-eu', ['glob:prod-*'])).toBe(true);
      expect(is('prod', ['glob:prod'])).toBe(true);
      expect(is('glob:prod', ['glob:prod'])).toBe(false);
    });

    it('treats other regular-expression characters literally', () => {
      expect(is('prod.eu-1', ['prod.eu-*'])).toBe(true);
      expect(is('prodXeu-1', ['prod.eu-*'])).toBe(false);
      expect(is('a+b-1', ['a+b-*'])).toBe(true);
      expect(is('aab-1', ['a+b-*'])).toBe(false);
      // Without a *, the pattern is compared as text, not as a regular expression.
      expect(is('prodXeu', ['prod.eu'])).toBe(false);
    });
  });

  describe('IS_ENTITY_OWNER', () => {
    const { isEntityOwner } = kargoStageRules;

    it("matches when one of the user's claims owns the stage", () => {
      expect(
        isEntityOwner.apply(stage(), {
          claims: ['user:default/bob', 'group:default/team-a'],
        }),
      ).toBe(true);
      expect(
        isEntityOwner.apply(stage(), {
          claims: ['user:default/bob', 'group:default/team-b'],
        }),
      ).toBe(false);
    });

    it('compares entity refs case-insensitively, as the catalog does', () => {
      expect(
        isEntityOwner.apply(stage(), { claims: ['User:Default/Jane'] }),
      ).toBe(true);
      expect(
        isEntityOwner.apply(stage({ owners: ['Group:default/Team-A'] }), {
          claims: ['group:default/team-a'],
        }),
      ).toBe(true);
    });

    it('never matches a stage without owners, nor a user without claims', () => {
      expect(
        isEntityOwner.apply(stage({ owners: [] }), {
          claims: ['user:default/jane'],
        }),
      ).toBe(false);
      expect(isEntityOwner.apply(stage(), { claims: [] })).toBe(false);
    });
  });

  it('each rule answers toQuery with its name and params, for one resource', () => {
    const projects = { projects: ['shop'], instance: 'main' };
    expect(kargoStageRules.isInProject.toQuery(projects)).toEqual({
      rule: 'IS_IN_PROJECT',
      params: projects,
    });
    expect(kargoStageRules.isStage.toQuery({ stages: ['prod-*'] })).toEqual({
      rule: 'IS_STAGE',
      params: { stages: ['prod-*'] },
    });
    expect(
      kargoStageRules.isEntityOwner.toQuery({ claims: ['user:default/jane'] }),
    ).toEqual({
      rule: 'IS_ENTITY_OWNER',
      params: { claims: ['user:default/jane'] },
    });
  });

  it('are of the kargo-stage resource type, under their names', () => {
    expect(
      Object.values(kargoStageRules).map(r => [r.name, r.resourceType]),
    ).toEqual([
      ['IS_IN_PROJECT', KARGO_STAGE_RESOURCE_TYPE],
      ['IS_STAGE', KARGO_STAGE_RESOURCE_TYPE],
      ['IS_ENTITY_OWNER', KARGO_STAGE_RESOURCE_TYPE],
    ]);
  });

  it('check their params', () => {
    const { isInProject, isStage, isEntityOwner } = kargoStageRules;
    expect(accepts(isInProject.paramsSchema, { projects: ['shop'] })).toBe(
      true,
    );
    expect(accepts(isInProject.paramsSchema, { instance: 'main' })).toBe(false);
    expect(accepts(isInProject.paramsSchema, { projects: 'shop' })).toBe(false);
    expect(accepts(isStage.paramsSchema, { stages: [1] })).toBe(false);
    expect(accepts(isEntityOwner.paramsSchema, {})).toBe(false);
  });
});

describe('kargo-project rules', () => {
  it('IS_IN_PROJECT: one of the projects, on the instance when one is named', () => {
    const { isInProject } = kargoProjectRules;
    expect(isInProject.apply(project(), { projects: ['shop'] })).toBe(true);
    expect(isInProject.apply(project(), { projects: ['blog'] })).toBe(false);
    expect(
      isInProject.apply(project(), { projects: ['shop'], instance: 'main' }),
    ).toBe(true);
    expect(
      isInProject.apply(project(), { projects: ['shop'], instance: 'other' }),
    ).toBe(false);
  });

  it('IS_ENTITY_OWNER: one of the claims owns it, case-insensitively', () => {
    const { isEntityOwner } = kargoProjectRules;
    expect(
      isEntityOwner.apply(project(), { claims: ['Group:default/TEAM-A'] }),
    ).toBe(true);
    expect(
      isEntityOwner.apply(project(), { claims: ['user:default/jane'] }),
    ).toBe(false);
    expect(
      isEntityOwner.apply(project({ owners: [] }), {
        claims: ['group:default/team-a'],
      }),
    ).toBe(false);
  });

  it('answer toQuery with the rule name and params; are of the kargo-project type', () => {
    expect(
      kargoProjectRules.isInProject.toQuery({ projects: ['shop'] }),
    ).toEqual({ rule: 'IS_IN_PROJECT', params: { projects: ['shop'] } });
    expect(
      kargoProjectRules.isEntityOwner.toQuery({ claims: ['group:x/y'] }),
    ).toEqual({ rule: 'IS_ENTITY_OWNER', params: { claims: ['group:x/y'] } });
    expect(
      Object.values(kargoProjectRules).map(r => [r.name, r.resourceType]),
    ).toEqual([
      ['IS_IN_PROJECT', KARGO_PROJECT_RESOURCE_TYPE],
      ['IS_ENTITY_OWNER', KARGO_PROJECT_RESOURCE_TYPE],
    ]);
  });
});

describe('conditions for permission policies', () => {
  it('name the rule, the resource type and the params', () => {
    expect(kargoStageConditions.isStage({ stages: ['prod-*'] })).toEqual({
      rule: 'IS_STAGE',
      resourceType: KARGO_STAGE_RESOURCE_TYPE,
      params: { stages: ['prod-*'] },
    });
    expect(
      kargoProjectConditions.isEntityOwner({ claims: ['user:default/jane'] }),
    ).toEqual({
      rule: 'IS_ENTITY_OWNER',
      resourceType: KARGO_PROJECT_RESOURCE_TYPE,
      params: { claims: ['user:default/jane'] },
    });
  });

  it('wrap into conditional decisions of the kargo plugin', () => {
    const condition = kargoStageConditions.isInProject({ projects: ['shop'] });
    expect(
      createKargoStageConditionalDecision(kargoFreightPromotePermission, {
        anyOf: [condition],
      }),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'kargo',
      resourceType: KARGO_STAGE_RESOURCE_TYPE,
      conditions: { anyOf: [condition] },
    });
    const projectCondition = kargoProjectConditions.isInProject({
      projects: ['shop'],
    });
    expect(
      createKargoProjectConditionalDecision(
        kargoProjectReadPermission,
        projectCondition,
      ),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'kargo',
      resourceType: KARGO_PROJECT_RESOURCE_TYPE,
      conditions: projectCondition,
    });
  });
});
