// openapi-fetch names its methods after the HTTP verbs (GET, POST): not constructors.
/* eslint-disable new-cap */
import { createHash } from 'node:crypto';
import {
  AuthService,
  DiscoveryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import {
  createKargoBackendClient,
  kargoFreightPromotePermission,
  kargoStageResourceRef,
} from '@kargo-backstage/plugin-kargo-common';
import { KargoInstances } from '@kargo-backstage/plugin-kargo-node';
import {
  authorizeInitiator,
  KARGO_TOKEN_SECRET,
  userKargoToken,
} from './access';

/**
 * `kargo:promote`: promotes freight into a stage through the Kargo backend plugin, on behalf of
 * the user who started the template, so its permissions, freeze windows, gates and audit apply
 * exactly as in the portal. A retried task promotes once (idempotency key from the task).
 *
 * The request carries an on-behalf-of token of the user, never a service token of its own. On an
 * instance with `forwardUserToken` it also carries the user's Kargo token from the task secret
 * `kargoToken` (`x-kargo-token`), and fails without one. A dry run checks
 * `kargo.freight.promote` on the stage (when given the permissions service) and promotes nothing.
 * @public
 */
export function createKargoPromoteAction(options: {
  auth: AuthService;
  discovery: DiscoveryService;
  /** To know which instances forward the user's Kargo token. */
  instances?: KargoInstances;
  /** To tell in a dry run whether the promotion would be refused. */
  permissions?: PermissionsService;
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
      const forwards =
        options.instances?.get(instance).instance.forwardUserToken;
      const kargoToken = forwards
        ? userKargoToken(instance, ctx)
        : !options.instances && ctx.secrets?.[KARGO_TOKEN_SECRET];
      if (ctx.isDryRun) {
        if (options.permissions) {
          await authorizeInitiator(
            options.permissions,
            await ctx.getInitiatorCredentials(),
            [
              {
                permission: kargoFreightPromotePermission,
                resourceRefs: [kargoStageResourceRef(instance, project, stage)],
              },
            ],
          );
        }
        ctx.logger.info(
          `Dry run: would promote ${freight} into ${project}/${stage}`,
        );
        // No promotion is made, so no name is output: a later step sees none.
        return;
      }
      // On behalf of the user: the route's permission checks and audit are the user's.
      const { token } = await options.auth.getPluginRequestToken({
        onBehalfOf: await ctx.getInitiatorCredentials(),
        targetPluginId: 'kargo',
      });
      const kargo = createKargoBackendClient({
        baseUrl: await options.discovery.getBaseUrl('kargo'),
        fetch: request => {
          request.headers.set('authorization', `Bearer ${token}`);
          return fetch(request);
        },
        onError: response => ResponseError.fromResponse(response),
      });
      const byName = /^[0-9a-f]{40}$/.test(freight);
      const { data } = await kargo.POST(
        '/instances/{instance}/projects/{project}/stages/{stage}/promotions',
        {
          params: {
            path: { instance, project, stage },
            header: {
              // One key per task and target: the same stage name in two projects is two keys
              // (hashed: the backend takes keys of up to 128 characters).
              'Idempotency-Key': `scaffolder-${
                ctx.task?.id ?? 'task'
              }-${createHash('sha256')
                .update(`${instance}/${project}/${stage}`)
                .digest('hex')
                .slice(0, 16)}`,
              ...(kargoToken ? { 'x-kargo-token': kargoToken } : {}),
            },
          },
          body: {
            ...(byName ? { freight } : { freightAlias: freight }),
            ...(confirm?.length ? { confirm } : {}),
          },
        },
      );
      const promotion = data as { metadata: { name: string } };
      ctx.output('promotion', promotion.metadata.name);
      ctx.logger.info(`Promotion ${promotion.metadata.name} started`);
    },
  });
}
