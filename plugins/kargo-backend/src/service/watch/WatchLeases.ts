import { Knex } from 'knex';
import { ProjectRef } from '../../database';

/** The last resourceVersion seen per watched list of a project. */
export type ResourceVersions = Partial<Record<string, string>>;

interface Row {
  instance: string;
  project: string;
  holder: string | null;
  expires_at: number | string;
  viewed_at: number | string;
  resource_versions: string | null;
}

const TABLE = 'kargo_watch_leases';

/**
 * Leases on the Kargo watch streams of a project, in the plugin's database, so that across
 * backend replicas exactly one holds them: a replica claims a project's lease when it is free or
 * ran out, renews it while it lives, and keeps the resourceVersions its watches reached in it.
 * When the holder dies the lease runs out and another replica takes over from those versions,
 * so a change made in the gap still arrives. Every statement is a single conditional UPDATE or
 * upsert, so two replicas never both win a claim.
 */
export class WatchLeases {
  constructor(
    private readonly db: Knex,
    private readonly options: {
      /** This replica (unique per process). */
      holder: string;
      /** How long a lease lasts without renewal. */
      leaseMs: number;
      now?: () => number;
    },
  ) {}

  get holder(): string {
    return this.options.holder;
  }

  private now() {
    return this.options.now?.() ?? Date.now();
  }

  /** Someone viewed the project here: it stays watched, by some replica, while people look. */
  async viewed(ref: ProjectRef): Promise<void> {
    await this.db(TABLE)
      .insert({
        ...ref,
        holder: null,
        expires_at: 0,
        viewed_at: this.now(),
        resource_versions: null,
      })
      .onConflict(['instance', 'project'])
      .merge(['viewed_at']);
  }

  /**
   * Takes the project's lease if it is free, ran out or is already held here. Answers the
   * resourceVersions the last holder reached (to resume from), or undefined when another
   * replica holds the lease.
   */
  async claim(
    ref: ProjectRef,
  ): Promise<{ resourceVersions?: ResourceVersions } | undefined> {
    const now = this.now();
    const taken = await this.db(TABLE)
      .where(ref)
      .andWhere(q =>
        q
          .whereNull('holder')
          .orWhere('holder', this.holder)
          .orWhere('expires_at', '<', now),
      )
      .update({ holder: this.holder, expires_at: now + this.options.leaseMs });
    if (taken !== 1) return undefined;
    const row = await this.db<Row>(TABLE).where(ref).first();
    return {
      resourceVersions: row?.resource_versions
        ? JSON.parse(row.resource_versions)
        : undefined,
    };
  }

  /** Renews every lease held here; answers them, with when each project was last viewed. */
  async renew(): Promise<Array<ProjectRef & { viewedAt: number }>> {
    await this.db(TABLE)
      .where('holder', this.holder)
      .update({ expires_at: this.now() + this.options.leaseMs });
    const rows = await this.db<Row>(TABLE)
      .where('holder', this.holder)
      .select('instance', 'project', 'viewed_at');
    return rows.map(r => ({
      instance: r.instance,
      project: r.project,
      viewedAt: Number(r.viewed_at),
    }));
  }

  /** Projects viewed since `since` whose lease is free or ran out (their holder died). */
  async orphans(since: number): Promise<ProjectRef[]> {
    return this.db<Row>(TABLE)
      .where('viewed_at', '>=', since)
      .andWhere(q =>
        q.whereNull('holder').orWhere('expires_at', '<', this.now()),
      )
      .select('instance', 'project');
  }

  /** Keeps how far the watches got, for whoever holds the lease next. */
  async save(ref: ProjectRef, resourceVersions: ResourceVersions) {
    await this.db(TABLE)
      .where({ ...ref, holder: this.holder })
      .update({ resource_versions: JSON.stringify(resourceVersions) });
  }

  /** Lets go of a project nobody viewed since `since`: its lease and position go. */
  async forget(ref: ProjectRef, since: number): Promise<void> {
    await this.db(TABLE)
      .where({ ...ref, holder: this.holder })
      .andWhere('viewed_at', '<', since)
      .delete();
  }

  /**
   * Frees a lease held here, or all of them (at shutdown), so that another replica may take
   * over at once.
   */
  async release(ref?: ProjectRef): Promise<void> {
    await this.db(TABLE)
      .where({ ...ref, holder: this.holder })
      .update({ holder: null, expires_at: 0 });
  }
}
