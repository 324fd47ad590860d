import type { Freight } from '@kargo-backstage/plugin-kargo-common';
import { ManualClock } from '../clock';
import { KargoSimulator } from '../KargoSimulator';
import { DEFAULT_TOKENS, SimulatorToken } from '../http/auth';
import {
  RunningKargoSimulator,
  startKargoSimulator,
  StartKargoSimulatorOptions,
} from '../startKargoSimulator';

export const ADMIN = DEFAULT_TOKENS[0].token;

/**
 * The tokens of the REST tests: the admin, Kargo's system-level kargo-viewer (reads every
 * project) and dana, a kargo-promoter of kargo-demo.
 */
export const TEST_TOKENS: SimulatorToken[] = [
  ...DEFAULT_TOKENS,
  {
    token: 'viewer-token',
    role: 'kargo-viewer',
    actor: 'email:viewer@example.com',
  },
  {
    token: 'promoter-demo',
    role: 'kargo-promoter',
    project: 'kargo-demo',
    actor: 'email:dana@example.com',
  },
];

/** The REST API tests' simulator: two projects, the test tokens, quick keepalives. */
export const REST_API_TEST: StartKargoSimulatorOptions = {
  projects: ['kargo-demo', 'microservices'],
  tokens: TEST_TOKENS,
  keepaliveMs: 50,
};

export interface CallOptions {
  /** Default: the admin's; null: none. */
  token?: string | null;
  body?: unknown;
}

/** The simulator over HTTP on a manual clock: time moves only when a test ticks it. */
export async function startTestSimulator(
  options: StartKargoSimulatorOptions = {},
) {
  const clock = new ManualClock();
  const kargo = await startKargoSimulator({
    clock,
    projects: ['kargo-demo'],
    ...options,
  });
  return { kargo, sim: kargo.simulator, clock };
}

/**
 * A simulator for each test of the file: started (startTestSimulator) before each test and
 * closed after it. Read its parts inside the tests: `kargo`, `sim`, `clock`, and `call`, a
 * callKargo to it.
 */
export function simulatorForEachTest(options?: StartKargoSimulatorOptions) {
  const test = {
    call: (method: string, path: string, callOptions?: CallOptions) =>
      callKargo(test.kargo, method, path, callOptions),
  } as Awaited<ReturnType<typeof startTestSimulator>> & {
    call: (
      method: string,
      path: string,
      callOptions?: CallOptions,
    ) => ReturnType<typeof callKargo>;
  };
  beforeEach(async () => {
    Object.assign(test, await startTestSimulator(options));
  });
  afterEach(() => test.kargo.close());
  return test;
}

/**
 * A call to the simulator's Kargo API: `path` below /v1beta1, as the admin unless `token`
 * says otherwise, a JSON body when given.
 */
export async function callKargo(
  kargo: RunningKargoSimulator,
  method: string,
  path: string,
  options: CallOptions = {},
) {
  const token = options.token === undefined ? ADMIN : options.token;
  const res = await fetch(`${kargo.url}/v1beta1${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(options.body !== undefined
        ? { 'content-type': 'application/json' }
        : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Reads SSE frames of a watch below /v1beta1 until `enough` says so, the stream ends or breaks, or an error frame came. */
export async function readFrames(
  kargo: RunningKargoSimulator,
  path: string,
  enough: (frames: string[]) => boolean,
  afterConnect?: () => void,
) {
  const controller = new AbortController();
  const res = await fetch(`${kargo.url}/v1beta1${path}`, {
    headers: { authorization: `Bearer ${ADMIN}` },
    signal: controller.signal,
  });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const frames: string[] = [];
  afterConnect?.();
  try {
    while (!enough(frames) && !frames.some(f => f.startsWith('event: error'))) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      const parts = buffer.split('\n\n');
      buffer = parts.pop()!;
      frames.push(...parts);
    }
  } catch {
    frames.push('(connection broken)');
  }
  controller.abort();
  return frames;
}

/** Enough frames once `n` of them carry data. */
export const dataFrames = (n: number) => (frames: string[]) =>
  frames.filter(f => f.startsWith('data: ')).length >= n;

/** The freight the kargo-demo fixture has in its test stage. */
export const freightInTest = (sim: KargoSimulator) =>
  sim.store
    .list<Freight>('Freight', 'kargo-demo')
    .find(f => f.status?.currentlyIn?.test)!;

/** Promotes freight, by name, into a kargo-demo stage as the admin. */
export const promoteInDemo = (
  sim: KargoSimulator,
  stage: string,
  freight: string | undefined,
) => sim.promote('kargo-demo', stage, { freight }, 'admin');
