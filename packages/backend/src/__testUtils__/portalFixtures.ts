/*
 * Pieces the backend's test portals (and the benchmarks) build on: a catalog Component that
 * names a Kargo project, a signed-in user's header and a signals service that sends nothing.
 * Only light imports, so bench/ can use them without the permission backend.
 */
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { signalsServiceRef } from '@backstage/plugin-signals-node';

/** A catalog Component that names a Kargo project, owned by `owner`. */
export const owned = (
  name: string,
  project: string,
  owner: string,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'kargo.akuity.io/project': project },
  },
  spec: { type: 'service', owner, lifecycle: 'production' },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});

/** The signed-in user's header (mock tokens). */
export const as = (user: string) => mockCredentials.user.header(user);

/** A signals service that publishes nowhere: the test backends run no signals plugin. */
export const silentSignals = createServiceFactory({
  service: signalsServiceRef,
  deps: {},
  factory: () => ({ publish: async () => {} }),
});
