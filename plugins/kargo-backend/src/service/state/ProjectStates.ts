import { LoggerService } from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import { KargoClient } from '@kargo-backstage/plugin-kargo-node';
import { ProjectRef } from '../../database';
import { ProjectSnapshot } from '../views/buildProjectView';
import { breaks } from '@kargo-backstage/plugin-kargo-node';
import { ProjectChange, ProjectState } from './ProjectState';

/** The events bus topic on which the watching replica passes a project's changes on. */
export const PROJECT_CHANGES_TOPIC = 'kargo.project-changes';

/**
 * What the watching replica publishes: a batch of watch events (deltas, never the state), or
 * with no changes a heartbeat saying whether its watch still follows Kargo. `seq` counts the
 * batches of one watch (`epoch`), so a replica that missed one knows.
 */
export interface ProjectChanges extends ProjectRef {
  from: string;
  epoch: string;
  seq: number;
  healthy: boolean;
  changes: ProjectChange[];
}

function isProjectChanges(message: unknown): message is ProjectChanges {
  const m = message as ProjectChanges;
  return (
    typeof m?.instance === 'string' &&
    typeof m.project === 'string' &&
    typeof m.epoch === 'string' &&
    Number.isInteger(m.seq) &&
    typeof m.healthy === 'boolean' &&
    Array.isArray(m.changes) &&
    m.changes.every(c => typeof c?.object === 'object' && c.object !== null)
  );
}

interface Entry {
  ref: ProjectRef;
  state: ProjectState;
  /** Trusted until then: a watch (here or elsewhere) keeps moving it on. */
  liveUntil: number;
  /** A watch (here or elsewhere) said it follows Kargo for this copy. */
  vouched?: boolean;
  /** The watch whose batches this copy took in, and the last batch's number. */
  epoch?: string;
  seq?: number;
}

export interface ProjectStatesOptions {
  logger: LoggerService;
  /** This replica, as the events bus subscriber and sender. */
  replicaId: string;
  /** How long a copy is trusted without word from its watch: a few heartbeats. */
  liveMs: number;
  events?: EventsService;
  now?: () => number;
}

/**
 * Each project's Kargo state, kept per replica as Kubernetes clients keep it: listed once (four
 * calls, coalesced), then moved on by watch events — this replica's own watch, or the deltas the
 * watching replica passes on through the events bus. A copy is listed again only when its watch
 * cannot vouch for it: none heard of for `liveMs`, a watch that lost Kargo, a missed batch.
 */
export class ProjectStates {
  private readonly entries = new Map<string, Entry>();
  private readonly listing = new Map<string, Promise<Entry>>();
  /** What arrived while the project was being listed: applied to the list once it is in. */
  private readonly arriving = new Map<
    string,
    Array<ProjectChanges | ProjectChange>
  >();
  private readonly now: () => number;

  constructor(private readonly options: ProjectStatesOptions) {
    this.now = options.now ?? Date.now;
  }

  static key(instance: string, project: string): string {
    return `${instance}:${project}`;
  }

  /** Starts taking in other replicas' deltas. */
  async subscribe(): Promise<void> {
    await this.options.events?.subscribe({
      id: `project-changes-${this.options.replicaId}`,
      topics: [PROJECT_CHANGES_TOPIC],
      onEvent: async ({ eventPayload }) => {
        const changes = eventPayload as ProjectChanges;
        if (changes?.from === this.options.replicaId) return;
        if (!isProjectChanges(changes)) {
          this.options.logger.warn(
            `Ignored a malformed message on ${PROJECT_CHANGES_TOPIC}`,
          );
          return;
        }
        this.received(changes);
      },
    });
  }

  /** The project's state now: kept, or listed from Kargo when no watch vouches for the copy. */
  async get(client: KargoClient, project: string): Promise<ProjectSnapshot> {
    const key = ProjectStates.key(client.instance.name, project);
    const entry = this.entries.get(key);
    if (entry && entry.liveUntil > this.now()) return entry.state.snapshot();
    let listing = this.listing.get(key);
    if (!listing) {
      this.forgetStale();
      listing = this.list(client, project).finally(() =>
        this.listing.delete(key),
      );
      this.listing.set(key, listing);
    }
    return (await listing).state.snapshot();
  }

  /**
   * The project's state where a watch (here or elsewhere) vouches for this replica's copy; no
   * Kargo read either way. For background work that would otherwise read Kargo itself.
   */
  followed(instance: string, project: string): ProjectSnapshot | undefined {
    const entry = this.entries.get(ProjectStates.key(instance, project));
    return entry?.vouched && entry.liveUntil > this.now()
      ? entry.state.snapshot()
      : undefined;
  }

  /** This replica's watch of the project saw this event. */
  applyWatched(ref: ProjectRef, change: ProjectChange): void {
    const key = ProjectStates.key(ref.instance, ref.project);
    const entry = this.entries.get(key);
    if (entry) entry.state.apply(change);
    else this.arriving.get(key)?.push(change);
  }

