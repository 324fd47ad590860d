import { renderInTestApp } from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { shopView } from '../__testUtils__/testViews';
import { FreightTimeline } from './FreightTimeline';

describe('FreightTimeline', () => {
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
});
