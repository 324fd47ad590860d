/*
 * Browser benchmarks: the production build of the app, served by the demo backend, in Debian's
 * Chromium, against the simulator in its own process.
 *  - freshness: a change in Kargo → the Kargo tab shows it (watch → signal → refetch → render),
 *    against a client polling the same backend every 10 s;
 *  - render: 100 stages × 1 000 freight, from the view's response to the DOM showing all of it;
 *  - the plugin's lazy chunk: what the app loads when the Kargo tab opens.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium, Page } from 'playwright-core';
import YAML from 'yaml';
import type { Measurement } from './backendBench';
import { startSimulatorProcess } from './simulatorProcess';

const ROOT = path.resolve(__dirname, '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PORTAL = 'http://localhost:7007';
const ADMIN_TOKEN = 'kargo-simulator-admin-token';
const POLL_BASELINE_MS = 10_000;
const FRESHNESS_SAMPLES = 12;
const RENDER_SAMPLES = 8;

const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))];
};
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

function notMeasured(why: string): Measurement[] {
  return [
    'Freshness: Kargo change → browser, p95',
    'Render of 100 stages × 1 000 freight in Chromium, p50',
    "The plugin's lazy chunk",
  ].map(name => ({
    name,
    value: 'not measured',
    target: '',
    met: false,
    note: why,
  }));
}

/** The repository's yarn's arguments for a script of a workspace (node runs the release). */
const yarnWorkspace = (workspace: string, ...args: string[]) => [
  path.join(ROOT, '.yarn/releases/yarn-4.13.0.cjs'),
  'workspace',
  workspace,
  ...args,
];

/** The app's production build; the plugin's own chunks are those holding its components. */
function buildApp(): { chunks: string[]; mainHasPlugin: boolean } {
  const build = spawnSync(process.execPath, yarnWorkspace('app', 'build'), {
    cwd: ROOT,
    stdio: 'ignore',
  });
  if (build.status !== 0) throw new Error('yarn workspace app build failed');
  const dir = path.join(ROOT, 'packages/app/dist/static');
  const files = fs.readdirSync(dir).filter(f => f.endsWith('.js'));
  // Text only the pipeline, timeline and promote dialog render.
  const markers = ['Freight, newest first', 'What changes'];
  const chunks = files.filter(f => {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    return markers.some(m => text.includes(m));
  });
  const main = files.filter(f => f.startsWith('main.'));
  const mainHasPlugin = main.some(f => chunks.includes(f));
  return { chunks, mainHasPlugin };
}

function benchConfig(dir: string): string {
  // The demo's catalog, sign-in and simulator, as `yarn start` layers them.
  const demoConfig = YAML.parse(
    fs.readFileSync(path.join(ROOT, 'app-config.demo.yaml'), 'utf8'),
  );
  const entity = path.join(dir, 'render.yaml');
  fs.writeFileSync(
    entity,
    YAML.stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'render',
        annotations: { 'kargo.akuity.io/project': 'render' },
      },
      spec: { type: 'service', lifecycle: 'experimental', owner: 'guests' },
    }),
  );
  const file = path.join(dir, 'app-config.bench.yaml');
  fs.writeFileSync(
    file,
    YAML.stringify({
      // The backend serves the production build (app-backend), as in a deployment.
      app: { baseUrl: PORTAL },
      backend: { baseUrl: PORTAL, cors: { origin: PORTAL } },
      catalog: {
        locations: [
          ...demoConfig.catalog.locations,
          { type: 'file', target: entity },
        ],
      },
      // `file` locations are read only under these folders: the demo's, and the bench's own.
      demo: {
        localFiles: { roots: [...demoConfig.demo.localFiles.roots, dir] },
      },
    }),
  );
  return file;
}

async function startBackend(configFile: string): Promise<ChildProcess> {
  const backend = spawn(
    process.execPath,
    [
      ...yarnWorkspace('backend', 'start'),
      '--config',
      path.join(ROOT, 'app-config.yaml'),
      '--config',
      path.join(ROOT, 'app-config.demo.yaml'),
      '--config',
      configFile,
    ],
    { cwd: ROOT, stdio: 'ignore', detached: true },
  );
  for (let i = 0; i < 300; i++) {
    const ok = await fetch(`${PORTAL}/api/kargo/health`).then(
      r => r.ok,
      () => false,
    );
    if (ok) return backend;
    await sleep(1000);
  }
  throw new Error('the backend did not start');
}

