import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { kargoPromotionGatesExtensionPoint } from '@kargo-backstage/plugin-kargo-node';
import { createVerdictGate } from './verdictGate';

/**
 * Adds the "do not promote" verdict gate to the Kargo backend plugin.
 * @public
 */
export const kargoModuleVerdictGate = createBackendModule({
  pluginId: 'kargo',
  moduleId: 'verdict-gate',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        gates: kargoPromotionGatesExtensionPoint,
      },
      async init({ config, gates }) {
        const mode = config.getOptionalString('kargo.gates.verdict.mode');
        if (mode && mode !== 'confirm' && mode !== 'deny') {
          throw new Error(
            `kargo.gates.verdict.mode must be "confirm" or "deny", got "${mode}"`,
          );
        }
        gates.addPromotionGate(createVerdictGate(mode as 'confirm' | 'deny'));
      },
    });
  },
});
