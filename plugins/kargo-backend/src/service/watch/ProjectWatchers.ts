import { LoggerService } from '@backstage/backend-plugin-api';
import {
  KargoPaths,
  KargoProjectChangedSignal,
} from '@kargo-backstage/plugin-kargo-common';
import {
  KargoClient,
  KargoInstances,
} from '@kargo-backstage/plugin-kargo-node';
import { ProjectRef } from '../../database';
import { randomUUID } from 'node:crypto';
import { ProjectSnapshot } from '../views/buildProjectView';
import { ProjectSignals } from '../ProjectSignals';
import { KargoList, ProjectChange } from '../state/ProjectState';
import { ProjectStates } from '../state/ProjectStates';
import { ResourceVersions, WatchLeases } from './WatchLeases';

const WATCHED: Array<{
  kind: KargoProjectChangedSignal['kind'];
  list: KargoList;
  path: keyof KargoPaths;
}> = [
  { kind: 'Stage', list: 'stages', path: '/v1beta1/projects/{project}/stages' },
  {
    kind: 'Warehouse',
    list: 'warehouses',
    path: '/v1beta1/projects/{project}/warehouses',
  },
  {
    kind: 'Freight',
    list: 'freight',
    path: '/v1beta1/projects/{project}/freight',
  },
  {
    kind: 'Promotion',
    list: 'promotions',
    path: '/v1beta1/projects/{project}/promotions',
  },
];

interface Watch {
  ref: ProjectRef;
  controller: AbortController;
  pending?: NodeJS.Timeout;
  changed: Set<string>;
  /** Events applied here, not yet passed on to the other replicas. */
  batch: ProjectChange[];
  /** This watch, and the number of its last batch passed on. */
  epoch: string;
  seq: number;
  /** The lists whose stream follows Kargo now (all four: the state can be trusted). */
  connected: Set<string>;
  /** The last resourceVersion per list whose change went out as a signal. */
  resourceVersions: ResourceVersions;
  /** The last resourceVersion per list seen (its signal may still be pending). */
  seen: ResourceVersions;
  /** What the lease holds. */
  saved?: string;
}

/**
 * Follows Kargo's watch streams of the projects people look at: each event moves the project's
 * state on (here at once, on the other replicas through the events bus) and goes out as a
 * Backstage signal on the project's channel, so open pages refresh without polling. Across
 * replicas one holds a project's watches, by a lease in the database (see WatchLeases); the
 * others only note that the project is viewed, and take over from where the holder got when its
 * lease runs out. A project nobody viewed for `idleMs` stops being watched.
 */
export class ProjectWatchers {
  /** The watches this replica holds the lease for. */
  private readonly watches = new Map<string, Watch>();
  /** When this replica last told the database that a project was viewed. */
  private readonly viewedAt = new Map<string, number>();
  private readonly claiming = new Set<string>();
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private readonly idleMs: number;
  private readonly leaseMs: number;

  constructor(
    private readonly options: {
      instances: KargoInstances;
      leases: WatchLeases;
      states: ProjectStates;
      signals: ProjectSignals;
      logger: LoggerService;
      idleMs?: number;
      /** The lease's length: another replica takes over at most this long after a holder died. */
      leaseMs: number;
      /** Changes within this window go out as one signal. */
      batchMs?: number;
      /** How often to list freight again where Kargo cannot watch it (before v1.11). */
      pollIntervalMs?: number;
      /** This replica started watching the project (enrichers run here, on one replica). */
      onWatching?(client: KargoClient, project: string): void;
      /** New freight appeared in a watched project. */
      onFreightAdded?(client: KargoClient, project: string): void;
      /** Each event this replica's watch applied (notifications go from one replica). */
      onChange?(ref: ProjectRef, change: ProjectChange): void;
    },
  ) {
    this.idleMs = options.idleMs ?? 10 * 60_000;
    this.leaseMs = options.leaseMs;
  }

