import { renderInTestApp } from '@backstage/test-utils';
import type { FreightView } from '@kargo-backstage/plugin-kargo-common';
import { fireEvent, screen, within } from '@testing-library/react';
import { freight, shopView } from '../__testUtils__/testViews';
import { FreightPaging } from './freightPaging';
import { COLUMN } from './FreightRow';
import { FreightTimeline, ROW } from './FreightTimeline';

/** `count` freight of `warehouse`, newest first. */
const many = (warehouse: string, count: number): FreightView[] =>
  Array.from({ length: count }, (_, i) =>
    freight(`${warehouse}-${i}`, warehouse, `1.0.${i}`, {
      name: `${warehouse}-${i}`,
    }),
  );

/** jsdom lays nothing out: give every element a size, as a browser window would. */
function viewportOf(width: number, height: number) {
  jest.spyOn(Element.prototype, 'clientWidth', 'get').mockReturnValue(width);
  jest.spyOn(Element.prototype, 'clientHeight', 'get').mockReturnValue(height);
}

/** Scrolls `el` to `offset` along `axis` as a user would. */
function scrollTo(el: HTMLElement, axis: 'x' | 'y', offset: number) {
  Object.defineProperty(el, axis === 'x' ? 'scrollLeft' : 'scrollTop', {
    value: offset,
    configurable: true,
  });
  fireEvent.scroll(el);
}

const paging = (extra: Partial<FreightPaging> = {}): FreightPaging => ({
  total: { cart: 12, checkout: 1 },
  limit: 50,
  onLoadMore: jest.fn(),
  kargoUrl: 'https://kargo.example.com/project/shop',
  ...extra,
});

