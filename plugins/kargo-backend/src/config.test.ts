import { ConfigReader } from '@backstage/config';
import { readKargoBackendConfig } from './config';

const read = (kargo?: object) =>
  readKargoBackendConfig(new ConfigReader(kargo ? { kargo } : {}));

describe('readKargoBackendConfig', () => {
  it('has defaults for everything, with or without a kargo section', () => {
    const defaults = {
      leaseMs: 10_000,
      pollIntervalMs: 30_000,
      groupsClaim: 'groups',
      productionStages: [],
      approvalPolicies: [],
    };
    expect(read()).toEqual(defaults);
    expect(
      read({ instances: [{ name: 'main', baseUrl: 'https://kargo' }] }),
    ).toEqual(defaults);
  });

  it('reads the settings, seconds as milliseconds', () => {
    expect(
      read({
        watch: { leaseSeconds: 3, pollSeconds: 60 },
        groupsClaim: 'roles',
      }),
    ).toEqual({
      leaseMs: 3_000,
      pollIntervalMs: 60_000,
      groupsClaim: 'roles',
      productionStages: [],
      approvalPolicies: [],
    });
    const policy = { project: 'p', name: 'n', approvals: 1, groups: ['g'] };
    expect(
      read({
        notifications: { productionStages: ['prod'] },
        approvals: { policies: [policy] },
      }),
    ).toMatchObject({ productionStages: ['prod'], approvalPolicies: [policy] });
  });

  it('takes each setting on its own, the rest defaulted', () => {
    expect(read({ watch: { pollSeconds: 2.5 } })).toMatchObject({
      leaseMs: 10_000,
      pollIntervalMs: 2_500,
      groupsClaim: 'groups',
    });
    expect(read({ watch: { leaseSeconds: 1.5 } }).leaseMs).toBe(1_500);
  });

  it('takes a lease of exactly 1 second', () => {
    expect(read({ watch: { leaseSeconds: 1 } }).leaseMs).toBe(1_000);
  });

  it('refuses a poll interval of 0 or less (0 would poll without pause)', () => {
    expect(() => read({ watch: { pollSeconds: -1 } })).toThrow(
      'kargo.watch.pollSeconds must be more than 0, got -1',
    );
    expect(read({ watch: { pollSeconds: 0.05 } }).pollIntervalMs).toBe(50);
  });

  it('refuses a lease under 1 second, naming the key and the value', () => {
    for (const leaseSeconds of [0.5, 0, -10]) {
      expect(() => read({ watch: { leaseSeconds } })).toThrow(
        new Error(
          `kargo.watch.leaseSeconds must be at least 1, got ${leaseSeconds}`,
        ),
      );
    }
  });

  it('refuses a setting of the wrong type, naming the key', () => {
    expect(() => read({ watch: { leaseSeconds: 'ten' } })).toThrow(
      /kargo\.watch\.leaseSeconds/,
    );
    expect(() => read({ groupsClaim: 7 })).toThrow(/kargo\.groupsClaim/);
  });
});
