import AxeBuilder from '@axe-core/playwright';
import { expect, Page, test, TestInfo } from '@playwright/test';
import path from 'node:path';
import { open } from './signIn';

const GUESTBOOK_KARGO = '/catalog/default/component/guestbook/kargo';

/** The first freight of guestbook's project, as the backend's entity view lists it. */
async function guestbookFreight(
  page: Page,
  headers: Record<string, string>,
): Promise<string> {
  const view = await (
    await page.request.get(
      'http://localhost:7007/api/kargo/entity-view?entityRef=component:default/guestbook',
      { headers },
    )
  ).json();
  return view.projects[0].freight[0].name;
}

/** The Backstage token of whoever the page signed in as. */
async function tokenOf(page: Page, provider: 'guest' | 'developer') {
  const refresh = await page.request.post(
    `http://localhost:7007/api/auth/${provider}/refresh`,
    { headers: { 'x-requested-with': 'XMLHttpRequest' } },
  );
  const { backstageIdentity } = await refresh.json();
  return { authorization: `Bearer ${backstageIdentity.token}` };
}

const KARGO_DEMO_API =
  'http://localhost:7007/api/kargo/instances/simulator/projects/kargo-demo';
const LINE_STOPS_API = 'http://localhost:7007/api/kargo/line-stops';

/** The size the README's screenshots are taken at. */
const SCREEN = { width: 1440, height: 900 };

/** A screenshot for the test's artifacts, and for the README (docs/images) with DOCS_SCREENSHOTS=1. */
async function shot(page: Page, info: TestInfo, name: string) {
  await page.screenshot({ path: info.outputPath(`${name}.png`) });
  if (process.env.DOCS_SCREENSHOTS) {
    await page.screenshot({
      path: path.join(
        __dirname,
        '..',
        '..',
        'docs',
        'images',
        `kargo-${name}.png`,
      ),
    });
  }
}

/** A stage's node in the pipeline graph. */
const stageButton = (page: Page, stage: string) =>
  page.getByRole('button', { name: `Stage ${stage}`, exact: true });

/** Closes the stage drawer once the promote dialog over it has gone. */
async function closeDrawer(page: Page) {
  const heading = page.getByRole('heading', { name: /^Stage / });
  // While the dialog is open or closing, the drawer is hidden from the accessibility tree:
  // its heading shows again once the dialog has gone, and Escape then reaches the drawer.
  await expect(async () => {
    await expect(heading).toBeVisible({ timeout: 2000 });
    await page.keyboard.press('Escape');
    await expect(heading).toHaveCount(0, { timeout: 2000 });
  }).toPass({ timeout: 20_000 });
}

/** Opens the stage's promote dialog and waits for its diff. */
async function openPromoteDialog(page: Page, stage: string) {
  await stageButton(page, stage).click();
  await page.getByRole('button', { name: 'Promote…' }).click();
  const dialog = page.getByRole('dialog', { name: `Promote to ${stage}` });
  await expect(
    dialog.getByRole('table', { name: 'What changes' }),
  ).toBeVisible();
  return dialog;
}

test('the Kargo tab shows the pipeline and passes an accessibility check', async ({
  page,
}, info) => {
  await open(page, GUESTBOOK_KARGO);
  await expect(page.getByText('Kargo · project kargo-demo')).toBeVisible();
  for (const stage of ['test', 'uat', 'prod']) {
    await expect(stageButton(page, stage)).toBeVisible();
  }
  await page.screenshot({ path: info.outputPath('kargo-tab.png') });
  const axe = await new AxeBuilder({ page })
    .include('main')
    .withTags(['wcag2a', 'wcag2aa'])
    .analyze();
  const serious = axe.violations.filter(v =>
    ['serious', 'critical'].includes(v.impact ?? ''),
  );
  expect(
    serious.map(v => `${v.id}: ${v.nodes.map(n => n.target).join(', ')}`),
  ).toEqual([]);
});

test('filtering by warehouse keeps only that freightline', async ({ page }) => {
  await open(page, '/catalog/default/component/storefront/kargo');
  await expect(page.getByText('Kargo · project microservices')).toBeVisible();
  const cards = page.getByRole('listitem', { name: /^Freight / });
  await expect(cards.first()).toBeVisible();
  const all = await cards.count();
  await page.getByLabel('Warehouses').click();
  await page.getByRole('option', { name: 'checkout' }).click();
  await page.keyboard.press('Escape');
  await expect(cards.first()).toBeVisible();
  await expect.poll(() => cards.count()).toBeLessThan(all);
});

