import { largeView, shopView } from '../__testUtils__/testViews';
import { collapseFreightlines, freightlines } from './freightlines';
import { pipelineModel } from './pipelineModel';

const shop = pipelineModel(shopView());
const names = (stages?: Array<{ name: string }>) => stages?.map(s => s.name);

describe('freightlines', () => {
  it('puts each stage on the freightline of every warehouse it requests freight from', () => {
    const lines = freightlines(shop);
    expect(names(lines.get('cart'))).toEqual([
      'cart-dev',
      'integration',
      'prod',
    ]);
    expect(names(lines.get('checkout'))).toEqual([
      'checkout-dev',
      'integration',
      'prod',
    ]);
  });
});

describe('collapseFreightlines', () => {
  it('changes nothing when no freightline is collapsed', () => {
    expect(collapseFreightlines(shop, () => false)).toBe(shop);
  });

  it('keeps the merge stages of an expanded freightline and routes the collapsed one into them', () => {
    const { nodes, edges } = collapseFreightlines(shop, w => w === 'cart');
    expect(nodes.map(n => n.id)).toEqual([
      'warehouse:cart',
      'freightline:cart',
      'warehouse:checkout',
      'stage:checkout-dev',
      'stage:integration',
      'stage:prod',
    ]);
    expect(edges).toEqual([
      { from: 'warehouse:cart', to: 'freightline:cart' },
      { from: 'warehouse:checkout', to: 'stage:checkout-dev' },
      { from: 'freightline:cart', to: 'stage:integration' },
      { from: 'stage:checkout-dev', to: 'stage:integration' },
      { from: 'stage:integration', to: 'stage:prod' },
    ]);
  });

  it('draws all freightlines collapsed as a warehouse and a summary each', () => {
    const graph = pipelineModel(largeView(25, 20));
    const { nodes, edges } = collapseFreightlines(graph, () => true);
    expect(nodes).toHaveLength(50);
    const summary = nodes[1];
    expect(summary.id).toBe('freightline:warehouse-0');
    expect(summary.kind === 'freightline' && summary.stages).toHaveLength(20);
    expect(edges).toHaveLength(25);
  });

  it('hides a merge stage whose freightlines are all collapsed in the first of them', () => {
    const { nodes, edges } = collapseFreightlines(shop, () => true);
    expect(nodes.map(n => n.id)).toEqual([
      'warehouse:cart',
      'freightline:cart',
      'warehouse:checkout',
      'freightline:checkout',
    ]);
    expect(edges).toContainEqual({
      from: 'freightline:checkout',
      to: 'freightline:cart',
    });
  });
});
