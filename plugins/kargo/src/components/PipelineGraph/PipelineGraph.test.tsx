import { renderInTestApp } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  approvalRequest,
  largeView,
  shopView,
  shopViewWithApprovals,
} from '../__testUtils__/testViews';
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
  // jsdom has no scrollIntoView; one test gives it one.
  const nativeScrollIntoView = Element.prototype.scrollIntoView;
  afterEach(() => {
    Element.prototype.scrollIntoView = nativeScrollIntoView;
  });

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

  it('counts the pending approval requests on their stage', async () => {
    await renderInTestApp(
      <PipelineGraph
        view={shopViewWithApprovals(v => [
          approvalRequest(v.freight[2].name),
          approvalRequest(v.freight[1].name, { id: 'r2' }),
          approvalRequest(v.freight[0].name, { id: 'r3', state: 'Approved' }),
        ])}
        warehouseFilter={[]}
        onSelectStage={jest.fn()}
      />,
    );
    expect(
      within(stageButton('prod')).getByText('✋ 2 approvals pending'),
    ).toBeInTheDocument();
    expect(
      within(stageButton('cart-dev')).queryByText(/approvals? pending/),
    ).not.toBeInTheDocument();
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

  it('collapses a freightline into one node and expands it again', async () => {
    await renderInTestApp(
      <PipelineGraph
        view={shopView()}
        warehouseFilter={[]}
        onSelectStage={jest.fn()}
      />,
    );
    fireEvent.click(screen.getByLabelText('Collapse freightline checkout'));
    const summary = await screen.findByLabelText(
      'Freightline checkout, 3 stages, collapsed',
    );
    expect(noStageButton('checkout-dev')).not.toBeInTheDocument();
    // integration and prod are on the expanded cart freightline too.
    expect(stageButton('prod')).toBeInTheDocument();
    expect(within(summary).getByText('2 Healthy')).toBeInTheDocument();
    expect(within(summary).getByText('1 promoting')).toBeInTheDocument();

    fireEvent.click(summary);
    expect(await screen.findByLabelText('Stage checkout-dev')).toBeVisible();
    expect(
      screen.queryByLabelText(/^Freightline checkout/),
    ).not.toBeInTheDocument();
  });

  it('starts a project of more than 50 stages with its freightlines collapsed', async () => {
    await renderInTestApp(
      <PipelineGraph
        view={largeView(3, 20)}
        warehouseFilter={[]}
        onSelectStage={jest.fn()}
      />,
    );
    expect(screen.queryAllByLabelText(/^Stage /)).toHaveLength(0);
    const line = screen.getByLabelText(
      'Freightline warehouse-1, 20 stages, collapsed',
    );
    expect(within(line).getByText('19 Healthy')).toBeInTheDocument();
    expect(within(line).getByText('1 Unhealthy')).toBeInTheDocument();

    fireEvent.keyDown(line, { key: 'Enter' });
    await waitFor(() =>
      expect(screen.queryAllByLabelText(/^Stage /)).toHaveLength(20),
    );
    expect(stageButton('line-1-19')).toBeInTheDocument();

    fireEvent.click(
      screen.getByRole('button', { name: /Expand freightlines/ }),
    );
    await waitFor(() =>
      expect(screen.queryAllByLabelText(/^Stage /)).toHaveLength(60),
    );
    fireEvent.click(
      screen.getByRole('button', { name: /Collapse freightlines/ }),
    );
    await waitFor(() =>
      expect(screen.queryAllByLabelText(/^Freightline /)).toHaveLength(3),
    );
  });

  it('expanding a collapsed freightline takes the focus to its first stage, in view', async () => {
    const scrolled: Element[] = [];
    Element.prototype.scrollIntoView = function scrollIntoView(this: Element) {
      scrolled.push(this);
    };
    await renderInTestApp(
      <PipelineGraph
        view={largeView(3, 20)}
        warehouseFilter={[]}
        onSelectStage={jest.fn()}
      />,
    );
    const line = screen.getByLabelText(
      'Freightline warehouse-2, 20 stages, collapsed',
    );
    line.focus();
    fireEvent.keyDown(line, { key: 'Enter' });

    const first = await screen.findByLabelText('Stage line-2-0');
    await waitFor(() => expect(first).toHaveFocus());
    expect(scrolled).toContain(first);
    // Not marked as found: nobody looked for it.
    expect(first).not.toHaveAttribute('aria-current');
  });

  it('finds a stage: expands its freightline, highlights it and scrolls to it', async () => {
    const scrolled: Element[] = [];
    Element.prototype.scrollIntoView = function scrollIntoView(this: Element) {
      scrolled.push(this);
    };
    await renderInTestApp(
      <PipelineGraph
        view={largeView(3, 20)}
        warehouseFilter={[]}
        onSelectStage={jest.fn()}
      />,
    );
    const find = screen.getByRole('combobox', { name: 'Find stage' });
    fireEvent.change(find, { target: { value: 'line-2-7' } });

    const found = await screen.findByLabelText('Stage line-2-7');
    expect(found).toHaveAttribute('aria-current', 'true');
    expect(stageButton('line-2-6')).not.toHaveAttribute('aria-current');
    await waitFor(() => expect(scrolled).toContain(found));
    expect(found).toHaveFocus();
    // Only its freightline opened.
    expect(
      screen.getByLabelText('Freightline warehouse-0, 20 stages, collapsed'),
    ).toBeInTheDocument();
    expect(screen.queryAllByLabelText(/^Stage /)).toHaveLength(20);
  });

  it('zooms in, out, and to fit the window', async () => {
    await renderInTestApp(
      <PipelineGraph
        view={shopView()}
        warehouseFilter={[]}
        onSelectStage={jest.fn()}
      />,
    );
    const canvas = screen.getByTestId('pipeline-graph');
    const width = () => parseFloat(canvas.style.width);
    const natural = width();
    expect(screen.getByRole('status')).toHaveTextContent('100%');

    fireEvent.click(screen.getByRole('button', { name: 'Zoom in' }));
    expect(width()).toBeCloseTo(natural * 1.25);
    expect(screen.getByRole('status')).toHaveTextContent('125%');
    fireEvent.click(screen.getByRole('button', { name: 'Zoom out' }));
    fireEvent.click(screen.getByRole('button', { name: 'Zoom out' }));
    expect(width()).toBeCloseTo(natural * 0.8);

    // A window a little taller than the graph's 280 px would fit it at full size.
    const height = jest.spyOn(window, 'innerHeight', 'get');
    height.mockReturnValue(175);
    fireEvent.click(
      screen.getByRole('button', { name: 'Fit the pipeline in view' }),
    );
    expect(width()).toBeCloseTo(natural * 0.5);
    expect(screen.getByRole('status')).toHaveTextContent('50%');
    height.mockRestore();
  });

  it('finds the first stage whose name contains what was typed on Enter, or says there is none', async () => {
    await renderInTestApp(
      <PipelineGraph
        view={largeView(3, 20)}
        warehouseFilter={[]}
        onSelectStage={jest.fn()}
      />,
    );
    const find = screen.getByRole('combobox', { name: 'Find stage' });
    fireEvent.change(find, { target: { value: 'LINE-1-1' } });
    fireEvent.keyDown(find, { key: 'Enter' });
    expect(await screen.findByLabelText('Stage line-1-1')).toHaveAttribute(
      'aria-current',
      'true',
    );
    fireEvent.change(find, { target: { value: 'canary' } });
    fireEvent.keyDown(find, { key: 'Enter' });
    expect(screen.getByText('No such stage here')).toBeInTheDocument();
  });
});
