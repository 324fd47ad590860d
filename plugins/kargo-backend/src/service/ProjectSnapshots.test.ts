import { CacheManager } from '@backstage/backend-defaults/cache';
import { ConfigReader } from '@backstage/config';
import type { RunningKargoSimulator } from '@kargo-backstage/kargo-simulator';
import { KargoClient } from '@kargo-backstage/plugin-kargo-node';
import { simulatorInstances, startTestKargo } from '../testUtils';
import { ProjectSnapshots } from './ProjectSnapshots';

let kargo: RunningKargoSimulator;
let client: KargoClient;

beforeAll(async () => {
  kargo = await startTestKargo();
  client = simulatorInstances(kargo).get('sim');
});
afterAll(() => kargo.close());
beforeEach(() => {
  kargo.requestLog.length = 0;
  kargo.faults.latencyMs = 0;
});

const reads = () => kargo.requestLog.filter(r => r.startsWith('GET ')).length;
const sharedCache = () =>
  CacheManager.fromConfig(new ConfigReader({})).forPlugin('kargo');
/** Lets the snapshot reach the shared cache (written after the view answered). */
const settle = () => new Promise(resolve => setTimeout(resolve, 50));

describe('ProjectSnapshots', () => {
  it('reads a project with four calls, shared by concurrent views', async () => {
    const snapshots = new ProjectSnapshots(sharedCache(), 60_000);
    const all = await Promise.all(
      Array.from({ length: 20 }, () => snapshots.get(client, 'kargo-demo')),
    );
    expect(reads()).toBe(4);
    expect(new Set(all).size).toBe(1);
    expect(all[0].stages.map(s => s.metadata?.name).sort()).toEqual([
      'prod',
      'test',
      'uat',
    ]);
    await snapshots.get(client, 'kargo-demo');
    expect(reads()).toBe(4);
  });

  it('hands the snapshot to other replicas through the shared cache', async () => {
    const cache = sharedCache();
    const first = new ProjectSnapshots(cache, 60_000);
    const second = new ProjectSnapshots(cache, 60_000);
    const read = await first.get(client, 'kargo-demo');
    await settle();
    const fromCache = await second.get(client, 'kargo-demo');
    expect(reads()).toBe(4);
    expect(fromCache.fetchedAt).toBe(read.fetchedAt);

    // An invalidation on one replica is seen by the other.
    await first.invalidate('sim', 'kargo-demo');
    await second.get(client, 'kargo-demo');
    expect(reads()).toBe(8);
  });

  it('keeps no read that began before an invalidation', async () => {
    const cache = sharedCache();
    const snapshots = new ProjectSnapshots(cache, 60_000);
    kargo.faults.latencyMs = 100;
    const stale = snapshots.get(client, 'kargo-demo');
    await new Promise(resolve => setTimeout(resolve, 20));
    // Kargo reports a change while the read is on its way.
    await snapshots.invalidate('sim', 'kargo-demo');
    await stale;
    await settle();
    expect(
      await cache.get(`${ProjectSnapshots.key('sim', 'kargo-demo')}:stamp`),
    ).toMatch(/^invalidated@/);
    await snapshots.get(client, 'kargo-demo');
    expect(reads()).toBe(8);
  });

  it('answers a view after an invalidation with a read begun after it, on any replica', async () => {
    const cache = sharedCache();
    const watcher = new ProjectSnapshots(cache, 60_000);
    const other = new ProjectSnapshots(cache, 60_000);
    kargo.faults.latencyMs = 100;
    const stale = other.get(client, 'kargo-demo');
    await new Promise(resolve => setTimeout(resolve, 20));
    // The replica that holds the watch sees a change and invalidates; a browser refetches
    // from the other replica, whose read began before the change.
    await watcher.invalidate('sim', 'kargo-demo');
    const fresh = await other.get(client, 'kargo-demo');
    const before = await stale;
    expect(reads()).toBe(8);
    expect(fresh).not.toBe(before);
    await settle();
    // The stale read never reached the shared cache; the fresh one did.
    const stamp = await cache.get(
      `${ProjectSnapshots.key('sim', 'kargo-demo')}:stamp`,
    );
    expect(stamp).toEqual(expect.stringContaining(fresh.fetchedAt));
    expect((await watcher.get(client, 'kargo-demo')).fetchedAt).toBe(
      fresh.fetchedAt,
    );
    expect(reads()).toBe(8);
  });
});
