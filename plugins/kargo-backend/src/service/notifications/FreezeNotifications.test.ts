import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  notificationService,
  type NotificationSendOptions,
} from '@backstage/plugin-notifications-node';
import request from 'supertest';
import { DatabaseKargoStore } from '../../database';
import {
  guestbook,
  kargoForEachTest,
  simulatorInstances,
} from '../../testUtils';
import { FreezeNotifications } from './FreezeNotifications';
import { KargoNotifier } from './KargoNotifier';

const env = kargoForEachTest();
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const ref = { instance: 'sim', project: 'kargo-demo' };
const now = new Date('2026-12-07T12:00:00Z');
const owners = ['group:default/guests'];

const recording = (sent: NotificationSendOptions[]) => ({
  send: async (n: NotificationSendOptions) => void sent.push(n),
});

describe.each(databases.eachSupportedId())('freeze notifications on %p', id => {
  /** Two replicas' schedulers over one database. */
  async function replicas() {
    const knex = await databases.init(id);
    const store = await DatabaseKargoStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    const sent: NotificationSendOptions[] = [];
    const audience = jest.fn(async () => ({
      owners,
      link: '/catalog/default/component/guestbook/kargo',
    }));
    const logger = mockServices.logger.mock();
    const replica = () =>
      new FreezeNotifications({
        store,
        instances: simulatorInstances(env.kargo, logger),
        notifier: new KargoNotifier(recording(sent), knex, logger, () =>
          now.getTime(),
        ),
        audience,
        logger,
      });
    return { store, sent, audience, a: replica(), b: replica() };
  }
  const window = {
    createdBy: 'user:default/rel',
    createdAt: '2026-12-01T00:00:00Z',
  };

  it('tell the owners once when a freeze starts and when one ends on its own, recurring ones each time', async () => {
    const { store, sent, audience, a, b } = await replicas();
    await store.createPromotionWindow(ref, {
      ...window,
      name: 'rehearsal',
      kind: 'Deny',
      stageSelector: { name: 'uat' },
      dtstart: '2026-12-07T11:58:00Z',
      dtend: '2026-12-07T14:00:00Z',
      reason: 'release rehearsal',
    });
    // Daily 11:50–11:55: today's occurrence started and ended in the last 15 minutes.
    await store.createPromotionWindow(ref, {
      ...window,
      name: 'lunch',
      kind: 'Deny',
      stageSelector: { name: 'glob:*' },
      dtstart: '2026-12-01T11:50:00Z',
      dtend: '2026-12-01T11:55:00Z',
      rrule: 'FREQ=DAILY',
    });
    // Neither an Allow window nor a freeze long over is news.
    await store.createPromotionWindow(ref, {
      ...window,
      name: 'office-hours',
      kind: 'Allow',
      dtstart: '2026-12-07T11:59:00Z',
      dtend: '2026-12-07T18:00:00Z',
    });
    await store.createPromotionWindow(ref, {
      ...window,
      name: 'last-week',
      kind: 'Deny',
      dtstart: '2026-11-30T11:00:00Z',
      dtend: '2026-11-30T12:00:00Z',
    });

    await Promise.all([a.run(now), b.run(now)]);
    // Three events in the project: its audience is read once per run, not once per event.
    expect(audience).toHaveBeenCalledTimes(2);
    await a.run(new Date(now.getTime() + 60_000));

    expect(
      sent.map(n => [n.payload.title, n.payload.description]).sort(),
    ).toEqual([
      [
        'Freeze ended: prod, test, uat (kargo-demo)',
        'Promotion window lunch no longer closes prod, test, uat.',
      ],
      [
        'Freeze started: prod, test, uat (kargo-demo)',
        'Promotion window lunch closes prod, test, uat until 2026-12-07T11:55:00.000Z.',
      ],
      [
        'Freeze started: uat (kargo-demo)',
        'Promotion window rehearsal closes uat until 2026-12-07T14:00:00.000Z: release rehearsal.',
      ],
    ]);
    expect(sent[0]).toMatchObject({
      recipients: { type: 'entity', entityRef: owners },
      payload: {
        topic: 'kargo-freezes',
        link: '/catalog/default/component/guestbook/kargo',
      },
    });
  });

  it('tell of a freeze ended by hand once, and of none that was not in force', async () => {
    const { sent, a } = await replicas();
    const rehearsal = {
      ...window,
      name: 'rehearsal',
      kind: 'Deny' as const,
      stageSelector: { name: 'uat' },
      dtstart: '2026-12-07T11:00:00Z',
      dtend: '2026-12-07T14:00:00Z',
    };
    await a.endedEarly(ref, rehearsal, now);
    await a.endedEarly(ref, rehearsal, now);
    await a.endedEarly(
      ref,
      { ...rehearsal, name: 'tomorrow', dtstart: '2026-12-08T11:00:00Z' },
      now,
    );
    expect(sent.map(n => n.payload.title)).toEqual([
      'Freeze ended: uat (kargo-demo)',
    ]);
  });
});

describe('ending a freeze through the API', () => {
  it('tells the owners it ended', async () => {
    // The owners the permission rules trust: the catalog's, which the Kargo Project names too.
    env.sim.store.update<any>('Project', '', 'kargo-demo', p => {
      p.metadata.annotations = {
        ...p.metadata.annotations,
        'kargo-backstage.io/owners': 'group:default/guests',
      };
    });
    const sent: NotificationSendOptions[] = [];
    const server = await env.backend({
      // The catalog's owner, as the catalog relates it.
      entities: [
        {
          ...guestbook,
          relations: [{ type: 'ownedBy', targetRef: 'group:default/guests' }],
        },
      ],
      features: [
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => recording(sent),
        }),
      ],
    });
    const api =
      '/api/kargo/instances/sim/projects/kargo-demo/promotion-windows';
    const created = await request(server)
      .post(api)
      .send({
        name: 'hotfix-hold',
        kind: 'Deny',
        stageSelector: { name: 'prod' },
        dtstart: new Date(Date.now() - 60_000).toISOString(),
        dtend: new Date(Date.now() + 3_600_000).toISOString(),
        reason: 'waiting for the hotfix',
      });
    expect(created.status).toBe(201);
    expect((await request(server).delete(`${api}/hotfix-hold`)).status).toBe(
      204,
    );
    expect(sent).toEqual([
      {
        recipients: { type: 'entity', entityRef: ['group:default/guests'] },
        payload: expect.objectContaining({
          title: 'Freeze ended: prod (kargo-demo)',
          description:
            'Promotion window hotfix-hold no longer closes prod: waiting for the hotfix.',
          topic: 'kargo-freezes',
        }),
      },
    ]);
  });
});
