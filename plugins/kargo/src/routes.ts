import { createRouteRef } from '@backstage/core-plugin-api';

export const entityContentRouteRef = createRouteRef({
  id: 'kargo:entity-content',
});
