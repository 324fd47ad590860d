import { expect, Locator, Page, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { open } from './signIn';

/*
 * The Kargo tab's layout at the window widths people use: the header's controls inside the
 * card, the toolbar on one or two lines, the warehouse filter's menu clear of the title, and
 * the pipeline's node text readable on screen however many stages there are.
 */

const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];
/** The smallest node text accepted in the pipeline graph, in screen pixels. */
const MIN_TEXT_PX = 11;

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  expect(b, `${locator} has a box`).not.toBeNull();
  return b!;
}

function expectInside(
  inner: { x: number; y: number; width: number; height: number },
  outer: { x: number; y: number; width: number; height: number },
  what: string,
) {
  expect(inner.x, `${what}: left edge`).toBeGreaterThanOrEqual(outer.x - 0.5);
  expect(inner.x + inner.width, `${what}: right edge`).toBeLessThanOrEqual(
    outer.x + outer.width + 0.5,
  );
}

/** How many lines the children of `container` sit on (by their top edge). */
function lines(container: Locator) {
  return container.evaluate(el => {
    const tops = Array.from(el.children)
      .map(c => c.getBoundingClientRect())
      .filter(r => r.width > 0 && r.height > 0)
      .map(r => r.top);
    const rows: number[] = [];
    for (const t of tops.sort((a, b) => a - b)) {
      if (!rows.some(r => Math.abs(r - t) < 8)) rows.push(t);
    }
    return rows.length;
  });
}

/**
 * The smallest text of the pipeline graph as drawn: each text's CSS font size times the scale
 * the graph's SVG draws its node at.
 */
function smallestGraphText(page: Page) {
  return page.getByTestId('pipeline-graph').evaluate(graph => {
    let smallest = Infinity;
    for (const node of Array.from(graph.querySelectorAll('foreignObject'))) {
      const card = node.firstElementChild as HTMLElement | null;
      if (!card || !card.offsetWidth) continue;
      const scale = card.getBoundingClientRect().width / card.offsetWidth;
      const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT);
      for (let t = walker.nextNode(); t; t = walker.nextNode()) {
        if (!t.textContent?.trim() || !t.parentElement) continue;
        const size = parseFloat(getComputedStyle(t.parentElement).fontSize);
        smallest = Math.min(smallest, size * scale);
      }
    }
    return smallest;
  });
}

/** The graph fits the card: the graph's box within the card's (it does not scroll sideways). */
async function expectGraphFits(page: Page, card: Locator) {
  const graph = page.getByTestId('pipeline-graph');
  // The graph is hidden until its layout settles.
  await expect(graph.locator('svg#dependency-graph')).toBeVisible();
  expectInside(await box(graph), await box(card), 'the pipeline graph');
}

