import { renderInTestApp } from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { shopView } from '../__testUtils__/testViews';
import { PipelineGraph } from './PipelineGraph';

// jsdom computes no accessible names inside the graph's SVG, so stage nodes are found by their
// aria-label here; Chromium exposes them as named buttons (the browser tests click them).
const stageButton = (name: string) => {
  const node = screen.getByLabelText(`Stage ${name}`);
  expect(node).toHaveAttribute('role', 'button');
  expect(node).toHaveAttribute('tabindex', '0');
  return node;
};
const noStageButton = (name: string) =>
  screen.queryByLabelText(`Stage ${name}`);

describe('PipelineGraph', () => {
  it('shows warehouses and stages, the merge stage, current freight, health and a running promotion', async () => {
    const onSelectStage = jest.fn();
    await renderInTestApp(
      <PipelineGraph
        view={shopView()}
        warehouseFilter={[]}
        onSelectStage={onSelectStage}
      />,
    );

    expect(screen.getAllByText('warehouse')).toHaveLength(2);
    expect(
      screen.getByText('ghcr.io/example/cart', { exact: false }),
    ).toHaveTextContent('(^2.0.0)');
    const integration = stageButton('integration');
    expect(
      within(integration).getByText('control flow: merges freightlines'),
    ).toBeInTheDocument();

    const prod = stageButton('prod');
    expect(
      within(prod).getByText('calm-capybara · 2.4.0, daring-dingo · 2.3.0'),
    ).toBeInTheDocument();
    expect(within(prod).getByText('verification Running')).toBeInTheDocument();
    expect(within(prod).getByText('promoting 2/3')).toBeInTheDocument();
    expect(within(prod).getByText('PR').closest('a')).toHaveAttribute(
      'href',
      'https://github.com/example/shop-deploy/pull/42',
    );
    expect(
      within(stageButton('cart-dev')).getByText('auto'),
    ).toBeInTheDocument();

    fireEvent.click(prod);
    expect(onSelectStage).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'prod' }),
    );
    fireEvent.keyDown(integration, { key: 'Enter' });
    expect(onSelectStage).toHaveBeenLastCalledWith(
      expect.objectContaining({ name: 'integration' }),
    );
  });

  it('draws only the filtered freightline', async () => {
    await renderInTestApp(
      <PipelineGraph
        view={shopView()}
        warehouseFilter={['cart']}
        onSelectStage={jest.fn()}
      />,
    );
    expect(stageButton('cart-dev')).toBeInTheDocument();
    expect(noStageButton('checkout-dev')).not.toBeInTheDocument();
    expect(screen.getAllByText('warehouse')).toHaveLength(1);
  });
});
