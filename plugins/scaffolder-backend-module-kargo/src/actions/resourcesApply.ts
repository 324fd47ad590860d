import { AuditorService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { KargoInstances } from '@kargo-backstage/plugin-kargo-node';
import { parseAllDocuments } from 'yaml';
import { audited } from './audited';

/** `kargo:resources:apply`: creates or updates Kargo manifests (YAML) in a project. @public */
export function createKargoResourcesApplyAction(options: {
  instances: KargoInstances;
  auditor: AuditorService;
}): TemplateAction<any, any, any> {
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
          z.string().min(1).describe('Namespace the manifests go to'),
        manifests: z =>
          z
            .string()
            .min(1)
            .max(1_000_000)
            .describe('One or more YAML documents'),
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
      const objects = documents
        .map(d => d.toJS())
        .filter(Boolean)
        .map((o: any) => {
          if (!o.kind || !o.metadata?.name) {
            throw new InputError('every manifest needs kind and metadata.name');
          }
          const namespace = o.metadata.namespace ?? project;
          if (o.kind !== 'Project' && namespace !== project) {
            throw new InputError(
              `${o.kind}/${o.metadata.name} is for namespace ${namespace}, not project ${project}`,
            );
          }
          return o.kind === 'Project'
            ? o
            : { ...o, metadata: { ...o.metadata, namespace: project } };
        });
      const described = objects.map(o => `${o.kind}/${o.metadata.name}`);
      ctx.output('resources', described);
      const client = options.instances.get(ctx.input.instance);
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would apply ${described.join(', ')}`);
        return;
      }
      await audited(
        options.auditor,
        ctx,
        'kargo-resources-apply',
        { instance: client.instance.name, project, resources: described },
        async () => {
          const result = await client.updateResources(
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
