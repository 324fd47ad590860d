import { fireEvent, screen } from '@testing-library/react';
import { renderWithKargo } from '../__testUtils__/testApis';
import { shopView } from '../__testUtils__/testViews';
import { FreightDrawer } from './FreightDrawer';

describe('FreightDrawer', () => {
  it('shows contents, where the freight is and was verified, and Kargo metadata', async () => {
    const onClose = jest.fn();
    const view = shopView();
    await renderWithKargo(
      <FreightDrawer
        view={view}
        freight={view.freight[2]}
        onClose={onClose}
        onPromote={jest.fn()}
      />,
    );
    expect(
      screen.getByText('Freight daring-dingo · 2.3.0'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('ghcr.io/example/checkout:2.3.0'),
    ).toBeInTheDocument();
    expect(screen.getByText(/Add coupons/)).toHaveTextContent(
      'Dana <dana@example.com>',
    );
    expect(screen.getByText('checkout-dev (a), prod (b)')).toBeInTheDocument();
    expect(
      screen.getByText('https://example.com/notes/2.3.0'),
    ).toBeInTheDocument();
    fireEvent.click(
      screen.getByRole('button', { name: 'Close', hidden: true }),
    );
    expect(onClose).toHaveBeenCalled();
  });
});
