/*
 * The Kargo simulator in its own process, as Kargo is its own server: a benchmark that ran it
 * in the backend's process would bill Kargo's JSON work to the plugin.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  KargoClient,
  KargoInstances,
} from '@kargo-backstage/plugin-kargo-node';
import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export interface SimulatorProcess {
  url: string;
  port: number;
  /** Sets simulator faults, e.g. `{ latencyMs: 20 }`. */
  setFaults(faults: Record<string, number>): Promise<void>;
  /** The plugin's Kargo client for it, as a view's reads go, without the backend. */
  client(): KargoClient;
  /** Kargo API requests received since the last `clearRequests`. */
  requests(): Promise<string[]>;
  clearRequests(): Promise<void>;
  stop(): Promise<void>;
}

/** The simulator's admin token (see packages/kargo-simulator). */
export const ADMIN_TOKEN = 'kargo-simulator-admin-token';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

export async function startSimulatorProcess(options: {
  fixtures: string[];
  /** Controller interval; 0 keeps Kargo still (no promotions progress, nothing discovered). */
  tickMs: number;
  port?: number;
}): Promise<SimulatorProcess> {
  const port = options.port ?? (await freePort());
  const bin = path.resolve(
    __dirname,
    '../packages/kargo-simulator/bin/kargo-simulator',
  );
  const child: ChildProcess = spawn(
    process.execPath,
    [
      bin,
      '--port',
      String(port),
      '--tick-ms',
      String(options.tickMs),
      ...options.fixtures.flatMap(f => ['--fixture', f]),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const ok = await fetch(`${url}/healthz`).then(
      r => r.ok,
      () => false,
    );
    if (ok) break;
    if (i > 300 || child.exitCode !== null) {
      child.kill();
      throw new Error('the Kargo simulator did not start');
    }
    await new Promise(r => setTimeout(r, 100));
  }
  const admin = (p: string, init?: RequestInit) =>
    fetch(`${url}/simulator${p}`, {
      ...init,
      headers: { 'content-type': 'application/json' },
    });
  const client = KargoInstances.fromConfig(
    new ConfigReader({
      kargo: { instances: [{ name: 'sim', url, token: ADMIN_TOKEN }] },
    }),
    mockServices.rootLogger({ level: 'none' }),
  ).get('sim');
  return {
    url,
    port,
    client: () => client,
    setFaults: async faults => {
      await admin('/faults', { method: 'PUT', body: JSON.stringify(faults) });
    },
    requests: async () => (await (await admin('/requests')).json()).items,
    clearRequests: async () => {
      await admin('/requests', { method: 'DELETE' });
    },
    stop: async () => {
      const exited = new Promise(resolve => child.once('exit', resolve));
      child.kill();
      await exited;
    },
  };
}
