import { LoggerService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { RunningKargoSimulator } from '@kargo-backstage/kargo-simulator';
import { KargoInstances } from '@kargo-backstage/plugin-kargo-node';

/** The `kargo.instances` entry of a running simulator, named `sim`, with its admin token. @public */
export function simulatorInstance(kargo: RunningKargoSimulator) {
  return { name: 'sim', url: kargo.url, token: 'kargo-simulator-admin-token' };
}

/** The configured instances of a test that talks to the simulator alone. @public */
export function simulatorInstances(
  kargo: RunningKargoSimulator,
  logger: LoggerService = mockServices.rootLogger({ level: 'none' }),
): KargoInstances {
  return KargoInstances.fromConfig(
    new ConfigReader({ kargo: { instances: [simulatorInstance(kargo)] } }),
    logger,
  );
}