describe('FreightTimeline', () => {
  afterEach(() => jest.restoreAllMocks());

  it('lists freight in the given order with the stages it is in, verified and approved marks', async () => {
    const view = shopView();
    const onSelect = jest.fn();
    await renderInTestApp(
      <FreightTimeline
        freight={view.freight}
        stages={view.stages.map(s => s.name)}
        onSelect={onSelect}
      />,
    );
    const items = screen.getAllByRole('listitem');
    expect(items.map(i => i.getAttribute('aria-label'))).toEqual([
      'Freight brave-badger 2.4.1',
      'Freight calm-capybara 2.4.0',
      'Freight daring-dingo 2.3.0',
    ]);
    expect(within(items[0]).getByText('cart-dev')).toBeInTheDocument();
    expect(within(items[1]).getByText('prod')).toBeInTheDocument();
    expect(
      within(items[1]).getByText(/✓cart-dev ✓integration/),
    ).toHaveTextContent('✔︎prod');
    fireEvent.click(within(items[2]).getByRole('button'));
    expect(onSelect).toHaveBeenCalledWith(
      expect.objectContaining({ alias: 'daring-dingo' }),
    );
  });

  it('says so when there is no freight yet', async () => {
    await renderInTestApp(
      <FreightTimeline freight={[]} stages={[]} onSelect={jest.fn()} />,
    );
    expect(screen.getByText(/No freight yet/)).toBeInTheDocument();
  });

  it('puts each warehouse on its own row, newest first', async () => {
    const view = shopView();
    await renderInTestApp(
      <FreightTimeline
        freight={view.freight}
        stages={view.stages.map(s => s.name)}
        onSelect={jest.fn()}
        paging={paging()}
      />,
    );
    const cart = screen.getByRole('list', {
      name: 'Freight of cart, newest first',
    });
    expect(within(cart).getAllByRole('listitem')).toHaveLength(2);
    expect(screen.getByText('cart · 2 of 12')).toBeInTheDocument();
    expect(
      within(
        screen.getByRole('list', { name: 'Freight of checkout, newest first' }),
      ).getAllByRole('listitem'),
    ).toHaveLength(1);
  });

  it('renders only the freight in view of a long row, and the rest as it scrolls', async () => {
    viewportOf(800, 600);
    await renderInTestApp(
      <FreightTimeline
        freight={many('cart', 2000)}
        stages={[]}
        onSelect={jest.fn()}
      />,
    );
    const list = screen.getByRole('list', { name: 'Freight, newest first' });
    const items = within(list).getAllByRole('listitem');
    // 800 px hold six cards; a few more either side for focus and quick scrolls.
    expect(items.length).toBeLessThan(15);
    expect(items[0]).toHaveAttribute('aria-label', 'Freight cart-0 1.0.0');
    expect(items[0]).toHaveAttribute('aria-setsize', '2000');

    scrollTo(list.parentElement!, 'x', 1000 * COLUMN);
    expect(screen.getByLabelText('Freight cart-1000 1.0.1000')).toHaveAttribute(
      'aria-posinset',
      '1001',
    );
    expect(screen.queryByLabelText('Freight cart-0 1.0.0')).toBeNull();
    expect(within(list).getAllByRole('listitem').length).toBeLessThan(15);
    // The cards not rendered keep their room, so the scrollbar does not jump.
    expect(list.style.paddingLeft).toBe(`${997 * COLUMN}px`);
  });

  it('renders only the warehouse rows in view', async () => {
    viewportOf(800, 400);
    const freightOf25 = Array.from({ length: 25 }, (_, w) =>
      many(`warehouse-${w}`, 3),
    ).flat();
    await renderInTestApp(
      <FreightTimeline
        freight={freightOf25}
        stages={[]}
        onSelect={jest.fn()}
      />,
    );
    const rows = () =>
      screen.getAllByRole('list', { name: /^Freight of warehouse-/ });
    expect(rows().length).toBeLessThan(8);
    const scroller = rows()[0].closest('[style*="height"]') as HTMLElement;
    scrollTo(scroller, 'y', 20 * ROW.height);
    expect(
      screen.getByRole('list', {
        name: 'Freight of warehouse-20, newest first',
      }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('list', {
        name: 'Freight of warehouse-0, newest first',
      }),
    ).toBeNull();
    expect(rows().length).toBeLessThan(8);
  });

  it('ends a row that has more freight in Kargo with "Load more"', async () => {
    const view = shopView();
    const loadMore = paging();
    await renderInTestApp(
      <FreightTimeline
        freight={view.freight}
        stages={[]}
        onSelect={jest.fn()}
        paging={loadMore}
      />,
    );
    expect(screen.getByText('10 older not shown')).toBeInTheDocument();
    // checkout shows all its freight: no "Load more" for it.
    expect(screen.getAllByRole('button', { name: /^Load more/ })).toHaveLength(
      1,
    );
    fireEvent.click(
      screen.getByRole('button', { name: 'Load more freight of cart' }),
    );
    expect(loadMore.onLoadMore).toHaveBeenCalledTimes(1);
  });

  it('says it is loading while more freight is fetched', async () => {
    await renderInTestApp(
      <FreightTimeline
        freight={shopView().freight}
        stages={[]}
        onSelect={jest.fn()}
        paging={paging({ loading: true })}
      />,
    );
    const button = screen.getByRole('button', {
      name: 'Load more freight of cart',
    });
    expect(button).toBeDisabled();
    expect(button).toHaveTextContent('Loading…');
  });

  it('beyond what the backend sends, counts the freight not shown and links to Kargo', async () => {
    await renderInTestApp(
      <FreightTimeline
        freight={many('cart', 500)}
        stages={[]}
        onSelect={jest.fn()}
        paging={paging({ total: { cart: 1700 }, limit: 500 })}
      />,
    );
    expect(screen.getByText('1200 older not shown')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Load more/ })).toBeNull();
    expect(screen.getByText('See them in Kargo').closest('a')).toHaveAttribute(
      'href',
      'https://kargo.example.com/project/shop',
    );
  });
});
