import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { kargoInstancesServiceRef } from '@kargo-backstage/plugin-kargo-node';
import { createKargoFreightCreateAction } from './actions/freightCreate';
import { createKargoProjectInitAction } from './actions/projectInit';
import { createKargoPromoteAction } from './actions/promote';
import { createKargoResourcesApplyAction } from './actions/resourcesApply';

/**
 * The Kargo scaffolder actions: `kargo:project:init`, `kargo:resources:apply`,
 * `kargo:freight:create` and `kargo:promote`, speaking to Kargo with the same instances and
 * clients as the Kargo backend plugin (kargoInstancesServiceRef), for the user who started the template:
 * each checks that user's Kargo permissions before it changes anything.
 * @public
 */
export const scaffolderModuleKargo = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'kargo',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        instances: kargoInstancesServiceRef,
        auditor: coreServices.auditor,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
      },
      async init({
        scaffolder,
        instances,
        auditor,
        auth,
        discovery,
        permissions,
      }) {
        // The actions act for the user who started the template: its permissions decide.
        scaffolder.addActions(
          createKargoProjectInitAction({ instances, auditor, permissions }),
          createKargoResourcesApplyAction({ instances, auditor, permissions }),
          createKargoFreightCreateAction({ instances, auditor, permissions }),
          createKargoPromoteAction({ auth, discovery, instances, permissions }),
        );
      },
    });
  },
});
