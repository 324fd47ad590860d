import { startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { kargoPlugin } from './plugin';

describe('kargoPlugin', () => {
  it('serves its health route without a Backstage token', async () => {
    const { server } = await startTestBackend({ features: [kargoPlugin] });

    const res = await request(server)
      .get('/api/kargo/health')
      .set('Authorization', 'Bearer mock-none-token');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('answers unknown routes with 404', async () => {
    const { server } = await startTestBackend({ features: [kargoPlugin] });

    const res = await request(server).get('/api/kargo/no-such-route');

    expect(res.status).toBe(404);
  });
});
