import http from 'node:http';
import { AddressInfo } from 'node:net';
import { KargoSimulator, KargoSimulatorOptions } from './KargoSimulator';
import { DEFAULT_TOKENS, SimulatorToken } from './http/auth';
import { createApp } from './http/createApp';
import { Faults, noFaults } from './http/faults';
import { parseDuration } from './controller/durations';

export interface StartKargoSimulatorOptions extends KargoSimulatorOptions {
  /** 0 picks a free port (tests). */
  port?: number;
  host?: string;
  tokens?: SimulatorToken[];
  /** Run the controllers on a timer; off in tests that call tick() themselves. */
  tickMs?: number;
  /** Publish a new image version to one warehouse's registry this often (demo liveliness). */
  publishEvery?: string;
  keepaliveMs?: number;
  /** A simulator built beforehand, e.g. with the benchmark fixture loaded. */
  simulator?: KargoSimulator;
  /**
   * Answer as this Kargo release does (default MIRRORED_KARGO_VERSION): e.g. `v1.10.3` replays
   * every object as ADDED on each watch connection, has no freight watch and answers some errors
   * with empty bodies; before `v1.9.0` there is no REST API at all (see http/versions.ts).
   */
  serverVersion?: string;
}

export interface RunningKargoSimulator {
  url: string;
  port: number;
  simulator: KargoSimulator;
  faults: Faults;
  /** Every Kargo API request received, "METHOD /v1beta1/...": clear it with `length = 0`. */
  requestLog: string[];
  close(): Promise<void>;
}

/** The Kargo version whose API the simulator mirrors. */
export const MIRRORED_KARGO_VERSION = 'v1.11.2';

/** Starts the simulator's HTTP server (Kargo's REST API at /v1beta1). */
export async function startKargoSimulator(
  options: StartKargoSimulatorOptions = {},
): Promise<RunningKargoSimulator> {
  const simulator = options.simulator ?? new KargoSimulator(options);
  const faults = noFaults();
  const requestLog: string[] = [];
  const app = createApp({
    simulator,
    tokens: options.tokens ?? DEFAULT_TOKENS,
    faults,
    keepaliveMs: options.keepaliveMs ?? 30_000,
    version: options.serverVersion ?? MIRRORED_KARGO_VERSION,
    requestLog,
  });
  const server = http.createServer(app);
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const timers: NodeJS.Timeout[] = [];
  if (options.tickMs) {
    timers.push(setInterval(() => simulator.tick(), options.tickMs));
  }
  const publishMs = parseDuration(options.publishEvery);
  if (publishMs > 0) {
    let turn = 0;
    timers.push(
      setInterval(() => {
        const repos = [...simulator.registry.images.keys()];
        if (!repos.length) return;
        const repo = repos[turn++ % repos.length];
        simulator.registry.publishNextImageVersions([repo]);
        for (const w of simulator.store.list('Warehouse')) {
          simulator.discoverWarehouse(
            w.metadata!.namespace!,
            w.metadata!.name!,
          );
        }
      }, publishMs),
    );
  }
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    simulator,
    faults,
    requestLog,
    close: async () => {
      timers.forEach(clearInterval);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}
