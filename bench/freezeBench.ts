/*
 * Freeze windows under hostile input: the event loop while promotion windows are evaluated,
 * with windows stored as if written straight into Kargo (no input checks: FREQ=SECONDLY and
 * MINUTELY, rules rrule.js never finishes, a catastrophically backtracking `regex:` selector),
 * against benign windows measured in the same run.
 *
 * Run alone with `node --require @backstage/cli/config/nodeTransform.cjs bench/freezeBench.ts`
 * (writes its section of bench/RESULTS.md); `yarn bench` runs it with the others.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { PromotionWindowView } from '@kargo-backstage/plugin-kargo-common';
import { KargoInstances } from '@kargo-backstage/plugin-kargo-node';
import knexFactory from 'knex';
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { DatabaseKargoStore } from '../plugins/kargo-backend/src/database';
import { AutoPromotionFreezer } from '../plugins/kargo-backend/src/service/freeze/AutoPromotionFreezer';
import {
  clearPromotionScheduleCaches,
  evaluatePromotionSchedule,
  MAX_OCCURRENCES_PER_WINDOW,
} from '../plugins/kargo-backend/src/service/freeze/promotionSchedule';
import type { Measurement } from './backendBench';
import { startSimulatorProcess } from './simulatorProcess';

/** Event-loop delay the backend may show while windows are evaluated. */
export const FREEZE_DELAY_TARGET_MS = 50;

const STAGES = 200;
const VIEWS = 40;
const FREEZER_RUNS = 5;

const window = (
  w: Partial<PromotionWindowView> & Pick<PromotionWindowView, 'name'>,
): PromotionWindowView => ({
  kind: 'Deny',
  dtstart: '2020-01-01T00:00:00Z',
  dtend: '2020-01-01T00:00:01Z',
  createdBy: 'kargo',
  createdAt: '2020-01-01T00:00:00Z',
  ...w,
});

/** What a team would write: weekend freeze, office hours, a year-end freeze. */
const benign: PromotionWindowView[] = [
  window({
    name: 'weekend',
    stageSelector: { name: 'glob:*prod*' },
    dtstart: '2026-10-02T18:00:00',
    dtend: '2026-10-05T06:00:00',
    rrule: 'FREQ=WEEKLY;BYDAY=FR',
    timeZone: 'Europe/Berlin',
  }),
  window({
    name: 'office-hours',
    kind: 'Allow',
    stageSelector: { name: 'regex:^stage-[0-9]+-[0-9]+$' },
    dtstart: '2026-11-02T09:00:00',
    dtend: '2026-11-02T17:00:00',
    rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
    timeZone: 'America/New_York',
  }),
  window({
    name: 'year-end',
    dtstart: '2026-12-20T00:00:00Z',
    dtend: '2027-01-05T00:00:00Z',
  }),
];

/** What anyone with Kargo access can store in ProjectConfig, past the portal's checks. */
const hostile: PromotionWindowView[] = [
  window({ name: 'every-second', rrule: 'FREQ=SECONDLY' }),
  window({
    name: 'every-minute',
    dtend: '2020-01-01T00:00:30Z',
    rrule: 'FREQ=MINUTELY',
    // Backtracks for hours in JavaScript's RegExp on a name that almost matches.
    stageSelector: { name: 'regex:^((([a-z-])+)+)+\\d$' },
  }),
  window({
    name: 'six-a-minute',
    kind: 'Allow',
    rrule: 'FREQ=MINUTELY;BYSECOND=0,10,20,30,40,50',
    stageSelector: { name: 'regexp:(?i)PROD' },
  }),
  window({ name: 'never-reached', rrule: 'FREQ=HOURLY;INTERVAL=2;BYHOUR=3' }),
  window({
    name: 'never-occurs',
    dtstart: '1900-01-01T00:00:00Z',
    rrule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30',
  }),
];

/** Stage names a view evaluates: many teams' stages, some almost matching the hostile regex. */
const stageNames = Array.from({ length: STAGES }, (_, i) =>
  i % 2
    ? `payments-service-prod-eu-west-${i}`
    : `${['checkout', 'search', 'ledger'][i % 3]}-service-prod-eu-west`,
);

const tick = () => new Promise(resolve => setImmediate(resolve));

async function measure(run: () => Promise<void>) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const start = performance.now();
  await run();
  const ms = performance.now() - start;
  await tick();
  histogram.disable();
  return {
    maxMs: histogram.max / 1e6,
    p99Ms: histogram.percentile(99) / 1e6,
    ms,
  };
}

