import type {
  KargoSimulator,
  RunningKargoSimulator,
  StartKargoSimulatorOptions,
} from '@kargo-backstage/kargo-simulator';
import { Server } from 'node:http';
import { startTestKargo } from './kargoSimulator';
import { AuditRecord, startKargoBackend } from './testBackend';

/**
 * What {@link kargoForEachTest} gives each test: read its parts inside the tests, they are
 * new for every test.
 *
 * @public
 */
export interface KargoForEachTest {
  /** The simulator's server (startTestKargo). */
  kargo: RunningKargoSimulator;
  /** The simulator itself: `kargo.simulator`. */
  sim: KargoSimulator;
  /** The audit records of the test's backends, empty when the test starts. */
  audit: AuditRecord[];
  /** The plugin against this test's simulator, auditing into `audit` (startKargoBackend). */
  backend(
    options?: Omit<Parameters<typeof startKargoBackend>[0], 'kargo'>,
  ): Promise<Server>;
}

/**
 * A simulator for each test of the file: started (startTestKargo) before each test and closed
 * after it, with a fresh audit array. Call it at the top of a test file (it registers
 * `beforeEach` and `afterEach`) and read `kargo`, `sim` and `audit` of the handle in the tests.
 *
 * @public
 */
export function kargoForEachTest(
  options?: StartKargoSimulatorOptions,
): KargoForEachTest {
  const test = {
    backend: backendOptions =>
      startKargoBackend({
        audit: test.audit,
        ...backendOptions,
        kargo: test.kargo,
      }),
  } as KargoForEachTest;
  beforeEach(async () => {
    const kargo = await startTestKargo(options);
    Object.assign(test, { kargo, sim: kargo.simulator, audit: [] });
  });
  afterEach(() => test.kargo.close());
  return test;
}
