import { describeFreightBlockers } from './availability';

describe('describeFreightBlockers', () => {
  it('says what holds freight back upstream, and that it is not approved either', () => {
    expect(
      describeFreightBlockers(
        'prod',
        [
          { code: 'NotVerified', stages: ['qa', 'uat'] },
          {
            code: 'NotSoaked',
            stage: 'dev',
            requiredSoakTime: '1h',
            until: '2026-11-02T12:40:00.000Z',
          },
          { code: 'NotSoaked', stage: 'test', requiredSoakTime: '1h' },
        ],
        iso => `<${iso}>`,
      ),
    ).toBe(
      'not verified in any of the upstream Stages "qa", "uat"; ' +
        'soak time (1h) in upstream Stage "dev" remaining until <2026-11-02T12:40:00.000Z>; ' +
        'not soaked 1h in upstream Stage "test" (it has left that Stage); ' +
        'and not approved for Stage "prod"',
    );
  });

  it('says what the stage refuses, with nothing about approval', () => {
    expect(describeFreightBlockers('merge', [{ code: 'ControlFlow' }])).toBe(
      'Stage "merge" has no promotion steps; freight passes through it from upstream',
    );
    expect(
      describeFreightBlockers('prod', [
        { code: 'NotRequested', origin: 'Warehouse/checkout' },
      ]),
    ).toBe('Stage "prod" does not request freight from Warehouse/checkout');
  });
});
