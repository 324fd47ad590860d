import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Reading Kargo projects (pipelines, freight, promotions) through the portal.
 * @public
 */
export const kargoProjectReadPermission = createPermission({
  name: 'kargo.project.read',
  attributes: { action: 'read' },
});

/** Every permission the Kargo plugins define, for the permission backend's listing. @public */
export const kargoPermissions = [kargoProjectReadPermission];
