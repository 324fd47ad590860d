import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { kargoApiRef } from '../../api';
import { shopView, storefront, testKargoApi } from '../__testUtils__/testViews';
import { EntityKargoCard } from './EntityKargoCard';

describe('EntityKargoCard', () => {
  it('lists each stage with its freight and health, skipping control-flow stages', async () => {
    const api = testKargoApi({
      getEntityView: async () => ({ entityRef: 'x', projects: [shopView()] }),
    });
    const entity = storefront('shop');
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [kargoApiRef, api],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <EntityProvider entity={entity}>
          <EntityKargoCard />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(await screen.findByText('Kargo · shop')).toBeInTheDocument();
    expect(
      screen.getByText('2.4.0 (calm-capybara), 2.3.0 (daring-dingo)'),
    ).toBeInTheDocument();
    expect(screen.getByText('cart-dev')).toBeInTheDocument();
    expect(screen.queryByText('integration')).not.toBeInTheDocument();
    expect(screen.getByText('promoting')).toBeInTheDocument();
  });
});
