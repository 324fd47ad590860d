import { ConflictError, isErrorWithName } from '@backstage/errors';
import {
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { Warehouse } from '@kargo-backstage/plugin-kargo-common';
import { authorizeExistingProjectChange, stagesGovernedBy } from './access';
import { audited } from './audited';
import { KargoActionOptions } from './options';

/** The warehouse freight goes to when the input names none. */
const WRITEBACK_WAREHOUSE = 'image-writeback';

/**
 * `kargo:freight:create`, stand-alone image writeback: freight for an image (and optionally a
 * commit) that no warehouse discovers, so it can be promoted like any other. It lives in a
 * warehouse with manual freight creation (created on first use), as Kargo requires an origin.
 *
 * For the user who started the template, in an existing project: like assembling freight by
 * hand in the portal it needs `kargo.project.manage` on the project; creating the warehouse or
 * adding a subscription to it also needs `kargo.stage.manage` on the stages it feeds. A
 * warehouse that creates freight automatically is refused, not switched to manual.
 * @public
 */
export function createKargoFreightCreateAction(
  options: KargoActionOptions,
): TemplateAction<any, any, any> {
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
            .default(WRITEBACK_WAREHOUSE)
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
      const { project, image, commit } = ctx.input;
      // The scaffolder validates input against the JSON schema but fills in no defaults.
      const warehouse: string = ctx.input.warehouse ?? WRITEBACK_WAREHOUSE;
      const client = options.instances.get(ctx.input.instance);
      const instance = client.instance.name;
      ctx.output('warehouse', warehouse);

      const plan = async () => {
        // New freight reaches every stage the warehouse feeds (auto-promotion included),
        // whether or not the warehouse itself changes.
        const writer = await authorizeExistingProjectChange({
          permissions: options.permissions,
          ctx,
          client,
          project,
          action: 'kargo:freight:create',
          governs: stages =>
            stagesGovernedBy([{ kind: 'Warehouse', name: warehouse }], stages),
        });
        const existing = await client
          .getWarehouse(project, warehouse)
          .catch(error => {
            if (isErrorWithName(error, 'NotFoundError')) return undefined;
            throw error;
          });
        if (existing && existing.spec?.freightCreationPolicy !== 'Manual') {
          throw new ConflictError(
            `Warehouse "${warehouse}" of project ${project} creates freight automatically; kargo:freight:create only uses a warehouse with manual freight creation (choose another warehouse)`,
          );
        }
        // A warehouse that subscribes to the image but never creates freight on its own.
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
        const changed =
          !existing ||
          subscriptions.length !== (existing.spec.subscriptions ?? []).length;
        const manual: Warehouse | undefined = changed
          ? {
              apiVersion: 'kargo.akuity.io/v1alpha1',
              kind: 'Warehouse',
              metadata: {
                name: warehouse,
                namespace: project,
                labels: existing?.metadata?.labels,
                annotations: existing?.metadata?.annotations,
              },
              spec: {
                ...existing?.spec,
                freightCreationPolicy: 'Manual',
                subscriptions,
              } as Warehouse['spec'],
            }
          : undefined;
        return { writer, manual };
      };

      if (ctx.isDryRun) {
        const { manual } = await plan();
        ctx.logger.info(
          `Dry run: would ${
            manual ? `write warehouse ${warehouse} and ` : ''
          }create freight ${image.repoURL}:${
            image.tag
          } in ${project}/${warehouse}`,
        );
        // No freight is made, so no name is output: a later step sees none.
        return;
      }
      const created = await audited(
        options.auditor,
        ctx,
        'kargo-freight-create',
        {
          instance,
          project,
          warehouse,
          image: `${image.repoURL}:${image.tag}`,
        },
        async () => {
          const { writer, manual } = await plan();
          if (manual) {
            await writer.updateResources(JSON.stringify(manual), {
              upsert: true,
            });
          }
          const result = await writer.createResources(
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