test('freight metadata can be written in place and is shown', async ({
  page,
}) => {
  await open(page, GUESTBOOK_KARGO);
  await page
    .getByRole('listitem', { name: /^Freight / })
    .first()
    .click();
  await expect(page.getByText('Notes from the portal')).toBeVisible();
  await page.getByRole('button', { name: 'Edit' }).click();
  const label = `e2e=${Date.now()}`;
  await page.getByLabel('Labels, one key=value per line').fill(label);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText(label)).toBeVisible();
});

test('a note with a link of another scheme shows as text and the tab keeps working', async ({
  page,
}) => {
  await open(page, GUESTBOOK_KARGO);
  // Written through the API as the guest, as anyone allowed to write metadata could.
  const refresh = await page.request.post(
    'http://localhost:7007/api/auth/guest/refresh',
    { headers: { 'x-requested-with': 'XMLHttpRequest' } },
  );
  const { backstageIdentity } = await refresh.json();
  const headers = { authorization: `Bearer ${backstageIdentity.token}` };
  const base =
    'http://localhost:7007/api/kargo/instances/simulator/projects/kargo-demo';
  const freight = await guestbookFreight(page, headers);
  const current = await (
    await page.request.get(`${base}/freight-metadata?freight=${freight}`, {
      headers,
    })
  ).json();
  const written = await page.request.put(
    `${base}/freight/${freight}/metadata`,
    {
      headers,
      data: {
        version: current.items[0]?.version ?? 0,
        notes:
          'see [the chat](irc://irc.example.com/releases) or [this](javascript:alert(1))',
        links: [],
        labels: {},
      },
    },
  );
  expect(written.status()).toBe(200);
  const errors: string[] = [];
  page.on('pageerror', e => errors.push(e.message));
  await page.reload();
  await page
    .getByRole('listitem', { name: /^Freight / })
    .first()
    .click();
  await expect(page.getByText('the chat')).toBeVisible();
  await expect(
    page.locator('a[href^="irc:"], a[href^="javascript:"]'),
  ).toHaveCount(0);
  expect(errors).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(stageButton(page, 'prod')).toBeVisible();
});

test('promote: the dialog shows the diff, the promotion appears and completes live', async ({
  page,
}, info) => {
  await open(page, GUESTBOOK_KARGO);
  const dialog = await openPromoteDialog(page, 'test');
  await page.screenshot({ path: info.outputPath('promote-dialog.png') });
  const succeeded = page.getByText('Succeeded', { exact: true });
  const before = await succeeded.count();
  await dialog.getByRole('button', { name: 'Promote', exact: true }).click();
  await expect(page.getByText(/Promotion .* into test started/)).toBeVisible();
  // The stage drawer follows the promotion through signals, without a reload.
  await expect
    .poll(() => succeeded.count(), { timeout: 60_000 })
    .toBeGreaterThan(before);
});