async function guestToken(): Promise<string> {
  const res = await fetch(`${PORTAL}/api/auth/guest/refresh`, {
    method: 'POST',
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  return (await res.json()).backstageIdentity.token;
}

async function entityView(token: string, entity: string): Promise<string> {
  const res = await fetch(
    `${PORTAL}/api/kargo/entity-view?entityRef=component:default/${entity}`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  return res.ok ? res.text() : '';
}

/** Signs in as the guest when the sign-in page shows, rather than the Kargo tab. */
async function signIn(page: Page) {
  const enter = page.getByRole('button', { name: 'Enter', exact: true });
  await enter
    .or(page.getByRole('button', { name: /^Stage / }).first())
    .waitFor({ timeout: 120_000 });
  if (await enter.isVisible()) await enter.click();
}

async function openKargoTab(page: Page, entity: string) {
  await page.goto(`${PORTAL}/catalog/default/component/${entity}/kargo`);
  await signIn(page);
  await page
    .getByRole('button', { name: /^Stage / })
    .first()
    .waitFor({ timeout: 120_000 })
    .catch(async error => {
      const shot = path.join(os.tmpdir(), 'kargo-bench-failure.png');
      await page.screenshot({ path: shot });
      throw new Error(`${error.message} (screenshot: ${shot})`);
    });
}

async function measureFreshness(page: Page, simulator: string) {
  const token = await guestToken();
  await openKargoTab(page, 'guestbook');
  // The page notes when a text first appears in it.
  await page.evaluate(() => {
    const w = window as any;
    new MutationObserver(() => {
      if (w.kargoWatchFor && !w.kargoSeenAt) {
        if (document.body.textContent?.includes(w.kargoWatchFor)) {
          w.kargoSeenAt = Date.now();
        }
      }
    }).observe(document.body, {
      childList: true,
      subtree: true,
      characterData: true,
    });
  });
  const freight = await (
    await fetch(`${simulator}/v1beta1/projects/kargo-demo/freight`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
  ).json();
  const newest = Object.values(freight.groups as Record<string, any>)
    .flatMap(g => g.items)
    .sort((a, b) =>
      (b.discoveredAt ?? '').localeCompare(a.discoveredAt ?? ''),
    )[0].metadata.name;

  // The baseline: a client that asks the same backend every 10 s.
  const polled = new Map<string, number>();
  let watching: string | undefined;
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const seen = watching;
      if (
        seen &&
        !polled.has(seen) &&
        (await entityView(token, 'guestbook')).includes(seen)
      ) {
        polled.set(seen, Date.now());
      }
      await sleep(POLL_BASELINE_MS);
    }
  })();

  const live: number[] = [];
  const poll: number[] = [];
  for (let i = 0; i < FRESHNESS_SAMPLES; i++) {
    const alias = `fresh-${Date.now().toString(36)}-${i}`;
    await page.evaluate(a => {
      (window as any).kargoWatchFor = a;
      (window as any).kargoSeenAt = undefined;
    }, alias);
    watching = alias;
    const changedAt = Date.now();
    const res = await fetch(
      `${simulator}/v1beta1/projects/kargo-demo/freight/${newest}/alias?newAlias=${alias}`,
      { method: 'PATCH', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } },
    );
    if (!res.ok) throw new Error(`alias ${res.status}`);
    for (let t = 0; t < 300; t++) {
      const seenAt = await page.evaluate(() => (window as any).kargoSeenAt);
      if (seenAt && polled.has(alias)) {
        live.push(seenAt - changedAt);
        poll.push(polled.get(alias)! - changedAt);
        break;
      }
      await sleep(100);
    }
    // Changes come at random moments of the polling cycle.
    await sleep(Math.random() * 2000);
  }
  polling = false;
  await poller;
  return { live, poll };
}

async function measureRender(page: Page) {
  // On every page load: note the first frame with every stage and freight in the DOM.
  await page.addInitScript(() => {
    const check = () => {
      const stages = document.querySelectorAll('[aria-label^="Stage "]');
      const freight = document.querySelectorAll(
        '[role="listitem"][aria-label^="Freight "]',
      );
      if (stages.length >= 100 && freight.length >= 1000) {
        requestAnimationFrame(() => {
          (window as any).kargoRenderedAt = performance.now();
        });
      } else {
        requestAnimationFrame(check);
      }
    };
    requestAnimationFrame(check);
  });
  await openKargoTab(page, 'render');
  const times: number[] = [];
  for (let i = 0; i < RENDER_SAMPLES; i++) {
    await page.reload();
    // Checked four times a second, cheaply: the page renders meanwhile (the session survives
    // the reload, so the sign-in page should not show).
    await page.waitForFunction(() => (window as any).kargoRenderedAt, null, {
      timeout: 120_000,
      polling: 250,
    });
    // From the view's response to that frame.
    times.push(
      await page.evaluate(() => {
        const view = performance
          .getEntriesByType('resource')
          .find(e =>
            e.name.includes('/api/kargo/entity-view'),
          ) as PerformanceResourceTiming;
        return (window as any).kargoRenderedAt - view.responseEnd;
      }),
    );
  }
  return times;
}

