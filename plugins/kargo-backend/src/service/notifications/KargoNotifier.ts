import { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { NotificationPayload } from '@backstage/plugin-notifications-common';
import { Knex } from 'knex';
import { isUniqueViolation } from '../../database/DatabaseKargoStore';

/** Notified events are kept this long: far longer than any replay of the same event. */
const KEEP_MS = 30 * 24 * 60 * 60 * 1000;

/** Kargo's notification topics: users turn each on or off in their notification settings. */
export const KARGO_TOPICS = {
  approvals: 'kargo-approvals',
  promotionFailed: 'kargo-promotion-failed',
  verificationFailed: 'kargo-verification-failed',
  lineStops: 'kargo-line-stops',
  freezes: 'kargo-freezes',
  productionPromotions: 'kargo-production-promotions',
} as const;

export interface KargoNotification {
  /** Names the event: sent once for it, whichever replica or run sees it first. */
  event: string;
  /** User or group entity refs, or everyone signed in (a portal-wide event). */
  to: string[] | 'everyone';
  /** Left out of the recipients (whoever caused it). */
  except?: string;
  payload: NotificationPayload & { topic: string };
}

/**
 * Sends the plugin's notifications through Backstage's notifications service (its page, its
 * bell, the users' settings per topic). Each event is claimed in the database first, so that
 * replicas, replays of a watch and scheduler runs that see the same event send it once.
 */
export class KargoNotifier {
  constructor(
    private readonly notifications: NotificationService | undefined,
    private readonly db: Knex,
    private readonly logger: LoggerService,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when this call sent it; never throws (a notification must not fail the change). */
  async send(notification: KargoNotification): Promise<boolean> {
    const to =
      notification.to === 'everyone'
        ? notification.to
        : notification.to.filter(r => r !== notification.except);
    if (!this.notifications || !to.length) return false;
    try {
      await this.db('kargo_notifications_sent').insert({
        event: notification.event.slice(0, 512),
        sent_at: this.now(),
      });
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      this.logger.warn(
        `Could not record notification ${notification.event}: ${error}`,
      );
      return false;
    }
    try {
      await this.notifications.send({
        recipients:
          to === 'everyone'
            ? { type: 'broadcast' }
            : {
                type: 'entity',
                entityRef: to,
                ...(notification.except
                  ? { excludeEntityRef: notification.except }
                  : {}),
              },
        payload: notification.payload,
      });
      return true;
    } catch (error) {
      this.logger.warn(
        `Could not send notification ${notification.event}: ${error}`,
      );
      return false;
    }
  }

  /** Forgets events old enough never to come again. */
  async prune(): Promise<void> {
    await this.db('kargo_notifications_sent')
      .where('sent_at', '<', this.now() - KEEP_MS)
      .delete();
  }
}
