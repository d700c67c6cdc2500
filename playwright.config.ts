import { defineConfig } from '@playwright/test';

// Two doors onto the same UI. The browser project drives `shelfmap serve` with Debian's
// Chromium (Playwright never downloads browsers here); the Electron project launches the built
// desktop app and skips itself when the Electron binary is not installed.
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  // Each test trains a model on two cores: one at a time.
  workers: 1,
  fullyParallel: false,
  timeout: 240_000,
  expect: { timeout: 15_000 },
  retries: 0,
  reporter: [['list']],
  use: {
    viewport: { width: 1440, height: 960 },
    acceptDownloads: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'browser',
      testMatch: ['map.spec.ts', 'library.spec.ts', 'evaluate.spec.ts', 'rename.spec.ts', 'place.spec.ts', 'k-sweep.spec.ts', 'library-tab.spec.ts', 'accessibility.spec.ts', 'search.spec.ts', 'map-select.spec.ts', 'map-scale.spec.ts', 'embedding.spec.ts'],
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
    {
      name: 'electron',
      testMatch: 'electron.spec.ts',
    },
  ],
});
