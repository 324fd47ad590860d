import type { KargoWatchEvent } from '@kargo-backstage/plugin-kargo-common';

type Named = { metadata?: { name?: string; resourceVersion?: string } };

/**
 * The items of a list answer: `items` (StageList, WarehouseList, PromotionList) or the groups of
 * a freight query (`{"groups": {"<group>": {"items": [...]}}}`), each object once.
 */
export function listItems<T extends Named>(list: unknown): T[] {
  const body = (list ?? {}) as {
    items?: T[];
    groups?: Record<string, { items?: T[] }>;
  };
  const all =
    body.items ?? Object.values(body.groups ?? {}).flatMap(g => g.items ?? []);
  const byName = new Map<string, T>();
  for (const item of all) {
    const name = item?.metadata?.name;
    if (name) byName.set(name, item);
  }
  return [...byName.values()];
}

/** A list's resourceVersion; Kargo's "0" (a cached list) and "" say nothing (pkg/server/resource_version.go). */
export function listResourceVersion(list: unknown): string | undefined {
  const body = (list ?? {}) as {
    metadata?: { resourceVersion?: string };
    resourceVersion?: string;
  };
  const rv = body.metadata?.resourceVersion ?? body.resourceVersion;
  return rv && rv !== '0' ? rv : undefined;
}

/**
 * For a Kargo that cannot resume a watch (before v1.11): what the caller was told, by name and
 * resourceVersion, so that each connection's replay of every object as ADDED reaches the caller
 * only as what changed: unchanged objects are dropped, changed ones come as MODIFIED, and a fresh
 * list tells it what was deleted meanwhile.
 */
export class WatchReplay<T extends Named> {
  private readonly known = new Map<string, T>();
  /** Whether the caller's state is known (a list was taken in). */
  started = false;

  constructor(private readonly emit: (event: KargoWatchEvent<T>) => void) {}

  /** Takes a list as what the caller already has, without telling it anything. */
  baseline(items: T[]): void {
    this.known.clear();
    for (const item of items) this.known.set(item.metadata!.name!, item);
    this.started = true;
  }

  /** Tells the caller how a fresh list differs from what it was told. */
  reconcile(items: T[]): void {
    const listed = new Set<string>();
    for (const item of items) {
      listed.add(item.metadata!.name!);
      this.event({ type: 'ADDED', object: item });
    }
    for (const [name, object] of [...this.known]) {
      if (!listed.has(name)) this.event({ type: 'DELETED', object });
    }
    this.started = true;
  }

  /** One frame of a replaying connection. */
  event(event: KargoWatchEvent<T>): void {
    const name = event.object?.metadata?.name;
    if (!name) return;
    const before = this.known.get(name);
    if (event.type === 'DELETED') {
      if (!before) return;
      this.known.delete(name);
      this.emit(event);
      return;
    }
    const rv = event.object.metadata?.resourceVersion;
    if (before && rv !== undefined && before.metadata?.resourceVersion === rv) {
      return; // replayed unchanged
    }
    this.known.set(name, event.object);
    this.emit({ type: before ? 'MODIFIED' : 'ADDED', object: event.object });
  }
}
