import { AuditorService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { KargoInstances } from '@kargo-backstage/plugin-kargo-node';
import {
  KargoProjectSpec,
  projectManifests,
  specProblems,
} from '../manifests/projectManifests';
import { audited } from './audited';

const name = (z: any) =>
  z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a lowercase name')
    .max(63);

/**
 * `kargo:project:init`: creates (or brings up to date) a Kargo project from a compact spec:
 * Project, ProjectConfig with promotion policies, Warehouses and Stages. Re-running it with the
 * same input changes nothing; dry-run only shows the manifests.
 * @public
 */
export function createKargoProjectInitAction(options: {
  instances: KargoInstances;
  auditor: AuditorService;
}): TemplateAction<any, any, any> {
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
      const client = options.instances.get(spec.instance);
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
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would apply ${described.join(', ')} to Kargo instance ${
            client.instance.name
          }`,
        );
        return;
      }
      await audited(
        options.auditor,
        ctx,
        'kargo-project-init',
        { instance: client.instance.name, project: spec.project },
        async () => {
          // PUT with upsert creates what is missing and updates the rest: re-runs are safe.
          const result = await client.updateResources(
            manifests.map(m => JSON.stringify(m)).join('\n---\n'),
            { upsert: true },
          );
          const failed = (result.results ?? []).filter(r => r.error);
          if (failed.length) {
            throw new Error(
              `Kargo refused: ${failed.map(r => r.error).join('; ')}`,
            );
          }
          for (const grant of grants) {
            await client.grantRoleToClaims(spec.project, grant.role, [
              { name: spec.rolesClaim ?? 'groups', values: grant.values },
            ]);
          }
        },
      );
      ctx.logger.info(
        `Kargo project ${spec.project} has ${described.join(', ')}`,
      );
    },
  });
}
