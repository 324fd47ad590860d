import { LoggerService } from '@backstage/backend-plugin-api';
import { KargoClient } from '@kargo-backstage/plugin-kargo-node';
import { PortalData } from '../PortalData';
import { ProjectSignals } from '../ProjectSignals';
import { ProjectStates } from '../state/ProjectStates';
import { FreightEnrichment } from './FreightEnrichment';

/**
 * Runs the freight enrichers of a project in the background: a slow enricher never delays a
 * page. One run per project at a time, and at most one more after it, however many freight
 * events came (a Kargo before v1.11 replays all freight as ADDED when its watch starts).
 */
export class ProjectEnrichment {
  private readonly running = new Map<string, { again: boolean }>();
  private readonly waiting = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly options: {
      enrichment: FreightEnrichment;
      states: ProjectStates;
      signals: ProjectSignals;
      /** Told once per run that stored something (not per enrichment: views re-read then). */
      portalData: Pick<PortalData, 'changed'>;
      logger: LoggerService;
    },
  ) {}

  /**
   * Enriches the project's freight `ms` from now: after the view that started its watch has
   * answered, or once a burst of new freight has arrived. Calls meanwhile make one run.
   */
  later(client: KargoClient, project: string, ms: number): void {
    const key = ProjectStates.key(client.instance.name, project);
    if (this.stopped || this.waiting.has(key)) return;
    this.waiting.set(
      key,
      setTimeout(() => {
        this.waiting.delete(key);
        this.enrich(client, project);
      }, ms),
    );
  }

  /** At shutdown: nothing more starts (a run under way finishes). */
  stop(): void {
    this.stopped = true;
    for (const timer of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
  }

  /** Enriches the project's freight now, or once more after the run in progress. */
  enrich(client: KargoClient, project: string): void {
    if (this.stopped) return;
    const key = ProjectStates.key(client.instance.name, project);
    const running = this.running.get(key);
    if (running) {
      running.again = true;
      return;
    }
    const run = { again: false };
    this.running.set(key, run);
    const done = () => {
      if (run.again) {
        run.again = false;
        this.once(client, project).finally(done);
      } else {
        this.running.delete(key);
      }
    };
    this.once(client, project).finally(done);
  }

  private async once(client: KargoClient, project: string): Promise<void> {
    const { enrichment, states, signals, portalData, logger } = this.options;
    const instance = client.instance.name;
    try {
      const { freight } = await states.get(client, project);
      if (await enrichment.enrich({ instance, project }, freight, freight)) {
        await portalData.changed({ instance, project });
        await signals.publish({ instance, project, kind: 'FreightMetadata' });
      }
    } catch (error) {
      logger.warn(`Kargo freight enrichment of ${project} failed: ${error}`);
    }
  }
}
