/*
 * Replicas of this portal's backend for tests and benchmarks: src/index.ts as `yarn start`
 * runs it, each in its own process, configured the production way (PostgreSQL, Redis when
 * given, the events bus) against a Kargo API at `kargoUrl`.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

export interface Postgres {
  host: string;
  port: number;
  user: string;
  password?: string;
}

/**
 * The PostgreSQL the test suite uses (`BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING`,
 * which `yarn test:all` sets when one answers on 127.0.0.1:5432), or undefined.
 */
export function testPostgres(): Postgres | undefined {
  const url = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
  if (!url) return undefined;
  const { hostname, port, username, password } = new URL(url);
  return {
    host: hostname,
    port: Number(port || 5432),
    user: decodeURIComponent(username) || 'postgres',
    password: password ? decodeURIComponent(password) : undefined,
  };
}

export interface ReplicaSetup {
  postgres: Postgres;
  /** Database name prefix: the replicas' databases (one per plugin) are theirs alone. */
  prefix: string;
  /** The Kargo instance's name (it keys the shared cache and the signal channels). */
  instance: string;
  kargoUrl: string;
  /** A shared Redis cache; each replica keeps its own memory cache without. */
  redisUrl?: string;
  leaseSeconds: number;
}

export interface Replica {
  url: string;
  child: ChildProcess;
  log: string[];
  /** A guest's Backstage token, from the replica's own sign-in. */
  token: string;
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

export async function eventually<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

export function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise(resolve => {
    const socket = net.connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The Kargo tab's request for an entity. */
export function viewEntity(replica: Replica, entityRef: string) {
  return fetch(
    `${replica.url}/api/kargo/entity-view?entityRef=${encodeURIComponent(
      entityRef,
    )}`,
    { headers: { authorization: `Bearer ${replica.token}` } },
  );
}

/**
 * Starts a replica and waits until a guest can sign in and sees the guestbook's Kargo tab.
 * Start replicas of a fresh database one after the other: Backstage's own migrations do not
 * take two first starts at once.
 */
export async function startReplica(
  name: string,
  setup: ReplicaSetup,
): Promise<Replica> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kargo-replica-'));
  const overlay = path.join(dir, `${name}.json`);
  // JSON is YAML: the production shape, on this machine.
  fs.writeFileSync(
    overlay,
    JSON.stringify({
      backend: {
        baseUrl: url,
        listen: { port },
        database: {
          client: 'pg',
          prefix: setup.prefix,
          connection: setup.postgres,
        },
        ...(setup.redisUrl
          ? {
              cache: {
                store: 'redis',
                connection: setup.redisUrl,
                redis: { client: { keyPrefixSeparator: ':' } },
              },
            }
          : undefined),
      },
      events: { useEventBus: 'always' },
      kargo: {
        instances: [
          {
            name: setup.instance,
            url: setup.kargoUrl,
            token: 'kargo-simulator-admin-token',
          },
        ],
        watch: { leaseSeconds: setup.leaseSeconds },
      },
    }),
  );
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      'src/index.ts',
      '--config',
      '../../app-config.yaml',
      // The demo's sign-in and catalog (the guest, guestbook), as `yarn start` layers them.
      '--config',
      '../../app-config.demo.yaml',
      '--config',
      overlay,
    ],
    {
      cwd: path.resolve(__dirname, '../..'),
      env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const log: string[] = [];
  child.stdout!.on('data', d => log.push(String(d)));
  child.stderr!.on('data', d => log.push(String(d)));
  child.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  try {
    // Guest sign-in, as the browser does; the catalog has the entity once a view answers.
    const token = await eventually(`${name} to sign in`, async () => {
      const res = await fetch(`${url}/api/auth/guest/refresh?env=development`, {
        headers: { 'x-requested-with': 'XMLHttpRequest' },
      });
      return res.ok
        ? ((await res.json()).backstageIdentity.token as string)
        : undefined;
    });
    const replica = { url, child, log, token };
    await eventually(`${name} to show the guestbook`, async () =>
      (
        await viewEntity(replica, 'component:default/guestbook')
      ).ok
        ? true
        : undefined,
    );
    return replica;
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${error}\n${log.join('')}`);
  }
}

/** Kills a replica (no shutdown hooks run) and waits until it is gone. */
export async function killReplica(replica: Replica): Promise<void> {
  const { child } = replica;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise(resolve => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** Drops the databases of a run (one per plugin), once its replicas are gone. */
export async function dropDatabases(
  postgres: Postgres,
  prefix: string,
): Promise<void> {
  const admin = new Client({ ...postgres, database: 'postgres' });
  await admin.connect();
  try {
    const { rows } = await admin.query(
      'select datname from pg_database where datname like $1',
      [`${prefix}%`],
    );
    for (const { datname } of rows) {
      await admin.query(`drop database if exists "${datname}" with (force)`);
    }
  } finally {
    await admin.end();
  }
}
