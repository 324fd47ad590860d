/*
 * Browser benchmarks: the production build of the app, served by the demo backend, in Debian's
 * Chromium, against the simulator in its own process.
 *  - freshness: a change in Kargo → the Kargo tab shows it (watch → signal → refetch → render),
 *    against a client polling the same backend every 10 s;
 *  - render: 100 stages × 1 000 freight, from the view's response to the tab in the DOM;
 *  - the huge project (500 stages, 25 warehouses, 20 000 freight): navigation → the tab drawn and
 *    answering a click, frame times while its freight timeline scrolls, and a warehouse chosen
 *    in the filter → the frame showing that warehouse alone;
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
import { median, p95 } from './measure';
import { startSimulatorProcess } from './simulatorProcess';

const ROOT = path.resolve(__dirname, '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PORTAL = 'http://localhost:7007';
const ADMIN_TOKEN = 'kargo-simulator-admin-token';
const POLL_BASELINE_MS = 10_000;
const FRESHNESS_SAMPLES = 12;
const RENDER_SAMPLES = 8;
/** The simulator's huge fixture (500 stages, 25 warehouses, 20 000 freight), a project of its name. */
const HUGE = 'huge';
const HUGE_LOADS = 6;
const FILTER_SAMPLES = 6;
/** The huge project's freight rows scroll this long, back and forth at a brisk wheel's speed. */
const SCROLL = { ms: 2000, pxPerSecond: 2000 };
/** A frame at 60 Hz; an interval over 1.5 of them dropped at least one frame. */
const FRAME_MS = 1000 / 60;

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

function notMeasured(why: string): Measurement[] {
  return [
    'Freshness: Kargo change → browser, p95',
    'Render of 100 stages × 1 000 freight in Chromium, p50',
    'Huge project: navigation → tab interactive, p50',
    'Huge project: frames while the freight timeline scrolls',
    'Huge project: a warehouse chosen in the filter → filtered frame, p50',
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

/** A catalog entity file in `dir` for the Kargo project `project`, named as the project. */
function entityFile(dir: string, project: string): string {
  const file = path.join(dir, `${project}.yaml`);
  fs.writeFileSync(
    file,
    YAML.stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: project,
        annotations: { 'kargo.akuity.io/project': project },
      },
      spec: { type: 'service', lifecycle: 'experimental', owner: 'guests' },
    }),
  );
  return file;
}

