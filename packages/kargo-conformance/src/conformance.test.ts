/*
 * One suite, two targets: every suite under ./suites runs against the simulator and against a
 * real Kargo (v1.11.2) built and started on this machine. A target that cannot start here is
 * skipped with the reason.
 */
import { Conformance } from './harness';
import { TARGETS } from './targets';
import { SUITES } from './suites';

jest.setTimeout(120_000);

for (const factory of TARGETS) {
  const reason = factory.unavailable();
  if (reason) {
    describe.skip(`conformance against ${factory.name} (skipped: ${reason})`, () => {
      it('is skipped', () => {});
    });
    // eslint-disable-next-line no-console
    console.warn(`Conformance against ${factory.name} SKIPPED: ${reason}`);
    continue;
  }
  describe(`conformance against ${factory.name}`, () => {
    let conformance: Conformance | undefined;
    beforeAll(async () => {
      conformance = new Conformance(await factory.start());
    }, 600_000);
    afterAll(async () => {
      await conformance?.target.stop();
    });
    for (const suite of SUITES) {
      describe(suite.title, () => suite.define(() => conformance!));
    }
  });
}