/** JavaScript the app fetches when the Kargo tab opens from the entity's overview. */
async function measureTabLoad(page: Page) {
  await page.goto(`${PORTAL}/catalog/default/component/guestbook`);
  await page
    .getByRole('link', { name: 'Kargo', exact: true })
    .waitFor({ timeout: 60_000 });
  await page.waitForLoadState('networkidle');
  const responses: Promise<Buffer>[] = [];
  const listener = (response: any) => {
    if (response.url().endsWith('.js')) responses.push(response.body());
  };
  page.on('response', listener);
  await page.getByRole('link', { name: 'Kargo', exact: true }).click();
  await page
    .getByRole('button', { name: /^Stage / })
    .first()
    .waitFor({ timeout: 60_000 });
  await page.waitForLoadState('networkidle');
  page.off('response', listener);
  const bodies = await Promise.all(responses);
  return {
    files: bodies.length,
    raw: bodies.reduce((n, b) => n + b.length, 0),
    gzip: bodies.reduce((n, b) => n + zlib.gzipSync(b).length, 0),
  };
}

export async function runBrowserBench(): Promise<Measurement[]> {
  if (!fs.existsSync(CHROMIUM)) {
    return notMeasured(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  }
  for (const port of [7007, 7008]) {
    const busy = await fetch(`http://localhost:${port}/`).then(
      () => true,
      () => false,
    );
    if (busy)
      return notMeasured(`port ${port} is in use: stop \`yarn start\` first`);
  }
  const { chunks, mainHasPlugin } = buildApp();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kargo-bench-'));
  const simulator = await startSimulatorProcess({
    fixtures: ['kargo-demo', 'microservices'],
    tickMs: 500,
    port: 7008,
  });
  // 20 freightlines of 5 stages, 50 freight each: the whole project on one page.
  await fetch(`${simulator.url}/simulator/fixtures/large`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'render',
      stages: 100,
      warehouses: 20,
      freight: 1000,
    }),
  });
  const backend = await startBackend(benchConfig(dir));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({
      viewport: { width: 1600, height: 1000 },
    });
    // The catalog reads the bench's entity file in the background.
    const token = await guestToken();
    for (let i = 0; i < 120 && !(await entityView(token, 'render')); i++) {
      await sleep(1000);
    }
    await openKargoTab(page, 'guestbook');
    const tab = await measureTabLoad(page);
    const render = await measureRender(page);
    const { live, poll } = await measureFreshness(
      await browser.newPage(),
      simulator.url,
    );
    const chunkBytes = chunks.map(c =>
      fs.readFileSync(path.join(ROOT, 'packages/app/dist/static', c)),
    );
    return [
      {
        name: `Freshness: Kargo change → browser, p50 / p95 (${live.length} changes)`,
        value: `${median(live).toFixed(0)} / ${p95(live).toFixed(0)} ms`,
        target: '< 1 s p95',
        met: p95(live) < 1000,
        note: `Polling the same backend every 10 s: ${median(poll).toFixed(
          0,
        )} / ${p95(poll).toFixed(0)} ms (p50 / p95), ${(
          p95(poll) / p95(live)
        ).toFixed(0)}× slower at p95.`,
      },
      {
        name: 'Render of 100 stages × 1 000 freight in Chromium (response → frame), p50 / p95',
        value: `${median(render).toFixed(0)} / ${p95(render).toFixed(0)} ms`,
        target: '< 500 ms',
        met: median(render) < 500,
        note: 'Production build.',
      },
      {
        name: "The plugin's lazy chunk (its components), raw / gzip",
        value: `${kb(chunkBytes.reduce((n, b) => n + b.length, 0))} / ${kb(
          chunkBytes.reduce((n, b) => n + zlib.gzipSync(b).length, 0),
        )}`,
        target: 'lazy, not in main',
        met: chunks.length > 0 && !mainHasPlugin,
        note: `${chunks.length} chunk(s); opening the Kargo tab fetches ${
          tab.files
        } JS file(s), ${kb(tab.raw)} (${kb(tab.gzip)} gzip).`,
      },
    ];
  } finally {
    await browser.close();
    if (backend.pid) process.kill(-backend.pid);
    await simulator.stop();
  }
}
