import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  EntityContentBlueprint,
  EntityCardBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { screen } from '@testing-library/react';
import { kargoApiRef } from './api';
import kargoPlugin from './alpha';
import {
  shopView,
  storefront,
  testKargoApi,
} from './components/__testUtils__/testViews';

const entity = storefront('shop');

describe('the new-frontend-system plugin', () => {
  it('provides the Kargo tab, filtered to annotated entities, and renders it in an app', async () => {
    const content = kargoPlugin.getExtension('entity-content:kargo');
    const tester = createExtensionTester(content);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Kargo');
    expect(tester.get(coreExtensionData.routePath)).toBe('kargo');
    const filter = tester.get(
      EntityContentBlueprint.dataRefs.filterFunction,
    ) as unknown as (entity: object) => boolean;
    expect(filter(entity)).toBe(true);
    expect(filter({ ...entity, metadata: { name: 'x' } })).toBe(false);

    await renderInTestApp(
      <EntityProvider entity={entity}>{tester.reactElement()}</EntityProvider>,
      {
        apis: [
          [
            kargoApiRef,
            testKargoApi({
              getEntityView: async () => ({
                entityRef: 'component:default/storefront',
                projects: [shopView()],
              }),
            }),
          ],
          [permissionApiRef, mockApis.permission()],
        ],
      },
    );
    expect(await screen.findByText('Kargo · project shop')).toBeInTheDocument();
    expect(
      screen.getByLabelText('Freight daring-dingo 2.3.0'),
    ).toBeInTheDocument();
  });

  it('has an overview card for annotated entities', () => {
    const card = createExtensionTester(
      kargoPlugin.getExtension('entity-card:kargo'),
    );
    const filter = card.get(
      EntityCardBlueprint.dataRefs.filterFunction,
    ) as unknown as (entity: object) => boolean;
    expect(filter(entity)).toBe(true);
  });
});
