/*
 * Backend benchmarks: the Kargo backend plugin (real code, test services around it) against the
 * simulator with the large fixture (50 stages, 5 warehouses, 2 000 freight) and an added
 * upstream latency, so ratios say what the plugin adds to what Kargo costs.
 *
 * Run with `yarn bench`; results go to bench/RESULTS.md.
 */
import knexFactory from 'knex';
import { owned } from '../packages/backend/src/__testUtils__/portalFixtures';
import { DatabaseKargoStore } from '../plugins/kargo-backend/src/database';
import { kargoReads, startBenchBackend } from './benchBackend';
import { median, p95, time } from './measure';
import { SimulatorProcess, startSimulatorProcess } from './simulatorProcess';

/** Upstream latency added by the simulator to every Kargo call: a Kargo one network hop away. */
export const UPSTREAM_LATENCY_MS = 20;

export interface Measurement {
  name: string;
  value: string;
  target: string;
  met: boolean;
  note?: string;
}

const backend = (kargo: SimulatorProcess) =>
  startBenchBackend(kargo, [
    owned('large', 'large', 'guests'),
    owned('guestbook', 'kargo-demo', 'guests'),
  ]);

export async function runBackendBench(): Promise<Measurement[]> {
  const results: Measurement[] = [];
  // Kargo stands still (no controller ticks): nothing changes a warm view meanwhile.
  const kargo = await startSimulatorProcess({
    fixtures: ['kargo-demo', 'large'],
    tickMs: 0,
  });
  await kargo.setFaults({ latencyMs: UPSTREAM_LATENCY_MS });
  const client = kargo.client();

  const reps = 30;
  // First views, each on a fresh backend: what one view costs in Kargo reads.
  for (const [entity, stages] of [
    ['guestbook', 3],
    ['large', 50],
  ] as const) {
    const fresh = await backend(kargo);
    await kargo.clearRequests();
    await fresh.get(entity);
    const calls = (await kargoReads(kargo)).length;
    await fresh.stop();
    results.push({
      name: `Kargo calls per view, ${stages} stages`,
      value: String(calls),
      target: '≤ 4, constant',
      met: calls <= 4,
    });
  }

  const warm = await backend(kargo);
  await warm.get('large');

  // 200 concurrent viewers of one cold project.
  const crowd = await backend(kargo);
  await kargo.clearRequests();
  await Promise.all(Array.from({ length: 200 }, () => crowd.get('large')));
  const perList = (await kargoReads(kargo)).length / 4;
  results.push({
    name: '200 concurrent viewers of a project nobody viewed yet: upstream calls per list',
    value: perList.toString(),
    target: '1',
    met: perList === 1,
  });

  // Promote: through the backend (checks, gates, audit) vs straight to Kargo.
  const demoFreight = await client.queryFreight('kargo-demo');
  const freight = Object.values(demoFreight.groups ?? {})
    .flatMap(g => g.items ?? [])
    .find(f => f.status?.currentlyIn?.test)!.metadata!.name!;
  const direct: number[] = [];
  const through: number[] = [];
  for (let i = 0; i < reps; i++) {
    direct.push(
      await time(() => client.promoteToStage('kargo-demo', 'uat', { freight })),
    );
    await warm.get('guestbook'); // keep the snapshot warm, as an open tab does
    through.push(
      await time(async () => {
        const res = await fetch(
          `${warm.base}/instances/sim/projects/kargo-demo/stages/uat/promotions`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ freight }),
          },
        );
        if (res.status !== 201) throw new Error(`promote ${res.status}`);
      }),
    );
  }
  const overhead = median(through) - median(direct);
  results.push({
    name: 'Promote: backend overhead over calling Kargo directly (p50)',
    value: `${overhead.toFixed(1)} ms (${median(through).toFixed(
      1,
    )} vs ${median(direct).toFixed(1)} ms)`,
    target: '≤ 15 ms',
    met: overhead <= 15,
  });

  await kargo.stop();
  return results;
}

/** Bulk read of 1 000 freight's metadata on PostgreSQL, if it answers. */
export async function runStoreBench(): Promise<Measurement[]> {
  const admin = knexFactory({
    client: 'pg',
    connection: 'postgresql://postgres@127.0.0.1:5432/postgres',
  });
  const name = `kargo_bench_${Date.now()}`;
  try {
    await admin.raw(`create database ${name}`);
  } catch (error) {
    await admin.destroy();
    return [
      {
        name: 'Metadata bulk read, 1 000 freight, PostgreSQL',
        value: 'not measured',
        target: '< 20 ms',
        met: false,
        note: `PostgreSQL not reachable: ${(error as Error).message}`,
      },
    ];
  }
  const db = knexFactory({
    client: 'pg',
    connection: `postgresql://postgres@127.0.0.1:5432/${name}`,
  });
  try {
    const store = await DatabaseKargoStore.create({
      database: { getClient: async () => db } as any,
    });
    const ref = { instance: 'sim', project: 'large' };
    const names = Array.from({ length: 1000 }, (_, i) => `freight-${i}`);
    for (const f of names.slice(0, 500)) {
      await store.putFreightMetadata(
        ref,
        f,
        { version: 0, notes: 'n', labels: { risk: 'low' } },
        'user:default/bench',
        new Date().toISOString(),
      );
      await store.putEnrichment(ref, f, 'changelog', { notes: '- x' }, 'now');
    }
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      times.push(await time(() => store.getFreightMetadata(ref, names)));
    }
    return [
      {
        name: 'Metadata bulk read, 1 000 freight (500 with metadata and an enrichment), PostgreSQL, p50 / p95',
        value: `${median(times).toFixed(1)} / ${p95(times).toFixed(1)} ms`,
        target: '< 20 ms',
        met: median(times) < 20,
      },
    ];
  } finally {
    await db.destroy();
    await admin.raw(`drop database ${name}`);
    await admin.destroy();
  }
}
