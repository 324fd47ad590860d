import {
  originKey,
  type Freight,
  type Promotion,
  type Stage,
  type Warehouse,
} from '@kargo-backstage/plugin-kargo-common';
import type { ProjectSnapshot } from '../views/buildProjectView';

/** The four lists a project's state is made of, as Kargo's list endpoints name them. */
export type KargoList = 'stages' | 'warehouses' | 'freight' | 'promotions';
export const KARGO_LISTS: KargoList[] = [
  'stages',
  'warehouses',
  'freight',
  'promotions',
];

type KargoObject = { metadata?: { name?: string; resourceVersion?: string } };

/** One watch event of one of the project's lists, as the watching replica passes it on. */
export interface ProjectChange {
  list: KargoList;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KargoObject;
}

/** The objects of each list, as Kargo listed them. */
export type ProjectLists = Record<KargoList, KargoObject[]> & {
  resourceVersions: ProjectSnapshot['resourceVersions'];
};

/**
 * Whether `a` is older than `b`. Kubernetes calls resourceVersions opaque, but etcd's are one
 * increasing integer across all objects, which lets a late event lose against a newer list;
 * anything else is not compared (the event wins).
 */
function olderThan(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b || !/^\d+$/.test(a) || !/^\d+$/.test(b)) return false;
  return a.length === b.length ? a < b : a.length < b.length;
}

/** When the freight was discovered, parsed once per freight object (sorting asks often). */
const discoveredAt = new WeakMap<Freight, number>();
function discovered(f: Freight): number {
  let at = discoveredAt.get(f);
  if (at === undefined) {
    at = Date.parse(f.discoveredAt ?? f.metadata?.creationTimestamp ?? '') || 0;
    discoveredAt.set(f, at);
  }
  return at;
}

/** Newest first; the name breaks ties, so the order is total. */
export function newerFirst(a: Freight, b: Freight): number {
  const byTime = discovered(b) - discovered(a);
  if (byTime) return byTime;
  const [x, y] = [a.metadata!.name!, b.metadata!.name!];
  if (x === y) return 0;
  return y > x ? 1 : -1;
}

/** The same order as sorting by `newerFirst`, each freight's time and name read once. */
function sortedNewestFirst(freight: Freight[]): Freight[] {
  const keyed = freight.map(f => ({
    f,
    at: discovered(f),
    name: f.metadata!.name!,
  }));
  keyed.sort((a, b) => {
    if (a.at !== b.at) return b.at - a.at;
    if (a.name === b.name) return 0;
    return b.name > a.name ? 1 : -1;
  });
  return keyed.map(k => k.f);
}

/** Where `f` is, or belongs, in a list sorted by `newerFirst`. */
function position(list: Freight[], f: Freight): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (newerFirst(list[mid], f) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * One project's Kargo objects, kept as Kubernetes clients keep them (an informer's store): built
 * from one list of each kind, then changed by each watch event. Freight stays sorted newest first
 * per origin as it arrives, so that a view takes the newest few of each warehouse without sorting
 * 20 000 freight. Snapshots are taken per change, lazily, and never change afterwards.
 */
export class ProjectState {
  private readonly objects: Record<KargoList, Map<string, KargoObject>>;
  private readonly freightByOrigin = new Map<string, Freight[]>();
  /** Origins whose sorted list a snapshot holds: copied before the next change (copy on write). */
  private readonly shared = new Set<string>();
  readonly resourceVersions: ProjectSnapshot['resourceVersions'];
  private kept?: ProjectSnapshot;

  private constructor(resourceVersions: ProjectSnapshot['resourceVersions']) {
    this.resourceVersions = { ...resourceVersions };
    this.objects = {
      stages: new Map(),
      warehouses: new Map(),
      freight: new Map(),
      promotions: new Map(),
    };
  }

  /**
   * The state of Kargo's lists. 20 000 freight take longer than the event loop should stand
   * still: `pause` (see kargo-node's breaks) is awaited between slices of the work.
   */
  static async of(
    lists: ProjectLists,
    pause: () => Promise<void> = async () => {},
  ): Promise<ProjectState> {
    const state = new ProjectState(lists.resourceVersions);
    for (const list of KARGO_LISTS) {
      for (let i = 0; i < lists[list].length; i++) {
        const object = lists[list][i];
        const name = object.metadata?.name;
        if (name) state.objects[list].set(name, object);
        if (i % 500 === 0) await pause();
      }
    }
    for (const f of state.objects.freight.values() as Iterable<Freight>) {
      const key = originKey(f.origin ?? {});
      const freight = state.freightByOrigin.get(key);
      if (freight) freight.push(f);
      else state.freightByOrigin.set(key, [f]);
    }
    for (const [key, freight] of state.freightByOrigin) {
      await pause();
      state.freightByOrigin.set(key, sortedNewestFirst(freight));
    }
    return state;
  }

  /** Applies one watch event; false when it changed nothing (an event older than what is kept). */
  apply(change: ProjectChange): boolean {
    const name = change.object?.metadata?.name;
    if (!name || !KARGO_LISTS.includes(change.list)) return false;
    const objects = this.objects[change.list];
    const before = objects.get(name);
    const rv = change.object.metadata?.resourceVersion;
    if (olderThan(rv, before?.metadata?.resourceVersion)) return false;
    // The same version again (a replay): nothing new, unless it is its deletion.
    if (
      change.type !== 'DELETED' &&
      rv &&
      before?.metadata?.resourceVersion === rv
    ) {
      return false;
    }
    if (change.type === 'DELETED') {
      if (!before) return false;
      objects.delete(name);
    } else {
      objects.set(name, change.object);
    }
    if (change.list === 'freight') {
      this.sortedFreight(before as Freight | undefined, change);
    }
    if (rv) this.resourceVersions[change.list] = rv;
    this.kept = undefined;
    return true;
  }

  /** The state as it is now; the same object until the next change. */
  snapshot(): ProjectSnapshot {
    if (!this.kept) {
      for (const key of this.freightByOrigin.keys()) this.shared.add(key);
      this.kept = {
        resourceVersions: { ...this.resourceVersions },
        stages: [...this.objects.stages.values()] as Stage[],
        warehouses: [...this.objects.warehouses.values()] as Warehouse[],
        freight: [...this.objects.freight.values()] as Freight[],
        promotions: [...this.objects.promotions.values()] as Promotion[],
        freightByOrigin: new Map(this.freightByOrigin),
        fetchedAt: new Date().toISOString(),
      };
    }
    return this.kept;
  }

  private sortedFreight(before: Freight | undefined, change: ProjectChange) {
    if (before) {
      const key = originKey(before.origin ?? {});
      const list = this.writable(key);
      const at = position(list, before);
      if (list[at]?.metadata?.name === before.metadata?.name) {
        list.splice(at, 1);
      }
    }
    if (change.type === 'DELETED') return;
    const f = change.object as Freight;
    const list = this.writable(originKey(f.origin ?? {}));
    list.splice(position(list, f), 0, f);
  }

  private writable(key: string): Freight[] {
    const list = this.freightByOrigin.get(key) ?? [];
    if (this.shared.delete(key) || !this.freightByOrigin.has(key)) {
      this.freightByOrigin.set(key, [...list]);
    }
    return this.freightByOrigin.get(key)!;
  }
}
