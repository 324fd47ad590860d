import { Page } from '@playwright/test';

/** Signs in (as the guest by default) and waits for the backend's Kargo plugin to answer. */
export async function open(page: Page, path: string, signIn = 'Enter') {
  for (let i = 0; i < 60; i++) {
    const health = await page.request
      .get('http://localhost:7007/api/kargo/health')
      .catch(() => undefined);
    if (health?.ok()) break;
    await page.waitForTimeout(1000);
  }
  await page.goto(path);
  // Every test starts in a fresh browser context: sign in.
  await page
    .getByRole('button', { name: signIn, exact: true })
    .click({ timeout: 60_000 });
}
