import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { DatabaseKargoStore } from '../../database';
import { IdempotencyKeys } from './IdempotencyKeys';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/** Two replicas: one database, an IdempotencyKeys each. */
async function replicas(id: Parameters<typeof databases.init>[0]) {
  const knex = await databases.init(id);
  await DatabaseKargoStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
  return [
    new IdempotencyKeys(knex, { pollMs: 10 }),
    new IdempotencyKeys(knex, { pollMs: 10 }),
  ];
}

const scope = {
  user: 'user:default/guest',
  key: 'k1',
  fingerprint: 'promote uat f1',
};

describe.each(databases.eachSupportedId())('IdempotencyKeys on %p', id => {
  it('replays the first answer to a retry on another replica', async () => {
    const [a, b] = await replicas(id);
    let runs = 0;
    const work = async () => ({
      status: 201,
      body: { name: `promotion-${++runs}` },
    });
    const first = await a.run(scope, work);
    const retry = await b.run(scope, work);
    expect(first).toEqual({
      status: 201,
      body: { name: 'promotion-1' },
      replayed: false,
    });
    expect(retry).toEqual({
      status: 201,
      body: { name: 'promotion-1' },
      replayed: true,
    });
    expect(runs).toBe(1);
  });

  it('runs the work once when retries arrive at both replicas at the same time', async () => {
    const [a, b] = await replicas(id);
    let runs = 0;
    const work = async () => {
      runs += 1;
      await new Promise(resolve => setTimeout(resolve, 100));
      return { status: 201, body: { name: 'promotion' } };
    };
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).run(scope, work)),
    );
    expect(runs).toBe(1);
    expect(answers.filter(x => !x.replayed)).toHaveLength(1);
    expect(new Set(answers.map(x => JSON.stringify(x.body))).size).toBe(1);
  });

  it('refuses a key reused for another request, and lets a retry after a failure try again', async () => {
    const [a, b] = await replicas(id);
    await expect(
      a.run(scope, async () => {
        throw new Error('Kargo refused');
      }),
    ).rejects.toThrow('Kargo refused');
    const again = await b.run(scope, async () => ({ status: 201, body: 'ok' }));
    expect(again.replayed).toBe(false);
    await expect(
      a.run({ ...scope, fingerprint: 'promote prod f2' }, async () => ({
        status: 201,
        body: 'other',
      })),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('forgets answers after a day', async () => {
    const knex = await databases.init(id);
    await DatabaseKargoStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    let now = Date.parse('2026-11-26T00:00:00Z');
    const keys = new IdempotencyKeys(knex, { now: () => now });
    await keys.run(scope, async () => ({ status: 201, body: 1 }));
    now += 25 * 60 * 60 * 1000;
    expect(await keys.prune()).toBe(1);
    const fresh = await keys.run(scope, async () => ({ status: 201, body: 2 }));
    expect(fresh).toEqual({ status: 201, body: 2, replayed: false });
  });
});
