import { LoggerService } from '@backstage/backend-plugin-api';
import { Freight, originKey } from '@kargo-backstage/plugin-kargo-common';
import type { KargoFreightEnricher } from '@kargo-backstage/plugin-kargo-node';
import { KargoStore, ProjectRef } from '../../database';
import { breaks } from '@kargo-backstage/plugin-kargo-node';

const created = (f: Freight) => f.metadata?.creationTimestamp ?? '';

/**
 * Runs the enrichers over freight that none of them described yet, and stores what they say
 * under their name. An enricher that fails is logged and tried again next time.
 */
export class FreightEnrichment {
  constructor(
    private readonly enrichers: KargoFreightEnricher[],
    private readonly store: KargoStore,
    private readonly logger: LoggerService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * @param freight - the freight to describe
   * @param known - all freight of the project, to find each one's predecessor
   * @returns how many enrichments were stored
   */
  async enrich(
    ref: ProjectRef,
    freight: Freight[],
    known: Freight[],
  ): Promise<number> {
    let stored = 0;
    const pause = breaks();
    const predecessorOf = predecessors(known);
    await pause();
    for (const enricher of this.enrichers) {
      const names = freight.map(f => f.metadata!.name!);
      const done = await this.store.enrichedFreight(ref, enricher.name, names);
      for (const f of freight) {
        if (done.has(f.metadata!.name!)) continue;
        await pause();
        try {
          const content = await enricher.enrich({
            ...ref,
            freight: f,
            previous: predecessorOf(f),
          });
          if (!content) continue;
          await this.store.putEnrichment(
            ref,
            f.metadata!.name!,
            enricher.name,
            content,
            this.now().toISOString(),
          );
          stored++;
        } catch (error) {
          this.logger.warn(
            `Kargo freight enricher ${enricher.name} failed for ${f.metadata?.name}: ${error}`,
          );
        }
      }
    }
    return stored;
  }
}

/**
 * Finds for any freight the newest freight of the same origin created before it. Sorted once
 * per origin, then each lookup is a binary search: O(n log n) for a project's freight, where
 * filtering and sorting all of it per freight was quadratic.
 */
export function predecessors(
  known: Freight[],
): (freight: Freight) => Freight | undefined {
  const byOrigin = new Map<string, Freight[]>();
  for (const k of known) {
    const key = originKey(k.origin);
    const line = byOrigin.get(key);
    if (line) line.push(k);
    else byOrigin.set(key, [k]);
  }
  for (const line of byOrigin.values()) {
    // ISO timestamps order as strings; localeCompare would cost seconds at 20 000 freight.
    line.sort((a, b) => {
      const [x, y] = [created(a), created(b)];
      if (x === y) return 0;
      return x < y ? -1 : 1;
    });
  }
  return freight => {
    const line = byOrigin.get(originKey(freight.origin)) ?? [];
    const at = created(freight);
    // The last of the line created strictly before `at`.
    let low = 0;
    let high = line.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (created(line[mid]) < at) low = mid + 1;
      else high = mid;
    }
    return line[low - 1];
  };
}

/** The newest freight of the same origin created before this one. */
export function previousOf(freight: Freight, known: Freight[]) {
  return predecessors(known)(freight);
}
