import { mockServices } from '@backstage/backend-test-utils';
import {
  DEFAULT_TOKENS,
  ManualClock,
  RunningKargoSimulator,
  startKargoSimulator,
  StartKargoSimulatorOptions,
} from '@kargo-backstage/kargo-simulator';
import { KargoClient } from '../KargoClient';
import { KargoInstanceConfig } from '../KargoInstanceConfig';

/** The simulator's admin token (the first of its default tokens). */
export const ADMIN = DEFAULT_TOKENS[0].token;

/** The simulator on a manual clock, keeping watches alive every 100 ms. */
export const startSimulator = (options: StartKargoSimulatorOptions = {}) =>
  startKargoSimulator({
    clock: new ManualClock(),
    keepaliveMs: 100,
    ...options,
  });

/**
 * A client of `kargo` as the instance `sim` with the admin token: it waits 2 s for an answer
 * and 10 ms between tries.
 */
export const clientOf = (
  kargo: RunningKargoSimulator,
  overrides: Partial<KargoInstanceConfig> = {},
) =>
  new KargoClient(
    {
      name: 'sim',
      url: kargo.url,
      token: ADMIN,
      timeoutMs: 2000,
      ...overrides,
    },
    { logger: mockServices.logger.mock(), retryDelayMs: 10 },
  );
