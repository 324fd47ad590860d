import { createApiRef } from '@backstage/core-plugin-api';
import type { KargoEntityView } from '@kargo-backstage/plugin-kargo-common';

/** What the Kargo backend plugin reports about itself. @public */
export interface KargoBackendHealth {
  status: string;
}

/**
 * The frontend's view of the Kargo backend plugin. Components reach Kargo only through it,
 * so the Kargo token never leaves the backend.
 * @public
 */
export interface KargoApi {
  getHealth(): Promise<KargoBackendHealth>;
  /** Everything the Kargo tab shows for an entity: one view per project it names. */
  getEntityView(
    entityRef: string,
    options?: { freightLimit?: number },
  ): Promise<KargoEntityView>;
}

/** @public */
export const kargoApiRef = createApiRef<KargoApi>({
  id: 'plugin.kargo.service',
});
