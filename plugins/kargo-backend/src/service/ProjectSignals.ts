import { LoggerService } from '@backstage/backend-plugin-api';
import { SignalsService } from '@backstage/plugin-signals-node';
import { JsonObject } from '@backstage/types';
import {
  KargoProjectChangedSignal,
  kargoProjectChannel,
} from '@kargo-backstage/plugin-kargo-common';

/** Tells open pages of a project that something changed, on the project's signal channel. */
export class ProjectSignals {
  constructor(
    private readonly signals: SignalsService | undefined,
    private readonly logger: LoggerService,
  ) {}

  async publish(message: KargoProjectChangedSignal): Promise<void> {
    try {
      await this.signals?.publish({
        recipients: { type: 'broadcast' },
        channel: kargoProjectChannel(message.instance, message.project),
        message: message as unknown as JsonObject,
      });
    } catch (error) {
      this.logger.warn(`Could not publish Kargo signal: ${error}`);
    }
  }
}
