/*
 * The Kargo backend plugin in the bench's own process, with test services around it, against a
 * simulator process: what the backend and big-project benches time.
 */
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import kargoPlugin from '@kargo-backstage/plugin-kargo-backend';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ADMIN_TOKEN, SimulatorProcess } from './simulatorProcess';

/** A signal the plugin published, and when. */
export type RecordedSignal = { kind: string; project: string; at: number };

/** The plugin with the catalog's `entities`, everything allowed, its signals recorded. */
export async function startBenchBackend(
  kargo: SimulatorProcess,
  entities: Entity[],
) {
  const signals: RecordedSignal[] = [];
  const testBackend = await startTestBackend({
    features: [
      kargoPlugin,
      catalogServiceMock.factory({ entities }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      mockServices.rootConfig.factory({
        data: {
          kargo: {
            instances: [{ name: 'sim', url: kargo.url, token: ADMIN_TOKEN }],
          },
        },
      }),
      createServiceFactory({
        service: signalsServiceRef,
        deps: {},
        factory: () => ({
          publish: async ({ message }: { message: any }) => {
            signals.push({ ...message, at: performance.now() });
          },
        }),
      }),
    ],
  });
  const { server } = testBackend;
  const { port } = server.address() as AddressInfo;
  const base = `http://localhost:${port}/api/kargo`;
  const viewUrl = (entity: string) =>
    `${base}/entity-view?entityRef=component:default/${entity}`;
  const get = async (entity: string) => {
    const res = await fetch(viewUrl(entity));
    if (!res.ok) throw new Error(`view ${res.status}`);
    await res.json();
  };
  return { base, get, viewUrl, signals, stop: () => testBackend.stop() };
}

/**
 * The project reads Kargo answered: not the watches, nor the client's probe of Kargo's version
 * (once per process, which a fresh backend makes while or after it answers the first view).
 */
export const kargoReads = async (kargo: SimulatorProcess) =>
  (await kargo.requests()).filter(
    r =>
      r.startsWith('GET ') &&
      !r.includes('watch=') &&
      !r.includes('/system/server-version'),
  );