test('a frozen stage refuses promotion with the reason', async ({ page }) => {
  await open(page, GUESTBOOK_KARGO);
  await stageButton(page, 'uat').click();
  const reason = `e2e freeze ${Date.now()}`;
  await page.getByLabel('Reason').fill(reason);
  await page.getByRole('button', { name: 'Freeze now' }).click();
  await expect(
    page.getByText(new RegExp(`Frozen \\(${reason}\\)`)).first(),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Promote…' }).click();
  await expect(
    page.getByText(new RegExp(`frozen by promotion window .*${reason}`)),
  ).toBeVisible();
  await expect(
    page.getByRole('button', { name: 'Promote', exact: true }),
  ).toBeDisabled();
  // End the freeze again, so the demo stays usable.
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page
    .getByRole('button', { name: /^End freeze-uat-/ })
    .first()
    .click();
  await expect(page.getByText('Open for promotion.')).toBeVisible();
  // The owners (the guest among them) are told it ended.
  await page.goto('/notifications');
  await expect(
    page.getByRole('link', { name: 'Freeze ended: uat (kargo-demo)' }).first(),
  ).toBeVisible();
});

test('approval: dev asks for prod, the guest is notified and approves, dev promotes and the PR link shows until merged', async ({
  page,
  browser,
}, info) => {
  test.setTimeout(240_000);
  // prod of kargo-demo needs one approval from release-managers (app-config.demo.yaml); dev owns
  // the guestbook but is no release manager, the guest is one.
  const devContext = await browser.newContext({ viewport: SCREEN });
  const dev = await devContext.newPage();
  await open(dev, GUESTBOOK_KARGO, 'Enter as dev');
  let dialog = await openPromoteDialog(dev, 'prod');
  const approval = dialog.getByLabel('Approval', { exact: true });
  await approval
    .getByLabel('Comment for the approvers (optional)')
    .fill('release 42, QA signed off');
  await approval.getByRole('button', { name: 'Request approval' }).click();
  await expect(approval.getByText('Pending', { exact: true })).toBeVisible();
  await expect(
    dialog.getByRole('button', { name: 'Promote', exact: true }),
  ).toBeDisabled();
  await shot(dev, info, 'approval-request');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await closeDrawer(dev);

  // The guest finds the request among their notifications, and follows it to the Kargo tab.
  await page.setViewportSize(SCREEN);
  await open(page, '/notifications');
  const notification = page
    .getByRole('link', {
      name: /^Approval requested: .* into prod \(kargo-demo\)$/,
    })
    .first();
  await expect(notification).toBeVisible({ timeout: 60_000 });
  await shot(page, info, 'approval-notification');
  await notification.click();
  await expect(page.getByText('Kargo · project kargo-demo')).toBeVisible();
  await stageButton(page, 'prod').click();
  const approvals = page.getByRole('region', { name: 'Approvals for prod' });
  await expect(approvals.getByText(/release 42, QA signed off/)).toBeVisible();
  await shot(page, info, 'approval-vote');
  await approvals.getByRole('button', { name: 'Approve' }).first().click();
  await expect(
    page.getByText('Approved the promotion into prod'),
  ).toBeVisible();

  // dev promotes: the dialog says it is approved, and Promote goes through the gate.
  dialog = await openPromoteDialog(dev, 'prod');
  await expect(dialog.getByText('Approved for prod')).toBeVisible();
  await dialog.getByRole('button', { name: 'Promote', exact: true }).click();
  await expect(dev.getByText(/Promotion .* into prod started/)).toBeVisible();
  // The promotion waits for its pull request: the drawer links to it.
  const prLink = dev.getByRole('link', { name: 'pull request' }).first();
  await expect(prLink).toBeVisible({ timeout: 60_000 });
  await expect(dev.getByText(/wait-for-pr Running/).first()).toBeVisible({
    timeout: 60_000,
  });
  await dev.screenshot({ path: info.outputPath('waiting-for-pr.png') });
  // Merge it in the simulator (what a reviewer would do in the git host).
  const prs = await (
    await dev.request.get('http://localhost:7008/simulator/pull-requests')
  ).json();
  const pr = prs.items.find((p: { open: boolean }) => p.open);
  expect(pr).toBeDefined();
  await dev.request.post(
    `http://localhost:7008/simulator/pull-requests/${pr.id}/merge`,
  );
  await expect(dev.getByText(/wait-for-pr Running/)).toHaveCount(0, {
    timeout: 60_000,
  });
  await devContext.close();
});

test.describe('stop the line', () => {
  // Never leave the demo stopped for the tests after this one, even when it fails half-way.
  test.afterEach(async ({ page }) => {
    const headers = await tokenOf(page, 'guest');
    const stops = await (
      await page.request.get(LINE_STOPS_API, { headers })
    ).json();
    for (const stop of stops.items ?? []) {
      await page.request.delete(`${LINE_STOPS_API}/${stop.id}`, { headers });
    }
  });

  test('every stage of every project closes with a banner, and an override lets a hotfix through', async ({
    page,
  }, info) => {
    test.setTimeout(180_000);
    await page.setViewportSize(SCREEN);
    await open(page, GUESTBOOK_KARGO);
    const reason = `e2e incident ${Date.now()}`;
    await page.getByRole('button', { name: 'Stop the line' }).click();
    const start = page.getByRole('dialog', { name: 'Stop the line' });
    await start.getByLabel('Reason').fill(reason);
    await start.getByRole('button', { name: 'Stop the line' }).click();
    const banner = page.getByRole('region', { name: 'Stop the line' });
    await expect(banner.getByText(reason)).toBeVisible();
    await expect(
      page.getByText(new RegExp(`Frozen \\(Stop the line: ${reason}`)).first(),
    ).toBeVisible();
    await shot(page, info, 'stop-the-line');
    await stageButton(page, 'uat').click();
    await expect(
      page
        .getByText(new RegExp(`^Frozen \\(.*Stop the line: ${reason}`))
        .first(),
    ).toBeVisible();

    // Another project: closed too, with the same banner.
    await page.goto('/catalog/default/component/storefront/kargo');
    await expect(page.getByText('Kargo · project microservices')).toBeVisible();
    await expect(banner.getByText(reason)).toBeVisible();
    await stageButton(page, 'prod-eu').click();
    await expect(
      page
        .getByText(new RegExp(`^Frozen \\(.*Stop the line: ${reason}`))
        .first(),
    ).toBeVisible();

    // A hotfix: the guest, a release manager, overrides the freeze (audited).
    await page.goto(GUESTBOOK_KARGO);
    const dialog = await openPromoteDialog(page, 'test');
    await expect(
      dialog.getByText(new RegExp(`frozen by promotion window .*${reason}`)),
    ).toBeVisible();
    const promote = dialog.getByRole('button', {
      name: 'Promote',
      exact: true,
    });
    await expect(promote).toBeDisabled();
    await dialog
      .getByLabel('Override the freeze gate (recorded in the audit log)')
      .check();
    await promote.click();
    await expect(
      page.getByText(/Promotion .* into test started/),
    ).toBeVisible();

    // The line runs again: ended from the banner of any Kargo tab.
    await page.goto('/catalog/default/component/storefront/kargo');
    await banner.getByRole('button', { name: 'End' }).click();
    await expect(banner).toHaveCount(0);
  });
});

test('a new service with a Kargo pipeline from the software template', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const name = `e2e-${Date.now().toString(36)}`;
  await open(page, '/create/templates/default/kargo-project');
  await page.getByLabel('Name').fill(name);
  const owner = page.getByRole('textbox', { name: 'Owner' });
  await owner.click();
  await owner.fill('guests');
  await page
    .getByRole('option', { name: /guests/ })
    .first()
    .click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  await page
    .getByRole('link', { name: 'Open in the catalog' })
    .click({ timeout: 60_000 });
  // The catalog processes the new location asynchronously: reload until the entity is there.
  const kargoTab = page.getByRole('link', { name: 'Kargo', exact: true });
  await expect
    .poll(
      async () => {
        if (await kargoTab.isVisible()) return true;
        await page.waitForTimeout(2000);
        await page.reload();
        return kargoTab.isVisible();
      },
      { timeout: 120_000, intervals: [1000] },
    )
    .toBe(true);
  await kargoTab.click();
  await expect(page.getByText(`Kargo · project ${name}`)).toBeVisible();
  for (const stage of ['test', 'uat', 'prod']) {
    await expect(stageButton(page, stage)).toBeVisible();
  }
});

