import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  notificationService,
  type NotificationSendOptions,
} from '@backstage/plugin-notifications-node';
import request from 'supertest';
import { denying, kargoForEachTest, newestFreight } from '../../testUtils';

const env = kargoForEachTest();

const api = (path: string) =>
  `/api/kargo/instances/sim/projects/kargo-demo/${path}`;
const newest = () => newestFreight(env.sim).metadata!.name!;
const mutations = () => env.kargo.requestLog.filter(r => !r.startsWith('GET '));
const dev = mockCredentials.user.header('user:default/dev');

/** Everyone may do everything, except user:default/dev may not stop the line. */
const permissions = denying('kargo.line.stop', 'user:default/dev');

describe('stop the line', () => {
  it('closes every stage until it ends; an override lets a hotfix through; all audited and signalled', async () => {
    const signals: any[] = [];
    const sent: NotificationSendOptions[] = [];
    const server = await env.backend({
      permissions,
      signals,
      features: [
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({
            send: async (notification: NotificationSendOptions) =>
              void sent.push(notification),
          }),
        }),
      ],
    });
    const refused = await request(server)
      .post('/api/kargo/line-stops')
      .set('authorization', dev)
      .send({ reason: 'incident 42' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe('Not allowed: kargo.line.stop');

    const started = await request(server)
      .post('/api/kargo/line-stops')
      .send({ reason: 'incident 42' });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({
      reason: 'incident 42',
      startedBy: 'user:default/mock',
    });
    expect(started.body.instance).toBeUndefined();
    expect(signals).toContainEqual(
      expect.objectContaining({ channel: 'kargo:line-stops' }),
    );
    const listed = await request(server)
      .get('/api/kargo/line-stops')
      .set('authorization', dev);
    expect(listed.body.items).toEqual([started.body]);

    const view = await request(server).get(
      '/api/kargo/entity-view?entityRef=component:default/guestbook',
    );
    expect(view.body.lineStops).toEqual([started.body]);
    for (const stage of view.body.projects[0].stages) {
      expect([stage.name, stage.promotionWindow]).toEqual([
        stage.name,
        {
          open: false,
          closedBy: [
            {
              name: 'stop-the-line',
              kind: 'Deny',
              reason: 'Stop the line: incident 42',
            },
          ],
        },
      ]);
    }
    const held = await request(server)
      .post(api('stages/test/promotions'))
      .send({ freight: newest() });
    expect(held.status).toBe(409);
    expect(held.body.error.message).toMatch(
      /frozen by promotion window "stop-the-line" \(Stop the line: incident 42\) \[gate freeze\]/,
    );
    expect(mutations()).toEqual([]);
    const hotfix = await request(server)
      .post(api('stages/test/promotions'))
      .send({ freight: newest(), override: ['freeze'] });
    expect(hotfix.status).toBe(201);

    const notTheirs = await request(server)
      .delete(`/api/kargo/line-stops/${started.body.id}`)
      .set('authorization', dev);
    expect(notTheirs.status).toBe(403);
    const ended = await request(server).delete(
      `/api/kargo/line-stops/${started.body.id}`,
    );
    expect(ended.status).toBe(204);
    const again = await request(server).delete(
      `/api/kargo/line-stops/${started.body.id}`,
    );
    expect(again.status).toBe(404);
    expect(sent.map(n => [n.recipients.type, n.payload.title])).toEqual([
      ['broadcast', 'Stop the line: incident 42'],
      ['broadcast', 'The line runs again'],
    ]);
    const after = await request(server).get(
      '/api/kargo/entity-view?entityRef=component:default/guestbook',
    );
    expect(after.body.lineStops).toBeUndefined();
    expect(after.body.projects[0].stages[0].promotionWindow).toBeUndefined();
    expect(
      env.audit
        .filter(e => e.eventId.startsWith('kargo-line-stop'))
        .map(e => [e.eventId, e.status, e.meta.actor]),
    ).toEqual([
      ['kargo-line-stop-start', 'initiated', 'user:default/dev'],
      ['kargo-line-stop-start', 'failed', 'user:default/dev'],
      ['kargo-line-stop-start', 'initiated', 'user:default/mock'],
      ['kargo-line-stop-start', 'succeeded', 'user:default/mock'],
      ['kargo-line-stop-end', 'initiated', 'user:default/dev'],
      ['kargo-line-stop-end', 'failed', 'user:default/dev'],
      ['kargo-line-stop-end', 'initiated', 'user:default/mock'],
      ['kargo-line-stop-end', 'succeeded', 'user:default/mock'],
      ['kargo-line-stop-end', 'initiated', 'user:default/mock'],
      ['kargo-line-stop-end', 'failed', 'user:default/mock'],
    ]);
  });

  it('of one instance stops that instance only; bad input is a 400 and changes nothing', async () => {
    const server = await env.backend();
    for (const bad of [{}, { reason: '   ' }, { reason: 'x', extra: 1 }]) {
      const res = await request(server).post('/api/kargo/line-stops').send(bad);
      expect([res.status, bad]).toEqual([400, bad]);
    }
    const unknown = await request(server)
      .post('/api/kargo/line-stops')
      .send({ instance: 'elsewhere', reason: 'x' });
    expect(unknown.status).toBe(404);
    expect(
      (await request(server).get('/api/kargo/line-stops')).body.items,
    ).toEqual([]);
    const badId = await request(server).delete('/api/kargo/line-stops/nope');
    expect(badId.status).toBe(400);

    const started = await request(server)
      .post('/api/kargo/line-stops')
      .send({ instance: 'sim', reason: 'sim is down for maintenance' });
    expect(started.status).toBe(201);
    expect(started.body.instance).toBe('sim');
    const view = await request(server).get(
      '/api/kargo/entity-view?entityRef=component:default/guestbook',
    );
    expect(view.body.lineStops).toEqual([started.body]);
  });
});
