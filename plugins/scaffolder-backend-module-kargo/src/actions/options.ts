import {
  AuditorService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { KargoInstances } from '@kargo-backstage/plugin-kargo-node';

/**
 * What the actions that speak to Kargo directly need: the configured instances, the auditor
 * (every change audited with the user who started the template) and the permissions (each
 * checks that user's Kargo permissions first).
 * @public
 */
export interface KargoActionOptions {
  instances: KargoInstances;
  auditor: AuditorService;
  permissions: PermissionsService;
}