  /**
   * This replica's watch vouches for its copy until `liveMs` from now (healthy), or no longer;
   * other replicas hear it with the watch's batch.
   */
  async publish(
    ref: ProjectRef,
    watch: { epoch: string; seq: number; healthy: boolean },
    changes: ProjectChange[] = [],
  ): Promise<void> {
    const entry = this.entries.get(
      ProjectStates.key(ref.instance, ref.project),
    );
    if (entry) this.vouched(entry, watch.healthy);
    const message: ProjectChanges = {
      ...ref,
      from: this.options.replicaId,
      ...watch,
      changes,
    };
    try {
      await this.options.events?.publish({
        topic: PROJECT_CHANGES_TOPIC,
        eventPayload: message,
      });
    } catch (error) {
      this.options.logger.warn(
        `Could not pass on the Kargo changes of ${ref.project}: ${error}`,
      );
    }
  }

  /**
   * The portal changed something in Kargo: a watched project hears of it from its watch; a copy
   * no watch vouched for yet is listed again at the next view.
   */
  changedByPortal(ref: ProjectRef): void {
    const entry = this.entries.get(
      ProjectStates.key(ref.instance, ref.project),
    );
    if (entry && !entry.vouched) this.drop(ref);
  }

  /** Forgets the project's copy: the next view lists it again. */
  drop(ref: ProjectRef): void {
    this.entries.delete(ProjectStates.key(ref.instance, ref.project));
  }

  /** Lists the project again now (its watch cannot resume); the lists' resourceVersions. */
  async relist(
    client: KargoClient,
    project: string,
  ): Promise<ProjectSnapshot['resourceVersions']> {
    this.drop({ instance: client.instance.name, project });
    return (await this.get(client, project)).resourceVersions;
  }

  /**
   * Copies no watch vouches for any more (nobody views the project, or its watch broke) are
   * listed again at their next view anyway: their memory goes at the next listing of any
   * project, not at that view (which may never come).
   */
  private forgetStale() {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.liveUntil <= now) this.entries.delete(key);
    }
  }

  /** Another replica's batch: taken in when it follows the last one this copy took in. */
  private received(message: ProjectChanges) {
    const key = ProjectStates.key(message.instance, message.project);
    const entry = this.entries.get(key);
    if (!entry) {
      // No copy here: nothing to keep current, unless one is being listed.
      this.arriving.get(key)?.push(message);
      return;
    }
    if (entry.epoch !== undefined) {
      if (entry.epoch !== message.epoch) {
        // Another watch took over: what happened in between is not known here.
        this.entries.delete(key);
        return;
      }
      const next = entry.seq! + (message.changes.length ? 1 : 0);
      if (message.seq < next) return; // taken in already (the bus delivers at least once)
      if (message.seq > next) {
        this.options.logger.debug(
          `Missed Kargo changes of ${message.project}; listing again`,
        );
        this.entries.delete(key);
        return;
      }
    }
    // A copy listed here takes in the watch's batches from the first one it hears.
    entry.epoch = message.epoch;
    entry.seq = message.seq;
    for (const change of message.changes) entry.state.apply(change);
    this.vouched(entry, message.healthy);
  }

  /** A healthy watch keeps the copy trusted for `liveMs`; a broken one ends that now. */
  private vouched(entry: Entry, healthy: boolean) {
    entry.vouched = healthy;
    entry.liveUntil = healthy ? this.now() + this.options.liveMs : 0;
  }

  private async list(client: KargoClient, project: string): Promise<Entry> {
    const key = ProjectStates.key(client.instance.name, project);
    const arriving: Array<ProjectChanges | ProjectChange> = [];
    this.arriving.set(key, arriving);
    try {
      const entry = await this.listed(client, project);
      this.entries.set(key, entry);
      // Events older than the lists lose against them (see ProjectState.apply).
      for (const arrived of arriving) {
        if ('epoch' in arrived) this.received(arrived);
        else this.applyWatched(entry.ref, arrived);
      }
      return entry;
    } finally {
      this.arriving.delete(key);
    }
  }

  private async listed(client: KargoClient, project: string): Promise<Entry> {
    // Freight first: the longest answer by far, it is what the view waits for.
    const [freight, stages, warehouses, promotions] = await Promise.all([
      client.queryFreight(project),
      client.listStages(project),
      client.listWarehouses(project),
      client.listPromotions(project),
    ]);
    // Building the state of 20 000 freight takes breaks of its own.
    const entry: Entry = {
      state: await ProjectState.of(
        {
          resourceVersions: {
            stages: stages.metadata?.resourceVersion,
            warehouses: warehouses.metadata?.resourceVersion,
            freight: freight.resourceVersion,
            promotions: promotions.metadata?.resourceVersion,
          },
          stages: stages.items ?? [],
          warehouses: warehouses.items ?? [],
          freight: Object.values(freight.groups ?? {}).flatMap(
            g => g.items ?? [],
          ),
          promotions: promotions.items ?? [],
        },
        breaks(),
      ),
      // Until a watch vouches for it (this replica's, or the holder's heartbeat).
      liveUntil: this.now() + this.options.liveMs,
      ref: { instance: client.instance.name, project },
    };
    return entry;
  }
}
