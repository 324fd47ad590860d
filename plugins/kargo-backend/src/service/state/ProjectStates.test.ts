import { mockServices } from '@backstage/backend-test-utils';
import { DefaultEventsService } from '@backstage/plugin-events-node';
import type { RunningKargoSimulator } from '@kargo-backstage/kargo-simulator';
import type { Stage } from '@kargo-backstage/plugin-kargo-common';
import { KargoClient } from '@kargo-backstage/plugin-kargo-node';
import { simulatorInstances, startTestKargo } from '../../testUtils';
import { ProjectChange } from './ProjectState';
import {
  PROJECT_CHANGES_TOPIC,
  ProjectChanges,
  ProjectStates,
} from './ProjectStates';

const logger = mockServices.logger.mock();
const ref = { instance: 'sim', project: 'kargo-demo' };
const LIVE_MS = 1_000;

let kargo: RunningKargoSimulator;
let client: KargoClient;

beforeAll(async () => {
  kargo = await startTestKargo();
  client = simulatorInstances(kargo).get('sim');
});
afterAll(() => kargo.close());
beforeEach(() => {
  kargo.requestLog.length = 0;
  kargo.faults.latencyMs = 0;
});

const reads = () => kargo.requestLog.filter(r => r.startsWith('GET ')).length;

/** A replica's states on a bus shared with a fake watching replica, on a clock of its own. */
async function replica() {
  const events = DefaultEventsService.create({ logger });
  let now = 1_000_000;
  const states = new ProjectStates({
    logger,
    events,
    replicaId: 'here',
    liveMs: LIVE_MS,
    now: () => now,
  });
  await states.subscribe();
  const fromHolder = (message: Partial<ProjectChanges>) =>
    events.publish({
      topic: PROJECT_CHANGES_TOPIC,
      eventPayload: {
        ...ref,
        from: 'holder',
        epoch: 'e1',
        seq: 0,
        healthy: true,
        changes: [],
        ...message,
      },
    });
  return {
    states,
    fromHolder,
    later: (ms: number) => {
      now += ms;
    },
  };
}

/** A change of the test stage's description, as the holder's watch would see it. */
const describedTest = (
  description: string,
  resourceVersion = '999999',
): ProjectChange => ({
  list: 'stages',
  type: 'MODIFIED',
  object: {
    apiVersion: 'kargo.akuity.io/v1alpha1',
    kind: 'Stage',
    metadata: {
      name: 'test',
      namespace: 'kargo-demo',
      resourceVersion,
      annotations: { 'kargo.akuity.io/description': description },
    },
    spec: {},
  } as Stage,
});

const description = async (states: ProjectStates) =>
  (await states.get(client, 'kargo-demo')).stages.find(
    s => s.metadata?.name === 'test',
  )?.metadata?.annotations?.['kargo.akuity.io/description'];

describe('ProjectStates', () => {
  it('lists a project with four calls, shared by concurrent views', async () => {
    const { states } = await replica();
    const all = await Promise.all(
      Array.from({ length: 20 }, () => states.get(client, 'kargo-demo')),
    );
    expect(reads()).toBe(4);
    expect(new Set(all).size).toBe(1);
    expect(all[0].stages.map(s => s.metadata?.name).sort()).toEqual([
      'prod',
      'test',
      'uat',
    ]);
    await states.get(client, 'kargo-demo');
    expect(reads()).toBe(4);
  });

  it('takes in the watching replica’s batches in order, with no Kargo read', async () => {
    const { states, fromHolder } = await replica();
    await states.get(client, 'kargo-demo');
    await fromHolder({ seq: 1, changes: [describedTest('one')] });
    await fromHolder({ seq: 2, changes: [describedTest('two', '1000000')] });
    await fromHolder({ seq: 2 }); // a heartbeat
    expect(await description(states)).toBe('two');
    expect(reads()).toBe(4);
  });

  it('lists again after a missed batch, another watch, or a watch that lost Kargo', async () => {
    const { states, fromHolder } = await replica();
    const kargos = await description(states);
    await fromHolder({ seq: 1, changes: [describedTest('one')] });
    await fromHolder({ seq: 3, changes: [describedTest('three')] }); // 2 went missing
    expect(await description(states)).toBe(kargos); // listed again
    expect(reads()).toBe(8);

    await fromHolder({ epoch: 'e1', seq: 4 });
    await fromHolder({ epoch: 'e2', seq: 1, changes: [describedTest('new')] });
    await states.get(client, 'kargo-demo');
    expect(reads()).toBe(12);

    await fromHolder({ epoch: 'e3', seq: 0, healthy: false });
    await states.get(client, 'kargo-demo');
    expect(reads()).toBe(16);
  });

  it('lists again when no watch vouched for the copy within liveMs, not before', async () => {
    const { states, fromHolder, later } = await replica();
    await states.get(client, 'kargo-demo');
    later(LIVE_MS - 10);
    await fromHolder({ seq: 0 }); // a heartbeat: trusted on
    later(LIVE_MS - 10);
    await states.get(client, 'kargo-demo');
    expect(reads()).toBe(4);
    later(20);
    await states.get(client, 'kargo-demo');
    expect(reads()).toBe(8);
  });

  it('forgets copies no watch vouches for any more when another project is viewed', async () => {
    const { states, fromHolder, later } = await replica();
    await states.get(client, 'kargo-demo');
    later(LIVE_MS + 1);
    // The stale copy is gone: a batch for it finds nothing to apply to.
    await states.get(client, 'kargo-simple').catch(() => undefined);
    await fromHolder({ seq: 1, changes: [describedTest('late')] });
    kargo.requestLog.length = 0;
    expect(await description(states)).not.toBe('late');
    expect(reads()).toBe(4);
  });

  it('applies a batch that arrived while the project was being listed', async () => {
    const { states, fromHolder } = await replica();
    kargo.faults.latencyMs = 100;
    const listing = states.get(client, 'kargo-demo');
    await new Promise(r => setTimeout(r, 20));
    await fromHolder({ seq: 5, changes: [describedTest('meanwhile')] });
    await listing;
    kargo.faults.latencyMs = 0;
    expect(await description(states)).toBe('meanwhile');
    expect(reads()).toBe(4);
  });

  it('after a change by the portal, lists again only a copy no watch vouches for', async () => {
    const { states, fromHolder } = await replica();
    await states.get(client, 'kargo-demo');
    states.changedByPortal(ref);
    await states.get(client, 'kargo-demo');
    expect(reads()).toBe(8);

    await fromHolder({ seq: 0 });
    states.changedByPortal(ref);
    await states.get(client, 'kargo-demo');
    expect(reads()).toBe(8);
  });

  it('ignores its own batches coming back over the bus', async () => {
    const { states } = await replica();
    await states.get(client, 'kargo-demo');
    // This replica watches: it applied the change itself already, and passes it on.
    states.applyWatched(ref, describedTest('mine'));
    await states.publish(ref, { epoch: 'mine', seq: 1, healthy: true }, [
      describedTest('not again', '1'),
    ]);
    expect(await description(states)).toBe('mine');
  });

  it('ignores a malformed message on its topic, and keeps its copy', async () => {
    const { states, fromHolder } = await replica();
    const kargos = await description(states);
    await fromHolder({ seq: 1, changes: 'not a list' as never });
    await fromHolder({ seq: 'one' as never, changes: [describedTest('x')] });
    await fromHolder({ seq: 1, changes: [null as never] });
    expect(await description(states)).toBe(kargos);
    expect(reads()).toBe(4);
  });
});
