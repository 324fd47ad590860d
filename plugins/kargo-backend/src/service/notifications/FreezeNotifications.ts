import { LoggerService } from '@backstage/backend-plugin-api';
import type {
  PromotionWindowView,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';
import { KargoInstances } from '@kargo-backstage/plugin-kargo-node';
import type { KargoStore, ProjectRef } from '../../database';
import { Occurrence, occurrencesAround } from '../freeze/promotionSchedule';
import { selectsStage } from '../freeze/stageSelector';
import { LINE_STOP_WINDOW } from '../lineStops/lineStopWindow';
import { KargoNotifier, KARGO_TOPICS } from './KargoNotifier';

/** Starts and ends further back than this are not told (a replica down for a day, say). */
const RECENT_MS = 15 * 60 * 1000;

export interface FreezeNotificationsOptions {
  store: Pick<
    KargoStore,
    'projectsWithPromotionWindows' | 'listPromotionWindows'
  >;
  instances: KargoInstances;
  notifier: KargoNotifier;
  /** Who hears of a project (the owners of the entities that show it) and where it is shown. */
  audience(ref: ProjectRef): Promise<{ owners: string[]; link?: string }>;
  logger: LoggerService;
}

interface Audience {
  owners: string[];
  link?: string;
  stages: Stage[];
}

/**
 * Tells the owners when a freeze (a Deny promotion window) starts and ends, including each
 * occurrence of a recurring one, which open and close on their own. Run by the scheduler; each
 * occurrence's start and end is one event, so replicas and runs send it once. Stop-the-line
 * freezes are told to everyone by LineStops instead.
 */
export class FreezeNotifications {
  constructor(private readonly options: FreezeNotificationsOptions) {}

  async run(now: Date): Promise<void> {
    const t = now.getTime();
    for (const ref of await this.options.store.projectsWithPromotionWindows()) {
      try {
        const found: Array<{
          window: PromotionWindowView;
          occurrence: Occurrence;
          ended: boolean;
        }> = [];
        for (const window of await this.options.store.listPromotionWindows(
          ref,
        )) {
          if (window.kind !== 'Deny' || window.name === LINE_STOP_WINDOW) {
            continue;
          }
          const { started, ended } = occurrencesAround(
            window,
            t - RECENT_MS,
            t,
          );
          for (const occurrence of started) {
            found.push({ window, occurrence, ended: false });
          }
          for (const occurrence of ended) {
            found.push({ window, occurrence, ended: true });
          }
        }
        if (!found.length) continue;
        const audience = await this.audience(ref);
        for (const f of found) {
          await this.tell(ref, audience, f.window, f.occurrence, f.ended);
        }
      } catch (error) {
        this.options.logger.warn(
          `Could not tell of the freezes of ${ref.instance}/${ref.project}: ${error}`,
        );
      }
    }
  }

  /** A freeze ended by hand while in force: its end is told now (the window is gone after). */
  async endedEarly(
    ref: ProjectRef,
    window: PromotionWindowView,
    now: Date,
  ): Promise<void> {
    if (window.kind !== 'Deny') return;
    const t = now.getTime();
    const { active } = occurrencesAround(window, t, t);
    if (!active) return;
    try {
      await this.tell(
        ref,
        await this.audience(ref),
        window,
        { start: active.start, end: t },
        true,
      );
    } catch (error) {
      this.options.logger.warn(
        `Could not tell of the end of freeze ${window.name} in ${ref.instance}/${ref.project}: ${error}`,
      );
    }
  }

  /** Who hears of the project's freezes, and its stages: read once per project with news. */
  private async audience(ref: ProjectRef): Promise<Audience> {
    const [{ owners, link }, stages] = await Promise.all([
      this.options.audience(ref),
      this.options.instances.get(ref.instance).listStages(ref.project),
    ]);
    return { owners, link, stages: stages.items ?? [] };
  }

  private async tell(
    ref: ProjectRef,
    { owners, link, stages }: Audience,
    window: PromotionWindowView,
    occurrence: Occurrence,
    ended: boolean,
  ) {
    const names = stages
      .filter(s =>
        selectsStage(window.stageSelector, {
          name: s.metadata?.name ?? '',
          labels: s.metadata?.labels,
        }),
      )
      .map(s => s.metadata!.name!);
    const what = names.length ? names.join(', ') : 'no stage yet';
    const because = window.reason ? `: ${window.reason}` : '';
    // An open end (as stop-the-line's) reads as one.
    const until =
      occurrence.end >= Date.UTC(9999, 0, 1)
        ? 'someone ends it'
        : new Date(occurrence.end).toISOString();
    // One event per occurrence (its start names it), whether it ends on time or by hand.
    const id = `${ref.instance}/${ref.project}/${window.name}/${occurrence.start}`;
    await this.options.notifier.send({
      event: `freeze-${ended ? 'ended' : 'started'}:${id}`,
      to: owners,
      payload: {
        title: `Freeze ${ended ? 'ended' : 'started'}: ${what} (${
          ref.project
        })`,
        description: ended
          ? `Promotion window ${window.name} no longer closes ${what}${because}.`
          : `Promotion window ${window.name} closes ${what} until ${until}${because}.`,
        severity: 'normal',
        topic: KARGO_TOPICS.freezes,
        ...(link ? { link } : {}),
      },
    });
  }
}
