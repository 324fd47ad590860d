#!/usr/bin/env node
/* eslint-disable no-console */
/*
 * The plugin's API has one source: src/schema/openapi.yaml. From it this writes
 *   - src/schema/openapi/generated/router.ts: the spec as a constant and createOpenApiRouter, the
 *     router typed and validated from it (@backstage/backend-openapi-utils), as
 *     `backstage-repo-tools package schema openapi generate --server` writes it;
 *   - ../kargo-common/src/schema/openapi/generated/kargoBackendApi.ts: the paths and schemas as
 *     types (openapi-typescript), which the one client (createKargoBackendClient, openapi-fetch)
 *     is typed with, for the frontend, the scaffolder module and tests.
 * Backstage's own generator needs the OpenAPI Generator's Java jar, downloaded at run time from
 * Maven Central, which these machines cannot reach; openapi-typescript is an npm package.
 *
 *   yarn openapi:generate   write
 *   yarn openapi:check      fail if a file is not what the spec generates (test:all runs it)
 */
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const root = path.resolve(__dirname, '..');
const specPath = path.resolve(
  root,
  'plugins/kargo-backend/src/schema/openapi.yaml',
);
const routerPath = path.resolve(
  root,
  'plugins/kargo-backend/src/schema/openapi/generated/router.ts',
);
const typesPath = path.resolve(
  root,
  'plugins/kargo-common/src/schema/openapi/generated/kargoBackendApi.ts',
);

const header = [
  '/* eslint-disable */',
  '// Generated from plugins/kargo-backend/src/schema/openapi.yaml by',
  '// scripts/generate-openapi.js (yarn openapi:generate). Do not edit.',
  '',
].join('\n');

async function format(file, text) {
  const prettier = require('prettier');
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(text, { ...options, filepath: file });
}

async function main() {
  const check = process.argv.includes('--check');
  const spec = YAML.parse(fs.readFileSync(specPath, 'utf8'));
  const { default: openapiTS, astToString } = await import(
    'openapi-typescript'
  );
  const files = {
    [routerPath]: `${header}import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = ${JSON.stringify(spec, null, 2)} as const;

export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);
`,
    [typesPath]: header + astToString(await openapiTS(spec)),
  };
  let stale = 0;
  for (const [file, text] of Object.entries(files)) {
    const formatted = await format(file, text);
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (current === formatted) continue;
    if (check) {
      console.error(
        `${path.relative(root, file)} is not what ${path.relative(
          root,
          specPath,
        )} generates: run yarn openapi:generate`,
      );
      stale++;
    } else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, formatted);
      console.log(`wrote ${path.relative(root, file)}`);
    }
  }
  if (stale) process.exit(1);
  if (check)
    console.log('The generated router and client types match the spec');
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
