import { ConflictError, InputError, isErrorWithName } from '@backstage/errors';
import {
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import {
  KARGO_PORTAL_OWNERS_ANNOTATION,
  kargoProjectAdminGrantPermission,
  kargoProjectCreatePermission,
  kargoProjectManagePermission,
  kargoProjectResourceRef,
  kargoStageManagePermission,
  kargoStageResourceRef,
} from '@kargo-backstage/plugin-kargo-common';
import {
  KargoProjectSpec,
  projectManifests,
  specProblems,
} from '../manifests/projectManifests';
import {
  authorizeInitiator,
  currentStages,
  initiatorUserRef,
  KargoPermissionCheck,
  projectExists,
  stagesGovernedBy,
  writerFor,
} from './access';
import { audited } from './audited';
import { KargoActionOptions } from './options';

const name = (z: any) =>
  z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a lowercase name')
    .max(63);

/**
 * An owner as a full entity ref, lower case: `team-a` and `default/team-a` are groups in the
 * default namespace, as the OwnerPicker means them.
 */
function ownerRef(value: string): string {
  const match = /^(?:([a-z0-9_-]+):)?(?:([^/:,\s]+)\/)?([^/:,\s]+)$/i.exec(
    value.trim(),
  );
  if (!match) {
    throw new InputError(
      `owner must be an entity ref such as group:default/team-a, got "${value}"`,
    );
  }
  const [, kind = 'group', namespace = 'default', entity] = match;
  return `${kind}:${namespace}/${entity}`.toLocaleLowerCase('en-US');
}

/**
 * `kargo:project:init`: creates (or brings up to date) a Kargo project from a compact spec:
 * Project, ProjectConfig with promotion policies, Warehouses and Stages. Re-running it with the
 * same input changes nothing; dry-run only shows the manifests.
 *
 * It acts for the user who started the template: creating a project needs
 * `kargo.project.create`; changing an existing one needs `kargo.project.manage` on it and
 * `kargo.stage.manage` on every stage the change governs (the promotion policies govern them
 * all); granting `kargo-admin` needs `kargo.project.admin.grant`. A new Project names its portal
 * owners (`kargo-backstage.io/owners`): the user and the `owner` input; an existing Project is
 * left as Kargo has it.
 * @public
 */
export function createKargoProjectInitAction(
  options: KargoActionOptions,
): TemplateAction<any, any, any> {
  return createTemplateAction({
    id: 'kargo:project:init',
    description:
      'Creates a Kargo project with its warehouses, stages and promotion policies (kargo init)',
    examples: [
      {
        description:
          'A service promoted test → uat → prod, prod through pull requests',
        example: `steps:
  - id: kargo
    action: kargo:project:init
    input:
      project: checkout
      gitRepo: https://github.com/example/checkout-deploy.git
      warehouses:
        - name: checkout
          image: { repoURL: ghcr.io/example/checkout, semverConstraint: ^1.0.0 }
      stages:
        - { name: test }
        - { name: uat, from: [test], verification: smoke-test }
        - { name: prod, from: [uat], pullRequest: true, argocdApp: 'checkout-\${stage}' }`,
      },
    ],
    schema: {
      input: {
        instance: z =>
          z
            .string()
            .optional()
            .describe('A configured Kargo instance (default: the first)'),
        project: z => name(z).describe('The Kargo project to create'),
        owner: z =>
          z
            .string()
            .optional()
            .describe(
              'An entity ref (group:default/team-a) named, beside the user, as portal owner of a new project',
            ),
        gitRepo: z =>
          z
            .string()
            .url()
            .describe('The GitOps repository promotions write to'),
        warehouses: z =>
          z
            .array(
              z.object({
                name: name(z),
                image: z
                  .object({
                    repoURL: z.string().min(1),
                    semverConstraint: z.string().optional(),
                    allowTags: z.string().optional(),
                  })
                  .optional(),
                git: z
                  .object({
                    repoURL: z.string().url(),
                    branch: z.string().optional(),
                  })
                  .optional(),
              }),
            )
            .min(1)
            .describe('What the project subscribes to'),
        stages: z =>
          z
            .array(
              z.object({
                name: name(z),
                from: z.array(name(z)).optional(),
                warehouses: z.array(name(z)).optional(),
                pullRequest: z.boolean().optional(),
                argocdApp: z.string().optional(),
                verification: z.string().optional(),
                autoPromotion: z.boolean().optional(),
              }),
            )
            .min(1)
            .describe('The stages, upstream first'),
        roles: z =>
          z
            .object({
              viewer: z.array(z.string()).optional(),
              promoter: z.array(z.string()).optional(),
              admin: z.array(z.string()).optional(),
            })
            .optional()
            .describe(
              "Portal groups (group:default/x or x) per persona, bound to Kargo's default project roles through an OIDC claim",
            ),
        rolesClaim: z =>
          z
            .string()
            .default('groups')
            .describe('The OIDC claim Kargo matches the groups against'),
      },
      output: {
        project: z => z.string(),
        url: z => z.string().optional(),
        annotations: z => z.record(z.string()),
        resources: z => z.array(z.string()),
      },
    },
    async handler(ctx) {
      const spec = ctx.input as KargoProjectSpec & {
        instance?: string;
        owner?: string;
        roles?: Partial<Record<'viewer' | 'promoter' | 'admin', string[]>>;
        rolesClaim?: string;
      };
      // Group entity refs become the group names the identity provider puts in the claim.
      const grants = Object.entries(spec.roles ?? {})
        .map(([persona, groups]) => ({
          role: `kargo-${persona}`,
          values: (groups ?? []).map(g => g.replace(/^group:(?:[^/]+\/)?/, '')),
        }))
        .filter(g => g.values.length);
      const problems = specProblems(spec);
      if (problems.length) {
        throw new InputError(`Invalid Kargo project: ${problems.join('; ')}`);
      }
      const owner = spec.owner?.trim() ? ownerRef(spec.owner) : undefined;
      const client = options.instances.get(spec.instance);
      const instance = client.instance.name;
      const manifests = projectManifests(spec);
      const described = manifests.map(m => `${m.kind}/${m.metadata.name}`);
      ctx.output('project', spec.project);
      ctx.output('resources', described);
      ctx.output('annotations', {
        'kargo.akuity.io/project': spec.project,
        ...(spec.instance ? { 'kargo.akuity.io/instance': spec.instance } : {}),
      });
      if (client.instance.uiUrl) {
        ctx.output('url', `${client.instance.uiUrl}/project/${spec.project}`);
      }

      // Everything is decided before anything changes, in a dry run as well.
      const plan = async () => {
        const credentials = await ctx.getInitiatorCredentials();
        const writer = writerFor(client, ctx);
        const exists = await projectExists(client, spec.project);
        const projectRef = kargoProjectResourceRef(instance, spec.project);
        const checks: KargoPermissionCheck[] = [];
        if (exists) {
          const changed = manifests.filter(m => m.kind !== 'Project');
          const stages = stagesGovernedBy(
            changed.map(m => ({ kind: m.kind, name: m.metadata.name })),
            [
              ...(await currentStages(client, spec.project)),
              ...changed.filter(m => m.kind === 'Stage'),
            ],
          );
          checks.push(
            {
              permission: kargoProjectManagePermission,
              resourceRefs: [projectRef],
            },
            {
              permission: kargoStageManagePermission,
              resourceRefs: stages.map(s =>
                kargoStageResourceRef(instance, spec.project, s),
              ),
            },
          );
        } else {
          checks.push({ permission: kargoProjectCreatePermission });
        }
        if (grants.some(g => g.role === 'kargo-admin')) {
          checks.push({
            permission: kargoProjectAdminGrantPermission,
            resourceRefs: [projectRef],
          });
        }
        await authorizeInitiator(options.permissions, credentials, checks);
        const owners = [
          ...new Set(
            [initiatorUserRef(credentials), owner].filter(
              (o): o is string => !!o,
            ),
          ),
        ];
        return { writer, exists, owners };
      };

      if (ctx.isDryRun) {
        const { exists } = await plan();
        ctx.logger.info(
          `Dry run: would ${
            exists ? 'update the existing project with' : 'create'
          } ${described.join(', ')} on Kargo instance ${instance}`,
        );
        return;
      }
      let created = false;
      await audited(
        options.auditor,
        ctx,
        'kargo-project-init',
        { instance, project: spec.project, ...(owner ? { owner } : {}) },
        async () => {
          const { writer, exists, owners } = await plan();
          const [project, ...rest] = manifests;
          if (!exists) {
            // POST, not upsert: a project someone else created meanwhile is not taken over.
            const annotated = {
              ...project,
              metadata: {
                ...project.metadata,
                ...(owners.length
                  ? {
                      annotations: {
                        [KARGO_PORTAL_OWNERS_ANNOTATION]: owners.join(','),
                      },
                    }
                  : {}),
              },
            };
            try {
              const result = await writer.createResources(
                JSON.stringify(annotated),
              );
              const failed = (result.results ?? []).find(r => r.error);
              if (failed) throw new Error(`Kargo refused: ${failed.error}`);
            } catch (error) {
              if (isErrorWithName(error, 'ConflictError')) {
                throw new ConflictError(
                  `Kargo project ${spec.project} was created by someone else while the template ran; nothing was changed`,
                );
              }
              throw error;
            }
            created = true;
          }
          // The Project of an existing project is not sent: its owners stay as Kargo has them.
          // PUT with upsert creates what is missing and updates the rest: re-runs are safe.
          const result = await writer.updateResources(
            rest.map(m => JSON.stringify(m)).join('\n---\n'),
            { upsert: true },
          );
          const failed = (result.results ?? []).filter(r => r.error);
          if (failed.length) {
            throw new Error(
              `Kargo refused: ${failed.map(r => r.error).join('; ')}`,
            );
          }
          for (const grant of grants) {
            await writer.grantRoleToClaims(spec.project, grant.role, [
              { name: spec.rolesClaim ?? 'groups', values: grant.values },
            ]);
          }
        },
      );
      ctx.logger.info(
        `Kargo project ${spec.project} ${
          created ? 'created with' : 'has'
        } ${described.join(', ')}`,
      );
    },
  });
}
