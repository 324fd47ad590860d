import { useApi } from '@backstage/core-plugin-api';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import useAsync from 'react-use/esm/useAsync';

/**
 * Whether the user may use `permission` on every one of these Kargo resources (stages or
 * projects). Only for showing buttons: the backend checks each call again.
 */
export function useKargoPermission(
  permission: ResourcePermission,
  resourceRefs: string[],
): { loading: boolean; allowed: boolean } {
  const permissionApi = useApi(permissionApiRef);
  const key = resourceRefs.join('\n');
  const { loading, value } = useAsync(async () => {
    if (!resourceRefs.length) return false;
    const decisions = await Promise.all(
      resourceRefs.map(resourceRef =>
        permissionApi.authorize({ permission, resourceRef }),
      ),
    );
    return decisions.every(d => d.result === AuthorizeResult.ALLOW);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [permissionApi, permission.name, key]);
  return { loading, allowed: Boolean(value) };
}

/**
 * Whether the user holds a permission on no resource (kargo.line.stop). Asked through the
 * permission API each time a component mounts, as useKargoPermission does, so a change of
 * policy shows on the next visit. Only for showing buttons: the backend checks each call again.
 */
export function useKargoBasicPermission(permission: BasicPermission): {
  loading: boolean;
  allowed: boolean;
} {
  const permissionApi = useApi(permissionApiRef);
  const { loading, value } = useAsync(async () => {
    const decision = await permissionApi.authorize({ permission });
    return decision.result === AuthorizeResult.ALLOW;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [permissionApi, permission.name]);
  return { loading, allowed: Boolean(value) };
}
