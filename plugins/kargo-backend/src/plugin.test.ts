import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { kargoPlugin } from './plugin';

describe('kargoPlugin', () => {
  it('serves its health route without a Backstage token', async () => {
    const { server } = await startTestBackend({
      features: [
        kargoPlugin,
        mockServices.rootConfig.factory({
          data: {
            kargo: { instances: [{ name: 'demo', url: 'http://127.0.0.1:1' }] },
          },
        }),
      ],
    });

    const res = await request(server)
      .get('/api/kargo/health')
      .set('Authorization', 'Bearer mock-none-token');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', instances: ['demo'] });
  });

  it('answers unknown routes with 404', async () => {
    const { server } = await startTestBackend({ features: [kargoPlugin] });

    const res = await request(server).get('/api/kargo/no-such-route');

    expect(res.status).toBe(404);
  });

  it.each([
    [
      'an instance URL',
      { instances: [{ name: 'demo', url: 'not-a-url' }] },
      /kargo.instances\[0\].url must be an http\(s\) URL/,
    ],
    [
      'a watch lease too short to hold',
      {
        instances: [{ name: 'demo', url: 'http://127.0.0.1:1' }],
        watch: { leaseSeconds: 0.2 },
      },
      /kargo.watch.leaseSeconds must be at least 1, got 0.2/,
    ],
  ])(
    'refuses to start on invalid Kargo config: %s',
    async (_, kargo, error) => {
      await expect(
        startTestBackend({
          features: [
            kargoPlugin,
            mockServices.rootConfig.factory({ data: { kargo } }),
          ],
        }),
      ).rejects.toThrow(error);
    },
  );
});