test('a user the example policy denies sees the actions disabled, and the API refuses them', async ({
  page,
}, info) => {
  // dev owns the guestbook (team guests) but is no release manager: prod's refresh no (its
  // promotions wait for a release manager's approval instead), test's yes.
  await open(page, GUESTBOOK_KARGO, 'Enter as dev');
  await stageButton(page, 'prod').click();
  const refreshProd = page.getByRole('button', { name: 'Refresh' });
  await expect(refreshProd).toBeDisabled();
  // The reason shows on hover (retried: the drawer may still be sliding in).
  await expect(async () => {
    await page.mouse.move(0, 0);
    await refreshProd.locator('..').hover();
    await expect(
      page.getByText('You are not allowed to do this (kargo.stage.refresh)'),
    ).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 20_000 });
  await page.screenshot({ path: info.outputPath('denied-prod.png') });
  await page.keyboard.press('Escape');
  await stageButton(page, 'test').click();
  await expect(page.getByRole('button', { name: 'Refresh' })).toBeEnabled();

  // The backend refuses the same action, whatever the browser shows.
  const headers = await tokenOf(page, 'developer');
  const denied = await page.request.post(
    `${KARGO_DEMO_API}/stages/prod/refresh`,
    { headers },
  );
  expect(denied.status()).toBe(403);
  expect((await denied.json()).error.message).toMatch(/kargo.stage.refresh/);
});

test("the stage drawer shows the stage's pods, whose images follow a promotion", async ({
  page,
}, info) => {
  await open(page, GUESTBOOK_KARGO);
  // A new image upstream: the warehouse discovers it and test promotes it automatically.
  const tag = `1.${Math.floor(Date.now() / 1000)}.0`;
  await page.request.post('http://localhost:7008/simulator/artifacts', {
    data: { image: 'ghcr.io/example/guestbook', tag },
  });
  await page.request.post(
    'http://localhost:7008/v1beta1/projects/kargo-demo/warehouses/guestbook/refresh',
    { headers: { authorization: 'Bearer kargo-simulator-admin-token' } },
  );
  await stageButton(page, 'test').click();
  const workloads = page.getByRole('region', { name: 'Workloads' });
  // Until the rollout is done, the pods still run the previous image, and the drawer says so.
  await expect(
    workloads.getByText(new RegExp(`Stage says ${tag}, pods run `)),
  ).toBeVisible({ timeout: 60_000 });
  await page.screenshot({ path: info.outputPath('workloads-rolling-out.png') });
  await expect(
    workloads.getByText("The pods run the stage's freight."),
  ).toBeVisible({ timeout: 60_000 });
  await expect(workloads.getByText(/^guestbook-test-/).first()).toBeVisible();
});

