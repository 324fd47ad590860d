/*
 * The production start: `yarn start:production` (and the image, packages/backend/Dockerfile)
 * runs the backend with NODE_ENV=production on app-config.yaml + app-config.production.yaml
 * only. That layering offers no demo sign-in (guest, developer), loads no demo catalog data and
 * no simulator; the demo lives in app-config.demo.yaml, which only `yarn start` loads.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  dropDatabases,
  eventually,
  freePort,
  reachable,
  testPostgres,
} from './__testUtils__/replicas';

jest.setTimeout(90_000);

const root = path.resolve(__dirname, '../../..');
/** The production layering, relative to the checkout (the cwd of the production start). */
const PRODUCTION_CONFIGS = ['app-config.yaml', 'app-config.production.yaml'];

type Json = any;

/** Backstage's merge of config files: objects merge key by key, the later file wins otherwise. */
function merge(base: Json, over: Json): Json {
  if (
    base &&
    over &&
    typeof base === 'object' &&
    typeof over === 'object' &&
    !Array.isArray(base) &&
    !Array.isArray(over)
  ) {
    const out = { ...base };
    for (const [key, value] of Object.entries(over)) {
      out[key] = key in base ? merge(base[key], value) : value;
    }
    return out;
  }
  return over === undefined ? base : over;
}

function readConfigs(files: string[]): Json {
  return files
    .map(f => parse(fs.readFileSync(path.join(root, f), 'utf8')) ?? {})
    .reduce(merge, {});
}

function startScript(name: string): string | undefined {
  const pkg = JSON.parse(
    fs.readFileSync(path.join(root, 'package.json'), 'utf8'),
  );
  return pkg.scripts?.[name];
}

function configArgs(command: string): string[] {
  const words = command.split(/\s+/);
  return words.flatMap((w, i) =>
    w === '--config' ? [words[i + 1].replace(/["']/g, '')] : [],
  );
}

describe('the production start', () => {
  it('is `yarn start:production`: NODE_ENV=production on the production configs only', () => {
    const script = startScript('start:production');
    expect(script).toBeDefined();
    // The command that runs the backend (after any build steps).
    const run = script!.split('&&').find(s => /--config/.test(s))!;
    expect(run).toMatch(/(^|\s)NODE_ENV=production\s/);
    expect(configArgs(run)).toEqual(PRODUCTION_CONFIGS);
  });

  it('configures no demo sign-in, demo catalog data or simulator', () => {
    const config = readConfigs(PRODUCTION_CONFIGS);
    expect(Object.keys(config.auth?.providers ?? {})).not.toContain('guest');
    expect(Object.keys(config.auth?.providers ?? {})).not.toContain(
      'developer',
    );
    expect(config.demo).toBeUndefined();
    const targets = (config.catalog?.locations ?? []).map(
      (l: { target: string }) => l.target,
    );
    expect(targets.filter((t: string) => /examples\//.test(t))).toEqual([]);
    expect(
      (config.kargo?.instances ?? []).map((i: { url: string }) => i.url),
    ).toEqual(['${KARGO_URL}']);
  });

  it('keeps the demo in app-config.demo.yaml, which `yarn start` loads', () => {
    const demo = readConfigs(['app-config.demo.yaml']);
    expect(demo.demo?.enabled).toBe(true);
    expect(Object.keys(demo.auth.providers).sort()).toEqual([
      'developer',
      'guest',
    ]);
    expect(configArgs(startScript('start')!)).toEqual([
      '../../app-config.yaml',
      '../../app-config.demo.yaml',
    ]);
  });
});

/** Starting the backend needs the production database: without PostgreSQL it is skipped. */
const postgres = testPostgres();
if (!postgres) {
  // eslint-disable-next-line no-console
  console.log(
    'productionStart: no PostgreSQL (BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING), ' +
      'the production backend is not started',
  );
}

(postgres ? describe : describe.skip)('the production backend', () => {
  const prefix = `kargo_production_${process.pid}t${Date.now().toString(36)}_`;
  let child: ChildProcess | undefined;
  let url: string;
  const log: string[] = [];

  beforeAll(async () => {
    const port = await freePort();
    url = `http://localhost:${port}`;
    const redisUrl =
      process.env.KARGO_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    const redis = await reachable(redisUrl);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      APP_BASE_URL: url,
      BACKEND_BASE_URL: url,
      BACKEND_SECRET: 'production-start-test',
      POSTGRES_HOST: postgres!.host,
      POSTGRES_PORT: String(postgres!.port),
      POSTGRES_USER: postgres!.user,
      POSTGRES_PASSWORD: postgres!.password ?? 'unused',
      REDIS_URL: redisUrl,
      // Nothing answers there: the backend starts without Kargo and the cluster.
      KARGO_URL: `http://127.0.0.1:${await freePort()}`,
      KARGO_TOKEN: 'unused',
      KARGO_UI_URL: 'https://kargo.example.com',
      KUBERNETES_CLUSTER_NAME: 'production',
      KUBERNETES_API_URL: `https://127.0.0.1:${await freePort()}`,
      KUBERNETES_SERVICE_ACCOUNT_TOKEN: 'unused',
      // This test's own port and databases, as environment overrides of the two files.
      APP_CONFIG_backend_listen: `:${port}`,
      APP_CONFIG_backend_database_prefix: prefix,
      ...(redis ? {} : { APP_CONFIG_backend_cache: '{"store":"memory"}' }),
    };
    child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        'packages/backend/src/index.ts',
        ...PRODUCTION_CONFIGS.flatMap(c => ['--config', c]),
      ],
      { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.on('data', d => log.push(String(d)));
    child.stderr!.on('data', d => log.push(String(d)));
    const exited = new Promise<never>((_, reject) =>
      child!.once('exit', code =>
        reject(new Error(`the backend exited (${code}):\n${log.join('')}`)),
      ),
    );
    await Promise.race([
      exited,
      eventually('the production backend to be ready', async () =>
        (
          await fetch(`${url}/.backstage/health/v1/readiness`)
        ).ok
          ? true
          : undefined,
      ),
    ]).catch(error => {
      throw new Error(`${error}\n${log.join('')}`);
    });
  });

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise(resolve => child!.once('exit', resolve));
      child.kill('SIGKILL');
      await gone;
    }
    await dropDatabases(postgres!, prefix);
  });

  it('runs the auth backend', async () => {
    const res = await fetch(`${url}/api/auth/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
  });

  it.each(['guest', 'developer'])('offers no %s sign-in', async provider => {
    for (const method of ['GET', 'POST']) {
      const res = await fetch(
        `${url}/api/auth/${provider}/refresh?env=development`,
        { method, headers: { 'x-requested-with': 'XMLHttpRequest' } },
      );
      expect({ method, status: res.status }).toEqual({
        method,
        status: 404,
      });
    }
  });
});
