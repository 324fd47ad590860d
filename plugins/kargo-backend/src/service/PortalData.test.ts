import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DatabaseKargoStore } from '../database';
import { PortalData, renewingStamps } from './PortalData';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const ref = { instance: 'sim', project: 'kargo-demo' };
const at = '2026-11-25T10:00:00.000Z';

/** Two replicas: one database, one shared cache, each with its own PortalData. */
async function replicas() {
  const knex = await databases.init('SQLITE_3');
  const database = await DatabaseKargoStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
  const cache = CacheManager.fromConfig(new ConfigReader({})).forPlugin(
    'kargo',
  );
  const replica = () => {
    const portalData = new PortalData(database, cache);
    return { portalData, store: renewingStamps(database, portalData) };
  };
  let queries = 0;
  knex.on('query', () => {
    queries += 1;
  });
  return { a: replica(), b: replica(), queries: () => queries };
}

describe('PortalData', () => {
  it('reads only freight it has not seen, until a write on any replica', async () => {
    const { a, b, queries } = await replicas();
    const first = await a.portalData.forView(ref, ['f1', 'f2']);
    expect(first.metadata.size).toBe(0);
    expect(first.windows).toEqual([]);

    let before = queries();
    await a.portalData.forView(ref, ['f1', 'f2']);
    expect(queries() - before).toBe(0);
    before = queries();
    await a.portalData.forView(ref, ['f1', 'f2', 'f3']);
    expect(queries() - before).toBe(1); // f3 only; windows are known

    // Another replica writes: the next view here sees it.
    await b.store.putFreightMetadata(
      ref,
      'f2',
      { version: 0, notes: 'tested on staging' },
      'user:default/guest',
      at,
    );
    const after = await a.portalData.forView(ref, ['f1', 'f2', 'f3']);
    expect(after.metadata.get('f2')?.notes).toBe('tested on staging');
    expect([...after.metadata.keys()]).toEqual(['f2']);

    await b.store.createPromotionWindow(ref, {
      name: 'freeze-uat',
      kind: 'Deny',
      stageSelector: { name: 'uat' },
      dtstart: at,
      dtend: '2026-11-26T10:00:00.000Z',
      createdBy: 'user:default/guest',
      createdAt: at,
    });
    expect(
      (await a.portalData.forView(ref, ['f1'])).windows.map(w => w.name),
    ).toEqual(['freeze-uat']);

    await b.store.putEnrichment(ref, 'f1', 'changelog', { notes: '- x' }, at);
    const enriched = await a.portalData.forView(ref, ['f1']);
    expect(enriched.metadata.get('f1')?.enrichments?.changelog?.notes).toBe(
      '- x',
    );
  });

  it('keeps projects apart', async () => {
    const { a, b } = await replicas();
    await a.portalData.forView(ref, ['f1']);
    await b.store.putFreightMetadata(
      { ...ref, project: 'other' },
      'f1',
      { version: 0, notes: 'elsewhere' },
      'user:default/guest',
      at,
    );
    expect((await a.portalData.forView(ref, ['f1'])).metadata.size).toBe(0);
  });
});
