import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  KargoSimulator,
  ManualClock,
  RunningKargoSimulator,
  startKargoSimulator,
} from '@kargo-backstage/kargo-simulator';
import kargoPlugin from '@kargo-backstage/plugin-kargo-backend';
import type { Freight } from '@kargo-backstage/plugin-kargo-common';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { createKargoPromoteAction } from './promote';

let kargo: RunningKargoSimulator;
let sim: KargoSimulator;

beforeEach(async () => {
  sim = new KargoSimulator({ clock: new ManualClock() });
  kargo = await startKargoSimulator({ simulator: sim, keepaliveMs: 60_000 });
});
afterEach(() => kargo.close());

const newest = () =>
  sim.store
    .list<Freight>('Freight', 'kargo-demo')
    .sort((a, b) =>
      b.metadata!.creationTimestamp!.localeCompare(
        a.metadata!.creationTimestamp!,
      ),
    )[0];

async function kargoBackend() {
  const { server } = await startTestBackend({
    features: [
      kargoPlugin,
      catalogServiceMock.factory({ entities: [] }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      mockServices.rootConfig.factory({
        data: {
          kargo: {
            instances: [
              {
                name: 'sim',
                url: kargo.url,
                token: 'kargo-simulator-admin-token',
              },
            ],
          },
        },
      }),
      createServiceFactory({
        service: signalsServiceRef,
        deps: {},
        factory: () => ({ publish: async () => {} }),
      }),
    ],
  });
  const { port } = server.address() as AddressInfo;
  const action = createKargoPromoteAction({
    auth: mockServices.auth(),
    discovery: {
      getBaseUrl: async () => `http://localhost:${port}/api/kargo`,
      getExternalBaseUrl: async () => `http://localhost:${port}/api/kargo`,
    },
  });
  return { server, action };
}

function context(input: Record<string, unknown>) {
  const outputs: Record<string, unknown> = {};
  return {
    outputs,
    ctx: {
      input,
      output: (name: string, value: unknown) => {
        outputs[name] = value;
      },
      logger: mockServices.logger.mock(),
      task: { id: 'task-7' },
      getInitiatorCredentials: async () =>
        mockCredentials.user('user:default/dana'),
    } as any,
  };
}

describe('kargo:promote', () => {
  it('promotes through the backend plugin by alias, once per task however often it is retried', async () => {
    const { action } = await kargoBackend();
    const before = sim.store.list('Promotion', 'kargo-demo').length;
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
    expect(sim.store.list('Promotion', 'kargo-demo').length).toBe(before + 1);
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
});
