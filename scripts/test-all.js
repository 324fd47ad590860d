#!/usr/bin/env node
/*
 * The whole test suite, as the README's test command runs it: type check, lint, formatting, then every
 * Jest project. Database tests also run on PostgreSQL, and cache tests on Redis, when those
 * answer on their usual local ports; without them the suites use SQLite and memory.
 * Jest's JSON report is written to test-results/jest.json for CI to count.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

function answers(port) {
  return new Promise(resolve => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = ok => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function run(title, command, args, env = process.env) {
  console.log(`\n=== ${title}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`\n${title} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

async function main() {
  const env = { ...process.env, CI: '1', BACKSTAGE_TEST_DISABLE_DOCKER: '1' };
  const pgVar = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';
  if (!env[pgVar] && (await answers(5432))) {
    env[pgVar] = 'postgresql://postgres@127.0.0.1:5432';
  }
  if (!env.KARGO_TEST_REDIS_URL && (await answers(6379))) {
    env.KARGO_TEST_REDIS_URL = 'redis://127.0.0.1:6379';
  }
  console.log(
    `PostgreSQL tests: ${env[pgVar] ? 'on' : 'off (SQLite only)'}; ` +
      `Redis tests: ${env.KARGO_TEST_REDIS_URL ? 'on' : 'off (memory only)'}`,
  );

  // Runs inside `yarn test:all`, so `yarn` is the committed release on PATH.
  const y = (title, args, e) => run(title, 'yarn', args, e);

  // The plugin's API has one source: the router and client types must be what its spec generates.
  y('OpenAPI spec against the code', ['openapi:check']);
  y('type check', ['tsc']);
  // The type check wrote dist-types; the public API of each package must match its report.
  y('API reports', ['api-reports:check']);
  y('lint', ['lint:all']);
  y('formatting', ['prettier:check']);
  realKargoTarget(env);
  fs.mkdirSync(path.join(root, 'test-results'), { recursive: true });
  y(
    'unit and integration tests',
    [
      'backstage-cli',
      'repo',
      'test',
      '--json',
      '--outputFile=test-results/jest.json',
    ],
    env,
  );
  run('packages build and pack as published', process.execPath, [
    path.join(root, 'scripts/check-packages.js'),
  ]);
  const chromium = env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (fs.existsSync(chromium)) {
    y('browser end-to-end tests (portal + simulator)', ['test:e2e'], env);
  } else {
    console.log(
      `\n=== browser end-to-end tests: SKIPPED, no Chromium at ${chromium} ` +
        '(apt-get install -y chromium, or set CHROMIUM_PATH)',
    );
  }
}

/**
 * The conformance suite's second target, a real Kargo, needs Go (to build etcd, kube-apiserver
 * and Helm from Go modules) and a Kargo v1.11.2 binary (KARGO_BIN: Kargo's own module cannot
 * be built from the module proxy, see packages/kargo-conformance/README.md). Without either it
 * is skipped, and says why.
 */
function realKargoTarget(env) {
  const go = [
    '/usr/local/go/bin/go',
    ...(env.PATH ?? '').split(':').map(d => path.join(d, 'go')),
  ].find(f => fs.existsSync(f));
  let reason;
  if (env.KARGO_CONFORMANCE_REAL === 'off')
    reason = 'KARGO_CONFORMANCE_REAL=off';
  else if (!go) reason = 'no Go toolchain on this machine';
  else if (!env.KARGO_BIN) {
    reason =
      'no Kargo binary: github.com/akuity/kargo@v1.11.2 cannot be built from the Go module ' +
      'proxy (its nested modules .../api and .../pkg/x/client/generated are not published); ' +
      'set KARGO_BIN to a kargo v1.11.2 binary';
  }
  if (reason) {
    console.log(`\n=== conformance against a real Kargo: SKIPPED, ${reason}`);
    env.KARGO_CONFORMANCE_REAL = 'off';
    env.KARGO_CONFORMANCE_REAL_REASON = reason;
    return;
  }
  run(
    'build the real Kargo target (cached)',
    'bash',
    [path.join(root, 'scripts/real-kargo/build.sh')],
    env,
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
