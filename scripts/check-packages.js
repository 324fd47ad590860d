#!/usr/bin/env node
/*
 * Builds every publishable plugin package and checks what `yarn pack` would ship: the built
 * entry points and types, the config schema, the backend's migrations, and Backstage's package
 * metadata. A package that would not install in another portal fails here.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const yarn = [path.join(root, '.yarn/releases/yarn-4.13.0.cjs')];
const plugins = fs
  .readdirSync(path.join(root, 'plugins'))
  .map(dir => path.join(root, 'plugins', dir))
  .filter(dir => fs.existsSync(path.join(dir, 'package.json')));

let failures = 0;
for (const dir of plugins) {
  const pkg = JSON.parse(
    fs.readFileSync(path.join(dir, 'package.json'), 'utf8'),
  );
  const name = pkg.name;
  const problems = [];
  try {
    execFileSync(
      process.execPath,
      [...yarn, 'backstage-cli', 'package', 'build'],
      {
        cwd: dir,
        stdio: 'pipe',
      },
    );
  } catch (error) {
    problems.push(
      `build failed: ${String(error.stderr || error.message).slice(0, 500)}`,
    );
  }
  let files = [];
  if (!problems.length) {
    try {
      const out = execFileSync(
        process.execPath,
        [...yarn, 'pack', '--dry-run', '--json'],
        {
          cwd: dir,
          stdio: 'pipe',
        },
      ).toString();
      files = out
        .split('\n')
        .filter(Boolean)
        .map(line => JSON.parse(line))
        .filter(entry => entry.location)
        .map(entry => entry.location);
    } catch (error) {
      problems.push(
        `pack failed: ${String(error.stdout || error.message).slice(0, 500)}`,
      );
    }
  }
  const expect = file => {
    if (!files.includes(file)) problems.push(`the package lacks ${file}`);
  };
  if (!problems.length) {
    expect('package.json');
    if (pkg.exports) {
      // Each entry point (".", "./alpha") ships as built code with its types.
      for (const entry of Object.keys(pkg.exports)) {
        if (entry === './package.json') continue;
        const base = entry === '.' ? 'index' : entry.slice(2);
        // Frontend and common packages build ES modules, backend ones CommonJS.
        if (!files.includes(`dist/${base}.esm.js`)) {
          expect(`dist/${base}.cjs.js`);
        }
        expect(`dist/${base}.d.ts`);
      }
    } else {
      expect(pkg.publishConfig.main);
      expect(pkg.publishConfig.types);
    }
    // The CLI turns config.d.ts into the JSON schema it ships.
    if (pkg.configSchema) expect('config.schema.json');
    if (name.endsWith('kargo-backend'))
      expect('migrations/20261125120000_init.js');
    if (files.some(f => f.startsWith('src/')))
      problems.push('the package ships src/');
  }
  if (!pkg.backstage?.role) problems.push('backstage.role is missing');
  if (
    [
      'frontend-plugin',
      'backend-plugin',
      'common-library',
      'node-library',
    ].includes(pkg.backstage?.role) &&
    !pkg.backstage?.pluginPackages?.length
  ) {
    problems.push('backstage.pluginPackages is missing');
  }
  if (
    pkg.backstage?.role?.endsWith('-module') &&
    !pkg.backstage?.pluginPackage
  ) {
    problems.push('backstage.pluginPackage is missing');
  }
  console.log(
    `${problems.length ? 'FAIL' : 'ok  '} ${name} (${files.length} files)`,
  );
  for (const p of problems) console.log(`     ${p}`);
  failures += problems.length ? 1 : 0;
}
process.exit(failures ? 1 : 0);
