import { shopView } from '../__testUtils__/testViews';
import {
  candidatesFor,
  diffFreight,
  isAvailable,
  promotionWarnings,
} from './promotionPlan';

const find = (name: string) => {
  const view = shopView();
  return {
    view,
    stage: (s: string) => view.stages.find(x => x.name === s)!,
    freight: view.freight.find(f => f.alias === name)!,
  };
};

describe('promotionPlan', () => {
  it('diffs images, commits and charts against what the stage runs', () => {
    const { view, freight } = find('brave-badger');
    const current = view.freight.find(f => f.alias === 'calm-capybara');
    expect(diffFreight(current, freight)).toEqual([
      {
        kind: 'image',
        source: 'ghcr.io/example/cart',
        from: '2.4.0',
        to: '2.4.1',
        detail: undefined,
        changed: true,
      },
    ]);
    const checkout = view.freight.find(f => f.alias === 'daring-dingo')!;
    expect(
      diffFreight(undefined, checkout).map(c => [c.kind, c.from, c.to]),
    ).toEqual([
      ['image', undefined, '2.3.0'],
      ['commit', undefined, 'abcdef123456'],
    ]);
    expect(diffFreight(checkout, checkout).every(c => !c.changed)).toBe(true);
  });

  it('follows Kargo availability: direct, verified upstream, approved', () => {
    const { stage, freight } = find('brave-badger');
    expect(isAvailable(stage('cart-dev'), freight)).toBe(true);
    expect(isAvailable(stage('prod'), freight)).toBe(false);
    expect(
      isAvailable(stage('prod'), { ...freight, approvedFor: { prod: 'now' } }),
    ).toBe(true);
    expect(
      isAvailable(stage('prod'), {
        ...freight,
        verifiedIn: { integration: 'now' },
      }),
    ).toBe(true);
    expect(isAvailable(stage('checkout-dev'), freight)).toBe(false);
  });

  it('warns: not verified upstream nor approved blocks; unhealthy, running promotion and soak inform', () => {
    const { view, stage, freight } = find('brave-badger');
    const prod = {
      ...stage('prod'),
      health: 'Unhealthy',
      healthIssues: ['2 pods crash-looping'],
    };
    prod.requestedFreight[0].requiredSoakTime = '1h';
    expect(promotionWarnings(view, prod, freight)).toEqual([
      {
        severity: 'error',
        message: expect.stringMatching(
          /^Not verified upstream \(integration\) and not approved for prod/,
        ),
      },
      {
        severity: 'warning',
        message: 'Stage prod is Unhealthy: 2 pods crash-looping.',
      },
      {
        severity: 'warning',
        message:
          'Promotion prod.01abc.brave-b is still running; this one waits for it.',
      },
      {
        severity: 'info',
        message: 'Must soak 1h upstream first; Kargo checks this.',
      },
    ]);
    const approved = { ...freight, approvedFor: { prod: 'now' } };
    expect(promotionWarnings(view, stage('prod'), approved)[0]).toEqual({
      severity: 'warning',
      message:
        'Not verified upstream (integration); it was approved for prod by hand.',
    });
  });

  it('offers only freight of the origins a stage requests', () => {
    const { view, stage } = find('x');
    expect(candidatesFor(view, stage('cart-dev')).map(f => f.alias)).toEqual([
      'brave-badger',
      'calm-capybara',
    ]);
    expect(candidatesFor(view, stage('prod'))).toHaveLength(3);
  });
});
