import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { KargoClient } from './KargoClient';

const server = setupServer();
const baseUrl = 'http://backstage.test/api/kargo';

describe('KargoClient', () => {
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  const client = new KargoClient({
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
});
