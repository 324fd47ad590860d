import type { StageView } from '@kargo-backstage/plugin-kargo-common';
import { pipelineModel } from './pipelineModel';

const stage = (
  name: string,
  requests: Array<[string, { direct?: boolean; stages?: string[] }]>,
): StageView => ({
  name,
  requestedFreight: requests.map(([warehouse, sources]) => ({
    origin: { kind: 'Warehouse', name: warehouse },
    direct: Boolean(sources.direct),
    stages: sources.stages ?? [],
  })),
  controlFlow: false,
  freightAvailability: { available: [], unavailable: {} },
  currentFreight: {},
  healthIssues: [],
  conditions: [],
  autoPromotionEnabled: false,
  history: [],
});

const view = {
  warehouses: ['cart', 'checkout'].map(name => ({
    name,
    subscriptions: [],
    problems: [],
  })),
  stages: [
    stage('cart-dev', [['cart', { direct: true }]]),
    stage('checkout-dev', [['checkout', { direct: true }]]),
    stage('integration', [
      ['cart', { stages: ['cart-dev'] }],
      ['checkout', { stages: ['checkout-dev'] }],
    ]),
    stage('prod', [
      ['cart', { stages: ['integration'] }],
      ['checkout', { stages: ['integration'] }],
    ]),
  ],
};

describe('pipelineModel', () => {
  it('links warehouses to direct stages and merges parallel freightlines', () => {
    const { nodes, edges } = pipelineModel(view);
    expect(nodes.map(n => n.id)).toEqual([
      'warehouse:cart',
      'warehouse:checkout',
      'stage:cart-dev',
      'stage:checkout-dev',
      'stage:integration',
      'stage:prod',
    ]);
    expect(edges).toEqual([
      { from: 'warehouse:cart', to: 'stage:cart-dev' },
      { from: 'warehouse:checkout', to: 'stage:checkout-dev' },
      { from: 'stage:cart-dev', to: 'stage:integration' },
      { from: 'stage:checkout-dev', to: 'stage:integration' },
      { from: 'stage:integration', to: 'stage:prod' }, // one edge, though two origins flow along it
    ]);
  });

  it('keeps only the freightlines of the filtered warehouses', () => {
    const { nodes, edges } = pipelineModel(view, ['cart']);
    expect(nodes.map(n => n.id)).toEqual([
      'warehouse:cart',
      'stage:cart-dev',
      'stage:integration',
      'stage:prod',
    ]);
    expect(edges).toEqual([
      { from: 'warehouse:cart', to: 'stage:cart-dev' },
      { from: 'stage:cart-dev', to: 'stage:integration' },
      { from: 'stage:integration', to: 'stage:prod' },
    ]);
  });
});
