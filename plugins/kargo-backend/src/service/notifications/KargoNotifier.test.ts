import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import type { Promotion, Stage } from '@kargo-backstage/plugin-kargo-common';
import { DatabaseKargoStore } from '../../database';
import { KargoEventNotifications } from './KargoEventNotifications';
import { KargoNotifier } from './KargoNotifier';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const ref = { instance: 'sim', project: 'shop' };
const now = Date.parse('2026-12-07T12:00:00Z');

/** Two replicas: each its own notifier and event notifications, one database. */
async function replicas(id: Parameters<typeof databases.init>[0]) {
  const knex = await databases.init(id);
  await DatabaseKargoStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
  const sent: NotificationSendOptions[] = [];
  const notifications = {
    send: async (o: NotificationSendOptions) => void sent.push(o),
  };
  const replica = () =>
    new KargoEventNotifications({
      notifier: new KargoNotifier(
        notifications,
        knex,
        mockServices.logger.mock(),
        () => now,
      ),
      audience: async () => ({
        owners: ['group:default/guests'],
        link: '/catalog/default/component/shop/kargo',
      }),
      productionStages: ['glob:prod*'],
      now: () => now,
    });
  return { sent, a: replica(), b: replica() };
}

const promotion = (
  name: string,
  stage: string,
  phase: string,
  finishedAt = '2026-12-07T11:58:00Z',
) =>
  ({
    metadata: { name },
    spec: { stage, freight: 'f1' },
    status: { phase, finishedAt, message: 'step 2 failed' },
  } as unknown as Promotion);

describe.each(databases.eachSupportedId())('notifications on %p', id => {
  it('go out once per event whichever replica sees it, to the owners, by topic', async () => {
    const { sent, a, b } = await replicas(id);
    const failed = {
      list: 'promotions' as const,
      type: 'MODIFIED' as const,
      object: promotion('uat.01', 'uat', 'Failed'),
    };
    await Promise.all([a.changed(ref, failed), b.changed(ref, failed)]);
    await a.changed(ref, failed);
    expect(sent).toEqual([
      {
        recipients: { type: 'entity', entityRef: ['group:default/guests'] },
        payload: expect.objectContaining({
          title: 'Promotion failed: uat (shop)',
          topic: 'kargo-promotion-failed',
          severity: 'high',
          link: '/catalog/default/component/shop/kargo',
        }),
      },
    ]);
  });

  it('tell of successful promotions into production stages only, and not of old news', async () => {
    const { sent, a } = await replicas(id);
    for (const object of [
      promotion('uat.02', 'uat', 'Succeeded'),
      promotion('prod.01', 'prod', 'Succeeded'),
      promotion('prod.00', 'prod', 'Failed', '2026-11-01T00:00:00Z'),
    ]) {
      await a.changed(ref, { list: 'promotions', type: 'ADDED', object });
    }
    expect(sent.map(s => s.payload.title)).toEqual([
      'Promoted into prod (shop)',
    ]);
  });

  it('tell of a failed verification once per verification', async () => {
    const { sent, a, b } = await replicas(id);
    const stage = {
      metadata: { name: 'uat' },
      spec: {},
      status: {
        freightHistory: [
          {
            items: { 'Warehouse/shop': { name: 'f1' } },
            verificationHistory: [
              {
                id: 'v-1',
                phase: 'Failed',
                message: 'error rate 7%',
                finishTime: '2026-12-07T11:59:00Z',
              },
            ],
          },
        ],
      },
    } as unknown as Stage;
    await a.changed(ref, { list: 'stages', type: 'MODIFIED', object: stage });
    await b.changed(ref, { list: 'stages', type: 'MODIFIED', object: stage });
    expect(sent.map(s => [s.payload.title, s.payload.topic])).toEqual([
      ['Verification failed: uat (shop)', 'kargo-verification-failed'],
    ]);
  });
});
