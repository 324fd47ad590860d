import { mockCredentials } from '@backstage/backend-test-utils';
import { ResponseError } from '@backstage/errors';
import { createKargoBackendClient } from '@kargo-backstage/plugin-kargo-common';
import { AddressInfo } from 'node:net';
import { kargoForEachTest, newestFreight } from '../testUtils';

const env = kargoForEachTest();

/** The one client generated from the spec, against the plugin as a user of the portal. */
async function client(user = 'user:default/dana') {
  const server = await env.backend();
  const { port } = server.address() as AddressInfo;
  return createKargoBackendClient({
    baseUrl: `http://localhost:${port}/api/kargo`,
    fetch: request => {
      request.headers.set('authorization', mockCredentials.user.header(user));
      return fetch(request);
    },
    onError: response => ResponseError.fromResponse(response),
  });
}

const project = { instance: 'sim', project: 'kargo-demo' };

describe('the generated client against the plugin', () => {
  it('reads the entity view and promotes, as the spec types them, audited with the user', async () => {
    const kargo = await client();
    const view = await kargo.GET('/entity-view', {
      params: { query: { entityRef: 'component:default/guestbook' } },
    });
    expect(view.data!.projects.map(p => p.project)).toEqual(['kargo-demo']);

    const freight = newestFreight(env.sim).metadata!.name!;
    const gates = await kargo.GET(
      '/instances/{instance}/projects/{project}/stages/{stage}/gates',
      { params: { path: { ...project, stage: 'test' }, query: { freight } } },
    );
    expect(gates.data!.items.map(g => [g.gate, g.result])).toContainEqual([
      'freeze',
      'allow',
    ]);

    const promoted = await kargo.POST(
      '/instances/{instance}/projects/{project}/stages/{stage}/promotions',
      {
        params: {
          path: { ...project, stage: 'test' },
          header: { 'Idempotency-Key': 'client-test-0001' },
        },
        body: { freight },
      },
    );
    expect(promoted.response.status).toBe(201);
    expect(promoted.data!.metadata).toMatchObject({ namespace: 'kargo-demo' });
    expect(
      env.audit.filter(e => e.eventId === 'kargo-freight-promote'),
    ).toContainEqual(
      expect.objectContaining({
        status: 'succeeded',
        meta: expect.objectContaining({ actor: 'user:default/dana', freight }),
      }),
    );
  });

  it('turns a refusal into the error onError makes, with the backend words', async () => {
    const kargo = await client();
    await expect(
      kargo.POST(
        '/instances/{instance}/projects/{project}/freight/{freight}/approve',
        {
          params: { path: { ...project, freight: 'no-such-freight' } },
          body: { stage: 'uat' },
        },
      ),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 404,
      body: { error: { name: 'NotFoundError' } },
    });
  });
});
