import { defineConfig } from '@playwright/test';

/**
 * Browser tests against the full stack the start command runs (portal + Kargo simulator),
 * driven with Debian's Chromium: `npx playwright install` cannot download browsers here.
 */
export default defineConfig({
  testDir: './tests',
  outputDir: './artifacts',
  timeout: 90_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: 'http://localhost:3000',
    screenshot: 'on',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: 'node ../.yarn/releases/yarn-4.13.0.cjs start',
    url: 'http://localhost:3000',
    timeout: 240_000,
    reuseExistingServer: !process.env.CI,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