  /** Renews this replica's leases and takes over orphaned ones, a few times per lease. */
  start(): void {
    const every = Math.max(100, Math.floor(this.leaseMs / 3));
    this.timer = setInterval(() => {
      this.ticking ??= this.tick().finally(() => {
        this.ticking = undefined;
      });
    }, every);
    this.timer.unref?.();
  }

  /** A view of the project on this replica: it should be watched (here, unless another holds it). */
  viewed(
    client: KargoClient,
    project: string,
    snapshot: ProjectSnapshot,
  ): void {
    const ref = { instance: client.instance.name, project };
    const key = ProjectStates.key(ref.instance, ref.project);
    const last = this.viewedAt.get(key);
    const now = Date.now();
    // Views are frequent; the database hears of them a few times per idle period.
    if (last !== undefined && now - last < Math.min(this.idleMs / 4, 60_000))
      return;
    this.viewedAt.set(key, now);
    this.options.leases
      .viewed(ref)
      .then(() => this.claim(client, project, snapshot.resourceVersions))
      .catch(error =>
        this.options.logger.warn(
          `Could not claim the Kargo watch of ${project}: ${error}`,
        ),
      );
  }

  /** Projects this replica watches. */
  watching(): string[] {
    return [...this.watches.keys()];
  }

  /**
   * Stops every watch and frees the leases with the positions reached, so that another
   * replica takes over at once, from there.
   */
  async stopAll(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
    const { leases } = this.options;
    for (const [key, watch] of [...this.watches]) {
      this.stop(key);
      await this.savePosition(watch);
    }
    await leases.release();
  }

  /** One round: renew, let idle projects go, save positions, take over orphans. */
  async tick(): Promise<void> {
    const { leases, logger } = this.options;
    try {
      const held = await leases.renew();
      const heldKeys = new Set(
        held.map(r => ProjectStates.key(r.instance, r.project)),
      );
      for (const key of this.watches.keys()) {
        if (!heldKeys.has(key)) {
          logger.info(`Lost the Kargo watch lease of ${key}; stopped watching`);
          this.stop(key);
        }
      }
      const idleSince = Date.now() - this.idleMs;
      for (const row of held) {
        const key = ProjectStates.key(row.instance, row.project);
        const watch = this.watches.get(key);
        if (row.viewedAt < idleSince) {
          this.stop(key);
          await leases.forget(row, idleSince);
          continue;
        }
        if (!watch) continue; // being claimed right now
        await this.savePosition(watch);
        await this.vouch(watch);
      }
      const { instances } = this.options;
      for (const orphan of await leases.orphans(idleSince)) {
        if (!instances.names().includes(orphan.instance)) continue;
        await this.claim(instances.get(orphan.instance), orphan.project).catch(
          error =>
            logger.warn(
              `Could not take over the Kargo watch of ${orphan.project}: ${error}`,
            ),
        );
      }
    } catch (error) {
      logger.warn(`Kargo watch leases could not be renewed: ${error}`);
    }
  }

  /** Takes the project's lease if it is free, and watches from where the last holder got. */
  private async claim(
    client: KargoClient,
    project: string,
    current?: ProjectSnapshot['resourceVersions'],
  ) {
    const ref = { instance: client.instance.name, project };
    const key = ProjectStates.key(ref.instance, ref.project);
    if (this.watches.has(key) || this.claiming.has(key)) return;
    this.claiming.add(key);
    try {
      const lease = await this.options.leases.claim(ref);
      if (!lease) return;
      let from = lease.resourceVersions ?? current;
      if (!from) {
        // Taken over with no position kept: list again, and tell open pages to refetch, as
        // something may have changed while nobody watched.
        from = await this.options.states.relist(client, project);
        await this.options.signals.publish({ ...ref, kind: 'Stage' });
      }
      this.watch(client, ref, from);
      this.options.onWatching?.(client, project);
    } catch (error) {
      // E.g. Kargo is down: let go, so that the next round (here or elsewhere) tries again.
      await this.options.leases.release(ref);
      throw error;
    } finally {
      this.claiming.delete(key);
    }
  }

