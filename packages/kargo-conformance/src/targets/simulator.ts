import { startKargoSimulator } from '@kargo-backstage/kargo-simulator';
import { ConformanceTarget, TargetFactory } from './types';

const ADMIN = 'conformance-admin-token';

/**
 * The simulator, started empty with its controllers on a short timer, so the suite waits for
 * outcomes the way it must against a real Kargo.
 */
export const simulatorTarget: TargetFactory = {
  name: 'simulator',
  unavailable: () => undefined,
  async start(): Promise<ConformanceTarget> {
    const running = await startKargoSimulator({
      tickMs: 50,
      keepaliveMs: 1_000,
      tokens: [{ token: ADMIN, role: 'admin', actor: 'admin' }],
    });
    return {
      name: 'simulator',
      url: running.url,
      adminToken: ADMIN,
      advance: ms => new Promise(resolve => setTimeout(resolve, ms)),
      stop: () => running.close(),
    };
  },
};
