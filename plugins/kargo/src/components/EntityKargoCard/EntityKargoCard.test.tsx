import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { kargoProjectChannel } from '@kargo-backstage/plugin-kargo-common';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { act, screen, waitFor } from '@testing-library/react';
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

  it("follows the project's changes: a vote elsewhere updates the pending count", async () => {
    const pending = shopViewWithApprovals(v => [
      approvalRequest(v.freight[2].name),
    ]);
    const answered = shopViewWithApprovals(() => []);
    let current = pending;
    const getEntityView = jest.fn(async () => ({
      entityRef: 'x',
      projects: [current],
    }));
    // The signals API as the signals plugin provides it: subscribers per channel.
    const subscribers = new Map<string, Array<(m: object) => void>>();
    const signals = {
      subscribe: (channel: string, onMessage: (m: any) => void) => {
        subscribers.set(channel, [
          ...(subscribers.get(channel) ?? []),
          onMessage,
        ]);
        return { unsubscribe: () => undefined };
      },
    };
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [kargoApiRef, testKargoApi({ getEntityView })],
          [permissionApiRef, mockApis.permission()],
          [signalApiRef, signals],
        ]}
      >
        <EntityProvider entity={storefront('shop')}>
          <EntityKargoCard />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(await screen.findAllByText(/1 approval pending/)).toHaveLength(2);

    current = answered;
    const channel = kargoProjectChannel(pending.instance, pending.project);
    act(() => subscribers.get(channel)?.forEach(s => s({ kind: 'Approval' })));
    await waitFor(() =>
      expect(screen.queryByText(/approval pending/)).not.toBeInTheDocument(),
    );
    // One signal, one refetch: not again each time the refetch changes the callback.
    await new Promise(resolve => setTimeout(resolve, 600));
    expect(getEntityView).toHaveBeenCalledTimes(2);
  });
});
