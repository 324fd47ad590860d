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

  it('refuses to start on invalid Kargo config', async () => {
    await expect(
      startTestBackend({
        features: [
          kargoPlugin,
          mockServices.rootConfig.factory({
            data: {
              kargo: { instances: [{ name: 'demo', url: 'not-a-url' }] },
            },
          }),
        ],
      }),
    ).rejects.toThrow(/kargo.instances\[0\].url must be an http\(s\) URL/);
  });

  it('refuses a watch lease too short to hold', async () => {
    await expect(
      startTestBackend({
        features: [
          kargoPlugin,
          mockServices.rootConfig.factory({
            data: {
              kargo: {
                instances: [{ name: 'demo', url: 'http://127.0.0.1:1' }],
                watch: { leaseSeconds: 0.2 },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(/kargo.watch.leaseSeconds must be at least 1, got 0.2/);
  });
});