export async function runFreezeBench(): Promise<Measurement[]> {
  const kargo = await startSimulatorProcess({
    fixtures: ['kargo-demo', 'large'],
    tickMs: 0,
  });
  const db = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  try {
    const logger = mockServices.rootLogger({ level: 'none' });
    const instances = KargoInstances.fromConfig(
      new ConfigReader({
        kargo: {
          instances: [
            {
              name: 'sim',
              url: kargo.url,
              token: 'kargo-simulator-admin-token',
            },
          ],
        },
      }),
      logger,
    );
    const store = await DatabaseKargoStore.create({
      database: { getClient: async () => db } as any,
    });
    const freezer = new AutoPromotionFreezer(store, instances, logger);
    const now = Date.now();

    /** Views: a request evaluates every stage at once; requests 30 s apart. */
    const views = (windows: PromotionWindowView[]) => async () => {
      for (let v = 0; v < VIEWS; v++) {
        const at = new Date(now + v * 30_000);
        for (const name of stageNames) {
          evaluatePromotionSchedule(windows, { name }, at);
        }
        await tick();
      }
    };
    /** The freezer over the large project (50 stages), with the windows stored for it. */
    const freezerRuns = async () => {
      for (let r = 0; r < FREEZER_RUNS; r++) {
        await freezer.run(new Date(now + r * 30_000));
      }
    };
    const storeWindows = async (windows: PromotionWindowView[]) => {
      await db('kargo_promotion_windows').delete();
      for (const w of windows) {
        await store.createPromotionWindow(
          { instance: 'sim', project: 'large' },
          w,
        );
      }
    };

    // Warm up (module loading, JIT) on both sets, then measure each from cold caches.
    for (const set of [benign, hostile]) {
      await views(set)();
      clearPromotionScheduleCaches();
    }
    const result: Record<string, Awaited<ReturnType<typeof measure>>> = {};
    for (const [name, set] of [
      ['benign', benign],
      ['hostile', hostile],
    ] as const) {
      clearPromotionScheduleCaches();
      result[`${name} views`] = await measure(views(set));
      await storeWindows(set);
      clearPromotionScheduleCaches();
      result[`${name} freezer`] = await measure(freezerRuns);
    }
    const row = (what: string, label: string, note: string): Measurement => {
      const h = result[`hostile ${what}`];
      const b = result[`benign ${what}`];
      return {
        name: label,
        value: `${h.maxMs.toFixed(1)} ms max, ${h.p99Ms.toFixed(
          1,
        )} ms p99 (benign: ${b.maxMs.toFixed(1)} / ${b.p99Ms.toFixed(1)} ms)`,
        target: `< ${FREEZE_DELAY_TARGET_MS} ms max`,
        met: h.maxMs < FREEZE_DELAY_TARGET_MS,
        note: `${note} Took ${h.ms.toFixed(0)} ms in all (benign ${b.ms.toFixed(
          0,
        )} ms).`,
      };
    };
    return [
      row(
        'views',
        `Event-loop delay, views: ${VIEWS} requests × ${STAGES} stages, hostile windows`,
        'Caches cold at the start.',
      ),
      row(
        'freezer',
        `Event-loop delay, freezer: ${FREEZER_RUNS} runs over 50 stages (large project), hostile windows`,
        'Kargo reads in the simulator process; SQLite in memory.',
      ),
    ];
  } finally {
    await db.destroy();
    await kargo.stop();
  }
}

/** The section of bench/RESULTS.md this benchmark writes. */
export function freezeSection(results: Measurement[]): string {
  const rows = results.map(
    r =>
      `| ${r.name} | ${r.value} | ${r.target} | ${
        r.met ? 'met' : '**missed**'
      } | ${r.note ?? ''} |`,
  );
  return `## Freeze windows under hostile input

| Measurement | Result | Target | | Notes |
| --- | --- | --- | --- | --- |
${rows.join('\n')}

- Windows stored in the store directly, as if written into Kargo's ProjectConfig (no input
  checks): \`FREQ=SECONDLY\`; \`FREQ=MINUTELY\` selecting stages with \`regex:^((([a-z-])+)+)+\\d$\`
  (catastrophic backtracking in JavaScript's RegExp); an Allow \`FREQ=MINUTELY;BYSECOND=…\` with
  \`regexp:(?i)PROD\` (a syntax error for JavaScript's RegExp); \`FREQ=HOURLY;INTERVAL=2;BYHOUR=3\`
  (rrule.js loops forever); \`FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30\` from 1900 (rrule.js walks to
  the year 9999). Before the cap, one \`GET …/promotion-windows\` with \`FREQ=MINUTELY\` took 48 s and
  \`FREQ=SECONDLY\` stopped the backend for over 5 minutes.
- Baseline: a weekend freeze, office hours and a year-end freeze, in the same run. Event-loop
  delay by \`perf_hooks.monitorEventLoopDelay\` (1 ms resolution) over the whole scenario; views
  evaluate ${STAGES} stage names (half of them almost matching the backtracking regex) per request;
  the freezer runs against the simulator in its own process. The cap: ${MAX_OCCURRENCES_PER_WINDOW}
  occurrences per window per evaluation.
`;
}

/** Replaces (or appends) this benchmark's section in bench/RESULTS.md. */
export function writeFreezeSection(results: Measurement[]) {
  const file = path.join(__dirname, 'RESULTS.md');
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const heading = '## Freeze windows under hostile input';
  const start = current.indexOf(heading);
  const section = freezeSection(results);
  let next: string;
  if (start < 0) {
    next = `${current.trimEnd()}\n\n${section}`;
  } else {
    const after = current.indexOf('\n## ', start + heading.length);
    next = `${current.slice(0, start)}${section}${
      after < 0 ? '' : `\n${current.slice(after + 1)}`
    }`;
  }
  fs.writeFileSync(
    file,
    // prettier 2 ships no types; format(text, options) returns the text.
    require('prettier').format(next, { parser: 'markdown' }),
  );
}

if (require.main === module) {
  runFreezeBench().then(
    results => {
      writeFreezeSection(results);
      console.log(freezeSection(results));
      process.exit(0);
    },
    error => {
      console.error(error);
      process.exit(1);
    },
  );
}