  private watch(client: KargoClient, ref: ProjectRef, from: ResourceVersions) {
    const key = ProjectStates.key(ref.instance, ref.project);
    const watch: Watch = {
      ref,
      controller: new AbortController(),
      changed: new Set(),
      batch: [],
      epoch: randomUUID(),
      seq: 0,
      connected: new Set(),
      resourceVersions: { ...from },
      seen: { ...from },
    };
    this.watches.set(key, watch);
    for (const { kind, list, path } of WATCHED) {
      client
        .watch({
          path,
          params: { project: ref.project },
          resourceVersion: from[list],
          signal: watch.controller.signal,
          pollIntervalMs: this.options.pollIntervalMs,
          onEvent: event => {
            watch.seen[list] =
              event.object?.metadata?.resourceVersion ?? watch.seen[list];
            const change = { list, type: event.type, object: event.object };
            this.options.states.applyWatched(ref, change);
            this.options.onChange?.(ref, change);
            watch.batch.push(change);
            if (kind === 'Freight' && event.type === 'ADDED') {
              this.options.onFreightAdded?.(client, ref.project);
            }
            this.changed(watch, kind, event.object?.metadata?.name);
          },
          // Kargo no longer has our position: list again and go on from the list's. The
          // other replicas' copies may have missed what this watch missed: a new epoch.
          onExpired: async () => {
            const resourceVersions = await this.options.states.relist(
              client,
              ref.project,
            );
            watch.epoch = randomUUID();
            watch.seq = 0;
            watch.seen[list] = resourceVersions[list];
            this.changed(watch, kind);
            return resourceVersions[list];
          },
          onConnect: () => {
            watch.connected.add(list);
            if (watch.connected.size === WATCHED.length) this.vouch(watch);
          },
          onDisconnect: error => {
            this.options.logger.debug(
              `Kargo watch of ${kind} in ${ref.project} disconnected: ${error.message}`,
            );
            // Until it follows Kargo again, views list (and show Kargo's error, if any).
            watch.connected.delete(list);
            this.vouch(watch);
          },
        })
        .catch(error =>
          this.options.logger.warn(
            `Kargo watch of ${kind} in ${ref.project} stopped: ${error}`,
          ),
        );
    }
  }

  private health(watch: Watch) {
    return {
      epoch: watch.epoch,
      seq: watch.seq,
      healthy: watch.connected.size === WATCHED.length,
    };
  }

  /** Says (here and to the other replicas) whether this watch vouches for the project's state. */
  private vouch(watch: Watch): Promise<void> {
    return this.options.states.publish(watch.ref, this.health(watch));
  }

  private async savePosition(watch: Watch) {
    const position = JSON.stringify(watch.resourceVersions);
    if (position === watch.saved) return;
    await this.options.leases.save(watch.ref, watch.resourceVersions);
    watch.saved = position;
  }

  private stop(key: string) {
    const watch = this.watches.get(key);
    if (!watch) return;
    watch.controller.abort();
    clearTimeout(watch.pending);
    this.watches.delete(key);
  }

  private changed(
    watch: Watch,
    kind: KargoProjectChangedSignal['kind'],
    name?: string,
  ) {
    watch.changed.add(kind);
    if (watch.pending) return;
    watch.pending = setTimeout(async () => {
      watch.pending = undefined;
      const kinds = [...watch.changed];
      const reached = { ...watch.seen };
      const changes = watch.batch.splice(0);
      watch.changed.clear();
      const { instance, project } = watch.ref;
      // The other replicas first, then open pages (which may ask any replica).
      if (changes.length) {
        watch.seq += 1;
        await this.options.states.publish(
          watch.ref,
          this.health(watch),
          changes,
        );
      }
      await this.options.signals.publish({
        instance,
        project,
        kind: kinds[0] as KargoProjectChangedSignal['kind'],
        name,
      });
      // Only now may a takeover resume after these changes: none goes unsignaled, and the
      // next holder repeats none that went out.
      Object.assign(watch.resourceVersions, reached);
      await this.savePosition(watch).catch(error =>
        this.options.logger.warn(
          `Could not keep the Kargo watch position of ${project}: ${error}`,
        ),
      );
    }, this.options.batchMs ?? 100);
  }
}
