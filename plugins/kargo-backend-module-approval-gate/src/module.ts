import { createBackendModule } from '@backstage/backend-plugin-api';
import { kargoPromotionGatesExtensionPoint } from '@kargo-backstage/plugin-kargo-node';
import { createApprovalGate } from './approvalGate';

/**
 * Adds the approval gate to the Kargo backend plugin: without it, approval policies cannot be
 * created (nothing would make promotions wait for them).
 * @public
 */
export const kargoModuleApprovalGate = createBackendModule({
  pluginId: 'kargo',
  moduleId: 'approval-gate',
  register(reg) {
    reg.registerInit({
      deps: { gates: kargoPromotionGatesExtensionPoint },
      async init({ gates }) {
        gates.addPromotionGate(createApprovalGate());
      },
    });
  },
});
