import { LoggerService } from '@backstage/backend-plugin-api';
import { Freight, originKey } from '@kargo-backstage/plugin-kargo-common';
import type { KargoFreightEnricher } from '@kargo-backstage/plugin-kargo-node';
import { KargoStore, ProjectRef } from '../../database';

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
    for (const enricher of this.enrichers) {
      const names = freight.map(f => f.metadata!.name!);
      const done = await this.store.enrichedFreight(ref, enricher.name, names);
      for (const f of freight) {
        if (done.has(f.metadata!.name!)) continue;
        try {
          const content = await enricher.enrich({
            ...ref,
            freight: f,
            previous: previousOf(f, known),
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

/** The newest freight of the same origin created before this one. */
export function previousOf(freight: Freight, known: Freight[]) {
  return known
    .filter(
      k =>
        originKey(k.origin) === originKey(freight.origin) &&
        created(k) < created(freight),
    )
    .sort((a, b) => created(b).localeCompare(created(a)))[0];
}