test('project settings: grant a role to the owners, stop auto-promotion, change a warehouse filter', async ({
  page,
}, info) => {
  test.setTimeout(180_000);
  const kargoApi = 'http://localhost:7008/v1beta1/projects/kargo-demo';
  const admin = { authorization: 'Bearer kargo-simulator-admin-token' };
  const kargo = async (path: string) =>
    (await page.request.get(`${kargoApi}${path}`, { headers: admin })).json();
  const freightIn = async (stage: string) =>
    Object.values(
      (await kargo(`/stages/${stage}`)).status.freightHistory[0].items,
    ).map((f: any) => f.name);
  // Every tag first, then one refresh: Kargo's refresh token is a time to the second
  // (kargo.akuity.io/refresh), so a second refresh in the same second would be one already
  // handled, and the warehouse would not look again.
  const publish = async (...tags: string[]) => {
    for (const tag of tags) {
      await page.request.post('http://localhost:7008/simulator/artifacts', {
        data: { image: 'ghcr.io/example/guestbook', tag },
      });
    }
    await page.request.post(`${kargoApi}/warehouses/guestbook/refresh`, {
      headers: admin,
    });
  };

  await open(page, GUESTBOOK_KARGO);
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', {
    name: 'Settings of Kargo project kargo-demo',
  });

  // Roles: the service's owners become promoters in one click.
  const promoter = dialog.getByRole('row').filter({
    has: page.getByRole('cell', { name: 'kargo-promoter', exact: true }),
  });
  await promoter.getByRole('button', { name: 'Grant to owners' }).click();
  await expect(promoter.getByText('groups: guests')).toBeVisible();
  // Kargo answers its roles as a bare array (list_roles_v1alpha1.go).
  const roles = await kargo('/roles');
  expect(
    roles.find((r: any) => r.metadata.name === 'kargo-promoter').claims,
  ).toContainEqual({ name: 'groups', values: ['guests'] });

  // Auto-promotion off for test: new freight no longer reaches it.
  await dialog.getByRole('button', { name: 'Turn off for test' }).click();
  await expect(
    dialog.getByRole('button', { name: 'Turn on for test' }),
  ).toBeVisible();
  const before = await freightIn('test');
  await publish(`1.${Math.floor(Date.now() / 1000)}.1`);
  await page.waitForTimeout(5000);
  expect(await freightIn('test')).toEqual(before);

  // Warehouse filter: the next discovered freight follows it.
  const editor = dialog.getByLabel('Settings of guestbook (JSON)');
  const original = await editor.inputValue();
  const spec = JSON.parse(original);
  spec.subscriptions[0].image.constraint = '~1.39.0';
  await editor.fill(JSON.stringify(spec, null, 2));
  await dialog.getByRole('button', { name: 'Save guestbook' }).click();
  await expect(page.getByText('Warehouse guestbook saved')).toBeVisible();
  const patch = `1.39.${Math.floor(Date.now() / 1000) % 100000}`;
  await publish(`1.${Math.floor(Date.now() / 1000)}.2`, patch);
  await expect
    .poll(
      async () => {
        const freight = await kargo('/freight');
        const all = Object.values(freight.groups as Record<string, any>)
          .flatMap(g => g.items)
          .sort((a: any, b: any) =>
            b.metadata.creationTimestamp.localeCompare(
              a.metadata.creationTimestamp,
            ),
          );
        return all[0].images[0].tag;
      },
      { timeout: 30_000 },
    )
    .toBe(patch);
  await page.screenshot({ path: info.outputPath('project-settings.png') });

  // Leave the demo as it was: the filter back, auto-promotion on (test catches up).
  await editor.fill(original);
  await dialog.getByRole('button', { name: 'Save guestbook' }).click();
  await dialog.getByRole('button', { name: 'Turn on for test' }).click();
  await expect(
    dialog.getByRole('button', { name: 'Turn off for test' }),
  ).toBeVisible();
});
