import { randomUUID } from 'node:crypto';
import type { KargoSimulator } from '../KargoSimulator';

/** The event actor of what Kargo's controller does (FormatEventControllerActor). */
export const CONTROLLER_ACTOR = 'controller:kargo-controller';

/** A Kubernetes Event about a Kargo object, as `GET .../events` lists them. */
export function recordEvent(
  sim: KargoSimulator,
  project: string,
  kind: string,
  name: string,
  reason: string,
  message: string,
  extras: { actor?: string; component?: string } = {},
) {
  const now = sim.clock.isoNow();
  sim.events.push({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `${name}.${randomUUID().slice(0, 8)}`,
      namespace: project,
      creationTimestamp: now,
      ...(extras.actor
        ? { annotations: { 'event.kargo.akuity.io/actor': extras.actor } }
        : {}),
    },
    involvedObject: {
      apiVersion: 'kargo.akuity.io/v1alpha1',
      kind,
      name,
      namespace: project,
    },
    reason,
    message,
    type: /(Failed|Errored)$/.test(reason) ? 'Warning' : 'Normal',
    source: { component: extras.component ?? 'kargo-controller' },
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
  });
  if (sim.events.length > 5000) sim.events.splice(0, sim.events.length - 5000);
}
