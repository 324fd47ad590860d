import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { PermissionsService } from '@backstage/backend-plugin-api';
import {
  newestFreight,
  startKargoBackend,
} from '@kargo-backstage/plugin-kargo-backend/testUtils';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import {
  actionContext,
  allowing,
  DANA_KARGO_TOKEN,
  denying,
  instancesFor,
  kargoActionTest,
  runExample,
  writebackStage,
} from '../__testUtils__';
import { createKargoPromoteAction } from './promote';
import { createKargoFreightCreateAction } from './freightCreate';

// dana may promote in kargo-demo with her own Kargo token.
const t = kargoActionTest({
  danaToken: { role: 'kargo-promoter', project: 'kargo-demo' },
});

const newest = () => newestFreight(t.sim);

/** kargo:promote calling the Kargo backend at `url`, the simulator its instance. */
const promoteActionAt = (
  url: string,
  options: {
    instance?: Record<string, unknown>;
    permissions?: PermissionsService;
  } = {},
) =>
  createKargoPromoteAction({
    auth: mockServices.auth(),
    discovery: {
      getBaseUrl: async () => url,
      getExternalBaseUrl: async () => url,
    },
    instances: instancesFor(t.kargo, options.instance),
    permissions: options.permissions,
  });

async function kargoBackend(
  options: {
    permissions?: PermissionsService;
    instance?: Record<string, unknown>;
  } = {},
) {
  const permissions = options.permissions ?? allowing();
  const server = await startKargoBackend({
    kargo: t.kargo,
    instance: options.instance,
    permissions: (requests, o) => permissions.authorize(requests, o),
    entities: [],
  });
  const { port } = server.address() as AddressInfo;
  const action = promoteActionAt(`http://localhost:${port}/api/kargo`, {
    instance: options.instance,
  });
  return { server, action };
}

/** A stand-in for the Kargo backend that records the requests it receives. */
async function recordingBackend() {
  const received: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    received.push(req.headers);
    req.resume();
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ metadata: { name: 'uat.promotion' } }));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    received,
    url: `http://127.0.0.1:${port}/api/kargo`,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

function context(
  input: Record<string, unknown>,
  options: Parameters<typeof actionContext>[1] = {},
) {
  return actionContext(input, { taskId: 'task-7', ...options });
}

const uat = () => ({
  instance: 'sim',
  project: 'kargo-demo',
  stage: 'uat',
  freight: newest().alias,
});

