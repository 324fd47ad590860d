import {
  BackendFeature,
  coreServices,
  createServiceFactory,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import type { RunningKargoSimulator } from '@kargo-backstage/kargo-simulator';
import { Server } from 'node:http';
import { kargoPlugin } from '../plugin';
import { simulatorInstance } from './simulatorInstances';

/** A catalog component naming the demo project kargo-demo. @public */
export const guestbook: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'guestbook',
    namespace: 'default',
    annotations: { 'kargo.akuity.io/project': 'kargo-demo' },
  },
  spec: { type: 'service', owner: 'group:default/guests' },
};

/** Permissions that allow everything, except `permission` to `user`. @public */
export function denying(
  permission: string,
  user: string,
): PermissionsService['authorize'] {
  return async (requests, options) =>
    requests.map(r => ({
      result:
        r.permission.name === permission &&
        (options.credentials.principal as { userEntityRef?: string })
          .userEntityRef === user
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    }));
}

/** An audit event as the test backend's auditor recorded it. @public */
export interface AuditRecord {
  eventId: string;
  status: string;
  meta?: any;
}

/**
 * The Kargo backend plugin against a running simulator, with the catalog, permissions,
 * auditor and signals it needs replaced by observable test versions.
 *
 * @public
 */
export async function startKargoBackend(options: {
  kargo: RunningKargoSimulator;
  instance?: Record<string, unknown>;
  permissions?: PermissionsService['authorize'];
  features?: BackendFeature[];
  audit?: AuditRecord[];
  signals?: unknown[];
  /** The catalog (default: the guestbook alone). */
  entities?: Entity[];
  /** More `kargo` config beside the instance, e.g. gates. */
  kargoConfig?: Record<string, unknown>;
}): Promise<Server> {
  const audit = options.audit ?? [];
  const { server } = await startTestBackend({
    features: [
      kargoPlugin,
      ...(options.features ?? []),
      catalogServiceMock.factory({
        entities: options.entities ?? [guestbook],
      }),
      options.permissions
        ? createServiceFactory({
            service: coreServices.permissions,
            deps: {},
            factory: () => ({
              authorize: options.permissions!,
              authorizeConditional: async () => {
                throw new Error('not used');
              },
            }),
          })
        : mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      mockServices.rootConfig.factory({
        data: {
          kargo: {
            instances: [
              { ...simulatorInstance(options.kargo), ...options.instance },
            ],
            ...options.kargoConfig,
          },
        },
      }),
      createServiceFactory({
        service: coreServices.auditor,
        deps: {},
        factory: () => ({
          async createEvent(event) {
            const record = (status: string, meta?: object) =>
              audit.push({
                eventId: event.eventId,
                status,
                meta: { ...event.meta, ...meta },
              });
            record('initiated');
            return {
              success: async o => void record('succeeded', o?.meta),
              fail: async o => void record('failed', o.meta),
            };
          },
        }),
      }),
      createServiceFactory({
        service: signalsServiceRef,
        deps: {},
        factory: () => ({
          publish: async (signal: unknown) => {
            options.signals?.push(signal);
          },
        }),
      }),
    ],
  });
  return server;
}
