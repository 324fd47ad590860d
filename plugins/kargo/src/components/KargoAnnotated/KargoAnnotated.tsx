import { Entity } from '@backstage/catalog-model';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  getKargoAnnotations,
  KARGO_PROJECT_ANNOTATION,
} from '@kargo-backstage/plugin-kargo-common';
import { ReactElement } from 'react';

/**
 * What an entity page shows for Kargo: `children` of the entity when it names a Kargo project,
 * the annotation to add otherwise.
 */
export function KargoAnnotated(props: {
  children(entity: Entity): ReactElement;
}) {
  const { entity } = useEntity();
  if (!getKargoAnnotations(entity)) {
    return (
      <MissingAnnotationEmptyState annotation={KARGO_PROJECT_ANNOTATION} />
    );
  }
  return props.children(entity);
}
