import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type {
  Freight,
  FreightEnrichmentContent,
} from '@kargo-backstage/plugin-kargo-common';

/** New freight to describe, with the freight that came before it from the same warehouse. @public */
export interface KargoFreightEnricherContext {
  instance: string;
  project: string;
  freight: Freight;
  /** The previous freight of the same origin, if Kargo still has it. */
  previous?: Freight;
}

/**
 * Contributes metadata (notes, links, labels) when new freight appears. What it returns is
 * stored under its name, shown as coming from it, and never overwrites what people wrote.
 * @public
 */
export interface KargoFreightEnricher {
  /** Unique, kebab-case. */
  name: string;
  enrich(
    context: KargoFreightEnricherContext,
  ): Promise<FreightEnrichmentContent | undefined>;
}

/** @public */
export interface KargoFreightEnrichersExtensionPoint {
  addFreightEnricher(...enrichers: KargoFreightEnricher[]): void;
}

/** @public */
export const kargoFreightEnrichersExtensionPoint =
  createExtensionPoint<KargoFreightEnrichersExtensionPoint>({
    id: 'kargo.freight-enrichers',
  });
