import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { kargoApiRef } from '../../api';
import {
  approvalRequest,
  shopView,
  shopViewWithApprovals,
  storefront,
  testKargoApi,
} from '../__testUtils__/testViews';
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

  it('says how many approvals are pending, and shows a stop-the-line banner', async () => {
    const view = shopViewWithApprovals(v => [
      approvalRequest(v.freight[2].name),
      approvalRequest(v.freight[1].name, { id: 'r2', state: 'Approved' }),
    ]);
    const api = testKargoApi({
      getEntityView: async () => ({
        entityRef: 'x',
        projects: [view],
        lineStops: [
          {
            id: 's1',
            reason: 'Quarter-end close',
            startedBy: 'user:default/sam',
            startedAt: '2026-11-02T10:00:00Z',
          },
        ],
      }),
    });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [kargoApiRef, api],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <EntityProvider entity={storefront('shop')}>
          <EntityKargoCard />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(await screen.findByText('Kargo · shop')).toBeInTheDocument();
    // The project's total under its title, and prod's own count in its row.
    expect(screen.getAllByText(/1 approval pending/)).toHaveLength(2);
    expect(
      screen.getByText(
        /^Stop the line: Quarter-end close — started by sam at /,
      ),
    ).toBeInTheDocument();
  });
});
