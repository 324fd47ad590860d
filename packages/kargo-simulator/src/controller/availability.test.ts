import type { Freight, Stage } from '@kargo-backstage/plugin-kargo-common';
import {
  isFreightAvailable,
  listFreightAvailableToStage,
} from './availability';
import { selectAutoPromotionCandidates } from './autoPromotion';

const NOW = Date.parse('2026-11-02T12:00:00Z');
const ago = (h: number) => new Date(NOW - h * 3_600_000).toISOString();

const prod = (sources: object): Stage =>
  ({
    metadata: { name: 'prod', namespace: 'p' },
    spec: {
      requestedFreight: [
        { origin: { kind: 'Warehouse', name: 'wh' }, sources },
      ],
    },
  } as Stage);

const freight = (name: string, status: object, discoveredAt = ago(10)) =>
  ({
    metadata: { name, namespace: 'p' },
    origin: { kind: 'Warehouse', name: 'wh' },
    discoveredAt,
    status,
  } as Freight);

describe('freight availability (Kargo v1.11.2)', () => {
  it('lists, for auto-promotion, freight soaked in any stage, while promotion checks the upstream one', () => {
    const stage = prod({ stages: ['uat'], requiredSoakTime: '1h' });
    // Verified in uat a minute ago, but soaked for hours in test (not upstream of prod).
    const f = freight('a', {
      verifiedIn: { uat: {}, test: { longestSoak: '5h0m0s' } },
      currentlyIn: { uat: { since: ago(0.02) } },
    });
    expect(isFreightAvailable(stage, f, NOW)).toBe(false);
    expect(listFreightAvailableToStage(stage, [f], NOW)).toEqual([f]);
  });

  it('lists, with All and a soak time, only freight soaked in exactly the upstream stages', () => {
    const stage = prod({
      stages: ['uat-a', 'uat-b'],
      availabilityStrategy: 'All',
      requiredSoakTime: '1h',
    });
    const soaked = { longestSoak: '2h0m0s' };
    const exact = freight('a', {
      verifiedIn: { 'uat-a': soaked, 'uat-b': soaked },
    });
    const extra = freight('b', {
      verifiedIn: { 'uat-a': soaked, 'uat-b': soaked, test: soaked },
    });
    expect(isFreightAvailable(stage, extra, NOW)).toBe(true);
    expect(listFreightAvailableToStage(stage, [exact, extra], NOW)).toEqual([
      exact,
    ]);
  });

  it('approval makes freight available; MatchUpstream takes only what the upstream stage has now', () => {
    const stage = prod({
      stages: ['uat'],
      autoPromotionOptions: { selectionPolicy: 'MatchUpstream' },
    });
    const inUat = freight('a', {
      verifiedIn: { uat: {} },
      currentlyIn: { uat: {} },
    });
    const approved = freight('b', { approvedFor: { prod: {} } }, ago(1));
    expect(isFreightAvailable(stage, approved, NOW)).toBe(true);
    const available = listFreightAvailableToStage(
      stage,
      [inUat, approved],
      NOW,
    );
    expect(available).toEqual([inUat]);
    expect(
      selectAutoPromotionCandidates(stage, available).get('Warehouse/wh'),
    ).toBe(inUat);
    // Two at once is Kargo's transient race: no candidate this pass.
    expect(
      selectAutoPromotionCandidates(stage, [inUat, freight('c', {})]).size,
    ).toBe(0);
  });

  it('picks the newest discovered freight as the candidate, then the greatest name', () => {
    const stage = prod({ direct: true });
    const older = freight('z', {}, ago(2));
    const [x, y] = [freight('x', {}, ago(1)), freight('y', {}, ago(1))];
    expect(
      selectAutoPromotionCandidates(stage, [older, x, y]).get('Warehouse/wh'),
    ).toBe(y);
  });
});
