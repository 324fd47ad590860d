/**
 * The portal's own metadata about freight (notes, links, labels, a verdict), kept by the
 * backend next to Kargo's `status.metadata`, which stays read-only.
 */

/** @public */
export interface FreightLink {
  title: string;
  /** http(s) only. */
  url: string;
}

/** @public */
export interface FreightVerdict {
  value: 'recommended' | 'do-not-promote';
  reason?: string;
}

/** What an enricher contributes, or the free-form part people edit. @public */
export interface FreightEnrichmentContent {
  /** Markdown. */
  notes?: string;
  links?: FreightLink[];
  labels?: Record<string, string>;
}

/** A write of a freight's metadata; `version` is the one the writer saw (0 for none yet). @public */
export interface FreightMetadataInput extends FreightEnrichmentContent {
  verdict?: FreightVerdict | null;
  version: number;
}

/** A freight's metadata as the API returns it. @public */
export interface FreightMetadataView {
  freight: string;
  notes?: string;
  links: FreightLink[];
  labels: Record<string, string>;
  verdict?: FreightVerdict;
  /** Increases with every write; send it back to write again. */
  version: number;
  updatedBy?: string;
  updatedAt?: string;
  /** What automatic enrichers contributed, by enricher name. */
  enrichments: Record<string, FreightEnrichmentContent & { at: string }>;
}

/** One entry of a freight's metadata history: who wrote what, when. @public */
export interface FreightMetadataChange {
  version: number;
  by: string;
  at: string;
  notes?: string;
  links: FreightLink[];
  labels: Record<string, string>;
  verdict?: FreightVerdict;
}

/** Size limits the backend enforces (and the UI shows). @public */
export const FREIGHT_METADATA_LIMITS = {
  notes: 20_000,
  links: 20,
  linkTitle: 200,
  linkUrl: 2_000,
  labels: 30,
  labelKey: 63,
  labelValue: 200,
  verdictReason: 1_000,
} as const;

/** Links may only point at http(s): no `javascript:`, `data:` or other schemes. @public */
export function isSafeLinkUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
}
