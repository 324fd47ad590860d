import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotFoundError, NotImplementedError } from '@backstage/errors';
import { KargoClient } from './KargoClient';
import { readKargoInstances } from './KargoInstanceConfig';
import { TESTED_RELEASES } from './kargoServer';

/** The configured Kargo instances, one client each; the first is the default. @public */
export class KargoInstances {
  private constructor(
    private readonly clients: KargoClient[],
    private readonly logger: LoggerService,
  ) {}

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
    return new KargoInstances(clients, logger);
  }

  /**
   * Reads each instance's Kargo version (`/v1beta1/system/server-version`) and logs it: the
   * portal is tested on v1.11.x; v1.9 and v1.10 are handled (their watches re-list on each
   * connection); a server without the REST API is refused, for that instance only (see
   * KargoClient.serverInfo). Never throws: an instance that cannot be reached is read again when
   * next used.
   */
  async checkServers(): Promise<void> {
    const logger = this.logger;
    await Promise.all(
      this.clients.map(async client => {
        const name = client.instance.name;
        try {
          const info = await client.serverInfo();
          if (!info.resumesWatches) {
            logger.warn(
              `Kargo instance "${name}" runs ${info.version}: supported, but watches cannot resume before v1.11, so the portal lists again on every reconnect (tested on ${TESTED_RELEASES})`,
            );
          } else {
            logger.info(`Kargo instance "${name}" runs ${info.version}`);
          }
        } catch (error) {
          if (error instanceof NotImplementedError) {
            logger.error(`${error.message}; this instance is refused`);
          } else {
            logger.warn(
              `Could not read the version of Kargo instance "${name}": ${error}`,
            );
          }
        }
      }),
    );
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
