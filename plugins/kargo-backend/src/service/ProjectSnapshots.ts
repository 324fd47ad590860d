import { CacheService } from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';
import { KargoClient } from '@kargo-backstage/plugin-kargo-node';
import { ProjectSnapshot } from './views/buildProjectView';

const INVALIDATED = 'invalidated@';

/** What the shared cache holds per project: the snapshot under its stamp. */
interface Shared {
  stamp: string;
  snapshot: ProjectSnapshot;
}

/** Wall-clock time with sub-millisecond steps, comparable across replicas. */
const preciseNow = () => performance.timeOrigin + performance.now();

/** When a stamp marks an invalidation, its time (ms since epoch); otherwise 0. */
function invalidatedAt(stamp: string | undefined): number {
  return stamp?.startsWith(INVALIDATED)
    ? Number(stamp.slice(INVALIDATED.length))
    : 0;
}

/**
 * Kargo reads per project, cached with Backstage's cache service (memory by default, Redis in
 * production) and coalesced: concurrent requests for the same project share one set of calls.
 * A view costs four Kargo calls, however many stages and freight the project has.
 */
export class ProjectSnapshots {
  private readonly inFlight = new Map<
    string,
    { startedAt: number; fetching: Promise<ProjectSnapshot> }
  >();
  /**
   * Parsed snapshots of this process, used while the cache still holds the same one (its
   * stamp): a large project's snapshot is megabytes of JSON, too slow to parse on every view.
   */
  private readonly parsed = new Map<
    string,
    { stamp: string; snapshot: ProjectSnapshot; sharing?: boolean }
  >();
  /**
   * The latest change marked per project (here or by another replica): reads begun before it
   * are not kept.
   */
  private readonly changes = new Map<string, number>();

  constructor(
    private readonly cache: CacheService,
    private readonly ttlMs: number,
  ) {}

  static key(instance: string, project: string): string {
    return `snapshot:${instance}:${project}`;
  }

  async get(client: KargoClient, project: string): Promise<ProjectSnapshot> {
    const key = ProjectSnapshots.key(client.instance.name, project);
    const stamp = (await this.cache.get(`${key}:stamp`)) as string | undefined;
    this.noteChange(key, invalidatedAt(stamp));
    const local = this.parsed.get(key);
    // Read here and still on its way into the shared cache.
    if (local?.sharing) return local.snapshot;
    if (stamp && !invalidatedAt(stamp)) {
      if (local?.stamp === stamp) return local.snapshot;
      const cached = (await this.cache.get(key)) as Shared | undefined;
      if (cached?.stamp === stamp) {
        this.remember(key, stamp, cached.snapshot, false);
        return cached.snapshot;
      }
    }
    const running = this.inFlight.get(key);
    if (running) return running.fetching;
    const startedAt = preciseNow();
    const fetching = this.fetch(client, project)
      .then(snapshot => {
        // Kargo changed while we read: answer with what we read, but keep none of it.
        if (this.changedSince(key, startedAt)) return snapshot;
        const newStamp = `${snapshot.fetchedAt}/${Math.random()}`;
        this.remember(key, newStamp, snapshot);
        // Other replicas read it from the shared cache; no view waits for that write, which
        // serializes megabytes for a large project.
        setImmediate(() => this.share(key, newStamp, snapshot, startedAt));
        return snapshot;
      })
      .finally(() => {
        if (this.inFlight.get(key)?.fetching === fetching) {
          this.inFlight.delete(key);
        }
      });
    this.inFlight.set(key, { startedAt, fetching });
    return fetching;
  }

  /**
   * Drops a project's cached reads, e.g. when Kargo reports a change. The stamp becomes a
   * mark of the change's time, so that other replicas drop reads they began before it, too.
   */
  async invalidate(instance: string, project: string): Promise<void> {
    const key = ProjectSnapshots.key(instance, project);
    const at = preciseNow();
    this.changes.set(key, at);
    this.parsed.delete(key);
    this.inFlight.delete(key);
    await this.cache.set(`${key}:stamp`, `${INVALIDATED}${at}`, {
      ttl: this.ttlMs,
    });
    await this.cache.delete(key);
  }

  /** Another replica marked a change: reads begun here before it are stale. */
  private noteChange(key: string, at: number) {
    if (at <= (this.changes.get(key) ?? 0)) return;
    this.changes.set(key, at);
    this.parsed.delete(key);
    const running = this.inFlight.get(key);
    if (running && running.startedAt < at) this.inFlight.delete(key);
  }

  private async share(
    key: string,
    stamp: string,
    snapshot: ProjectSnapshot,
    startedAt: number,
  ) {
    try {
      const shared: Shared = { stamp, snapshot };
      await this.cache.set(key, shared as unknown as JsonValue, {
        ttl: this.ttlMs,
      });
      // The stamp goes last, and only if nothing was invalidated meanwhile (here or on
      // another replica).
      const current = (await this.cache.get(`${key}:stamp`)) as
        | string
        | undefined;
      if (
        !this.changedSince(key, startedAt) &&
        invalidatedAt(current) < startedAt
      ) {
        await this.cache.set(`${key}:stamp`, stamp, { ttl: this.ttlMs });
      }
    } catch {
      // An unreachable cache only means that the next view reads Kargo again.
    } finally {
      const local = this.parsed.get(key);
      if (local?.stamp === stamp) local.sharing = false;
    }
  }

  private changedSince(key: string, startedAt: number): boolean {
    return (this.changes.get(key) ?? 0) > startedAt;
  }

  private remember(
    key: string,
    stamp: string,
    snapshot: ProjectSnapshot,
    sharing = true,
  ) {
    this.parsed.delete(key);
    this.parsed.set(key, { stamp, snapshot, sharing });
    // A few dozen projects at most; the oldest goes first.
    if (this.parsed.size > 50) {
      this.parsed.delete(this.parsed.keys().next().value!);
    }
  }

  private async fetch(
    client: KargoClient,
    project: string,
  ): Promise<ProjectSnapshot> {
    const [stages, warehouses, freight, promotions] = await Promise.all([
      client.listStages(project),
      client.listWarehouses(project),
      client.queryFreight(project),
      client.listPromotions(project),
    ]);
    return {
      resourceVersions: {
        stages: stages.metadata?.resourceVersion,
        warehouses: warehouses.metadata?.resourceVersion,
        freight: freight.resourceVersion,
        promotions: promotions.metadata?.resourceVersion,
      },
      stages: stages.items ?? [],
      warehouses: warehouses.items ?? [],
      freight: Object.values(freight.groups ?? {}).flatMap(g => g.items ?? []),
      promotions: promotions.items ?? [],
      fetchedAt: new Date().toISOString(),
    };
  }
}
