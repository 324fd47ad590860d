import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { KargoBackendClient } from './KargoBackendClient';

const server = setupServer();
const baseUrl = 'http://backstage.test/api/kargo';

describe('KargoBackendClient', () => {
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  const client = new KargoBackendClient({
    discoveryApi: { getBaseUrl: async () => baseUrl },
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });

  it('reads the backend health', async () => {
    server.use(
      http.get(`${baseUrl}/health`, () => HttpResponse.json({ status: 'ok' })),
    );
    await expect(client.getHealth()).resolves.toEqual({ status: 'ok' });
  });

  it('turns an error response into a ResponseError with the backend message', async () => {
    server.use(
      http.get(`${baseUrl}/health`, () =>
        HttpResponse.json(
          {
            error: { name: 'ServiceUnavailableError', message: 'Kargo down' },
            request: { method: 'GET', url: '/health' },
            response: { statusCode: 503 },
          },
          { status: 503 },
        ),
      ),
    );
    await expect(client.getHealth()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 503,
      cause: { name: 'ServiceUnavailableError', message: 'Kargo down' },
    });
  });

  it('sends mutations to the instance/project route with the idempotency key', async () => {
    let seen: { url: string; headers: Headers; body: unknown } | undefined;
    server.use(
      http.post(
        `${baseUrl}/instances/sim/projects/kargo-demo/stages/uat/promotions`,
        async ({ request }) => {
          seen = {
            url: request.url,
            headers: request.headers,
            body: await request.json(),
          };
          return HttpResponse.json(
            { metadata: { name: 'uat.01abc' } },
            { status: 201 },
          );
        },
      ),
    );
    const promotion = await client.promote(
      { instance: 'sim', project: 'kargo-demo' },
      'uat',
      { freightAlias: 'wise-wombat' },
      { idempotencyKey: 'kargo-ui-123456' },
    );
    expect(promotion.metadata?.name).toBe('uat.01abc');
    expect(seen!.body).toEqual({ freightAlias: 'wise-wombat' });
    expect(seen!.headers.get('idempotency-key')).toBe('kargo-ui-123456');
    expect(seen!.headers.get('x-kargo-token')).toBeNull();
  });

  it('forwards the user Kargo token only when a provider gives one, and reads empty answers', async () => {
    const withToken = new KargoBackendClient({
      discoveryApi: { getBaseUrl: async () => baseUrl },
      fetchApi: { fetch: (input, init) => fetch(input, init) },
      getKargoToken: async instance => `token-for-${instance}`,
    });
    let token: string | null = null;
    server.use(
      http.patch(
        `${baseUrl}/instances/sim/projects/p/freight/f1/alias`,
        ({ request }) => {
          token = request.headers.get('x-kargo-token');
          return new HttpResponse(null, { status: 204 });
        },
      ),
    );
    await expect(
      withToken.updateFreightAlias(
        { instance: 'sim', project: 'p' },
        'f1',
        'a',
      ),
    ).resolves.toBeUndefined();
    expect(token).toBe('token-for-sim');
  });
});