describe('kargo:promote', () => {
  it('promotes through the backend plugin by alias, once per task however often it is retried', async () => {
    const { action } = await kargoBackend();
    const before = t.sim.store.list('Promotion', 'kargo-demo').length;
    const input = {
      instance: 'sim',
      project: 'kargo-demo',
      stage: 'uat',
      freight: newest().alias,
    };
    const first = context(input);
    await action.handler(first.ctx);
    const retry = context(input);
    await action.handler(retry.ctx);
    expect(retry.outputs.promotion).toBe(first.outputs.promotion);
    expect(t.sim.store.list('Promotion', 'kargo-demo').length).toBe(before + 1);
  });

  it('is stopped by a freeze like any promotion through the portal', async () => {
    const { server, action } = await kargoBackend();
    await request(server)
      .post('/api/kargo/instances/sim/projects/kargo-demo/promotion-windows')
      .send({
        name: 'freeze',
        kind: 'Deny',
        stageSelector: { name: 'uat' },
        dtstart: new Date(Date.now() - 60_000).toISOString(),
        dtend: new Date(Date.now() + 3_600_000).toISOString(),
        reason: 'Release rehearsal',
      })
      .expect(201);
    await expect(
      action.handler(
        context({
          instance: 'sim',
          project: 'kargo-demo',
          stage: 'uat',
          freight: newest().metadata!.name,
        }).ctx,
      ),
    ).rejects.toMatchObject({
      statusCode: 409,
      body: {
        error: {
          message: expect.stringMatching(
            /frozen by promotion window "freeze" \(Release rehearsal\)/,
          ),
        },
      },
    });
  });

  it("calls the route with the user's on-behalf-of token, not one of its own", async () => {
    const backend = await recordingBackend();
    try {
      const action = promoteActionAt(backend.url);
      await action.handler(context(uat()).ctx);
      expect(backend.received).toHaveLength(1);
      expect(backend.received[0].authorization).toBe(
        `Bearer ${mockCredentials.service.token({
          onBehalfOf: mockCredentials.user('user:default/dana'),
          targetPluginId: 'kargo',
        })}`,
      );
      // The instance does not forward user tokens: no Kargo token leaves the scaffolder.
      expect(backend.received[0]['x-kargo-token']).toBeUndefined();
    } finally {
      await backend.close();
    }
  });

  it("is refused by the route's permission check for the user who runs it", async () => {
    const permissions = denying({
      permission: 'kargo.freight.promote',
      resourceRef: 'sim/kargo-demo/uat',
      user: 'user:default/dev',
    });
    const { action } = await kargoBackend({ permissions });
    const before = t.sim.store.list('Promotion', 'kargo-demo').length;
    await expect(
      action.handler(context(uat(), { user: 'user:default/dev' }).ctx),
    ).rejects.toMatchObject({ statusCode: 403 });
    expect(t.sim.store.list('Promotion', 'kargo-demo').length).toBe(before);
    expect(permissions.seen).toContainEqual({
      permission: 'kargo.freight.promote',
      resourceRef: 'sim/kargo-demo/uat',
      user: 'user:default/dev',
    });
    // Another user is allowed: the decision was the user's, not the scaffolder's.
    await action.handler(context(uat()).ctx);
    expect(t.sim.store.list('Promotion', 'kargo-demo').length).toBe(before + 1);
  });

  it('in an allowed dry run calls nothing and outputs no promotion name', async () => {
    const backend = await recordingBackend();
    try {
      const action = promoteActionAt(backend.url, {
        permissions: denying({ permission: 'kargo.nothing' }),
      });
      const { ctx, outputs } = context(uat(), { isDryRun: true });
      await action.handler(ctx);
      expect(backend.received).toEqual([]);
      expect(outputs).not.toHaveProperty('promotion');
    } finally {
      await backend.close();
    }
  });

  it('reports in a dry run that the promotion would be refused, promoting nothing', async () => {
    const backend = await recordingBackend();
    try {
      const action = promoteActionAt(backend.url, {
        permissions: denying({ permission: 'kargo.freight.promote' }),
      });
      await expect(
        action.handler(context(uat(), { isDryRun: true }).ctx),
      ).rejects.toThrow(
        'Not allowed: kargo.freight.promote on sim/kargo-demo/uat',
      );
      expect(backend.received).toEqual([]);
    } finally {
      await backend.close();
    }
  });

  it("forwards the user's Kargo token where the instance acts with it, and fails without one", async () => {
    const { action } = await kargoBackend({
      instance: { forwardUserToken: true },
    });
    const before = t.sim.store.list('Promotion', 'kargo-demo').length;
    await expect(action.handler(context(uat()).ctx)).rejects.toThrow(
      /acts with the user's own Kargo token .*no secret "kargoToken"/,
    );
    expect(t.sim.store.list('Promotion', 'kargo-demo').length).toBe(before);

    const run = context(uat(), { secrets: { kargoToken: DANA_KARGO_TOKEN } });
    await action.handler(run.ctx);
    const promotion = t.sim.store.get<any>(
      'Promotion',
      'kargo-demo',
      run.outputs.promotion as string,
    )!;
    // Kargo saw dana's own token.
    expect(promotion.metadata.annotations['kargo.akuity.io/create-actor']).toBe(
      'email:dana@example.com',
    );
    expect(
      JSON.stringify([run.outputs, run.logger.info.mock.calls]),
    ).not.toContain(DANA_KARGO_TOKEN);
  });
});

describe('kargo:promote example', () => {
  it("promotes the freight kargo:freight:create's example creates into a stage that takes it", async () => {
    // The example's instance, and a checkout project whose test stage takes the hotfix
    // warehouse's freight.
    const instance = { name: 'production' };
    t.instances = instancesFor(t.kargo, instance);
    t.sim.createResource({
      apiVersion: 'kargo.akuity.io/v1alpha1',
      kind: 'Project',
      metadata: { name: 'checkout' },
    });
    t.sim.applyManifests(writebackStage('checkout', 'test'));
    const [{ freight }] = await runExample(createKargoFreightCreateAction(t));
    const { action } = await kargoBackend({ instance });
    expect(action.examples).toHaveLength(1); // another example needs its test here
    const [{ promotion }] = await runExample(action, 0, {
      'steps.freight.output.freight': freight as string,
    });
    expect(
      t.sim.store.get<any>('Promotion', 'checkout', promotion as string),
    ).toMatchObject({ spec: { stage: 'test', freight } });
  });
});
