import {
  BasicPermission,
  createPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/** Resource type of a Kargo stage; its resourceRef is `<instance>/<project>/<stage>`. @public */
export const KARGO_STAGE_RESOURCE_TYPE = 'kargo-stage';
/** Resource type of a Kargo project; its resourceRef is `<instance>/<project>`. @public */
export const KARGO_PROJECT_RESOURCE_TYPE = 'kargo-project';

/** @public */
export type KargoStagePermission = ResourcePermission<
  typeof KARGO_STAGE_RESOURCE_TYPE
>;
/** @public */
export type KargoProjectPermission = ResourcePermission<
  typeof KARGO_PROJECT_RESOURCE_TYPE
>;

/** @public */
export function kargoStageResourceRef(
  instance: string,
  project: string,
  stage: string,
): string {
  return `${instance}/${project}/${stage}`;
}

/** @public */
export function kargoProjectResourceRef(
  instance: string,
  project: string,
): string {
  return `${instance}/${project}`;
}

/**
 * Reading a Kargo project (pipelines, freight, promotions, freight metadata, freeze windows,
 * gate previews) through the portal. Checked per project.
 * @public
 */
export const kargoProjectReadPermission = createPermission({
  name: 'kargo.project.read',
  attributes: { action: 'read' },
  resourceType: KARGO_PROJECT_RESOURCE_TYPE,
});

/**
 * Reading a project's settings: its Kargo roles with their claims (e-mails, groups) and its
 * repository credentials (names, usernames, URLs; never a secret). Checked per project.
 * @public
 */
export const kargoProjectSettingsReadPermission = createPermission({
  name: 'kargo.project.settings.read',
  attributes: { action: 'read' },
  resourceType: KARGO_PROJECT_RESOURCE_TYPE,
});

/**
 * Create a new Kargo project from the portal (the scaffolder's `kargo:project:init`). Changing
 * an existing project needs `kargo.project.manage` on it instead.
 * @public
 */
export const kargoProjectCreatePermission = createPermission({
  name: 'kargo.project.create',
  attributes: { action: 'create' },
});

/** Promote freight into a stage, or downstream of it (checked on every target stage). @public */
export const kargoFreightPromotePermission = createPermission({
  name: 'kargo.freight.promote',
  attributes: { action: 'update' },
  resourceType: KARGO_STAGE_RESOURCE_TYPE,
});

/** Approve freight for a stage (skips verification upstream). @public */
export const kargoFreightApprovePermission = createPermission({
  name: 'kargo.freight.approve',
  attributes: { action: 'update' },
  resourceType: KARGO_STAGE_RESOURCE_TYPE,
});

/** Abort a running promotion into a stage. @public */
export const kargoPromotionAbortPermission = createPermission({
  name: 'kargo.promotion.abort',
  attributes: { action: 'update' },
  resourceType: KARGO_STAGE_RESOURCE_TYPE,
});

/** Re-run or abort a stage's verification. @public */
export const kargoStageReverifyPermission = createPermission({
  name: 'kargo.stage.reverify',
  attributes: { action: 'update' },
  resourceType: KARGO_STAGE_RESOURCE_TYPE,
});

/** Ask Kargo to reconcile a stage now. @public */
export const kargoStageRefreshPermission = createPermission({
  name: 'kargo.stage.refresh',
  attributes: { action: 'update' },
  resourceType: KARGO_STAGE_RESOURCE_TYPE,
});

/** Ask a warehouse to look for new artifacts now. @public */
export const kargoWarehouseRefreshPermission = createPermission({
  name: 'kargo.warehouse.refresh',
  attributes: { action: 'update' },
  resourceType: KARGO_PROJECT_RESOURCE_TYPE,
});

/** Set or change a freight's alias. @public */
export const kargoFreightAliasUpdatePermission = createPermission({
  name: 'kargo.freight.alias.update',
  attributes: { action: 'update' },
  resourceType: KARGO_PROJECT_RESOURCE_TYPE,
});

/** Write the portal's metadata of freight (notes, links, labels, verdict). @public */
export const kargoFreightMetadataUpdatePermission = createPermission({
  name: 'kargo.freight.metadata.update',
  attributes: { action: 'update' },
  resourceType: KARGO_PROJECT_RESOURCE_TYPE,
});

/** Create or end freeze (promotion) windows of a project. @public */
export const kargoFreezeManagePermission = createPermission({
  name: 'kargo.freeze.manage',
  attributes: { action: 'update' },
  resourceType: KARGO_PROJECT_RESOURCE_TYPE,
});

/** Promote into a stage although a freeze window closes it (audited). @public */
export const kargoFreezeOverridePermission = createPermission({
  name: 'kargo.freeze.override',
  attributes: { action: 'update' },
  resourceType: KARGO_STAGE_RESOURCE_TYPE,
});

/**
 * Manage a project's settings from the portal: role grants, promotion policies. @public
 */
export const kargoProjectManagePermission = createPermission({
  name: 'kargo.project.manage',
  attributes: { action: 'update' },
  resourceType: KARGO_PROJECT_RESOURCE_TYPE,
});

/**
 * Change what governs a stage without promoting into it: its auto-promotion, the freeze windows
 * that select it (create or end), the warehouses and credentials that feed it, clearing a
 * "do not promote" verdict on freight it may receive. Checked on every stage the change affects,
 * beside the project-level permission of the change.
 * @public
 */
export const kargoStageManagePermission = createPermission({
  name: 'kargo.stage.manage',
  attributes: { action: 'update' },
  resourceType: KARGO_STAGE_RESOURCE_TYPE,
});

/**
 * Grant or revoke a project's `kargo-admin` role: whoever holds it can do anything in the
 * project, in Kargo itself, so it is a permission of its own.
 * @public
 */
export const kargoProjectAdminGrantPermission = createPermission({
  name: 'kargo.project.admin.grant',
  attributes: { action: 'update' },
  resourceType: KARGO_PROJECT_RESOURCE_TYPE,
});

/**
 * Stop the line: start or end a freeze of every stage of every project, portal-wide or of one
 * Kargo instance (a release manager's call; a hotfix still needs kargo.freeze.override).
 * @public
 */
export const kargoLineStopPermission = createPermission({
  name: 'kargo.line.stop',
  attributes: { action: 'update' },
});

/** Permissions on stages. @public */
export const kargoStagePermissions = [
  kargoFreightPromotePermission,
  kargoFreightApprovePermission,
  kargoPromotionAbortPermission,
  kargoStageReverifyPermission,
  kargoStageRefreshPermission,
  kargoFreezeOverridePermission,
  kargoStageManagePermission,
];

/** Permissions on projects. @public */
export const kargoProjectPermissions = [
  kargoProjectReadPermission,
  kargoProjectSettingsReadPermission,
  kargoWarehouseRefreshPermission,
  kargoFreightAliasUpdatePermission,
  kargoFreightMetadataUpdatePermission,
  kargoFreezeManagePermission,
  kargoProjectManagePermission,
  kargoProjectAdminGrantPermission,
];

/**
 * Every permission the Kargo plugins define. Typed as written: an inferred union's order varies
 * with the compiler's, and the API report with it.
 * @public
 */
export const kargoPermissions: Array<
  | BasicPermission
  | ResourcePermission<'kargo-stage'>
  | ResourcePermission<'kargo-project'>
> = [
  kargoProjectCreatePermission,
  kargoLineStopPermission,
  ...kargoStagePermissions,
  ...kargoProjectPermissions,
];