/** The bench's config over the demo's, with an entity for each of `projects`. */
function benchConfig(dir: string, projects: string[]): string {
  // The demo's catalog, sign-in and simulator, as `yarn start` layers them.
  const demoConfig = YAML.parse(
    fs.readFileSync(path.join(ROOT, 'app-config.demo.yaml'), 'utf8'),
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
          ...projects.map(p => ({ type: 'file', target: entityFile(dir, p) })),
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

const kargoTab = (entity: string) =>
  `${PORTAL}/catalog/default/component/${entity}/kargo`;

/** A node of the pipeline graph: a stage, or a collapsed freightline in a big project. */
const graphNode = (page: Page) =>
  page.getByRole('button', { name: /^(Stage|Freightline) / }).first();

/** Signs in as the guest when the sign-in page shows, rather than the Kargo tab. */
async function signIn(page: Page) {
  const enter = page.getByRole('button', { name: 'Enter', exact: true });
  await enter.or(graphNode(page)).waitFor({ timeout: 120_000 });
  if (await enter.isVisible()) await enter.click();
}

async function openKargoTab(page: Page, entity: string) {
  await page.goto(kargoTab(entity));
  await signIn(page);
  await graphNode(page)
    .waitFor({ timeout: 120_000 })
    .catch(async error => {
      const shot = path.join(os.tmpdir(), 'kargo-bench-failure.png');
      await page.screenshot({ path: shot });
      throw new Error(`${error.message} (screenshot: ${shot})`);
    });
}

/**
 * Put in every page before the app's scripts (page.addInitScript): what the measurements ask the
 * page, answered and timed inside it, so no round trip to the bench adds to a time. Times are the
 * page's clock (performance.now(), requestAnimationFrame and event time stamps share it), from
 * the start of the page's navigation.
 */
function installPageTools() {
  /** The next frame's time. */
  const frame = () => new Promise<number>(r => requestAnimationFrame(r));
  const overlap = (a: DOMRect, b: DOMRect) =>
    a.left < b.right &&
    b.left < a.right &&
    a.top < b.bottom &&
    b.top < a.bottom;
  const tools = {
    /**
     * The time of the frame after the first one in which `done()` holds: when that frame, the
     * first to show it, was on screen.
     */
    async frameWhen(done: () => boolean, timeoutMs = 120_000): Promise<number> {
      const start = performance.now();
      while (!done()) {
        if (performance.now() - start > timeoutMs) {
          throw new Error(`not shown within ${timeoutMs} ms: ${done}`);
        }
        await frame();
      }
      return frame();
    },
    /** Times the next click: from its event to the frame showing each of `shown`, in turn. */
    afterNextClick(...shown: (() => boolean)[]) {
      tools.clicked = new Promise<number[]>(resolve => {
        document.addEventListener(
          'click',
          async event => {
            const times: number[] = [];
            for (const done of shown) {
              times.push((await tools.frameWhen(done)) - event.timeStamp);
            }
            resolve(times);
          },
          { capture: true, once: true },
        );
      });
    },
    clicked: undefined as Promise<number[]> | undefined,
    /** Frame intervals while `el` scrolls for `ms`, back and forth at `pxPerSecond`. */
    async scrollFrames(el: Element, ms: number, pxPerSecond: number) {
      const intervals: number[] = [];
      let last = await frame();
      const end = last + ms;
      let direction = 1;
      while (last < end) {
        const now = await frame();
        intervals.push(now - last);
        const bottom = el.scrollHeight - el.clientHeight;
        const top =
          el.scrollTop + (direction * pxPerSecond * (now - last)) / 1000;
        if (top <= 0 || top >= bottom) direction = -direction;
        el.scrollTop = Math.max(0, Math.min(bottom, top));
        last = now;
      }
      return intervals;
    },
    /** The freight timeline's lists: one per warehouse shown, or one for a single warehouse. */
    freightLists: () =>
      Array.from(
        document.querySelectorAll('[role="list"][aria-label^="Freight"]'),
      ),
    /** The element the timeline's rows scroll in (the rows of a project of many warehouses). */
    freightRows(): Element {
      let el = tools.freightLists()[0]?.parentElement;
      while (el && !(el.scrollHeight > el.clientHeight)) el = el.parentElement;
      if (!el) throw new Error('the freight timeline does not scroll');
      return el;
    },
    /** The graph's nodes (an SVG foreignObject each). */
    graphNodes: () =>
      Array.from(
        document.querySelectorAll('svg#dependency-graph foreignObject'),
      ),
    /** The warehouses whose freightline the graph shows, by the button that folds it. */
    graphWarehouses: () =>
      Array.from(
        document.querySelectorAll(
          '[aria-label^="Collapse freightline "], [aria-label^="Expand freightline "]',
        ),
      ).map(b =>
        b.getAttribute('aria-label')!.replace(/^\w+ freightline /, ''),
      ),
    /** The tab's graph and freight are in the DOM (not yet necessarily laid out and shown). */
    tabInDom: () =>
      tools.graphNodes().length > 0 &&
      !!document.querySelector('[role="listitem"][aria-label^="Freight "]'),
    /**
     * The graph is drawn: shown (Backstage's graph is hidden until its first layout settles) and
     * its nodes laid out apart (a node added to the graph is first placed as if it had no size).
     */
    graphDrawn() {
      const svg = document.querySelector('svg#dependency-graph');
      if (!svg || getComputedStyle(svg).visibility !== 'visible') return false;
      const boxes = tools.graphNodes().map(n => n.getBoundingClientRect());
      return (
        boxes.length > 0 &&
        boxes.every((a, i) => boxes.slice(i + 1).every(b => !overlap(a, b)))
      );
    },
    tabDrawn: () => tools.tabInDom() && tools.graphDrawn(),
    /** The timeline and the graph's nodes show `warehouse` alone. */
    showsOnly(warehouse: string) {
      const lines = tools.graphWarehouses();
      return (
        tools.freightLists().length === 1 &&
        lines.length === 1 &&
        lines[0] === warehouse
      );
    },
    /** The warehouse filter (a Material UI select, which opens on mousedown). */
    warehouseFilter: () =>
      document.querySelector('[role="button"][aria-haspopup="listbox"]')!,
    menuOpen: () => !!document.querySelector('[role="listbox"]'),
  };
  (window as any).kargoBench = tools;
  return tools;
}
type PageTools = ReturnType<typeof installPageTools>;

/** Runs `fn` in the page with its tools; `fn` goes as source, as page.evaluate sends a function. */
function inPage<R, A = null>(
  page: Page,
  fn: (tools: PageTools, arg: A) => R | Promise<R>,
  arg?: A,
): Promise<R> {
  return page.evaluate(
    `(${fn})(window.kargoBench, ${JSON.stringify(arg ?? null)})`,
  ) as Promise<R>;
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
  await openKargoTab(page, 'render');
  const times: number[] = [];
  for (let i = 0; i < RENDER_SAMPLES; i++) {
    // The session survives the reload: the sign-in page does not show.
    await page.reload({ waitUntil: 'commit' });
    times.push(
      await inPage(page, async tools => {
        // The timeline renders only the freight in view, the graph the collapsed freightlines
        // of a project over 50 stages: the frame with its graph's nodes and freight in the DOM.
        const renderedAt = await tools.frameWhen(tools.tabInDom);
        // From the view's response to that frame.
        const view = performance
          .getEntriesByType('resource')
          .find(e =>
            e.name.includes('/api/kargo/entity-view'),
          ) as PerformanceResourceTiming;
        return renderedAt - view.responseEnd;
      }),
    );
  }
  return times;
}

/**
 * The huge project's tab, from navigation: drawn (graph laid out and shown, freight in view),
 * and interactive: a click on the warehouse filter, queued at the drawn frame as a click comes
 * (a task behind the page's work), answered with its menu on screen.
 */
async function measureHugeLoads(page: Page) {
  await openKargoTab(page, HUGE);
  const loads: { inDom: number; drawn: number; interactive: number }[] = [];
  for (let i = 0; i < HUGE_LOADS; i++) {
    await page.goto(kargoTab(HUGE), { waitUntil: 'commit' });
    loads.push(
      await inPage(page, async tools => {
        const inDom = await tools.frameWhen(tools.tabInDom);
        const drawn = await tools.frameWhen(tools.tabDrawn);
        await new Promise(resolve => setTimeout(resolve));
        tools
          .warehouseFilter()
          .dispatchEvent(
            new MouseEvent('mousedown', { bubbles: true, button: 0 }),
          );
        const interactive = await tools.frameWhen(tools.menuOpen);
        return { inDom, drawn, interactive };
      }),
    );
  }
  await page.keyboard.press('Escape');
  await page.getByRole('listbox').waitFor({ state: 'hidden' });
  return loads;
}

/** Frame intervals while the huge project's freight rows scroll (the tab open, at rest). */
async function measureScroll(page: Page) {
  await sleep(1000);
  return inPage(
    page,
    (tools, scroll) =>
      tools.scrollFrames(tools.freightRows(), scroll.ms, scroll.pxPerSecond),
    SCROLL,
  );
}

/**
 * A warehouse chosen in the huge project's filter (a real click on its option): from the click
 * to the first frame with the timeline showing that warehouse alone, and to the first with the
 * graph too (laid out and shown). Each sample chooses another warehouse, and clears it after.
 */
async function measureFilter(page: Page) {
  const filter = page.getByRole('button', { name: 'Warehouses', exact: true });
  await filter.click();
  const names = await page.getByRole('option').allTextContents();
  await page.keyboard.press('Escape');
  const samples: { timeline: number; graph: number }[] = [];
  for (let i = 0; i < FILTER_SAMPLES; i++) {
    const warehouse = names[Math.floor((i * names.length) / FILTER_SAMPLES)];
    await page.getByRole('listbox').waitFor({ state: 'hidden' });
    await filter.click();
    const option = page.getByRole('option', { name: warehouse, exact: true });
    await inPage(
      page,
      (tools, w) =>
        tools.afterNextClick(
          () => tools.freightLists().length === 1,
          () => tools.showsOnly(w) && tools.graphDrawn(),
        ),
      warehouse,
    );
    await option.click();
    const [timeline, graph] = await inPage(page, tools => tools.clicked!);
    samples.push({ timeline, graph });
    await option.click();
    await inPage(page, tools =>
      tools.frameWhen(
        () => tools.freightLists().length > 1 && tools.graphDrawn(),
      ),
    );
    await page.keyboard.press('Escape');
  }
  return samples;
}

/** Frame intervals' p50, p95, max and the frames they dropped at 60 Hz. */
function frameStats(intervals: number[]) {
  return {
    p50: median(intervals),
    p95: p95(intervals),
    max: Math.max(...intervals),
    count: intervals.length,
    dropped: intervals.reduce(
      (n, ms) => n + Math.max(0, Math.round(ms / FRAME_MS) - 1),
      0,
    ),
  };
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
  await graphNode(page).waitFor({ timeout: 60_000 });
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
    fixtures: ['kargo-demo', 'microservices', HUGE],
    tickMs: 500,
    port: 7008,
  });
  // 20 freightlines of 5 stages, 50 freight each: all of its freight in the view.
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
  const backend = await startBackend(benchConfig(dir, ['render', HUGE]));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  const newPage = async (viewport = { width: 1600, height: 1000 }) => {
    const page = await browser.newPage({ viewport });
    await page.addInitScript(installPageTools);
    return page;
  };
  try {
    const page = await newPage();
    // The catalog reads the bench's entity files in the background; the first view of each
    // project is the backend's first read of it.
    const token = await guestToken();
    for (const entity of ['render', HUGE]) {
      for (let i = 0; i < 120 && !(await entityView(token, entity)); i++) {
        await sleep(1000);
      }
    }
    await openKargoTab(page, 'guestbook');
    const tab = await measureTabLoad(page);
    const render = await measureRender(page);
    const loads = await measureHugeLoads(page);
    const frames = frameStats(await measureScroll(page));
    const filter = await measureFilter(page);
    const { live, poll } = await measureFreshness(
      await newPage({ width: 1280, height: 720 }),
      simulator.url,
    );
    const chunkBytes = chunks.map(c =>
      fs.readFileSync(path.join(ROOT, 'packages/app/dist/static', c)),
    );
    const ms = (x: number) => `${x.toFixed(0)} ms`;
    const interactive = loads.map(l => l.interactive);
    const filtered = filter.map(f => f.graph);
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
        note: 'Production build. The frame with the graph (20 collapsed freightlines) and the freight in view in the DOM.',
      },
      {
        name: `Huge project (500 stages, 25 warehouses, 20 000 freight): navigation → tab interactive, p50 / max (${loads.length} loads)`,
        value: `${ms(median(interactive))} / ${ms(Math.max(...interactive))}`,
        target: '< 1.5 s',
        met: median(interactive) < 1500,
        note: `In the DOM at ${ms(
          median(loads.map(l => l.inDom)),
        )} p50, drawn at ${ms(
          median(loads.map(l => l.drawn)),
        )} (the graph of 25 collapsed freightlines shown, which Backstage's DependencyGraph does 500 ms after its layout, and the freight in view); interactive: a click on the warehouse filter, queued at that frame, has its menu on screen. Warm backend and browser cache.`,
      },
      {
        name: `Huge project: frame times while its freight timeline scrolls (${
          SCROLL.ms / 1000
        } s), p50 / p95 / max`,
        value: `${frames.p50.toFixed(1)} / ${frames.p95.toFixed(
          1,
        )} / ${frames.max.toFixed(1)} ms; ${frames.dropped} of ${
          frames.count + frames.dropped
        } frames dropped`,
        target: 'p95 < 25 ms (95 % of frames on time)',
        met: frames.p95 < FRAME_MS * 1.5,
        note: `The page scrolls the 25 rows back and forth at ${SCROLL.pxPerSecond} px/s, each frame; a dropped frame is a 60 Hz frame (16.7 ms) an interval spans beyond its first.`,
      },
      {
        name: `Huge project: a warehouse chosen in the filter → frame showing it alone, p50 (${filter.length} choices)`,
        value: `${ms(median(filtered))} (the timeline alone: ${ms(
          median(filter.map(f => f.timeline)),
        )})`,
        target: '< 100 ms',
        met: median(filtered) < 100,
        note: "From the click on the option to the first frame with the timeline and the graph (laid out and shown) showing that warehouse alone. The graph of its 20 stages turns top to bottom: Backstage's DependencyGraph is drawn anew, hidden until 500 ms after its layout.",
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
