import {
  KargoSimulator,
  ManualClock,
  RunningKargoSimulator,
  startKargoSimulator,
  StartKargoSimulatorOptions,
} from '@kargo-backstage/kargo-simulator';
import type { Freight } from '@kargo-backstage/plugin-kargo-common';

/**
 * The simulator with its demo projects on a manual clock (nothing moves unless a test ticks it),
 * and keepalives rare enough not to show up in a test.
 *
 * @public
 */
export function startTestKargo(
  options: StartKargoSimulatorOptions = {},
): Promise<RunningKargoSimulator> {
  return startKargoSimulator({
    clock: new ManualClock(),
    keepaliveMs: 60_000,
    ...options,
  });
}

/** The name of the project's newest freight. @public */
export function newestFreight(sim: KargoSimulator, project = 'kargo-demo') {
  return sim.store
    .list<Freight>('Freight', project)
    .sort((a, b) =>
      b.metadata!.creationTimestamp!.localeCompare(
        a.metadata!.creationTimestamp!,
      ),
    )[0];
}
