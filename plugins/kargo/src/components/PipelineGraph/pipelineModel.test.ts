import { shopView } from '../__testUtils__/testViews';
import { pipelineModel } from './pipelineModel';

const view = shopView();

/** The whole shop pipeline: the cart and checkout freightlines, merged at integration. */
const NODES = [
  'warehouse:cart',
  'warehouse:checkout',
  'stage:cart-dev',
  'stage:checkout-dev',
  'stage:integration',
  'stage:prod',
];
const EDGES = [
  { from: 'warehouse:cart', to: 'stage:cart-dev' },
  { from: 'warehouse:checkout', to: 'stage:checkout-dev' },
  { from: 'stage:cart-dev', to: 'stage:integration' },
  { from: 'stage:checkout-dev', to: 'stage:integration' },
  { from: 'stage:integration', to: 'stage:prod' }, // one edge, though two origins flow along it
];
/** What the cart freightline keeps of them. */
const notCheckout = (id: string) => !id.includes('checkout');

describe('pipelineModel', () => {
  it('links warehouses to direct stages and merges parallel freightlines', () => {
    const { nodes, edges } = pipelineModel(view);
    expect(nodes.map(n => n.id)).toEqual(NODES);
    expect(edges).toEqual(EDGES);
  });

  it('keeps only the freightlines of the filtered warehouses', () => {
    const { nodes, edges } = pipelineModel(view, ['cart']);
    expect(nodes.map(n => n.id)).toEqual(NODES.filter(notCheckout));
    expect(edges).toEqual(EDGES.filter(e => notCheckout(e.from)));
  });
});
