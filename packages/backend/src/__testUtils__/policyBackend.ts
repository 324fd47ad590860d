/*
 * The Kargo backend plugin behind the real permission backend with the example policy: the
 * permission tests' portal. Conditional decisions are resolved by the plugin's rules against
 * the owners the catalog (a mock holding `entities`) and the simulated Kargo Project agree on.
 */
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { DefaultAuditorService } from '@backstage/backend-defaults/auditor';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { permissionsRegistryServiceFactory } from '@backstage/backend-defaults/permissionsRegistry';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import type {
  KargoSimulator,
  RunningKargoSimulator,
} from '@kargo-backstage/kargo-simulator';
import kargoPlugin from '@kargo-backstage/plugin-kargo-backend';
import approvalGate from '@kargo-backstage/plugin-kargo-backend-module-approval-gate';
import { simulatorInstance } from '@kargo-backstage/plugin-kargo-backend/testUtils';
import type { Freight } from '@kargo-backstage/plugin-kargo-common';
import { permissionModuleKargoPolicy } from '../kargoPermissionPolicy';
import { silentSignals } from './portalFixtures';

export { as, owned } from './portalFixtures';

/** A project's freight in the simulator, oldest first. */
export const freightOf = (sim: KargoSimulator, project: string): Freight[] =>
  sim.store
    .list<Freight>('Freight', project)
    .sort((a, b) =>
      a.metadata!.creationTimestamp!.localeCompare(
        b.metadata!.creationTimestamp!,
      ),
    );

const EXTERNAL_PREFIX = 'Bearer test-external:';
/**
 * A service principal's header, as a static external-access token configured with these
 * access restrictions would make it (`backend.auth.externalAccess[].accessRestrictions`).
 */
export const asService = (subject: string, permissionNames?: string[]) =>
  `${EXTERNAL_PREFIX}${JSON.stringify({ subject, permissionNames })}`;

/**
 * The mock httpAuth, except that a service token issued on behalf of a user keeps its actor
 * (as Backstage's real auth does; the permission backend's apply-conditions call to the Kargo
 * plugin needs it) and external-access tokens carry their access restrictions.
 */
const httpAuthWithActors = createServiceFactory({
  service: coreServices.httpAuth,
  deps: { plugin: coreServices.pluginMetadata },
  factory: ({ plugin }) => {
    const mock = mockServices.httpAuth({
      pluginId: plugin.getId(),
      defaultCredentials: mockCredentials.none(),
    });
    const prefix = 'Bearer mock-service-token:';
    return {
      ...mock,
      issueUserCookie: mock.issueUserCookie.bind(mock),
      async credentials(req: any, options?: any) {
        const header: string = req.headers.authorization ?? '';
        if (header.startsWith(prefix)) {
          const { sub, obo } = JSON.parse(header.slice(prefix.length));
          if (obo) {
            return mockCredentials.user(obo, { actor: { subject: sub } });
          }
        }
        if (header.startsWith(EXTERNAL_PREFIX)) {
          const { subject, permissionNames } = JSON.parse(
            header.slice(EXTERNAL_PREFIX.length),
          );
          return mockCredentials.service(
            subject,
            permissionNames ? { permissionNames } : undefined,
          );
        }
        return mock.credentials(req, options);
      },
    } as any;
  },
});

export interface PolicyBackendOptions {
  kargo: RunningKargoSimulator;
  entities: Entity[];
  /** Each user's ownership refs (themselves and their groups). */
  ownership: Record<string, string[]>;
  /** Auditor events land here. */
  audit: Array<Record<string, any>>;
}

export async function startPolicyBackend(options: PolicyBackendOptions) {
  const { kargo, entities, ownership, audit } = options;
  return startTestBackend({
    features: [
      kargoPlugin,
      // Approval policies are refused without the gate that enforces them.
      approvalGate,
      permissionPlugin,
      permissionModuleKargoPolicy,
      permissionsServiceFactory,
      permissionsRegistryServiceFactory,
      catalogServiceMock.factory({ entities }),
      httpAuthWithActors,
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          kargoPolicy: {
            releaseGroups: ['group:default/release-managers'],
            protectedStages: ['prod*'],
          },
          kargo: {
            instances: [simulatorInstance(kargo)],
          },
        },
      }),
      createServiceFactory({
        service: coreServices.userInfo,
        deps: {},
        factory: () => ({
          async getUserInfo(credentials: any) {
            const ref = credentials.principal.userEntityRef;
            return {
              userEntityRef: ref,
              ownershipEntityRefs: ownership[ref] ?? [ref],
            };
          },
        }),
      }),
      createServiceFactory({
        service: coreServices.auditor,
        deps: {
          auth: coreServices.auth,
          httpAuth: coreServices.httpAuth,
          plugin: coreServices.pluginMetadata,
        },
        factory: deps =>
          DefaultAuditorService.create(async event => {
            audit.push(event);
          }, deps),
      }),
      silentSignals,
    ],
  });
}

/** Makes the simulated Kargo Project name its portal owners (what a Kargo admin would do). */
export function setProjectOwners(
  kargo: RunningKargoSimulator,
  project: string,
  owners: string[],
) {
  kargo.simulator.store.update<any>('Project', '', project, p => {
    p.metadata.annotations = {
      ...p.metadata.annotations,
      'kargo-backstage.io/owners': owners.join(','),
    };
  });
}
