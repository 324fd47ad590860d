import { PermissionsRegistryService } from '@backstage/backend-plugin-api';
import {
  kargoPermissions,
  kargoProjectPermissions,
  kargoStagePermissions,
} from '@kargo-backstage/plugin-kargo-common';
import { KargoResourceOwners } from './KargoResourceOwners';
import {
  kargoProjectResourceRef,
  kargoProjectRules,
  kargoStageResourceRef,
  kargoStageRules,
} from './rules';

/**
 * Registers the Kargo permissions and their resource types. Conditional decisions (in project,
 * is stage, owned by the user) are resolved here, against the owners that the catalog and the
 * Kargo Project agree on.
 */
export function registerKargoPermissions(
  registry: PermissionsRegistryService,
  owners: KargoResourceOwners,
): void {
  registry.addPermissions(kargoPermissions);
  registry.addResourceType({
    resourceRef: kargoStageResourceRef,
    permissions: kargoStagePermissions,
    rules: Object.values(kargoStageRules),
    getResources: refs => owners.stages(refs),
  });
  registry.addResourceType({
    resourceRef: kargoProjectResourceRef,
    permissions: kargoProjectPermissions,
    rules: Object.values(kargoProjectRules),
    getResources: refs => owners.projects(refs),
  });
}
