import { Entity } from '@backstage/catalog-model';
import { getKargoAnnotations } from '@kargo-backstage/plugin-kargo-common';

/**
 * True when the entity names a Kargo project; use it to show the Kargo tab and card.
 * @public
 */
export function isKargoAvailable(entity: Entity): boolean {
  return Boolean(getKargoAnnotations(entity));
}
