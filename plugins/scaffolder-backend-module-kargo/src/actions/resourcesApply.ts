import { InputError } from '@backstage/errors';
import {
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { parseAllDocuments } from 'yaml';
import { authorizeExistingProjectChange, stagesGovernedBy } from './access';
import { audited } from './audited';
import { KargoActionOptions } from './options';

/**
 * The kinds `kargo:resources:apply` applies, by apiVersion: the resources that live in a
 * project's namespace and configure its pipeline. Everything else is refused: the Project itself
 * (its owners; `kargo:project:init` creates it), cluster-scoped kinds (ClusterPromotionTask,
 * ClusterAnalysisTemplate), Freight and Promotions (`kargo:freight:create` and `kargo:promote`
 * have their own checks), and Kubernetes kinds such as Secret, RoleBinding or ServiceAccount,
 * which would hand out credentials or rights.
 */
const APPLICABLE_KINDS: Record<string, string[]> = {
  'kargo.akuity.io/v1alpha1': [
    'Warehouse',
    'Stage',
    'PromotionTask',
    'ProjectConfig',
  ],
  'argoproj.io/v1alpha1': ['AnalysisTemplate'],
};

const allowedKinds = Object.entries(APPLICABLE_KINDS)
  .flatMap(([apiVersion, kinds]) => kinds.map(k => `${apiVersion} ${k}`))
  .join(', ');

/**
 * `kargo:resources:apply`: creates or updates Kargo manifests (YAML) in an existing project, for
 * the user who started the template: it needs `kargo.project.manage` on the project and
 * `kargo.stage.manage` on every stage the manifests govern. Only project-scoped pipeline kinds
 * are applied (Warehouse, Stage, PromotionTask, ProjectConfig, AnalysisTemplate); one document
 * of another kind or namespace refuses the whole manifest before anything is applied.
 * @public
 */
export function createKargoResourcesApplyAction(
  options: KargoActionOptions,
): TemplateAction<any, any, any> {
  return createTemplateAction({
    id: 'kargo:resources:apply',
    description: 'Creates or updates Kargo resources from YAML manifests',
    examples: [
      {
        description: 'Add an AnalysisTemplate to a project',
        example: `steps:
  - id: analysis
    action: kargo:resources:apply
    input:
      project: checkout
      manifests: |
        apiVersion: argoproj.io/v1alpha1
        kind: AnalysisTemplate
        metadata:
          name: smoke-test
        spec:
          metrics: []`,
      },
    ],
    schema: {
      input: {
        instance: z => z.string().optional(),
        project: z =>
          z
            .string()
            .min(1)
            .describe(
              'The existing Kargo project (namespace) the manifests go to',
            ),
        manifests: z =>
          z
            .string()
            .min(1)
            .max(1_000_000)
            .describe(
              'One or more YAML documents: Warehouse, Stage, PromotionTask, ProjectConfig (kargo.akuity.io/v1alpha1) or AnalysisTemplate (argoproj.io/v1alpha1)',
            ),
      },
      output: { resources: z => z.array(z.string()) },
    },
    async handler(ctx) {
      const { project, manifests } = ctx.input;
      const documents = parseAllDocuments(manifests);
      const broken = documents.find(d => d.errors.length);
      if (broken) {
        throw new InputError(
          `manifests are not YAML: ${broken.errors[0].message}`,
        );
      }
      // Every document is checked before anything is sent: one bad document applies nothing.
      const objects = documents
        .map(d => d.toJS())
        .map((o: any, index) => ({ o, index }))
        .filter(({ o }) => o !== null && o !== undefined)
        .map(({ o, index }) => {
          const which = `document ${index + 1}`;
          if (typeof o !== 'object' || Array.isArray(o)) {
            throw new InputError(`${which} is not a Kubernetes object`);
          }
          const kind = typeof o.kind === 'string' ? o.kind : '(no kind)';
          const name = o.metadata?.name;
          const named = `${which} (${kind}${
            typeof name === 'string' ? `/${name}` : ''
          })`;
          if (!APPLICABLE_KINDS[o.apiVersion]?.includes(o.kind)) {
            throw new InputError(
              `${named}: kind ${
                o.apiVersion ?? '(no apiVersion)'
              } ${kind} cannot be applied by kargo:resources:apply; allowed: ${allowedKinds}`,
            );
          }
          if (typeof name !== 'string' || !name) {
            throw new InputError(`${named} needs metadata.name`);
          }
          const namespace = o.metadata.namespace ?? project;
          if (namespace !== project) {
            throw new InputError(
              `${named} is for namespace ${namespace}, not project ${project}`,
            );
          }
          return { ...o, metadata: { ...o.metadata, namespace: project } };
        });
      if (!objects.length) {
        throw new InputError('manifests has no document to apply');
      }
      const described = objects.map(o => `${o.kind}/${o.metadata.name}`);
      ctx.output('resources', described);
      const client = options.instances.get(ctx.input.instance);
      const instance = client.instance.name;

      const plan = () =>
        authorizeExistingProjectChange({
          permissions: options.permissions,
          ctx,
          client,
          project,
          action: 'kargo:resources:apply',
          governs: stages =>
            stagesGovernedBy(
              objects.map(o => ({ kind: o.kind, name: o.metadata.name })),
              [...stages, ...objects.filter(o => o.kind === 'Stage')],
            ),
        });

      if (ctx.isDryRun) {
        await plan();
        ctx.logger.info(`Dry run: would apply ${described.join(', ')}`);
        return;
      }
      await audited(
        options.auditor,
        ctx,
        'kargo-resources-apply',
        { instance, project, resources: described },
        async () => {
          const writer = await plan();
          const result = await writer.updateResources(
            objects.map(o => JSON.stringify(o)).join('\n---\n'),
            { upsert: true },
          );
          const failed = (result.results ?? []).filter(r => r.error);
          if (failed.length) {
            throw new Error(
              `Kargo refused: ${failed.map(r => r.error).join('; ')}`,
            );
          }
        },
      );
    },
  });
}
