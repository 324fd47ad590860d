import type { Freight } from '@kargo-backstage/plugin-kargo-common';
import { KargoSimulator } from '../KargoSimulator';
import { ManualClock } from '../clock';
import {
  RunningKargoSimulator,
  startKargoSimulator,
} from '../startKargoSimulator';
import { DEFAULT_TOKENS } from './auth';
import { behaviourOf } from './versions';

const ADMIN = DEFAULT_TOKENS[0].token;
let kargo: RunningKargoSimulator | undefined;
afterEach(() => kargo?.close());

async function start(serverVersion: string) {
  const simulator = new KargoSimulator({
    clock: new ManualClock(),
    projects: ['kargo-demo'],
  });
  kargo = await startKargoSimulator({
    simulator,
    serverVersion,
    keepaliveMs: 50,
  });
  return simulator;
}

const get = (path: string, token = ADMIN) =>
  fetch(`${kargo!.url}/v1beta1${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

/** The frames of a watch until it has been quiet for a moment. */
async function framesOf(path: string): Promise<string[]> {
  const controller = new AbortController();
  const response = await fetch(`${kargo!.url}/v1beta1${path}`, {
    headers: { authorization: `Bearer ${ADMIN}` },
    signal: controller.signal,
  });
  setTimeout(() => controller.abort(), 300);
  let text = '';
  try {
    for await (const chunk of response.body as any) {
      text += Buffer.from(chunk).toString('utf8');
    }
  } catch {
    // aborted
  }
  return text.split('\n\n').filter(f => f && !f.startsWith(':'));
}

describe('serverVersion', () => {
  it('knows the releases', () => {
    expect(behaviourOf('v1.11.2')).toEqual({
      restApi: true,
      watchResume: true,
      jsonErrors: true,
      barePromotion: true,
    });
    expect(behaviourOf('v1.11.0')).toMatchObject({
      watchResume: true,
      jsonErrors: false,
    });
    expect(behaviourOf('v1.10.0')).toMatchObject({
      restApi: true,
      watchResume: false,
      barePromotion: false,
    });
    expect(behaviourOf('v1.8.9').restApi).toBe(false);
    expect(behaviourOf('devel+1c76476').watchResume).toBe(true);
  });

  it('v1.10.3: replays every stage as ADDED whatever resourceVersion asks, has no freight watch, and leaves some errors empty', async () => {
    await start('v1.10.3');
    expect((await (await get('/system/server-version')).json()).version).toBe(
      'v1.10.3',
    );
    const list = await (await get('/projects/kargo-demo/stages')).json();
    expect(list.metadata).toEqual({});
    const frames = await framesOf(
      '/projects/kargo-demo/stages?watch=true&resourceVersion=1',
    );
    expect(frames.map(f => JSON.parse(f.slice(6)).type)).toEqual([
      'ADDED',
      'ADDED',
      'ADDED',
    ]);
    const freightWatch = await get('/projects/kargo-demo/freight?watch=true');
    expect(freightWatch.headers.get('content-type')).toMatch(/json/);
    const freight = await freightWatch.json();
    expect(freight.resourceVersion).toBeUndefined();
    expect(Object.values(freight.groups).length).toBeGreaterThan(0);

    const anonymous = await get('/projects/kargo-demo/stages', '');
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toBe('');
  });

  it('v1.10.0 wraps the promotion it answers', async () => {
    const sim = await start('v1.10.0');
    const freight = sim.store
      .list<Freight>('Freight', 'kargo-demo')
      .find(f => f.status?.currentlyIn?.test)!;
    const answer = await fetch(
      `${kargo!.url}/v1beta1/projects/kargo-demo/stages/uat/promotions`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${ADMIN}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ freight: freight.metadata!.name }),
      },
    );
    expect(answer.status).toBe(201);
    expect((await answer.json()).promotion.spec.stage).toBe('uat');
  });

  it('before v1.9: no REST API, the UI page for every path', async () => {
    await start('v1.8.9');
    const answer = await get('/system/server-version', '');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
  });
});
