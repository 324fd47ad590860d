/*
 * One suite, two targets: every suite under ./suites runs against the simulator and against a
 * real Kargo (v1.11.2) built and started on this machine. A target that cannot start here is
 * skipped with the reason.
 */
import { Conformance } from './harness';
import { TARGETS, TargetFactory } from './targets';
import { SUITES } from './suites';

jest.setTimeout(120_000);

function defineTarget(factory: TargetFactory) {
  const reason = factory.unavailable();
  if (reason) {
    describe(`conformance against ${factory.name}`, () => {
      // Shown as skipped, with the reason, in Jest's report and CI's summary.
      // eslint-disable-next-line jest/no-disabled-tests, jest/expect-expect
      it.skip(`skipped: ${reason}`, () => {});
    });
    // eslint-disable-next-line no-console
    console.warn(`Conformance against ${factory.name} SKIPPED: ${reason}`);
    return;
  }
  describe(`conformance against ${factory.name}`, () => {
    let conformance: Conformance | undefined;
    beforeAll(async () => {
      conformance = new Conformance(await factory.start());
    }, 600_000);
    afterAll(async () => {
      await conformance?.target.stop();
    });
    SUITES.forEach(suite =>
      // eslint-disable-next-line jest/valid-title -- suites name themselves
      describe(suite.title, () => {
        suite.define(() => conformance!);
      }),
    );
  });
}

TARGETS.forEach(defineTarget);
