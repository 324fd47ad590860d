/*
 * `yarn bench`: runs the benchmarks and writes bench/RESULTS.md (machine, date, numbers).
 * Ratios are measured in the same run against a baseline, never asserted in tests.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  Measurement,
  runBackendBench,
  runStoreBench,
  UPSTREAM_LATENCY_MS,
} from './backendBench';
import { runBigProjectBench } from './bigProjectBench';
import { runBrowserBench } from './browserBench';
import { freezeSection, runFreezeBench } from './freezeBench';
import { runReplicaBench } from './replicaBench';

async function main() {
  const started = new Date();
  const results: Measurement[] = [
    ...(await runBackendBench()),
    ...(await runBigProjectBench()),
    ...(await runStoreBench()),
    ...(await runReplicaBench()),
    ...(await runBrowserBench()),
  ];
  const freeze = await runFreezeBench();
  const rows = results.map(
    r =>
      `| ${r.name} | ${r.value} | ${r.target} | ${
        r.met ? 'met' : '**missed**'
      } | ${r.note ?? ''} |`,
  );
  const report = `# Benchmark results

Measured by \`yarn bench\` on ${started.toISOString()}.
Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(
    os.totalmem() / 2 ** 30,
  )} GiB, Node ${process.version}, ${os.platform()} ${os.release()}.

| Measurement | Result | Target | | Notes |
| --- | --- | --- | --- | --- |
${rows.join('\n')}

## How it is measured

- Backend: the Kargo backend plugin in-process with test services (memory cache, SQLite), against
  the simulator in its own process (as Kargo is its own server) with the large fixture (50 stages,
  5 warehouses, 2 000 freight) and ${UPSTREAM_LATENCY_MS} ms added to every upstream call. Views are
  timed from a worker thread, a client that does not share the backend's event loop, parsing
  the answer included. Ratios are against baselines measured in the same run.
- Big projects (rows "large: …", "huge: …"): the same set-up with the large and the huge fixture
  (500 stages, 25 warehouses, 20 000 freight). A first view is a project's first view on a fresh
  backend that first viewed a small project of the same shape (so that it is not the process's
  first request), against the slowest of the four reads alone, each timed through the plugin's
  Kargo client (parsing included). Warm views: once the watches are connected and the enrichers
  have described every freight. Reads per change: promotions created in Kargo while the project
  is watched and viewed, Kargo reads counted at the simulator. Event-loop delay:
  \`monitorEventLoopDelay\` (1 ms resolution) from the first view until the enrichment of all
  freight (the built-in changelog enricher, SQLite in memory) has finished. Memory: the heap in
  use after garbage collection, less the heap before the backend started.
- Browser: the app's production build served by the demo backend, headless Chromium, the
  simulator in its own process with the demo projects, a project of 100 stages (20
  freightlines) and 1 000 freight, all of it in its view, and the huge fixture (500 stages, 25
  warehouses, 20 000 freight). Freshness: an alias set through Kargo's API until the open Kargo
  tab shows it, against a client polling the same backend every 10 s, for the same changes.
  Render: from the end of the view's response to the first frame with the graph's nodes (its
  freightlines collapsed, as above 50 stages) and the freight in view (the timeline renders no
  other) in the DOM. Huge project, in a 1600 × 1000 window, timed inside the page by
  requestAnimationFrame from the start of the navigation or from the click's event, with a warm
  backend: navigation to its Kargo tab
  until it is drawn (the graph laid out and shown, freight in view) and until a click on the
  warehouse filter, queued at that frame, has its menu on screen; frame intervals while the page
  scrolls the 25 freight rows back and forth at 2 000 px/s for 2 s, a dropped frame being each
  16.7 ms an interval spans beyond its first; a warehouse chosen in the filter (a click on its
  option) until the first frame with the timeline, and the graph laid out and shown, with that
  warehouse alone.
- PostgreSQL: the local server (127.0.0.1:5432).
- Replicas: this repository's backend (packages/backend, one process per replica, as in
  production: PostgreSQL, Redis at 127.0.0.1:6379 when it answers, the events bus) against the
  simulator with the demo project, a Kargo change (a new promotion) every 5 s, and 10 views/s of
  the guestbook's Kargo tab, for 60 s on one replica and then 60 s spread round-robin over two.
  Kargo reads are counted at the simulator, watch streams from the first replica's start.

${freezeSection(freeze)}`;
  // Written as the repository's formatter would (its check runs in the test command).
  fs.writeFileSync(
    path.join(__dirname, 'RESULTS.md'),
    // prettier 2 ships no types; format(text, options) returns the text.
    require('prettier').format(report, { parser: 'markdown' }),
  );
  console.log(report);
  process.exit(0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
