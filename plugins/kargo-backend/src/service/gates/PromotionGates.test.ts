import { mockCredentials } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import {
  Freight,
  kargoFreezeOverridePermission,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';
import type {
  KargoPromotionGate,
  KargoPromotionGateRequest,
} from '@kargo-backstage/plugin-kargo-node';
import type { KargoStore } from '../../database';
import { createFreezeGate } from './freezeGate';
import { GateOutcome, PromotionGates } from './PromotionGates';

/** A stage Kargo reports frozen (Stage.status.promotionWindowStatus). */
const frozenStage = {
  metadata: { name: 'prod', namespace: 'shop' },
  spec: { requestedFreight: [] },
  status: {
    promotionWindowStatus: { closed: true, reason: 'Release freeze' },
  },
} as unknown as Stage;

const request: KargoPromotionGateRequest = {
  approval: { policies: [] },
  instance: 'i',
  project: 'shop',
  stage: frozenStage,
  freight: { metadata: { name: 'f1' } } as Freight,
  credentials: mockCredentials.user(),
  via: 'promote',
  now: new Date('2026-11-02T12:00:00Z'),
};

const store = {
  listPromotionWindows: async () => [],
} as unknown as KargoStore;

const gate = (
  name: string,
  evaluate: KargoPromotionGate['evaluate'],
): KargoPromotionGate => ({ name, evaluate });

describe('PromotionGates', () => {
  it("flags the freeze gate's deny as overridable with kargo.freeze.override", async () => {
    const [outcome] = await new PromotionGates([
      createFreezeGate(store),
    ]).evaluate(request);
    expect(outcome).toMatchObject({
      gate: 'freeze',
      stage: 'prod',
      result: 'deny',
      overridable: true,
      overridePermission: kargoFreezeOverridePermission.name,
      needsConfirmation: false,
    });
  });

  it("flags a confirm as needing confirmation, and a module's deny as not overridable", async () => {
    const outcomes = await new PromotionGates([
      gate('verdict', async () => ({ result: 'confirm', reason: 'Marked' })),
      gate('change-board', async () => ({ result: 'deny', reason: 'No' })),
      gate('quiet', async () => ({ result: 'allow' })),
    ]).evaluate(request);
    expect(
      outcomes.map(o => [o.gate, o.overridable, o.needsConfirmation]),
    ).toEqual([
      ['verdict', false, true],
      ['change-board', false, false],
      ['quiet', false, false],
    ]);
    expect(outcomes[1]).not.toHaveProperty('overridePermission');
  });

  it('turns a failing gate into a deny that no override passes, even the freeze gate', async () => {
    const failing = {
      ...createFreezeGate(store),
      evaluate: async () => {
        throw new Error('database down');
      },
    };
    const outcomes = await new PromotionGates([failing]).evaluate(request);
    expect(outcomes).toEqual([
      {
        gate: 'freeze',
        stage: 'prod',
        result: 'deny',
        reason: 'The freeze gate failed: database down',
        overridable: false,
        needsConfirmation: false,
      },
    ]);
    expect(() =>
      PromotionGates.enforce(outcomes, {
        confirmed: [],
        overridden: ['freeze'],
      }),
    ).toThrow(ConflictError);
  });

  it('enforce: lets through overridden overridable denies and confirmed confirms, nothing else', () => {
    const outcome = (o: Partial<GateOutcome>): GateOutcome => ({
      gate: 'g',
      stage: 'prod',
      result: 'deny',
      reason: 'because',
      overridable: false,
      needsConfirmation: false,
      ...o,
    });
    const freeze = outcome({ gate: 'freeze', overridable: true });
    const verdict = outcome({
      gate: 'verdict',
      result: 'confirm',
      needsConfirmation: true,
    });
    expect(
      PromotionGates.enforce([freeze, verdict], {
        confirmed: ['verdict'],
        overridden: ['freeze'],
      }),
    ).toEqual([freeze, verdict]);
    expect(() =>
      PromotionGates.enforce([freeze], { confirmed: [], overridden: [] }),
    ).toThrow('because [gate freeze]');
    expect(() =>
      PromotionGates.enforce([verdict], { confirmed: [], overridden: [] }),
    ).toThrow(/Needs confirmation: because/);
    // Overriding needs the flag: a gate that is not overridable stands.
    expect(() =>
      PromotionGates.enforce([outcome({ gate: 'change-board' })], {
        confirmed: ['change-board'],
        overridden: ['change-board'],
      }),
    ).toThrow('because [gate change-board]');
  });
});