for (const viewport of VIEWPORTS) {
  test.describe(`at ${viewport.width} px`, () => {
    test.use({ viewport });

    test(`layout: the microservices tab's header, toolbar and filter fit (${viewport.width} px)`, async ({
      page,
    }, info) => {
      await open(page, '/catalog/default/component/storefront/kargo');
      const title = page.getByText('Kargo · project microservices', {
        exact: true,
      });
      await expect(title).toBeVisible();
      const card = page.locator('.MuiCard-root').filter({ has: title });
      const cardBox = await box(card);

      // The title stays on one line (it wrapped over three at 1280 px).
      const titleBox = await box(title);
      const lineHeight = await title.evaluate(
        el => parseFloat(getComputedStyle(el).lineHeight) || 32,
      );
      expect(titleBox.height).toBeLessThan(lineHeight * 1.5);

      // Every control of the header and the toolbar inside the card.
      const controls = [
        page.getByRole('button', { name: 'Settings' }),
        page.getByText('Open in Kargo'),
        page.getByLabel('Warehouses'),
        page.getByRole('button', { name: 'Refresh warehouses' }),
      ];
      for (const control of controls) {
        await expect(control).toBeVisible();
        expectInside(await box(control), cardBox, String(control));
      }
      const toolbar = page.getByRole('toolbar', {
        name: 'Freight and pipeline of microservices',
      });
      expect(await lines(toolbar)).toBeLessThanOrEqual(2);
      expectInside(await box(toolbar), cardBox, 'the toolbar');

      // The warehouse filter's menu opens below its field, clear of the title.
      const filterBox = await box(page.getByLabel('Warehouses'));
      await page.getByLabel('Warehouses').click();
      const menu = page.getByRole('listbox');
      await expect(
        menu.getByRole('option', { name: 'checkout' }),
      ).toBeVisible();
      const menuBox = await box(menu);
      expect(menuBox.y).toBeGreaterThanOrEqual(titleBox.y + titleBox.height);
      expect(menuBox.y).toBeGreaterThanOrEqual(
        filterBox.y + filterBox.height - 1,
      );
      await page.screenshot({ path: info.outputPath('filter-menu.png') });
      await page.keyboard.press('Escape');

      // The pipeline fits the card and its text is readable.
      await expect(
        page.getByRole('button', { name: 'Stage integration', exact: true }),
      ).toBeVisible();
      await expectGraphFits(page, card);
      expect(await smallestGraphText(page)).toBeGreaterThanOrEqual(MIN_TEXT_PX);
      await page.screenshot({
        path: info.outputPath('microservices.png'),
        fullPage: true,
      });
    });
  });
}

test.describe('a pipeline of 24 stages', () => {
  const project = `e2e-layout-${Date.now().toString(36)}`;
  const dir = path.resolve(__dirname, '../../examples/generated', project);

  test.afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('layout: a pipeline of 24 stages fits the width with readable text', async ({
    page,
  }, info) => {
    // Two freightlines of twelve stages, from the simulator's large-project generator.
    const created = await page.request.post(
      'http://localhost:7008/simulator/fixtures/large',
      { data: { name: project, stages: 24, warehouses: 2, freight: 20 } },
    );
    expect(created.status()).toBe(201);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'catalog-info.yaml');
    fs.writeFileSync(
      file,
      [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        `  name: ${project}`,
        '  annotations:',
        `    kargo.akuity.io/project: ${project}`,
        'spec:',
        '  type: service',
        '  lifecycle: experimental',
        '  owner: guests',
        '',
      ].join('\n'),
    );

    await open(page, '/catalog');
    const refresh = await page.request.post(
      'http://localhost:7007/api/auth/guest/refresh',
      { headers: { 'x-requested-with': 'XMLHttpRequest' } },
    );
    const { backstageIdentity } = await refresh.json();
    const headers = { authorization: `Bearer ${backstageIdentity.token}` };
    const registered = await page.request.post(
      'http://localhost:7007/api/catalog/locations',
      { headers, data: { type: 'file', target: file } },
    );
    expect(registered.ok()).toBe(true);
    await expect
      .poll(
        async () =>
          (
            await page.request.get(
              `http://localhost:7007/api/catalog/entities/by-name/component/default/${project}`,
              { headers },
            )
          ).status(),
        { timeout: 60_000 },
      )
      .toBe(200);

    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      await page.goto(`/catalog/default/component/${project}/kargo`);
      const title = page.getByText(`Kargo · project ${project}`, {
        exact: true,
      });
      await expect(title).toBeVisible();
      const card = page.locator('.MuiCard-root').filter({ has: title });
      for (const stage of ['stage-0-0', 'stage-1-11']) {
        await expect(
          page.getByRole('button', { name: `Stage ${stage}`, exact: true }),
        ).toBeAttached();
      }
      await expect(page.getByRole('button', { name: /^Stage / })).toHaveCount(
        24,
      );
      await expectGraphFits(page, card);
      expect(await smallestGraphText(page)).toBeGreaterThanOrEqual(MIN_TEXT_PX);
      await page.screenshot({
        path: info.outputPath(`24-stages-${viewport.width}.png`),
        fullPage: true,
      });
    }
  });
});
