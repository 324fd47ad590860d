import { mockServices } from '@backstage/backend-test-utils';
import type { Freight } from '@kargo-backstage/plugin-kargo-common';
import { KargoClient } from '@kargo-backstage/plugin-kargo-node';
import { ProjectSignals } from '../ProjectSignals';
import { ProjectStates } from '../state/ProjectStates';
import { ProjectSnapshot } from '../views/buildProjectView';
import { FreightEnrichment } from './FreightEnrichment';
import { ProjectEnrichment } from './ProjectEnrichment';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every promise chain that can settle, settle. */
const settle = () => new Promise(resolve => setImmediate(resolve));

const clientOf = (name: string) =>
  ({ instance: { name } } as unknown as KargoClient);

const freightOf = (project: string): Freight[] => [
  { metadata: { name: `${project}-f1`, namespace: project } } as Freight,
];

const snapshotOf = (project: string): ProjectSnapshot => ({
  resourceVersions: {},
  stages: [],
  warehouses: [],
  freight: freightOf(project),
  promotions: [],
  fetchedAt: '2026-11-02T12:00:00Z',
});

/**
 * Fakes whose every read and enrichment waits until the test settles it: `reads[i]` is the
 * i-th snapshot read, `enrichments[i]` the i-th enrichment.
 */
function setup() {
  const reads: Array<{
    client: KargoClient;
    project: string;
    done: Deferred<ProjectSnapshot>;
  }> = [];
  const enrichments: Array<{
    ref: { instance: string; project: string };
    freight: Freight[];
    known: Freight[];
    done: Deferred<number>;
  }> = [];
  const states = {
    get: jest.fn((client: KargoClient, project: string) => {
      const done = deferred<ProjectSnapshot>();
      reads.push({ client, project, done });
      return done.promise;
    }),
  };
  const enrichment = {
    enrich: jest.fn(
      (
        ref: { instance: string; project: string },
        freight: Freight[],
        known: Freight[],
      ) => {
        const done = deferred<number>();
        enrichments.push({ ref, freight, known, done });
        return done.promise;
      },
    ),
  };
  const signals = { publish: jest.fn(async () => {}) };
  const portalData = { changed: jest.fn(async () => {}) };
  const logger = mockServices.logger.mock();
  const projectEnrichment = new ProjectEnrichment({
    enrichment: enrichment as unknown as FreightEnrichment,
    states: states as unknown as ProjectStates,
    signals: signals as unknown as ProjectSignals,
    portalData,
    logger,
  });

  /** Finishes the run of the `index`-th read: the read answers, its enrichment stores `stored`. */
  async function finishRun(index: number, stored: number) {
    const before = enrichments.length;
    reads[index].done.resolve(snapshotOf(reads[index].project));
    await settle();
    expect(enrichments).toHaveLength(before + 1);
    enrichments[before].done.resolve(stored);
    await settle();
  }

  return {
    projectEnrichment,
    reads,
    enrichments,
    signals,
    portalData,
    logger,
    finishRun,
  };
}

