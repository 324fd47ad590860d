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
  kargoFreightPromotePermission,
  kargoLineStopPermission,
  kargoPermissions,
  kargoProjectAdminGrantPermission,
  kargoProjectReadPermission,
} from '@kargo-backstage/plugin-kargo-common';

/** Who may do what in Kargo through the portal; read from `kargoPolicy` in app-config. */
export interface KargoPolicyOptions {
  /** Members of these groups may do everything, in every stage. */
  releaseGroups: string[];
  /** Stage name patterns only the release groups may touch (default `prod*`). */
  protectedStages: string[];
  /**
   * Protected stages owners may still promote into, because approval policies gate them (the
   * approval gate module holds each promotion until the release group approved it).
   */
  approvalGatedStages?: string[];
}

const kargoPermissionNames = new Set(kargoPermissions.map(p => p.name));
/**
 * Promoting through a freeze, stopping the line and making someone Kargo admin are for the
 * release groups alone.
 */
const releaseGroupsOnly = new Set([
  kargoFreezeOverridePermission.name,
  kargoLineStopPermission.name,
  kargoProjectAdminGrantPermission.name,
]);

/**
 * The example policy: everyone signed in may read Kargo's pipelines and create new projects from
 * templates; the owners of a project (where the catalog and the Kargo Project's
 * `kargo-backstage.io/owners` agree) may promote, approve, re-verify, refresh, abort and manage
 * its stages except the protected (production) ones, read its settings, and edit its freight
 * metadata, freeze windows and settings as far as they govern unprotected stages; only the
 * release groups may act on protected stages, promote through a freeze, stop the line or grant
 * `kargo-admin`.
 * Service principals never reach a policy (Backstage decides them by their access restrictions);
 * the Kargo backend allows them only the Kargo permissions their restrictions name. Everything
 * that is not Kargo is allowed, as with the allow-all policy this replaces.
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
    const claims = user.info.ownershipEntityRefs;
    if (claims.some(ref => this.options.releaseGroups.includes(ref))) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (releaseGroupsOnly.has(permission.name)) {
      return { result: AuthorizeResult.DENY };
    }
    if (
      !isResourcePermission(permission) ||
      permission.name === kargoProjectReadPermission.name
    ) {
      // kargo.project.read: what is where is no secret to anyone signed in. kargo.project.create:
      // templates are self-service; the creator becomes the new project's owner, nothing more.
      return { result: AuthorizeResult.ALLOW };
    }
    if (isResourcePermission(permission, KARGO_STAGE_RESOURCE_TYPE)) {
      const unprotected = {
        not: kargoStageConditions.isStage({
          stages: this.options.protectedStages,
        }),
      };
      const gated = this.options.approvalGatedStages ?? [];
      return createKargoStageConditionalDecision(permission, {
        allOf: [
          kargoStageConditions.isEntityOwner({ claims }),
          permission.name === kargoFreightPromotePermission.name && gated.length
            ? {
                anyOf: [
                  unprotected,
                  kargoStageConditions.isStage({ stages: gated }),
                ],
              }
            : unprotected,
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
            approvalGatedStages: config.getOptionalStringArray(
              'kargoPolicy.approvalGatedStages',
            ),
          }),
        );
      },
    });
  },
});
