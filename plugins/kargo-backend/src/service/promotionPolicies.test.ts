import { ConflictError, NotFoundError } from '@backstage/errors';
import type {
  ProjectConfig,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';
import type { KargoClient } from '@kargo-backstage/plugin-kargo-node';
import {
  modifyPromotionPolicies,
  policyIndex,
  PROMOTION_POLICY_WRITE_ATTEMPTS,
  PromotionPolicy,
  updatePromotionPolicies,
  withAutoPromotion,
} from './promotionPolicies';

const stage = (name: string, labels?: Record<string, string>) =>
  ({ metadata: { name, namespace: 'p', labels } } as Stage);

describe('policyIndex', () => {
  it("matches selectors as Kargo does: Go regexes, regexp:, (?i), Kargo's first match", () => {
    const policies: PromotionPolicy[] = [
      { stage: 'test', autoPromotionEnabled: true },
      {
        stageSelector: { name: 'regex:(?i)^PROD-' },
        autoPromotionEnabled: true,
      },
      { stageSelector: { name: 'regexp:uat' }, autoPromotionEnabled: false },
      {
        stageSelector: {
          matchExpressions: [{ key: 'tier', operator: 'In', values: ['qa'] }],
        },
      },
    ];
    expect(policyIndex(policies, stage('test'))).toBe(0);
    expect(policyIndex(policies, stage('prod-eu'))).toBe(1);
    expect(policyIndex(policies, stage('my-uat'))).toBe(2);
    expect(policyIndex(policies, stage('x', { tier: 'qa' }))).toBe(3);
    expect(policyIndex(policies, stage('x', { tier: 'dev' }))).toBe(-1);
  });

  it("lets stageSelector win over stage, as Kargo's findMatchingPromotionPolicy does", () => {
    // The deprecated `stage` only stands in when there is no selector.
    const both: PromotionPolicy[] = [
      { stage: 'test', stageSelector: { name: 'uat' } },
    ];
    expect(policyIndex(both, stage('test'))).toBe(-1);
    expect(policyIndex(both, stage('uat'))).toBe(0);
    // Neither: Kargo falls back to an empty name, which selects every stage.
    expect(policyIndex([{ autoPromotionEnabled: true }], stage('x'))).toBe(0);
    // An empty selector selects every stage too.
    expect(policyIndex([{ stageSelector: {} }], stage('x'))).toBe(0);
  });

  it('ANDs the name with matchLabels and matchExpressions, glob: and unanchored regexp:', () => {
    const policies: PromotionPolicy[] = [
      { stageSelector: { name: 'test', matchLabels: { tier: 'edge' } } },
      { stageSelector: { name: 'regexp:^(test|ua)' } },
      {
        stageSelector: {
          matchExpressions: [
            { key: 'tier', operator: 'In', values: ['edge'] },
            { key: 'frozen', operator: 'DoesNotExist' },
          ],
        },
      },
      { stageSelector: { name: 'glob:{prod,dr}-*' } },
    ];
    expect(policyIndex(policies, stage('test'))).toBe(1);
    expect(policyIndex(policies, stage('test', { tier: 'edge' }))).toBe(0);
    expect(policyIndex(policies, stage('uat-eu'))).toBe(1);
    expect(policyIndex(policies, stage('edge', { tier: 'edge' }))).toBe(2);
    expect(
      policyIndex(policies, stage('edge', { tier: 'edge', frozen: 'y' })),
    ).toBe(-1);
    expect(policyIndex(policies, stage('dr-1'))).toBe(3);
    expect(policyIndex(policies, stage('prod'))).toBe(-1);
  });

  it('skips an unknown name prefix as an exact name, and fails on labels Kubernetes refuses', () => {
    // pattern.ParseNamePattern takes "foo:bar" as an exact name (the webhook refuses it).
    expect(
      policyIndex(
        [{ stageSelector: { name: 'foo:bar' } }, { stage: 'prod' }],
        stage('prod'),
      ),
    ).toBe(1);
    // LabelSelectorAsSelector refuses an invalid key once the name matched: the lookup fails.
    expect(
      policyIndex(
        [
          { stageSelector: { name: 'prod', matchLabels: { 'bad key': 'x' } } },
          { stage: 'prod' },
        ],
        stage('prod'),
      ),
    ).toBe(-1);
    // A name that does not match is not looked at further.
    expect(
      policyIndex(
        [
          { stageSelector: { name: 'uat', matchLabels: { 'bad key': 'x' } } },
          { stage: 'prod' },
        ],
        stage('prod'),
      ),
    ).toBe(1);
  });

  it('takes linear time on a backtracking pattern, and no policy past one Kargo cannot parse', () => {
    const start = performance.now();
    expect(
      policyIndex(
        [{ stageSelector: { name: 'regex:^((([a-z-])+)+)+\\d$' } }],
        stage(`${'a'.repeat(250)}!`),
      ),
    ).toBe(-1);
    expect(performance.now() - start).toBeLessThan(500);
    // Kargo fails the lookup at a selector it cannot parse: no policy applies.
    expect(
      policyIndex(
        [
          { stageSelector: { name: 'regex:prod(' } },
          { stage: 'prod', autoPromotionEnabled: true },
        ],
        stage('prod'),
      ),
    ).toBe(-1);
  });
});

describe('withAutoPromotion', () => {
  it("changes the stage's own policy, by stage or by an exact stageSelector name", () => {
    expect(
      withAutoPromotion(
        [{ stageSelector: { name: 'test' }, autoPromotionEnabled: true }],
        stage('test'),
        false,
      ),
    ).toEqual([
      { stageSelector: { name: 'test' }, autoPromotionEnabled: false },
    ]);
    expect(withAutoPromotion([{ stage: 'test' }], stage('test'), true)).toEqual(
      [{ stage: 'test', autoPromotionEnabled: true }],
    );
  });

  it('puts a policy for the stage before a shared selector, moving a shadowed own policy rather than naming the stage twice', () => {
    const shared: PromotionPolicy = {
      stageSelector: { name: 'glob:*' },
      autoPromotionEnabled: true,
    };
    expect(withAutoPromotion([shared], stage('uat'), false)).toEqual([
      { stage: 'uat', autoPromotionEnabled: false },
      shared,
    ]);
    // Kargo's webhook refuses a stage name defined twice.
    expect(
      withAutoPromotion(
        [shared, { stageSelector: { name: 'uat' } }],
        stage('uat'),
        false,
      ),
    ).toEqual([
      { stageSelector: { name: 'uat' }, autoPromotionEnabled: false },
      shared,
    ]);
  });
});

function fakeClient(configs: Array<ProjectConfig | Error>) {
  const reads = [...configs];
  const writes: any[] = [];
  const outcomes: Array<Error | undefined> = [];
  const client = {
    getProjectConfig: jest.fn(async () => {
      const next = reads.length > 1 ? reads.shift()! : reads[0];
      if (next instanceof Error) throw next;
      return structuredClone(next);
    }),
    updateResources: jest.fn(async (manifest: string) => {
      writes.push(JSON.parse(manifest));
      const outcome = outcomes.shift();
      if (outcome) throw outcome;
      return { results: [] };
    }),
  };
  return {
    client: client as unknown as KargoClient,
    mock: client,
    writes,
    outcomes,
  };
}

const config = (
  resourceVersion: string,
  policies: PromotionPolicy[],
): ProjectConfig => ({
  metadata: {
    name: 'p',
    namespace: 'p',
    resourceVersion,
    labels: { team: 'a' },
    annotations: { note: 'kept' },
  },
  spec: {
    promotionPolicies: policies,
    webhookReceivers: [{ name: 'gh', github: { secretRef: { name: 's' } } }],
  } as any,
});

describe('updatePromotionPolicies', () => {
  it('writes the ProjectConfig read, with its resourceVersion, labels, annotations and other settings', async () => {
    const { client, writes } = fakeClient([]);
    await updatePromotionPolicies(client, 'p', config('41', []), [
      { stage: 'test', autoPromotionEnabled: false },
    ]);
    expect(writes).toEqual([
      {
        apiVersion: 'kargo.akuity.io/v1alpha1',
        kind: 'ProjectConfig',
        metadata: {
          name: 'p',
          namespace: 'p',
          resourceVersion: '41',
          labels: { team: 'a' },
          annotations: { note: 'kept' },
        },
        spec: {
          promotionPolicies: [{ stage: 'test', autoPromotionEnabled: false }],
          webhookReceivers: [
            { name: 'gh', github: { secretRef: { name: 's' } } },
          ],
        },
      },
    ]);
  });
});

describe('modifyPromotionPolicies', () => {
  it('on a conflict reads again and builds on the concurrent edit', async () => {
    const { client, writes, outcomes } = fakeClient([
      config('41', [{ stage: 'test', autoPromotionEnabled: true }]),
      // Someone added a policy for prod meanwhile.
      config('42', [
        { stage: 'test', autoPromotionEnabled: true },
        { stage: 'prod', autoPromotionEnabled: true },
      ]),
    ]);
    outcomes.push(new ConflictError('the object has been modified'));
    const wrote = await modifyPromotionPolicies(client, 'p', async policies =>
      policies.map(p =>
        p.stage === 'test' ? { ...p, autoPromotionEnabled: false } : p,
      ),
    );
    expect(wrote).toBe(true);
    expect(
      writes.map(w => [w.metadata.resourceVersion, w.spec.promotionPolicies]),
    ).toEqual([
      ['41', [{ stage: 'test', autoPromotionEnabled: false }]],
      [
        '42',
        [
          { stage: 'test', autoPromotionEnabled: false },
          { stage: 'prod', autoPromotionEnabled: true },
        ],
      ],
    ]);
  });

  it('gives up after a few conflicts, writes nothing when nothing changes, and creates a missing config', async () => {
    const busy = fakeClient([config('1', [])]);
    for (let i = 0; i < 10; i++) busy.outcomes.push(new ConflictError('busy'));
    await expect(
      modifyPromotionPolicies(busy.client, 'p', async () => []),
    ).rejects.toThrow('busy');
    expect(busy.writes).toHaveLength(PROMOTION_POLICY_WRITE_ATTEMPTS);

    const same = fakeClient([config('1', [])]);
    expect(
      await modifyPromotionPolicies(same.client, 'p', async () => undefined),
    ).toBe(false);
    expect(same.writes).toEqual([]);

    const none = fakeClient([new NotFoundError('no config')]);
    await modifyPromotionPolicies(none.client, 'p', async policies => [
      ...policies,
      { stage: 'test', autoPromotionEnabled: true },
    ]);
    expect(none.writes[0].metadata).toEqual({ name: 'p', namespace: 'p' });
    expect(none.writes[0].spec).toEqual({
      promotionPolicies: [{ stage: 'test', autoPromotionEnabled: true }],
    });
  });
});
