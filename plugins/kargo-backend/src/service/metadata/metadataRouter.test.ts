import { mockCredentials } from '@backstage/backend-test-utils';
import type { Freight } from '@kargo-backstage/plugin-kargo-common';
import request from 'supertest';
import { denying, kargoForEachTest } from '../../testUtils';

const env = kargoForEachTest();
let signals: any[];

beforeEach(() => {
  signals = [];
});

const api = (path: string) => `/api/kargo/instances/sim/projects/${path}`;
const freightNames = () =>
  env.sim.store
    .list<Freight>('Freight', 'kargo-demo')
    .sort((a, b) =>
      a.metadata!.creationTimestamp!.localeCompare(
        b.metadata!.creationTimestamp!,
      ),
    )
    .map(f => f.metadata!.name!);

/** user:default/stranger may not write metadata; everyone else may. */
const permissions = denying(
  'kargo.freight.metadata.update',
  'user:default/stranger',
);

describe('freight metadata', () => {
  it('writes with versions (409 on a stale one), reads in bulk and in the view, keeps history, audits and signals', async () => {
    const server = await env.backend({ permissions, signals });
    const [first, second, third] = freightNames();
    const put = (freight: string, body: object, user = 'user:default/dana') =>
      request(server)
        .put(api(`kargo-demo/freight/${freight}/metadata`))
        .set('authorization', mockCredentials.user.header(user))
        .send(body);

    const created = await put(third, {
      version: 0,
      notes: 'Adds a **readiness probe**',
      links: [{ title: 'CHG-123', url: 'https://tickets.example.com/CHG-123' }],
      labels: { risk: 'low', change: 'CHG-123' },
      verdict: { value: 'recommended' },
    });
    expect(created.status).toBe(200);
    expect(created.headers.etag).toBe('"1"');
    expect(created.body).toMatchObject({
      freight: third,
      version: 1,
      updatedBy: 'user:default/dana',
      labels: { risk: 'low', change: 'CHG-123' },
    });
    const updated = await put(
      third,
      {
        version: 1,
        verdict: { value: 'do-not-promote', reason: 'Breaks checkout' },
      },
      'user:default/sam',
    );
    expect(updated.body.version).toBe(2);
    const stale = await put(third, { version: 1, notes: 'mine' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toMatch(
      /now version 2, by user:default\/sam/,
    );

    const bulk = await request(server).get(
      api(
        `kargo-demo/freight-metadata?freight=${first}&freight=${second}&freight=${third}`,
      ),
    );
    expect(bulk.status).toBe(200);
    expect(bulk.body.items.map((i: any) => [i.freight, i.version])).toEqual(
      expect.arrayContaining([[third, 2]]),
    );
    const history = await request(server).get(
      api(`kargo-demo/freight/${third}/metadata/history`),
    );
    expect(history.body.items.map((h: any) => [h.version, h.by])).toEqual([
      [2, 'user:default/sam'],
      [1, 'user:default/dana'],
    ]);

    const view = await request(server).get(
      '/api/kargo/entity-view?entityRef=component:default/guestbook',
    );
    const inView = view.body.projects[0].freight.find(
      (f: any) => f.name === third,
    );
    expect(inView.portalMetadata).toMatchObject({
      version: 2,
      verdict: { value: 'do-not-promote', reason: 'Breaks checkout' },
    });
    expect(
      env.audit
        .filter(e => e.eventId === 'kargo-freight-metadata-update')
        .map(e => e.status),
    ).toEqual([
      'initiated',
      'succeeded',
      'initiated',
      'succeeded',
      'initiated',
      'failed',
    ]);
    expect(signals).toContainEqual(
      expect.objectContaining({
        channel: 'kargo:sim:kargo-demo',
        message: expect.objectContaining({ kind: 'FreightMetadata' }),
      }),
    );
  });

  it.each([
    [
      'a javascript: link',
      // eslint-disable-next-line no-script-url
      { links: [{ title: 'x', url: 'javascript:alert(1)' }] },
      /only http\(s\) URLs/,
    ],
    [
      'a data: link',
      { links: [{ title: 'x', url: 'data:text/html,hi' }] },
      /only http/,
    ],
    [
      'oversized notes',
      { notes: 'x'.repeat(20_001) },
      /notes: String must contain at most 20000/,
    ],
    [
      'too many labels',
      {
        labels: Object.fromEntries(
          Array.from({ length: 31 }, (_, i) => [`k${i}`, 'v']),
        ),
      },
      /at most 30 labels/,
    ],
    ['an unknown verdict', { verdict: { value: 'maybe' } }, /verdict.value/],
    [
      'no version',
      { notes: 'hi', version: undefined },
      /request\/body must have required property 'version'/,
    ],
  ])('refuses %s with 400 and stores nothing', async (_why, body, message) => {
    const server = await env.backend({ permissions });
    const [freight] = freightNames();
    const res = await request(server)
      .put(api(`kargo-demo/freight/${freight}/metadata`))
      .send({ version: 0, ...body });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
    const history = await request(server).get(
      api(`kargo-demo/freight/${freight}/metadata/history`),
    );
    expect(history.body.items).toEqual([]);
  });

  it('needs kargo.freight.metadata.update, and the freight must exist', async () => {
    const server = await env.backend({ permissions });
    const [freight] = freightNames();
    const denied = await request(server)
      .put(api(`kargo-demo/freight/${freight}/metadata`))
      .set(
        'authorization',
        mockCredentials.user.header('user:default/stranger'),
      )
      .send({ version: 0, notes: 'x' });
    expect(denied.status).toBe(403);
    const unknown = await request(server)
      .put(api(`kargo-demo/freight/${'f'.repeat(40)}/metadata`))
      .send({ version: 0, notes: 'x' });
    expect(unknown.status).toBe(404);
    const anonymous = await request(server)
      .get(api(`kargo-demo/freight-metadata?freight=${freight}`))
      .set('authorization', 'Bearer not-a-token');
    expect(anonymous.status).toBe(401);
  });

  it('describes freight with the changelog enricher when a project is first looked at', async () => {
    const server = await env.backend({ permissions, signals });
    await request(server).get(
      '/api/kargo/entity-view?entityRef=component:default/guestbook',
    );
    const names = freightNames();
    let items: any[] = [];
    for (let i = 0; i < 50 && items.length < names.length; i++) {
      await new Promise(r => setTimeout(r, 20));
      items = (
        await request(server).get(
          api(
            `kargo-demo/freight-metadata?${names
              .map(n => `freight=${n}`)
              .join('&')}`,
          ),
        )
      ).body.items;
    }
    const newest = items.find(i => i.freight === names.at(-1));
    expect(newest.enrichments.changelog.notes).toContain(
      'image `ghcr.io/example/guestbook`: 1.29.0 → 1.29.1',
    );
    expect(newest.enrichments.changelog.links[0].url).toMatch(
      /^https:\/\/github\.com\/example\/guestbook-deploy\/compare\/.+\.\.\..+$/,
    );
    expect(newest.version).toBe(0); // people have not written anything
  });
});
