import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderWithKargo } from '../__testUtils__/testApis';
import { shopView } from '../__testUtils__/testViews';
import { WarehouseRefreshButtons } from './WarehouseRefreshButtons';

const ref = { instance: 'sim', project: 'shop' };

describe('WarehouseRefreshButtons', () => {
  it('offers one button for a project with one warehouse', async () => {
    const view = shopView();
    view.warehouses = view.warehouses.slice(0, 1);
    const refreshWarehouse = jest.fn(async () => {});
    await renderWithKargo(<WarehouseRefreshButtons view={view} />, {
      api: { refreshWarehouse },
    });
    const name = `Refresh ${view.warehouses[0].name}`;
    await waitFor(() =>
      expect(screen.getByRole('button', { name })).toBeEnabled(),
    );
    fireEvent.click(screen.getByRole('button', { name }));
    await waitFor(() =>
      expect(refreshWarehouse).toHaveBeenCalledWith(
        ref,
        view.warehouses[0].name,
      ),
    );
  });

  it('puts several warehouses in one menu: each, or all of them', async () => {
    const view = shopView();
    const names = view.warehouses.map(w => w.name);
    expect(names.length).toBeGreaterThan(1);
    const refreshWarehouse = jest.fn(async () => {});
    await renderWithKargo(<WarehouseRefreshButtons view={view} />, {
      api: { refreshWarehouse },
    });
    // One control in the toolbar, however many warehouses.
    const open = () =>
      screen.getByRole('button', { name: 'Refresh warehouses' });
    await waitFor(() => expect(open()).toBeEnabled());
    expect(screen.queryByRole('button', { name: /^Refresh / })).toBe(open());

    fireEvent.click(open());
    fireEvent.click(
      await screen.findByRole('menuitem', { name: `Refresh ${names[1]}` }),
    );
    await waitFor(() =>
      expect(refreshWarehouse).toHaveBeenCalledWith(ref, names[1]),
    );
    refreshWarehouse.mockClear();
    await waitFor(() => expect(open()).toBeEnabled());
    fireEvent.click(open());
    fireEvent.click(
      await screen.findByRole('menuitem', {
        name: `Refresh all ${names.length}`,
      }),
    );
    await waitFor(() =>
      expect(refreshWarehouse).toHaveBeenCalledTimes(names.length),
    );
    for (const n of names)
      expect(refreshWarehouse).toHaveBeenCalledWith(ref, n);
  });

  it('is disabled for a user the policy denies', async () => {
    await renderWithKargo(<WarehouseRefreshButtons view={shopView()} />, {
      authorize: AuthorizeResult.DENY,
    });
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Refresh warehouses' }),
      ).toBeDisabled(),
    );
  });
});
