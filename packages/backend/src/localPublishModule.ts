import {
  coreServices,
  createBackendModule,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  catalogLocationsExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import {
  createTemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import fs from 'fs-extra';
import path from 'node:path';

/**
 * The embedded default has no git host, so templates "publish" into a folder of this checkout
 * (`scaffolder.localPublish.directory`, default `examples/generated`) and register the
 * catalog-info.yaml from there. A portal with GitHub or GitLab uses `publish:github` and
 * `catalog:register` instead.
 */
export const scaffolderModuleLocalPublish = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'local-publish',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
      },
      async init({ scaffolder, config, catalog }) {
        const root = path.resolve(
          resolvePackagePath('backend'),
          config.getOptionalString('scaffolder.localPublish.directory') ??
            '../../examples/generated',
        );
        scaffolder.addActions(
          createTemplateAction({
            id: 'publish:local',
            description: 'Copies the workspace into a local folder (demo)',
            schema: {
              input: {
                name: z => z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/),
              },
              output: {
                remoteUrl: z => z.string(),
                catalogInfoPath: z => z.string(),
              },
            },
            async handler(ctx) {
              const target = path.join(root, ctx.input.name);
              if (!ctx.isDryRun) {
                await fs.ensureDir(root);
                await fs.copy(ctx.workspacePath, target, { overwrite: true });
              }
              ctx.output('remoteUrl', `file://${target}`);
              ctx.output(
                'catalogInfoPath',
                path.join(target, 'catalog-info.yaml'),
              );
            },
          }),
          createTemplateAction({
            id: 'catalog:register:local',
            description:
              'Registers a catalog-info.yaml published with publish:local (demo)',
            schema: {
              input: { catalogInfoPath: z => z.string() },
              output: { entityRef: z => z.string().optional() },
            },
            async handler(ctx) {
              const file = path.resolve(ctx.input.catalogInfoPath);
              if (!file.startsWith(root + path.sep)) {
                throw new InputError(`${file} is not under ${root}`);
              }
              if (ctx.isDryRun) return;
              const credentials = await ctx.getInitiatorCredentials();
              const location = await catalog
                .addLocation({ type: 'file', target: file }, { credentials })
                .catch(async error => {
                  // Registered before (a re-run): refresh it instead.
                  if (!/already exists|Conflict/i.test(String(error)))
                    throw error;
                  return undefined;
                });
              const entity = location?.entities?.[0];
              if (entity) {
                ctx.output(
                  'entityRef',
                  `${entity.kind.toLowerCase()}:${
                    entity.metadata.namespace ?? 'default'
                  }/${entity.metadata.name}`,
                );
              }
            },
          }),
        );
      },
    });
  },
});

/** Lets the catalog register `file` locations, which the local publishing above produces. */
export const catalogModuleLocalFiles = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'local-files',
  register(reg) {
    reg.registerInit({
      deps: { locations: catalogLocationsExtensionPoint },
      async init({ locations }) {
        locations.setAllowedLocationTypes(['url', 'file']);
      },
    });
  },
});
