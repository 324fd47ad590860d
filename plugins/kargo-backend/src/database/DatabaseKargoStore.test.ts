import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { Knex } from 'knex';
import { DatabaseKargoStore } from './DatabaseKargoStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const ref = { instance: 'sim', project: 'kargo-demo' };
const at = '2026-11-25T10:00:00.000Z';

async function storeOn(databaseId: Parameters<typeof databases.init>[0]) {
  const knex = await databases.init(databaseId);
  const store = await DatabaseKargoStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
  return { knex, store };
}

/** Counts the SQL statements knex sends while `fn` runs. */
async function countQueries(knex: Knex, fn: () => Promise<unknown>) {
  let count = 0;
  const listener = () => {
    count += 1;
  };
  knex.on('query', listener);
  try {
    await fn();
  } finally {
    knex.removeListener('query', listener);
  }
  return count;
}

describe.each(databases.eachSupportedId())('DatabaseKargoStore on %p', id => {
  it('migrates up and all the way down', async () => {
    const { knex } = await storeOn(id);
    expect(await knex.schema.hasTable('kargo_freight_metadata')).toBe(true);
    await DatabaseKargoStore.rollbackAll(knex);
    for (const table of [
      'kargo_freight_metadata',
      'kargo_freight_metadata_history',
      'kargo_freight_enrichments',
      'kargo_promotion_windows',
      'kargo_auto_promotion_holds',
    ]) {
      expect(await knex.schema.hasTable(table)).toBe(false);
    }
  });

  it('writes metadata with versions, keeps the history, refuses stale writes', async () => {
    const { store } = await storeOn(id);
    const first = await store.putFreightMetadata(
      ref,
      'f1',
      {
        version: 0,
        notes: 'Fixes the **login** bug',
        links: [{ title: 'Release notes', url: 'https://example.com/rn' }],
        labels: { risk: 'low' },
        verdict: { value: 'recommended' },
      },
      'user:default/dana',
      at,
    );
    expect(first).toMatchObject({
      freight: 'f1',
      version: 1,
      notes: 'Fixes the **login** bug',
      labels: { risk: 'low' },
      verdict: { value: 'recommended' },
      updatedBy: 'user:default/dana',
    });
    const second = await store.putFreightMetadata(
      ref,
      'f1',
      {
        version: 1,
        labels: { risk: 'high' },
        verdict: { value: 'do-not-promote', reason: 'breaks checkout' },
      },
      'user:default/sam',
      '2026-11-25T11:00:00.000Z',
    );
    expect(second.version).toBe(2);
    await expect(
      store.putFreightMetadata(ref, 'f1', { version: 1 }, 'user:default/x', at),
    ).rejects.toThrow(ConflictError);
    await expect(
      store.putFreightMetadata(ref, 'f1', { version: 0 }, 'user:default/x', at),
    ).rejects.toThrow(/now version 2, by user:default\/sam/);
    const history = await store.getFreightMetadataHistory(ref, 'f1');
    expect(history.map(h => [h.version, h.by, h.labels.risk])).toEqual([
      [2, 'user:default/sam', 'high'],
      [1, 'user:default/dana', 'low'],
    ]);
    expect(history[1].notes).toBe('Fixes the **login** bug');
  });

  it('loses none of 100 concurrent writes to one freight: each is applied or refused', async () => {
    const { store } = await storeOn(id);
    await store.putFreightMetadata(ref, 'hot', { version: 0 }, 'u', at);
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        store.putFreightMetadata(
          ref,
          'hot',
          { version: 1, labels: { writer: String(i) } },
          `user:default/u${i}`,
          at,
        ),
      ),
    );
    const applied = results.filter(r => r.status === 'fulfilled');
    const refused = results.filter(
      r => r.status === 'rejected' && r.reason instanceof ConflictError,
    );
    expect(applied.length + refused.length).toBe(100);
    expect(applied).toHaveLength(1);
    const winner = (applied[0] as PromiseFulfilledResult<any>).value;
    const history = await store.getFreightMetadataHistory(ref, 'hot');
    expect(history.map(h => h.version)).toEqual([2, 1]);
    expect(history[0].labels).toEqual(winner.labels);
  });

  it('keeps going when writers retry on conflict: every write lands, in order', async () => {
    const { store } = await storeOn(id);
    const write = async (i: number) => {
      for (;;) {
        const current = (await store.getFreightMetadata(ref, ['busy'])).get(
          'busy',
        );
        try {
          return await store.putFreightMetadata(
            ref,
            'busy',
            {
              version: current?.version ?? 0,
              labels: { ...current?.labels, [`w${i}`]: 'x' },
            },
            `user:default/u${i}`,
            at,
          );
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: 20 }, (_, i) => write(i)));
    const final = (await store.getFreightMetadata(ref, ['busy'])).get('busy')!;
    expect(final.version).toBe(20);
    expect(Object.keys(final.labels)).toHaveLength(20);
  });

  it('reads the metadata and enrichments of 1 000 freight in one query', async () => {
    const { knex, store } = await storeOn(id);
    const names = Array.from({ length: 1000 }, (_, i) => `freight-${i}`);
    for (const name of names.slice(0, 50)) {
      await store.putFreightMetadata(
        ref,
        name,
        { version: 0, labels: { n: name } },
        'u',
        at,
      );
    }
    await store.putEnrichment(
      ref,
      'freight-7',
      'changelog',
      { notes: '- Add readiness probe' },
      at,
    );
    let result: Map<string, any> = new Map();
    const queries = await countQueries(knex, async () => {
      result = await store.getFreightMetadata(ref, names);
    });
    expect(queries).toBe(1);
    expect(result.size).toBe(50);
    expect(result.get('freight-7')).toMatchObject({
      version: 1,
      labels: { n: 'freight-7' },
      enrichments: { changelog: { notes: '- Add readiness probe', at } },
    });
    expect(
      (await store.getFreightMetadata({ ...ref, project: 'other' }, names))
        .size,
    ).toBe(0);
  });

  it('keeps promotion windows per project with unique names, and auto-promotion holds', async () => {
    const { store } = await storeOn(id);
    const window = {
      name: 'year-end',
      kind: 'Deny' as const,
      stageSelector: { name: 'glob:prod*' },
      dtstart: '2026-12-20T00:00:00Z',
      dtend: '2027-01-05T00:00:00Z',
      reason: 'Year-end freeze',
      createdBy: 'user:default/rel',
      createdAt: at,
    };
    await store.createPromotionWindow(ref, window);
    await expect(store.createPromotionWindow(ref, window)).rejects.toThrow(
      ConflictError,
    );
    expect(await store.listPromotionWindows(ref)).toEqual([window]);
    await store.putAutoPromotionHold(ref, {
      stage: 'prod',
      previous: true,
      heldSince: at,
    });
    // A second hold keeps the first one's setting to restore.
    await store.putAutoPromotionHold(ref, {
      stage: 'prod',
      previous: false,
      heldSince: at,
    });
    expect(await store.listAutoPromotionHolds(ref)).toEqual([
      { stage: 'prod', previous: true, heldSince: at },
    ]);
    expect(await store.projectsWithPromotionWindows()).toEqual([ref]);
    expect(await store.deletePromotionWindow(ref, 'year-end')).toBe(true);
    expect(await store.deletePromotionWindow(ref, 'year-end')).toBe(false);
    expect(await store.projectsWithPromotionWindows()).toEqual([ref]);
    await store.deleteAutoPromotionHold(ref, 'prod');
    expect(await store.projectsWithPromotionWindows()).toEqual([]);
  });
});
