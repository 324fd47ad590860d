import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  createKargoProjectConditionalDecision,
  createKargoStageConditionalDecision,
  kargoProjectConditions,
  kargoStageConditions,
} from '@kargo-backstage/plugin-kargo-backend';
import {
  KARGO_PROJECT_RESOURCE_TYPE,
  KARGO_STAGE_RESOURCE_TYPE,
  kargoFreezeOverridePermission,
  kargoPermissions,
} from '@kargo-backstage/plugin-kargo-common';

/** Who may do what in Kargo through the portal; read from `kargoPolicy` in app-config. */
export interface KargoPolicyOptions {
  /** Members of these groups may do everything, in every stage. */
  releaseGroups: string[];
  /** Stage name patterns only the release groups may touch (default `prod*`). */
  protectedStages: string[];
}

const kargoPermissionNames = new Set(kargoPermissions.map(p => p.name));

/**
 * The example policy: everyone signed in may read Kargo; the owners of a service may promote,
 * approve, re-verify, refresh and abort in its stages except the protected (production) ones,
 * and edit its freight metadata and freeze windows; only the release groups may act on
 * protected stages or promote through a freeze. Everything that is not Kargo is allowed,
 * as with the allow-all policy this replaces.
 */
export class KargoExamplePermissionPolicy implements PermissionPolicy {
  constructor(private readonly options: KargoPolicyOptions) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!kargoPermissionNames.has(permission.name)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user) return { result: AuthorizeResult.DENY };
    if (!isResourcePermission(permission)) {
      // kargo.project.read: what is where is no secret to anyone signed in.
      return { result: AuthorizeResult.ALLOW };
    }
    const claims = user.info.ownershipEntityRefs;
    if (claims.some(ref => this.options.releaseGroups.includes(ref))) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (permission.name === kargoFreezeOverridePermission.name) {
      // Promoting through a freeze is for the release group alone.
      return { result: AuthorizeResult.DENY };
    }
    if (isResourcePermission(permission, KARGO_STAGE_RESOURCE_TYPE)) {
      return createKargoStageConditionalDecision(permission, {
        allOf: [
          kargoStageConditions.isEntityOwner({ claims }),
          {
            not: kargoStageConditions.isStage({
              stages: this.options.protectedStages,
            }),
          },
        ],
      });
    }
    if (isResourcePermission(permission, KARGO_PROJECT_RESOURCE_TYPE)) {
      return createKargoProjectConditionalDecision(
        permission,
        kargoProjectConditions.isEntityOwner({ claims }),
      );
    }
    return { result: AuthorizeResult.DENY };
  }
}

/** Installs the example policy as the portal's permission policy. */
export const permissionModuleKargoPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'kargo-example-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        policy: policyExtensionPoint,
      },
      async init({ config, policy }) {
        policy.setPolicy(
          new KargoExamplePermissionPolicy({
            releaseGroups: config.getOptionalStringArray(
              'kargoPolicy.releaseGroups',
            ) ?? ['group:default/release-managers'],
            protectedStages: config.getOptionalStringArray(
              'kargoPolicy.protectedStages',
            ) ?? ['prod*'],
          }),
        );
      },
    });
  },
});
