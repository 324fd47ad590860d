import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';

/**
 * `kargo:promote`: promotes freight into a stage through the Kargo backend plugin, on behalf of
 * the user who started the template, so its permissions, freeze windows, gates and audit apply
 * exactly as in the portal. A retried task promotes once (idempotency key from the task).
 * @public
 */
export function createKargoPromoteAction(options: {
  auth: AuthService;
  discovery: DiscoveryService;
}): TemplateAction<any, any, any> {
  return createTemplateAction({
    id: 'kargo:promote',
    description:
      'Promotes freight into a stage through the Kargo backend plugin (permissions, freeze and gates apply)',
    examples: [
      {
        description: 'Promote freight created by kargo:freight:create',
        example: `steps:
  - id: promote
    action: kargo:promote
    input:
      instance: production
      project: checkout
      stage: test
      freight: \${{ steps.freight.output.freight }}`,
      },
    ],
    schema: {
      input: {
        instance: z =>
          z.string().min(1).describe('A configured Kargo instance'),
        project: z => z.string().min(1),
        stage: z => z.string().min(1),
        freight: z => z.string().min(1).describe('Freight name or alias'),
        confirm: z =>
          z.array(z.string()).optional().describe('Gates to confirm'),
      },
      output: { promotion: z => z.string() },
    },
    async handler(ctx) {
      const { instance, project, stage, freight, confirm } = ctx.input;
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would promote ${freight} into ${project}/${stage}`,
        );
        ctx.output('promotion', 'dry-run');
        return;
      }
      const { token } = await options.auth.getPluginRequestToken({
        onBehalfOf: await ctx.getInitiatorCredentials(),
        targetPluginId: 'kargo',
      });
      const base = await options.discovery.getBaseUrl('kargo');
      const byName = /^[0-9a-f]{40}$/.test(freight);
      const response = await fetch(
        `${base}/instances/${encodeURIComponent(
          instance,
        )}/projects/${encodeURIComponent(project)}/stages/${encodeURIComponent(
          stage,
        )}/promotions`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'idempotency-key': `scaffolder-${ctx.task?.id ?? 'task'}-${stage}`,
          },
          body: JSON.stringify({
            ...(byName ? { freight } : { freightAlias: freight }),
            ...(confirm?.length ? { confirm } : {}),
          }),
        },
      );
      if (!response.ok) throw await ResponseError.fromResponse(response);
      const promotion = await response.json();
      ctx.output('promotion', promotion.metadata.name);
      ctx.logger.info(`Promotion ${promotion.metadata.name} started`);
    },
  });
}
