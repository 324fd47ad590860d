import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { KargoApi, kargoApiRef } from '../../api';
import { openFreightDrawer } from '../__testUtils__/testApis';
import { shopView, storefront, testKargoApi } from '../__testUtils__/testViews';
import { EntityKargoContent } from './EntityKargoContent';

function renderContent(
  e: Entity,
  getEntityView: KargoApi['getEntityView'],
  options: {
    api?: Partial<KargoApi>;
    /** Whether the user holds kargo.line.stop (every other permission is granted). */
    lineStop?: boolean;
  } = {},
) {
  const api = testKargoApi({ getEntityView, ...options.api });
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [kargoApiRef, api],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: r =>
              r.permission.name === 'kargo.line.stop' &&
              options.lineStop === false
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          }),
        ],
      ]}
    >
      <EntityProvider entity={e}>
        <EntityKargoContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityKargoContent', () => {
  const annotated = storefront('shop,gone');

  it('shows each project, and a failing one as an error naming its instance', async () => {
    const getEntityView = jest.fn(async () => ({
      entityRef: 'component:default/storefront',
      projects: [
        shopView(),
        {
          instance: 'sim',
          project: 'gone',
          error: {
            name: 'NotFoundError',
            message:
              'Kargo instance "sim": Project.kargo.akuity.io "gone" not found',
          },
        },
      ],
    }));
    await renderContent(annotated, getEntityView);
    expect(await screen.findByText('Kargo · project shop')).toBeInTheDocument();
    expect(getEntityView).toHaveBeenCalledWith('component:default/storefront');
    expect(
      screen.getByText(/Kargo project gone on instance sim could not be read/),
    ).toBeInTheDocument();
    expect(screen.getByText('Open in Kargo').closest('a')).toHaveAttribute(
      'href',
      'https://kargo.example.com/project/shop',
    );
    expect(
      screen.getByText(/latest 3; 10 older not shown/),
    ).toBeInTheDocument();
  });

  it('filters freight and stages by warehouse', async () => {
    await renderContent(annotated, async () => ({
      entityRef: 'x',
      projects: [shopView()],
    }));
    await screen.findByText('Kargo · project shop');
    expect(screen.getAllByRole('listitem')).toHaveLength(3);
    fireEvent.mouseDown(screen.getByRole('button', { name: /Warehouses/ }));
    const listbox = screen.getByRole('listbox');
    fireEvent.click(within(listbox).getByText('checkout'));
    fireEvent.keyDown(listbox, { key: 'Escape' });
    await waitFor(() =>
      expect(screen.getAllByRole('listitem')).toHaveLength(1),
    );
    expect(screen.queryByLabelText('Stage cart-dev')).not.toBeInTheDocument();
  });

  it('loads 50 more freight per warehouse with "Load more"', async () => {
    const getEntityView = jest.fn(async () => ({
      entityRef: 'x',
      projects: [shopView()],
    }));
    await renderContent(annotated, getEntityView);
    fireEvent.click(
      await screen.findByRole('button', { name: 'Load more freight of cart' }),
    );
    await waitFor(() =>
      expect(getEntityView).toHaveBeenLastCalledWith(
        'component:default/storefront',
        { freightLimit: 100 },
      ),
    );
    fireEvent.click(
      await screen.findByRole('button', { name: 'Load more freight of cart' }),
    );
    await waitFor(() =>
      expect(getEntityView).toHaveBeenLastCalledWith(
        'component:default/storefront',
        { freightLimit: 150 },
      ),
    );
  });

  it('opens the stage and freight drawers', async () => {
    await renderContent(annotated, async () => ({
      entityRef: 'x',
      projects: [shopView()],
    }));
    fireEvent.click(await screen.findByLabelText('Stage prod'));
    expect(await screen.findByText('Stage prod')).toBeInTheDocument();
    fireEvent.click(
      screen.getByRole('button', { name: 'Close', hidden: true }),
    );
    await openFreightDrawer('daring-dingo', '2.3.0');
  });

  it('explains the missing annotation with the YAML to add', async () => {
    await renderContent(storefront(), jest.fn());
    expect(
      (await screen.findAllByText(/kargo\.akuity\.io\/project/)).length,
    ).toBeGreaterThan(0);
  });

  it('shows the backend error instead of a blank page', async () => {
    await renderContent(annotated, async () => {
      throw new Error('Kargo instance "sim" is unreachable');
    });
    expect(
      (await screen.findAllByText(/is unreachable/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByText(/Kargo · project/)).not.toBeInTheDocument();
  });

  describe('stop the line', () => {
    const stop = {
      id: 's1',
      instance: 'sim',
      reason: 'Incident 42: checkout down',
      startedBy: 'user:default/sam',
      startedAt: '2026-11-02T10:00:00Z',
    };

    it('shows the banner and ends the stop for a permitted user, then reads the view again', async () => {
      const getEntityView = jest.fn(async () => ({
        entityRef: 'x',
        projects: [shopView()],
        lineStops: [stop],
      }));
      const endLineStop = jest.fn(async () => {});
      await renderContent(annotated, getEntityView, { api: { endLineStop } });
      const banner = await screen.findByRole('region', {
        name: 'Stop the line',
      });
      expect(banner).toHaveTextContent(
        /Stop the line \(instance sim\): Incident 42: checkout down — started by sam at /,
      );
      fireEvent.click(
        await within(banner).findByRole('button', { name: 'End' }),
      );
      await waitFor(() => expect(endLineStop).toHaveBeenCalledWith('s1'));
      await waitFor(() => expect(getEntityView).toHaveBeenCalledTimes(2));
    });

    it('offers neither Stop the line nor End without kargo.line.stop', async () => {
      await renderContent(
        annotated,
        async () => ({
          entityRef: 'x',
          projects: [shopView()],
          lineStops: [stop],
        }),
        { lineStop: false },
      );
      expect(
        await screen.findByText(/Incident 42: checkout down/),
      ).toBeInTheDocument();
      await screen.findByText('Kargo · project shop');
      // Let the permission answers arrive before looking for what they would show.
      await new Promise(r => setTimeout(r, 50));
      expect(
        screen.queryByRole('button', { name: 'Stop the line' }),
      ).not.toBeInTheDocument();
      expect(
        screen.queryByRole('button', { name: 'End' }),
      ).not.toBeInTheDocument();
    });

    it("stops the line of the entity's instance with a reason", async () => {
      const startLineStop = jest.fn(async () => stop);
      const getEntityView = jest.fn(async () => ({
        entityRef: 'x',
        projects: [shopView()],
      }));
      await renderContent(annotated, getEntityView, {
        api: { startLineStop },
      });
      fireEvent.click(
        await screen.findByRole('button', { name: 'Stop the line' }),
      );
      const dialog = screen.getByRole('dialog', { name: 'Stop the line' });
      const start = () =>
        within(dialog).getByRole('button', { name: 'Stop the line' });
      expect(start()).toBeDisabled();
      fireEvent.change(within(dialog).getByLabelText(/Reason/), {
        target: { value: 'Incident 42: checkout down' },
      });
      fireEvent.click(
        within(dialog).getByLabelText("This entity's instance (sim)"),
      );
      fireEvent.click(start());
      await waitFor(() =>
        expect(startLineStop).toHaveBeenCalledWith({
          instance: 'sim',
          reason: 'Incident 42: checkout down',
        }),
      );
      await waitFor(() => expect(getEntityView).toHaveBeenCalledTimes(2));
    });
  });
});
