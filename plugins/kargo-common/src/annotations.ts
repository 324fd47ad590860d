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

/**
 * On a Kargo **Project** (not a catalog entity): the portal owners of the project, as entity
 * refs (`group:default/team-a, user:default/jane`). Only who may edit the cluster-scoped Project
 * in Kargo can set it (Kargo admins), and `kargo:project:init` writes it when the portal creates
 * a project. A catalog entity makes its owners owners of the project only where this list names
 * them too: registering an entity never adds a right.
 * @public
 */
export const KARGO_PORTAL_OWNERS_ANNOTATION = 'kargo-backstage.io/owners';

/**
 * The portal owners a Kargo Project names in its `kargo-backstage.io/owners` annotation, lower
 * case; anything that is not a full entity ref (`kind:namespace/name`) is ignored, not guessed.
 * @public
 */
export function getKargoPortalOwners(project: {
  metadata?: { annotations?: Record<string, string> };
}): string[] {
  return (
    splitList(
      project.metadata?.annotations?.[KARGO_PORTAL_OWNERS_ANNOTATION],
    ) ?? []
  )
    .map(ref => ref.toLocaleLowerCase('en-US'))
    .filter(ref => /^[a-z0-9_-]+:[^/\s]+\/[^\s]+$/.test(ref));
}
