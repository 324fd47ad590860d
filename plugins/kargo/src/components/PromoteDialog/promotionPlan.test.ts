import { shopView } from '../__testUtils__/testViews';
import { candidatesFor, diffFreight, promotionWarnings } from './promotionPlan';

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

  it('takes availability and reasons from the view, and lets freight in once its soak time has passed', () => {
    const { view, stage } = find('x');
    const prod = stage('prod');
    const now = Date.parse('2026-11-02T12:00:00Z');
    const state = () =>
      candidatesFor(view, prod, now).map(c => [
        c.freight.alias,
        c.available,
        c.blockers.map(b => b.code),
      ]);
    expect(state()).toEqual([
      ['brave-badger', false, ['NotVerified']],
      ['calm-capybara', true, []],
      ['daring-dingo', true, []],
    ]);
    const fresh = view.freight[0].name;
    const soaking = (availableAt: string) => {
      prod.freightAvailability.unavailable[fresh] = {
        blockers: [
          {
            code: 'NotSoaked',
            stage: 'integration',
            requiredSoakTime: '1h',
            until: availableAt,
          },
        ],
        availableAt,
      };
    };
    soaking('2026-11-02T12:30:00Z');
    expect(state()[0]).toEqual(['brave-badger', false, ['NotSoaked']]);
    soaking('2026-11-02T11:30:00Z');
    expect(state()[0]).toEqual(['brave-badger', true, []]);
    // Freight the view does not list for the stage is not offered (checkout-dev takes no cart).
    expect(
      candidatesFor(view, stage('checkout-dev'), now).map(c => c.freight.alias),
    ).toEqual(['daring-dingo']);
  });

  it('refuses the freight of the stage’s origins in neither list for the reason said once', () => {
    const { view, stage } = find('x');
    const prod = stage('prod');
    prod.freightAvailability = {
      available: [view.freight[1].name],
      unavailable: {},
      othersBlockedBy: [{ code: 'NotVerified', stages: ['uat'] }],
    };
    expect(
      candidatesFor(view, prod, 0).map(c => [
        c.freight.alias,
        c.available,
        c.blockers.map(b => b.code),
      ]),
    ).toEqual([
      ['brave-badger', false, ['NotVerified']],
      ['calm-capybara', true, []],
      ['daring-dingo', false, ['NotVerified']],
    ]);
    // Not for freight of origins the stage does not request.
    const checkoutDev = stage('checkout-dev');
    checkoutDev.freightAvailability = {
      available: [],
      unavailable: {},
      othersBlockedBy: [{ code: 'ControlFlow' }],
    };
    expect(
      candidatesFor(view, checkoutDev, 0).map(c => c.freight.alias),
    ).toEqual(['daring-dingo']);
  });

  it("warns: Kargo's refusal in its words first, then an unhealthy stage and a running promotion", () => {
    const { view, stage } = find('x');
    const prod = {
      ...stage('prod'),
      health: 'Unhealthy',
      healthIssues: ['2 pods crash-looping'],
    };
    const [fresh, older] = candidatesFor(view, prod, Date.now());
    expect(promotionWarnings(view, prod, fresh)).toEqual([
      {
        severity: 'error',
        message:
          'Kargo refuses this promotion: not verified in upstream Stage "integration"; and not approved for Stage "prod".',
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
    ]);
    expect(promotionWarnings(view, prod, older).map(w => w.severity)).toEqual([
      'warning',
      'warning',
      'info',
    ]);
  });
});
