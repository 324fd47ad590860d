import { LoggerService } from '@backstage/backend-plugin-api';
import {
  KargoPaths,
  KargoProjectChangedSignal,
} from '@kargo-backstage/plugin-kargo-common';
import { KargoClient } from '@kargo-backstage/plugin-kargo-node';
import { ProjectSnapshot } from './views/buildProjectView';
import { ProjectSignals } from './ProjectSignals';
import { ProjectSnapshots } from './ProjectSnapshots';

const WATCHED: Array<{
  kind: KargoProjectChangedSignal['kind'];
  list: keyof ProjectSnapshot['resourceVersions'];
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
  controller: AbortController;
  lastViewed: number;
  pending?: NodeJS.Timeout;
  changed: Set<string>;
}

/**
 * Follows Kargo's watch streams of the projects people look at, and turns each change into a
 * cache invalidation and a Backstage signal on the project's channel, so open pages refresh
 * without polling. A project nobody viewed for `idleMs` stops being watched.
 */
export class ProjectWatchers {
  private readonly watches = new Map<string, Watch>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly options: {
      snapshots: ProjectSnapshots;
      signals: ProjectSignals;
      logger: LoggerService;
      idleMs?: number;
      /** Changes within this window go out as one signal. */
      batchMs?: number;
      /** New freight appeared in a watched project (enrichers run here). */
      onFreightAdded?(client: KargoClient, project: string): void;
    },
  ) {
    const idleMs = options.idleMs ?? 10 * 60_000;
    this.sweeper = setInterval(
      () => this.stopIdle(idleMs),
      Math.min(idleMs, 60_000),
    );
    this.sweeper.unref?.();
  }

  /** Starts watching a project (from the snapshot's resourceVersions) unless already watched. */
  ensure(
    client: KargoClient,
    project: string,
    snapshot: ProjectSnapshot,
  ): void {
    const key = ProjectSnapshots.key(client.instance.name, project);
    const existing = this.watches.get(key);
    if (existing) {
      existing.lastViewed = Date.now();
      return;
    }
    const watch: Watch = {
      controller: new AbortController(),
      lastViewed: Date.now(),
      changed: new Set(),
    };
    this.watches.set(key, watch);
    for (const { kind, list, path } of WATCHED) {
      client
        .watch({
          path,
          params: { project },
          resourceVersion: snapshot.resourceVersions[list],
          signal: watch.controller.signal,
          onEvent: event => {
            if (kind === 'Freight' && event.type === 'ADDED') {
              this.options.onFreightAdded?.(client, project);
            }
            this.changed(
              client.instance.name,
              project,
              watch,
              kind,
              event.object?.metadata?.name,
            );
          },
          // After a gap the cache may be stale: drop it, and tell open pages to refetch.
          onExpired: async () => {
            this.changed(client.instance.name, project, watch, kind);
            return undefined;
          },
          onDisconnect: error =>
            this.options.logger.debug(
              `Kargo watch of ${kind} in ${project} disconnected: ${error.message}`,
            ),
        })
        .catch(error =>
          this.options.logger.warn(
            `Kargo watch of ${kind} in ${project} stopped: ${error}`,
          ),
        );
    }
  }

  watching(): string[] {
    return [...this.watches.keys()];
  }

  stopAll(): void {
    clearInterval(this.sweeper);
    for (const watch of this.watches.values()) {
      watch.controller.abort();
      clearTimeout(watch.pending);
    }
    this.watches.clear();
  }

  private changed(
    instance: string,
    project: string,
    watch: Watch,
    kind: KargoProjectChangedSignal['kind'],
    name?: string,
  ) {
    watch.changed.add(kind);
    if (watch.pending) return;
    watch.pending = setTimeout(async () => {
      watch.pending = undefined;
      const kinds = [...watch.changed];
      watch.changed.clear();
      await this.options.snapshots.invalidate(instance, project);
      await this.options.signals.publish({
        instance,
        project,
        kind: kinds[0] as KargoProjectChangedSignal['kind'],
        name,
      });
    }, this.options.batchMs ?? 100);
  }

  private stopIdle(idleMs: number) {
    const now = Date.now();
    for (const [key, watch] of this.watches) {
      if (now - watch.lastViewed > idleMs) {
        watch.controller.abort();
        clearTimeout(watch.pending);
        this.watches.delete(key);
      }
    }
  }
}
