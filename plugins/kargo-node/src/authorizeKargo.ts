import {
  BackstageCredentials,
  BackstageServicePrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizePermissionRequest,
  AuthorizeResult,
  DefinitivePolicyDecision,
} from '@backstage/plugin-permission-common';

/**
 * Backstage's permissions service allows a service principal everything its access
 * restrictions do not exclude: a static external-access token or any other plugin would pass
 * every Kargo permission without the policy being asked. Kargo acts with the portal's Kargo
 * token, so a service gets a decision here instead: allowed only what its access restrictions
 * name explicitly (`backend.auth.externalAccess[].accessRestrictions[].permission`), nothing by
 * default. Users are decided by the permission policy, as always. The Kargo backend and the
 * scaffolder actions decide through this.
 * @public
 */
export async function authorizeKargo(
  permissions: PermissionsService,
  requests: AuthorizePermissionRequest[],
  credentials: BackstageCredentials,
): Promise<DefinitivePolicyDecision[]> {
  const principal = credentials.principal as Partial<BackstageServicePrincipal>;
  if (principal.type === 'service') {
    const named = principal.accessRestrictions?.permissionNames ?? [];
    return requests.map(({ permission }) => ({
      result: named.includes(permission.name)
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY,
    }));
  }
  return permissions.authorize(requests, { credentials });
}
