import {
  coreServices,
  createBackendModule,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  catalogLocationsExtensionPoint,
  catalogProcessingExtensionPoint,
  catalogServiceRef,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  createTemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import fs from 'fs-extra';
import path from 'node:path';
import { demoEnabled } from './demoSignIn';

/**
 * The embedded default has no git host, so templates "publish" into a folder of this checkout
 * (`scaffolder.localPublish.directory`, default `examples/generated`) and register the
 * catalog-info.yaml from there. A portal with GitHub or GitLab uses `publish:github` and
 * `catalog:register` instead. The actions exist with `demo.enabled` (app-config.demo.yaml) or
 * an explicit `scaffolder.localPublish.directory`; otherwise the module adds nothing.
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
        if (
          !demoEnabled(config) &&
          !config.has('scaffolder.localPublish.directory')
        ) {
          return;
        }
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

/** Characters with a meaning in the glob patterns the catalog's FileReaderProcessor expands. */
const GLOB = /[*?[\]{}()!]/;

function isUnder(file: string, roots: string[]): boolean {
  return roots.some(root => file === root || file.startsWith(root + path.sep));
}

/** The real path of what exists; the path itself for what does not (nothing to read there). */
async function realPath(file: string): Promise<string> {
  return fs.realpath(file).catch(() => file);
}

/**
 * The demo's `file` locations: a location of type `file` is read only when it is one file
 * under one of `roots`, also after following symbolic links; anything else ends with an error
 * on the location, and its file is never opened. It runs before the catalog's own
 * FileReaderProcessor (priority 20) and leaves the reading of allowed files to it.
 */
export class DemoLocalFilesProcessor implements CatalogProcessor {
  private readonly roots: string[];

  /** @param roots - absolute folders */
  constructor(roots: string[]) {
    this.roots = roots.map(r => path.resolve(r));
  }

  getProcessorName(): string {
    return 'DemoLocalFilesProcessor';
  }

  getPriority(): number {
    return 10;
  }

  /** Why `target` may not be read, or undefined when it may. Relative to the cwd, as read. */
  async refusal(target: string): Promise<string | undefined> {
    const roots = this.roots.join(', ');
    if (GLOB.test(target)) {
      return `file location ${target} is a pattern; the demo reads single files under ${roots}`;
    }
    const file = path.resolve(target);
    const realRoots = await Promise.all(this.roots.map(realPath));
    if (
      !isUnder(file, this.roots) ||
      !isUnder(await realPath(file), realRoots)
    ) {
      return `file location ${target} is not under ${roots}, the demo's folders for local catalog files`;
    }
    return undefined;
  }

  async readLocation(
    location: { type: string; target: string },
    _optional: boolean,
    emit: CatalogProcessorEmit,
  ): Promise<boolean> {
    if (location.type !== 'file') return false;
    const refusal = await this.refusal(location.target);
    if (!refusal) return false;
    emit(processingResult.inputError(location, refusal));
    return true;
  }
}

/** The folders the demo reads `file` locations from: `demo.localFiles.roots`, default examples/. */
export function demoLocalFileRoots(config: Config): string[] {
  return (
    config.getOptionalStringArray('demo.localFiles.roots') ?? ['../../examples']
  ).map(root => path.resolve(resolvePackagePath('backend'), root));
}

/**
 * Demo only (`demo.enabled`): lets the catalog register `file` locations, which the local
 * publishing above produces, for files under the demo's folders only (DemoLocalFilesProcessor).
 * Without `demo.enabled` the catalog keeps its default, `url` locations only.
 */
export const catalogModuleLocalFiles = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'local-files',
  register(reg) {
    reg.registerInit({
      deps: {
        locations: catalogLocationsExtensionPoint,
        processing: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ locations, processing, config }) {
        if (!demoEnabled(config)) return;
        locations.setAllowedLocationTypes(['url', 'file']);
        processing.addProcessor(
          new DemoLocalFilesProcessor(demoLocalFileRoots(config)),
        );
      },
    });
  },
});
