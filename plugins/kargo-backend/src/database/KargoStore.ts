import type {
  FreightEnrichmentContent,
  FreightMetadataChange,
  FreightMetadataInput,
  FreightMetadataView,
  PromotionWindowView,
} from '@kargo-backstage/plugin-kargo-common';

/** A Kargo project on one configured instance: the key of everything stored. */
export interface ProjectRef {
  instance: string;
  project: string;
}

/** Auto-promotion a freeze turned off, and what it was before. */
export interface AutoPromotionHold {
  stage: string;
  previous: boolean;
  heldSince: string;
}

/** What the Kargo backend keeps in its own database. */
export interface KargoStore {
  /** Metadata of many freight in one query; freight without any are absent. */
  getFreightMetadata(
    ref: ProjectRef,
    freight: string[],
  ): Promise<Map<string, FreightMetadataView>>;
  /**
   * Writes over `input.version` (0: none yet) and keeps the old version in the history.
   * Throws ConflictError when someone else wrote since.
   */
  putFreightMetadata(
    ref: ProjectRef,
    freight: string,
    input: FreightMetadataInput,
    by: string,
    at: string,
  ): Promise<FreightMetadataView>;
  /** Every version written, newest first. */
  getFreightMetadataHistory(
    ref: ProjectRef,
    freight: string,
  ): Promise<FreightMetadataChange[]>;
  putEnrichment(
    ref: ProjectRef,
    freight: string,
    enricher: string,
    content: FreightEnrichmentContent,
    at: string,
  ): Promise<void>;
  /** Which of these freight an enricher has already described. */
  enrichedFreight(
    ref: ProjectRef,
    enricher: string,
    freight: string[],
  ): Promise<Set<string>>;

  listPromotionWindows(ref: ProjectRef): Promise<PromotionWindowView[]>;
  /** Projects with windows or holds, for the task that keeps auto-promotion in line. */
  projectsWithPromotionWindows(): Promise<ProjectRef[]>;
  /** Throws ConflictError when the name is taken in the project. */
  createPromotionWindow(
    ref: ProjectRef,
    window: PromotionWindowView,
  ): Promise<void>;
  deletePromotionWindow(ref: ProjectRef, name: string): Promise<boolean>;

  listAutoPromotionHolds(ref: ProjectRef): Promise<AutoPromotionHold[]>;
  /** Keeps the first hold of a stage (its `previous` is the setting to restore). */
  putAutoPromotionHold(ref: ProjectRef, hold: AutoPromotionHold): Promise<void>;
  deleteAutoPromotionHold(ref: ProjectRef, stage: string): Promise<void>;
}
