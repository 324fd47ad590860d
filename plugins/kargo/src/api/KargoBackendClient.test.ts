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

  it('lists, creates and deletes approval policies of a project', async () => {
    const seen: Array<{ method: string; url: string; body?: unknown }> = [];
    const path = `${baseUrl}/instances/sim/projects/p/approval-policies`;
    const policy = {
      name: 'prod-needs-release-managers',
      stageSelector: { name: 'glob:prod*' },
      approvals: 1,
      groups: ['group:default/release-managers'],
      expiresAfter: '24h',
    };
    const stored = { ...policy, createdBy: 'user:default/sam', createdAt: 't' };
    server.use(
      http.get(path, ({ request }) => {
        seen.push({ method: 'GET', url: request.url });
        return HttpResponse.json({
          items: [stored],
          stages: { prod: [policy.name] },
        });
      }),
      http.post(path, async ({ request }) => {
        seen.push({
          method: 'POST',
          url: request.url,
          body: await request.json(),
        });
        return HttpResponse.json(stored, { status: 201 });
      }),
      http.delete(`${path}/:name`, ({ request }) => {
        seen.push({ method: 'DELETE', url: request.url });
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const ref = { instance: 'sim', project: 'p' };
    await expect(client.listApprovalPolicies(ref)).resolves.toEqual({
      items: [stored],
      stages: { prod: [policy.name] },
    });
    await expect(client.createApprovalPolicy(ref, policy)).resolves.toEqual(
      stored,
    );
    await expect(
      client.deleteApprovalPolicy(ref, policy.name),
    ).resolves.toBeUndefined();
    expect(seen).toEqual([
      { method: 'GET', url: path },
      { method: 'POST', url: path, body: policy },
      { method: 'DELETE', url: `${path}/${policy.name}` },
    ]);
  });

  it('requests approval, filters requests and votes, with the refusal as a ResponseError', async () => {
    const path = `${baseUrl}/instances/sim/projects/p/approval-requests`;
    const request = {
      id: 'r1',
      instance: 'sim',
      project: 'p',
      stage: 'prod',
      freight: 'f1',
      requestedBy: 'user:default/sam',
      requestedAt: 't',
      votes: [],
      state: 'Pending',
      policies: [],
    };
    let created: unknown;
    let query: string | undefined;
    server.use(
      http.post(path, async ({ request: r }) => {
        created = await r.json();
        return HttpResponse.json(request, { status: 201 });
      }),
      http.get(path, ({ request: r }) => {
        query = new URL(r.url).search;
        return HttpResponse.json({ items: [request] });
      }),
      http.post(`${path}/r1/votes`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message: 'You cannot approve your own request',
            },
            request: { method: 'POST', url: '/' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    const ref = { instance: 'sim', project: 'p' };
    await expect(
      client.requestApproval(ref, {
        stage: 'prod',
        freight: 'f1',
        comment: 'hotfix',
      }),
    ).resolves.toEqual(request);
    expect(created).toEqual({
      stage: 'prod',
      freight: 'f1',
      comment: 'hotfix',
    });
    await expect(
      client.listApprovalRequests(ref, { stage: 'prod', state: 'Pending' }),
    ).resolves.toEqual([request]);
    expect(query).toBe('?stage=prod&state=Pending');
    await expect(
      client.voteOnApprovalRequest(ref, 'r1', { decision: 'Approved' }),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 403,
      cause: { message: 'You cannot approve your own request' },
    });
  });

  it('starts, lists and ends a stop-the-line freeze', async () => {
    const stop = {
      id: 's1',
      instance: 'sim',
      reason: 'Incident 7',
      startedBy: 'user:default/sam',
      startedAt: 't',
    };
    let body: unknown;
    let ended: string | undefined;
    server.use(
      http.post(`${baseUrl}/line-stops`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(stop, { status: 201 });
      }),
      http.get(`${baseUrl}/line-stops`, () =>
        HttpResponse.json({ items: [stop] }),
      ),
      http.delete(`${baseUrl}/line-stops/:id`, ({ params }) => {
        ended = params.id as string;
        return new HttpResponse(null, { status: 204 });
      }),
    );
    await expect(
      client.startLineStop({ instance: 'sim', reason: 'Incident 7' }),
    ).resolves.toEqual(stop);
    expect(body).toEqual({ instance: 'sim', reason: 'Incident 7' });
    await expect(client.listLineStops()).resolves.toEqual([stop]);
    await expect(client.endLineStop('s1')).resolves.toBeUndefined();
    expect(ended).toBe('s1');
  });
});
