import { mockServices } from '@backstage/backend-test-utils';
import type { Freight } from '@kargo-backstage/plugin-kargo-common';
import type { KargoStore } from '../../database';
import { FreightEnrichment, predecessors } from './FreightEnrichment';

const freight = (name: string, warehouse: string, at: string): Freight =>
  ({
    metadata: { name, creationTimestamp: at },
    origin: { kind: 'Warehouse', name: warehouse },
  } as Freight);

/** The rule as written before: filter the same origin created earlier, newest first. */
const naive = (f: Freight, known: Freight[]) =>
  known
    .filter(
      k =>
        k.origin?.name === f.origin?.name &&
        k.metadata!.creationTimestamp! < f.metadata!.creationTimestamp!,
    )
    .sort((a, b) =>
      b.metadata!.creationTimestamp!.localeCompare(
        a.metadata!.creationTimestamp!,
      ),
    )[0];

describe('predecessors', () => {
  it('finds the newest freight of the same warehouse created before, or none', () => {
    const a1 = freight('a1', 'a', '2026-12-01T00:00:00Z');
    const a2 = freight('a2', 'a', '2026-12-02T00:00:00Z');
    const b1 = freight('b1', 'b', '2026-12-01T12:00:00Z');
    const previousOf = predecessors([a2, b1, a1]);
    expect(previousOf(a2)).toBe(a1);
    expect(previousOf(a1)).toBeUndefined();
    expect(previousOf(b1)).toBeUndefined();
    expect(previousOf(freight('c1', 'c', '2026-12-03T00:00:00Z'))).toBe(
      undefined,
    );
  });

  it('agrees with the filter-and-sort rule on many freight, ties included', () => {
    // Three warehouses, timestamps with repeats (several freight created in one second).
    const known = Array.from({ length: 600 }, (_, i) =>
      freight(
        `f${i}`,
        `w${(i * 7) % 3}`,
        `2026-12-01T00:${String(Math.floor((i * 37) % 240) % 60).padStart(
          2,
          '0',
        )}:${String((i * 13) % 60).padStart(2, '0')}Z`,
      ),
    );
    const previousOf = predecessors(known);
    for (const f of known) {
      const expected = naive(f, known);
      const found = previousOf(f);
      // With ties the newest earlier one is not unique: compare what the rule decides on.
      expect(found?.metadata?.creationTimestamp).toBe(
        expected?.metadata?.creationTimestamp,
      );
      expect(found?.origin?.name ?? f.origin?.name).toBe(f.origin?.name);
    }
  });
});

describe('FreightEnrichment', () => {
  it('lets the event loop run during a long run, even on a database that answers at once', async () => {
    const written: string[] = [];
    // Like SQLite: every call settles without waiting for I/O.
    const store = {
      enrichedFreight: async () => new Set<string>(),
      putEnrichment: async (_ref: unknown, name: string) => {
        written.push(name);
      },
    } as unknown as KargoStore;
    const busy = (ms: number) => {
      const end = performance.now() + ms;
      while (performance.now() < end);
    };
    const enrichment = new FreightEnrichment(
      [
        {
          name: 'slow',
          enrich: async () => {
            busy(2);
            return { notes: 'n' };
          },
        },
      ],
      store,
      mockServices.logger.mock(),
    );
    const all = Array.from({ length: 40 }, (_, i) =>
      freight(`f${i}`, 'w', `2026-12-01T00:00:${String(i).padStart(2, '0')}Z`),
    );
    let writtenWhenTheLoopRan: number | undefined;
    setImmediate(() => {
      writtenWhenTheLoopRan = written.length;
    });
    await expect(
      enrichment.enrich({ instance: 'i', project: 'p' }, all, all),
    ).resolves.toBe(40);
    // The loop ran in between: after some 10 ms of work, not at the end.
    expect(writtenWhenTheLoopRan).toBeGreaterThan(0);
    expect(writtenWhenTheLoopRan).toBeLessThan(40);
  });
});
