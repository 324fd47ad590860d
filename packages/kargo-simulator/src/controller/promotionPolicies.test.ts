import type {
  ProjectConfig,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';
import {
  findMatchingPromotionPolicy,
  parseNamePattern,
} from './promotionPolicies';

const stage = (name: string, labels?: Record<string, string>) =>
  ({ metadata: { name, namespace: 'p', labels }, spec: {} } as Stage);
const config = (promotionPolicies: object[]) =>
  ({ spec: { promotionPolicies } } as ProjectConfig);

describe("Kargo's promotion policy lookup (pkg/api/auto_promotion.go)", () => {
  it('matches names exactly, by unanchored regex:/regexp:, and by glob:', () => {
    expect(parseNamePattern('prod')('prod-eu')).toBe(false);
    expect(parseNamePattern('regex:^prod')('prod-eu')).toBe(true);
    expect(parseNamePattern('regexp:eu')('prod-eu')).toBe(true);
    expect(parseNamePattern('regexp:(?i)^PROD')('prod-eu')).toBe(true);
    expect(parseNamePattern('glob:prod-*')('prod-eu')).toBe(true);
    expect(parseNamePattern('glob:{uat,prod}-e?')('uat-eu')).toBe(true);
    expect(parseNamePattern('glob:[!u]*')('uat')).toBe(false);
    expect(() => parseNamePattern('glob:[a')).toThrow();
  });

  it('takes the first policy whose selector picks the stage; stageSelector wins over stage', () => {
    const policies = config([
      {
        stage: 'test',
        stageSelector: { name: 'uat' },
        autoPromotionEnabled: true,
      },
      {
        stageSelector: { name: 'test', matchLabels: { tier: 'edge' } },
        autoPromotionEnabled: false,
      },
      {
        stageSelector: {
          matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['x'] }],
        },
        autoPromotionEnabled: true,
      },
    ]);
    expect(findMatchingPromotionPolicy(policies, stage('uat'))).toBe(
      policies.spec!.promotionPolicies![0],
    );
    expect(
      findMatchingPromotionPolicy(policies, stage('test', { tier: 'edge' })),
    ).toBe(policies.spec!.promotionPolicies![1]);
    // NotIn also picks a stage without the label.
    expect(findMatchingPromotionPolicy(policies, stage('test'))).toBe(
      policies.spec!.promotionPolicies![2],
    );
    expect(
      findMatchingPromotionPolicy(policies, stage('test', { tier: 'x' })),
    ).toBeUndefined();
  });

  it('fails the lookup on a selector Kubernetes refuses, once the name matched', () => {
    const bad = config([
      {
        stageSelector: {
          name: 'prod',
          matchExpressions: [{ key: 'tier', operator: 'In', values: [] }],
        },
      },
    ]);
    expect(() => findMatchingPromotionPolicy(bad, stage('prod'))).toThrow(
      "values set can't be empty",
    );
    expect(findMatchingPromotionPolicy(bad, stage('uat'))).toBeUndefined();
  });
});
