import type { Entity } from '@backstage/catalog-model';

/** Names the Kargo project(s) of an entity; several are comma-separated. @public */
export const KARGO_PROJECT_ANNOTATION = 'kargo.akuity.io/project';
/** Optional: limits the view to these stages (comma-separated). @public */
export const KARGO_STAGES_ANNOTATION = 'kargo.akuity.io/stages';
/** Optional: limits the view to the freightlines of these warehouses (comma-separated). @public */
export const KARGO_WAREHOUSES_ANNOTATION = 'kargo.akuity.io/warehouses';
/** Optional: the configured Kargo instance; the first configured one when absent. @public */
export const KARGO_INSTANCE_ANNOTATION = 'kargo.akuity.io/instance';

/**
 * What an entity's `kargo.akuity.io/*` annotations ask for.
 * @public
 */
export interface KargoEntityAnnotations {
  projects: string[];
  stages?: string[];
  warehouses?: string[];
  instance?: string;
}

function splitList(value: string | undefined): string[] | undefined {
  const items = (value ?? '')
    .split(',')
    .map(item => item.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

/**
 * Reads an entity's Kargo annotations, or returns undefined when it names no project.
 * @public
 */
export function getKargoAnnotations(
  entity: Entity,
): KargoEntityAnnotations | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const projects = splitList(annotations[KARGO_PROJECT_ANNOTATION]);
  if (!projects) {
    return undefined;
  }
  return {
    projects,
    stages: splitList(annotations[KARGO_STAGES_ANNOTATION]),
    warehouses: splitList(annotations[KARGO_WAREHOUSES_ANNOTATION]),
    instance: annotations[KARGO_INSTANCE_ANNOTATION]?.trim() || undefined,
  };
}