describe('ProjectEnrichment', () => {
  const main = clientOf('main');

  it("reads the project's freight with the client and enriches all of it", async () => {
    const { projectEnrichment, reads, enrichments, finishRun } = setup();
    projectEnrichment.enrich(main, 'shop');
    expect(reads).toHaveLength(1);
    expect(reads[0].client).toBe(main);
    expect(reads[0].project).toBe('shop');
    await finishRun(0, 0);
    expect(enrichments).toHaveLength(1);
    expect(enrichments[0].ref).toEqual({ instance: 'main', project: 'shop' });
    expect(enrichments[0].freight).toEqual(freightOf('shop'));
    expect(enrichments[0].known).toEqual(freightOf('shop'));
  });

  it('tells views (once per run) and signals open pages only when something was stored', async () => {
    const { projectEnrichment, signals, portalData, finishRun } = setup();
    projectEnrichment.enrich(main, 'shop');
    await finishRun(0, 0);
    expect(signals.publish).not.toHaveBeenCalled();
    expect(portalData.changed).not.toHaveBeenCalled();

    projectEnrichment.enrich(main, 'shop');
    await finishRun(1, 2);
    expect(portalData.changed).toHaveBeenCalledTimes(1);
    expect(portalData.changed).toHaveBeenCalledWith({
      instance: 'main',
      project: 'shop',
    });
    expect(signals.publish).toHaveBeenCalledTimes(1);
    expect(signals.publish).toHaveBeenCalledWith({
      instance: 'main',
      project: 'shop',
      kind: 'FreightMetadata',
    });
  });

  it('runs once per project at a time, and at most once more however many calls came', async () => {
    const { projectEnrichment, reads, finishRun } = setup();
    projectEnrichment.enrich(main, 'shop');
    for (let i = 0; i < 5; i++) projectEnrichment.enrich(main, 'shop');
    await settle();
    expect(reads).toHaveLength(1);

    await finishRun(0, 0);
    expect(reads).toHaveLength(2);
    projectEnrichment.enrich(main, 'shop');
    await settle();
    // A call during the second run: one more after it, no sooner.
    expect(reads).toHaveLength(2);

    await finishRun(1, 0);
    expect(reads).toHaveLength(3);
    await finishRun(2, 0);
    await settle();
    expect(reads).toHaveLength(3);

    // Idle again: the next call runs at once.
    projectEnrichment.enrich(main, 'shop');
    expect(reads).toHaveLength(4);
  });

  it('runs no second time when nothing was asked during the run', async () => {
    const { projectEnrichment, reads, finishRun } = setup();
    projectEnrichment.enrich(main, 'shop');
    await finishRun(0, 1);
    await settle();
    expect(reads).toHaveLength(1);
  });

  it('keeps projects apart, and the same project on two instances too', async () => {
    const { projectEnrichment, reads, finishRun } = setup();
    projectEnrichment.enrich(main, 'shop');
    projectEnrichment.enrich(main, 'blog');
    projectEnrichment.enrich(clientOf('other'), 'shop');
    expect(reads.map(r => [r.client.instance.name, r.project])).toEqual([
      ['main', 'shop'],
      ['main', 'blog'],
      ['other', 'shop'],
    ]);

    // Asked again for main/blog only: only it runs again.
    projectEnrichment.enrich(main, 'blog');
    await finishRun(0, 0);
    await finishRun(1, 0);
    await finishRun(2, 0);
    expect(reads.map(r => [r.client.instance.name, r.project])).toEqual([
      ['main', 'shop'],
      ['main', 'blog'],
      ['other', 'shop'],
      ['main', 'blog'],
    ]);
  });

  it('logs a failed read and carries on: the run asked for meanwhile still comes, and later calls run', async () => {
    const {
      projectEnrichment,
      reads,
      enrichments,
      signals,
      logger,
      finishRun,
    } = setup();
    expect(() => projectEnrichment.enrich(main, 'shop')).not.toThrow();
    projectEnrichment.enrich(main, 'shop');
    reads[0].done.reject(new Error('Kargo unreachable'));
    await settle();

    expect(logger.warn).toHaveBeenCalledWith(
      'Kargo freight enrichment of shop failed: Error: Kargo unreachable',
    );
    expect(enrichments).toHaveLength(0);
    expect(signals.publish).not.toHaveBeenCalled();
    expect(reads).toHaveLength(2);

    await finishRun(1, 1);
    expect(signals.publish).toHaveBeenCalledTimes(1);
    projectEnrichment.enrich(main, 'shop');
    expect(reads).toHaveLength(3);
  });

  it('logs a failed enrichment without signalling, and runs again when asked', async () => {
    const { projectEnrichment, reads, enrichments, signals, logger } = setup();
    projectEnrichment.enrich(main, 'shop');
    reads[0].done.resolve(snapshotOf('shop'));
    await settle();
    enrichments[0].done.reject(new Error('store down'));
    await settle();

    expect(logger.warn).toHaveBeenCalledWith(
      'Kargo freight enrichment of shop failed: Error: store down',
    );
    expect(signals.publish).not.toHaveBeenCalled();
    projectEnrichment.enrich(main, 'shop');
    expect(reads).toHaveLength(2);
  });

  it('runs later once however often asked meanwhile, and starts nothing after stop', async () => {
    jest.useFakeTimers();
    try {
      const { projectEnrichment, reads } = setup();
      projectEnrichment.later(main, 'shop', 1000);
      projectEnrichment.later(main, 'shop', 500);
      jest.advanceTimersByTime(999);
      expect(reads).toHaveLength(0);
      jest.advanceTimersByTime(1);
      expect(reads).toHaveLength(1);

      projectEnrichment.later(main, 'cart', 1000);
      projectEnrichment.stop();
      jest.advanceTimersByTime(5000);
      projectEnrichment.enrich(main, 'cart');
      expect(reads).toHaveLength(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
