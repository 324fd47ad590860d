import { AuditorService } from '@backstage/backend-plugin-api';
import {
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import type { Warehouse } from '@kargo-backstage/plugin-kargo-common';
import { KargoInstances } from '@kargo-backstage/plugin-kargo-node';
import { audited } from './audited';

/**
 * `kargo:freight:create`, stand-alone image writeback: freight for an image (and optionally a
 * commit) that no warehouse discovers, so it can be promoted like any other. It lives in a
 * warehouse with manual freight creation (created on first use), as Kargo requires an origin.
 * @public
 */
export function createKargoFreightCreateAction(options: {
  instances: KargoInstances;
  auditor: AuditorService;
}): TemplateAction<any, any, any> {
  return createTemplateAction({
    id: 'kargo:freight:create',
    description:
      'Creates freight for an image (and commit) no warehouse subscribes to (image writeback)',
    examples: [
      {
        description: 'A hotfix image built outside the usual pipeline',
        example: `steps:
  - id: freight
    action: kargo:freight:create
    input:
      project: checkout
      image: { repoURL: ghcr.io/example/checkout, tag: 1.4.2-hotfix.1 }`,
      },
    ],
    schema: {
      input: {
        instance: z => z.string().optional(),
        project: z => z.string().min(1),
        warehouse: z =>
          z
            .string()
            .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
            .default('image-writeback')
            .describe(
              'Warehouse the freight belongs to (manual freight creation)',
            ),
        image: z =>
          z.object({
            repoURL: z.string().min(1),
            tag: z.string().min(1).max(128),
            digest: z.string().optional(),
          }),
        commit: z =>
          z
            .object({
              repoURL: z.string().url(),
              id: z.string().regex(/^[0-9a-f]{7,64}$/),
              branch: z.string().optional(),
              message: z.string().optional(),
            })
            .optional(),
      },
      output: {
        freight: z => z.string(),
        alias: z => z.string().optional(),
        warehouse: z => z.string(),
      },
    },
    async handler(ctx) {
      const { project, warehouse, image, commit } = ctx.input;
      const client = options.instances.get(ctx.input.instance);
      ctx.output('warehouse', warehouse);
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would create freight ${image.repoURL}:${image.tag} in ${project}/${warehouse}`,
        );
        ctx.output('freight', 'dry-run');
        return;
      }
      const created = await audited(
        options.auditor,
        ctx,
        'kargo-freight-create',
        { project, warehouse, image: `${image.repoURL}:${image.tag}` },
        async () => {
          // A warehouse that subscribes to the image but never creates freight on its own.
          const existing = await client
            .getWarehouse(project, warehouse)
            .catch(() => undefined);
          const subscriptions = [...(existing?.spec.subscriptions ?? [])];
          const has = (repoURL: string) =>
            subscriptions.some(s => (s as any).image?.repoURL === repoURL);
          if (!has(image.repoURL)) {
            subscriptions.push({ image: { repoURL: image.repoURL } } as any);
          }
          if (
            commit &&
            !subscriptions.some(s => (s as any).git?.repoURL === commit.repoURL)
          ) {
            subscriptions.push({ git: { repoURL: commit.repoURL } } as any);
          }
          const manual: Warehouse = {
            apiVersion: 'kargo.akuity.io/v1alpha1',
            kind: 'Warehouse',
            metadata: { name: warehouse, namespace: project },
            spec: {
              ...existing?.spec,
              freightCreationPolicy: 'Manual',
              subscriptions,
            } as Warehouse['spec'],
          };
          await client.updateResources(JSON.stringify(manual), {
            upsert: true,
          });
          const result = await client.createResources(
            JSON.stringify({
              apiVersion: 'kargo.akuity.io/v1alpha1',
              kind: 'Freight',
              metadata: { namespace: project },
              origin: { kind: 'Warehouse', name: warehouse },
              images: [image],
              commits: commit ? [commit] : [],
            }),
          );
          const first = result.results?.[0] as any;
          if (!first || first.error) {
            throw new Error(
              `Kargo refused the freight: ${first?.error ?? 'no answer'}`,
            );
          }
          return first.createdResourceManifest;
        },
      );
      ctx.output('freight', created.metadata.name);
      if (created.alias) ctx.output('alias', created.alias);
      ctx.logger.info(
        `Freight ${created.metadata.name} (${created.alias}) created for ${image.repoURL}:${image.tag}`,
      );
    },
  });
}
