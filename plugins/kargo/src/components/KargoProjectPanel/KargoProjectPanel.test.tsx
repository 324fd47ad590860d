import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderWithKargo } from '../__testUtils__/testApis';
import { freight, largeView } from '../__testUtils__/testViews';
import { KargoProjectPanel } from './KargoProjectPanel';

/** Issue 21's project: 500 stages on 25 freightlines, 50 freight shown of 800 per warehouse. */
function hugeView() {
  const view = largeView(25, 20);
  view.freight = view.warehouses.flatMap(w =>
    Array.from({ length: 50 }, (_, i) =>
      freight(`${w.name}-${i}`, w.name, `1.${i}.0`, {
        name: `${w.name}-${i}`,
      }),
    ),
  );
  view.freightTotal = Object.fromEntries(
    view.warehouses.map(w => [w.name, 800]),
  );
  return view;
}

describe('KargoProjectPanel', () => {
  // Rendering the huge project takes seconds on a 2-core machine: a limit, not a measure.
  jest.setTimeout(30_000);

  it('shows a project of 500 stages and 20 000 freight collapsed and windowed', async () => {
    const onLoadMoreFreight = jest.fn();
    await renderWithKargo(
      <KargoProjectPanel
        view={hugeView()}
        onChange={jest.fn()}
        onLoadMoreFreight={onLoadMoreFreight}
      />,
    );
    expect(
      screen.getByText(/latest 1250; 18750 older not shown/),
    ).toBeInTheDocument();
    // A few rows of cards, not 1250; one summary per freightline, no stage yet.
    expect(screen.getAllByRole('listitem').length).toBeLessThan(150);
    expect(screen.queryAllByLabelText(/^Stage /)).toHaveLength(0);
    expect(screen.getAllByLabelText(/^Freightline /)).toHaveLength(25);

    fireEvent.click(
      screen.getByRole('button', { name: 'Load more freight of warehouse-0' }),
    );
    expect(onLoadMoreFreight).toHaveBeenCalled();
  });

  it('filters the freight rows and the freightlines by warehouse, and shows a small one expanded', async () => {
    await renderWithKargo(
      <KargoProjectPanel view={hugeView()} onChange={jest.fn()} />,
    );
    fireEvent.mouseDown(screen.getByRole('button', { name: /Warehouses/ }));
    const listbox = screen.getByRole('listbox');
    fireEvent.click(within(listbox).getByText('warehouse-3'));
    fireEvent.keyDown(listbox, { key: 'Escape' });
    // 20 stages are few enough to show.
    await waitFor(() =>
      expect(screen.getAllByLabelText(/^Stage line-3-/)).toHaveLength(20),
    );
    expect(screen.queryAllByLabelText(/^Stage /)).toHaveLength(20);
    expect(screen.queryAllByLabelText(/^Freightline /)).toHaveLength(0);
    expect(
      screen
        .getAllByRole('list', { name: /^Freight/ })
        .map(l => l.getAttribute('aria-label')),
    ).toEqual(['Freight, newest first']);
    // Without a way to refetch, the row points to Kargo for the rest.
    expect(screen.getByText('750 older not shown')).toBeInTheDocument();
    expect(screen.getByText('See them in Kargo')).toBeInTheDocument();
  });
});
