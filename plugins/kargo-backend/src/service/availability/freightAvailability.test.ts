import type {
  Freight,
  FreightRequest,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';
import { freightAvailability, isAvailable } from './freightAvailability';

const NOW = Date.parse('2026-11-02T12:00:00Z');
const hour = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

function stage(
  sources: FreightRequest['sources'] | Array<FreightRequest['sources']>,
  steps = true,
): Stage {
  return {
    metadata: { name: 'prod', namespace: 'shop' },
    spec: {
      requestedFreight: (Array.isArray(sources) ? sources : [sources]).map(
        s => ({ origin: { kind: 'Warehouse', name: 'cart' }, sources: s }),
      ),
      promotionTemplate: steps
        ? { spec: { steps: [{ uses: 'git-clone' }] } }
        : undefined,
    },
  } as Stage;
}

function freight(status: Freight['status'] = {}, warehouse = 'cart'): Freight {
  return {
    metadata: { name: 'f1', namespace: 'shop' },
    origin: { kind: 'Warehouse', name: warehouse },
    status,
  } as Freight;
}

const verifiedIn = (...stages: string[]) =>
  Object.fromEntries(stages.map(s => [s, { verifiedAt: iso(NOW - hour) }]));

describe('freightAvailability (Kargo Stage.IsFreightAvailable)', () => {
  it('takes direct freight and freight approved for the stage', () => {
    expect(freightAvailability(stage({ direct: true }), freight())).toEqual({
      availableFrom: -Infinity,
      blockers: [],
    });
    const approved = freight({ approvedFor: { prod: {} } });
    expect(
      isAvailable(
        freightAvailability(stage({ stages: ['uat'] }), approved),
        NOW,
      ),
    ).toBe(true);
  });

  it('refuses freight of an origin the stage does not request, and a stage without steps', () => {
    expect(
      freightAvailability(stage({ direct: true }), freight({}, 'checkout')),
    ).toEqual({
      blockers: [{ code: 'NotRequested', origin: 'Warehouse/checkout' }],
    });
    const approved = freight({ approvedFor: { prod: {} } });
    expect(
      freightAvailability(stage({ direct: true }, false), approved),
    ).toEqual({ blockers: [{ code: 'ControlFlow' }] });
  });

  it('OneOf: verified in any upstream stage; otherwise names the stages', () => {
    const s = stage({ stages: ['uat', 'qa'] });
    expect(freightAvailability(s, freight())).toEqual({
      blockers: [{ code: 'NotVerified', stages: ['uat', 'qa'] }],
    });
    const a = freightAvailability(s, freight({ verifiedIn: verifiedIn('qa') }));
    expect(isAvailable(a, NOW)).toBe(true);
    expect(a.blockers).toEqual([]);
  });

  it('All: verified in every upstream stage, naming the missing ones', () => {
    const s = stage({ stages: ['uat', 'qa'], availabilityStrategy: 'All' });
    expect(
      freightAvailability(s, freight({ verifiedIn: verifiedIn('qa') })),
    ).toEqual({ blockers: [{ code: 'NotVerified', stages: ['uat'] }] });
    expect(
      isAvailable(
        freightAvailability(
          s,
          freight({ verifiedIn: verifiedIn('uat', 'qa') }),
        ),
        NOW,
      ),
    ).toBe(true);
  });

  it('soak: available from the end of the current stay, or at once after a long enough soak', () => {
    const s = stage({ stages: ['uat'], requiredSoakTime: '1h' });
    const since = NOW - 20 * 60_000;
    const soaking = freight({
      verifiedIn: verifiedIn('uat'),
      currentlyIn: { uat: { since: iso(since) } },
    });
    const a = freightAvailability(s, soaking);
    expect(a).toEqual({
      availableFrom: since + hour,
      blockers: [
        {
          code: 'NotSoaked',
          stage: 'uat',
          requiredSoakTime: '1h',
          until: iso(since + hour),
        },
      ],
    });
    expect(isAvailable(a, NOW)).toBe(false);
    expect(isAvailable(a, since + hour)).toBe(true);

    // Left uat after 20 minutes: nothing but another stay there makes it available.
    const left = freight({
      verifiedIn: { uat: { verifiedAt: iso(since), longestSoak: '20m0s' } },
    });
    expect(freightAvailability(s, left)).toEqual({
      availableFrom: undefined,
      blockers: [{ code: 'NotSoaked', stage: 'uat', requiredSoakTime: '1h' }],
    });
    const soaked = freight({
      verifiedIn: { uat: { verifiedAt: iso(since), longestSoak: '1h0m0s' } },
    });
    expect(freightAvailability(s, soaked).availableFrom).toBe(-Infinity);
  });

  it('soak with OneOf takes the earliest upstream stage, with All the latest', () => {
    const status = {
      verifiedIn: verifiedIn('uat', 'qa'),
      currentlyIn: {
        uat: { since: iso(NOW - 50 * 60_000) },
        qa: { since: iso(NOW - 10 * 60_000) },
      },
    };
    const oneOf = stage({ stages: ['uat', 'qa'], requiredSoakTime: '1h' });
    expect(freightAvailability(oneOf, freight(status)).availableFrom).toBe(
      NOW + 10 * 60_000,
    );
    const all = stage({
      stages: ['uat', 'qa'],
      requiredSoakTime: '1h',
      availabilityStrategy: 'All',
    });
    expect(freightAvailability(all, freight(status)).availableFrom).toBe(
      NOW + 50 * 60_000,
    );
  });

  it('with several requests of the origin, any one suffices, and the first All one decides', () => {
    const verifiedInQa = freight({ verifiedIn: verifiedIn('qa') });
    expect(
      isAvailable(
        freightAvailability(
          stage([{ stages: ['uat'] }, { stages: ['qa'] }]),
          verifiedInQa,
        ),
        NOW,
      ),
    ).toBe(true);
    expect(
      isAvailable(
        freightAvailability(
          stage([
            { stages: ['uat'], availabilityStrategy: 'All' },
            { stages: ['qa'] },
          ]),
          verifiedInQa,
        ),
        NOW,
      ),
    ).toBe(false);
  });
});
