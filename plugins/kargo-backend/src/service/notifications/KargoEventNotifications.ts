import type { Promotion, Stage } from '@kargo-backstage/plugin-kargo-common';
import type { ProjectRef } from '../../database';
import type { ProjectChange } from '../state/ProjectState';
import { selectsStage } from '../freeze/stageSelector';
import { KargoNotifier, KARGO_TOPICS } from './KargoNotifier';

/**
 * Events older than this are not notified: a watch that starts lists every object as ADDED,
 * and last month's failed promotion is no news.
 */
const RECENT_MS = 15 * 60 * 1000;

export interface KargoEventNotificationsOptions {
  notifier: KargoNotifier;
  /** Who hears of a project (the owners of the entities that show it) and where it is shown. */
  audience(ref: ProjectRef): Promise<{ owners: string[]; link?: string }>;
  /** Stage name patterns (Kargo's selector syntax) whose successful promotions are notified. */
  productionStages: string[];
  now?: () => number;
}

/**
 * Notifications about what Kargo did, from the watch events of the replica that watches the
 * project: a promotion failed or errored, a verification failed, a promotion into a
 * production stage succeeded (opt-in). The notifier's record of sent events makes each one
 * go out once, across replicas and replays.
 */
export class KargoEventNotifications {
  private readonly now: () => number;

  constructor(private readonly options: KargoEventNotificationsOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Never throws: a notification must not disturb the watch. */
  async changed(ref: ProjectRef, change: ProjectChange): Promise<void> {
    if (change.type === 'DELETED') return;
    let found;
    if (change.list === 'promotions') {
      found = this.ofPromotion(ref, change.object as Promotion);
    } else if (change.list === 'stages') {
      found = this.ofStage(ref, change.object as Stage);
    }
    if (!found) return;
    const { owners, link } = await this.options
      .audience(ref)
      .catch(() => ({ owners: [] as string[], link: undefined }));
    await this.options.notifier.send({
      ...found,
      to: owners,
      payload: { ...found.payload, ...(link ? { link } : {}) },
    });
  }

  private recent(time: string | undefined): boolean {
    const at = Date.parse(time ?? '');
    return !Number.isNaN(at) && this.now() - at <= RECENT_MS;
  }

  private ofPromotion(ref: ProjectRef, p: Promotion) {
    const phase = p.status?.phase;
    const name = p.metadata?.name;
    if (!name || !this.recent(p.status?.finishedAt)) return undefined;
    const where = `${p.spec.stage} (${ref.project})`;
    const id = `${ref.instance}/${ref.project}/${name}`;
    if (phase === 'Failed' || phase === 'Errored') {
      return {
        event: `promotion-${phase.toLowerCase()}:${id}`,
        payload: {
          title: `Promotion ${phase.toLowerCase()}: ${where}`,
          description: `Kargo's promotion ${name} of freight ${
            p.spec.freight
          } into ${p.spec.stage} ${phase.toLowerCase()}${
            p.status?.message ? `: ${p.status.message}` : ''
          }.`,
          severity: 'high' as const,
          topic: KARGO_TOPICS.promotionFailed,
        },
      };
    }
    if (
      phase === 'Succeeded' &&
      this.options.productionStages.some(pattern =>
        selectsStage({ name: pattern }, { name: p.spec.stage }),
      )
    ) {
      return {
        event: `promotion-succeeded:${id}`,
        payload: {
          title: `Promoted into ${where}`,
          description: `Freight ${p.spec.freight} is in ${p.spec.stage} (promotion ${name}).`,
          severity: 'normal' as const,
          topic: KARGO_TOPICS.productionPromotions,
        },
      };
    }
    return undefined;
  }

  private ofStage(ref: ProjectRef, s: Stage) {
    const current = s.status?.freightHistory?.[0];
    const verification = current?.verificationHistory?.[0];
    const stage = s.metadata?.name;
    if (
      !stage ||
      !verification?.id ||
      !['Failed', 'Error'].includes(verification.phase ?? '') ||
      !this.recent(verification.finishTime ?? verification.startTime)
    ) {
      return undefined;
    }
    const freight = Object.values(current?.items ?? {})
      .map(f => f.name)
      .join(', ');
    return {
      event: `verification-failed:${ref.instance}/${ref.project}/${stage}/${verification.id}`,
      payload: {
        title: `Verification failed: ${stage} (${ref.project})`,
        description: `The verification of ${freight} in stage ${stage} ended ${
          verification.phase
        }${verification.message ? `: ${verification.message}` : ''}.`,
        severity: 'high' as const,
        topic: KARGO_TOPICS.verificationFailed,
      },
    };
  }
}
