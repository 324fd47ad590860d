import type { Freight } from '@kargo-backstage/plugin-kargo-common';
import { originKey } from '@kargo-backstage/plugin-kargo-common';
import { newerFirst, ProjectState } from './ProjectState';

let rv = 100;
const freight = (
  name: string,
  warehouse: string,
  discoveredAt: string,
  extra: Partial<Freight> = {},
): Freight =>
  ({
    metadata: { name, resourceVersion: String(++rv) },
    origin: { kind: 'Warehouse', name: warehouse },
    discoveredAt,
    ...extra,
  } as Freight);

const empty = () =>
  ProjectState.of({
    resourceVersions: {},
    stages: [],
    warehouses: [],
    freight: [],
    promotions: [],
  });

const names = (list: readonly Freight[] | undefined) =>
  (list ?? []).map(f => f.metadata!.name);

describe('ProjectState', () => {
  it('applies ADDED, MODIFIED and DELETED events, and moves resourceVersions on', async () => {
    const state = await empty();
    const stage = { metadata: { name: 'test', resourceVersion: '7' } };
    expect(state.apply({ list: 'stages', type: 'ADDED', object: stage })).toBe(
      true,
    );
    const modified = {
      metadata: { name: 'test', resourceVersion: '9' },
      status: { health: { status: 'Healthy' } },
    };
    state.apply({ list: 'stages', type: 'MODIFIED', object: modified });
    expect(state.snapshot().stages).toEqual([modified]);
    expect(state.snapshot().resourceVersions.stages).toBe('9');
    state.apply({ list: 'stages', type: 'DELETED', object: modified });
    expect(state.snapshot().stages).toEqual([]);
  });

  it('lets an event older than what it holds lose, and takes a repeated one once', async () => {
    const state = await empty();
    const newer = { metadata: { name: 'test', resourceVersion: '20' } };
    const older = { metadata: { name: 'test', resourceVersion: '9' } };
    state.apply({ list: 'stages', type: 'ADDED', object: newer });
    expect(
      state.apply({ list: 'stages', type: 'MODIFIED', object: older }),
    ).toBe(false);
    expect(
      state.apply({ list: 'stages', type: 'DELETED', object: older }),
    ).toBe(false);
    expect(
      state.apply({ list: 'stages', type: 'MODIFIED', object: newer }),
    ).toBe(false);
    expect(state.snapshot().stages).toEqual([newer]);
    // Not etcd's integers: not compared, the event wins.
    const opaque = { metadata: { name: 'test', resourceVersion: 'abc' } };
    expect(
      state.apply({ list: 'stages', type: 'MODIFIED', object: opaque }),
    ).toBe(true);
  });

  it('keeps freight newest first per origin through any order of events, as a full sort would', async () => {
    const state = await empty();
    const all = new Map<string, Freight>();
    // A fixed pseudo-random walk: adds (with timestamp ties), status changes, deletions.
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 600; i++) {
      const op = random(10);
      const kept = [...all.keys()];
      if (op < 6 || !kept.length) {
        const f = freight(
          `f-${i}`,
          `w-${random(3)}`,
          new Date(Date.UTC(2026, 0, 1, 0, random(40))).toISOString(),
        );
        all.set(f.metadata!.name!, f);
        state.apply({ list: 'freight', type: 'ADDED', object: f });
      } else if (op < 9) {
        const before = all.get(kept[random(kept.length)])!;
        const f = {
          ...before,
          metadata: { ...before.metadata, resourceVersion: String(++rv) },
          status: { currentlyIn: { [`s-${i}`]: {} } },
        } as Freight;
        all.set(f.metadata!.name!, f);
        state.apply({ list: 'freight', type: 'MODIFIED', object: f });
      } else {
        const f = all.get(kept[random(kept.length)])!;
        all.delete(f.metadata!.name!);
        state.apply({ list: 'freight', type: 'DELETED', object: f });
      }
    }
    const snapshot = state.snapshot();
    for (const w of ['w-0', 'w-1', 'w-2']) {
      const expected = [...all.values()]
        .filter(f => f.origin.name === w)
        .sort(newerFirst);
      const kept = snapshot.freightByOrigin!.get(
        originKey({ kind: 'Warehouse', name: w }),
      );
      expect(names(kept)).toEqual(names(expected));
      // The objects are the latest ones (a MODIFIED freight replaced, not duplicated).
      expect(kept).toEqual(expected);
    }
    expect(snapshot.freight).toHaveLength(all.size);
  });

  it('never changes a snapshot it gave out (copy on write)', async () => {
    const state = await ProjectState.of({
      resourceVersions: {},
      stages: [],
      warehouses: [],
      freight: [freight('a', 'w', '2026-01-01T00:00:00Z')],
      promotions: [],
    });
    const first = state.snapshot();
    expect(state.snapshot()).toBe(first);
    state.apply({
      list: 'freight',
      type: 'ADDED',
      object: freight('b', 'w', '2026-01-02T00:00:00Z'),
    });
    const second = state.snapshot();
    expect(second).not.toBe(first);
    expect(names(first.freightByOrigin!.get('Warehouse/w'))).toEqual(['a']);
    expect(names(second.freightByOrigin!.get('Warehouse/w'))).toEqual([
      'b',
      'a',
    ]);
    expect(names(first.freight)).toEqual(['a']);
  });
});
