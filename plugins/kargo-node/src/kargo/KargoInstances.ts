import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import { KargoClient } from './KargoClient';
import { readKargoInstances } from './KargoInstanceConfig';

/** The configured Kargo instances, one client each; the first is the default. @public */
export class KargoInstances {
  private constructor(private readonly clients: KargoClient[]) {}

  static fromConfig(config: Config, logger: LoggerService): KargoInstances {
    const clients = readKargoInstances(config).map(
      instance =>
        new KargoClient(instance, {
          logger: logger.child({ kargoInstance: instance.name }),
        }),
    );
    if (!clients.length) {
      logger.warn(
        'No kargo.instances configured; the Kargo plugin has nothing to show',
      );
    }
    return new KargoInstances(clients);
  }

  names(): string[] {
    return this.clients.map(c => c.instance.name);
  }

  /** The client for an entity's `kargo.akuity.io/instance`, or the default. */
  get(name?: string): KargoClient {
    const client = name
      ? this.clients.find(c => c.instance.name === name)
      : this.clients[0];
    if (!client) {
      throw new NotFoundError(
        name
          ? `No Kargo instance named "${name}" is configured (known: ${
              this.names().join(', ') || 'none'
            })`
          : 'No Kargo instance is configured (kargo.instances)',
      );
    }
    return client;
  }
}
