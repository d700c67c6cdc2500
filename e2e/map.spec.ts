// The browser door: `shelfmap serve` in Chromium, folder typed as a path on the server.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { makeMixedFolder } from '../fixtures/fixture-paths';
import { addFolderByPath, runMapFlow } from './map-flow';
import { startServe, type ServeProcess, SCREENSHOTS } from './serve-helpers';

let serve: ServeProcess;
let folder: string;

test.beforeAll(async () => {
  folder = makeMixedFolder();
  serve = await startServe();
});

test.afterAll(async () => {
  await serve?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

test('a librarian maps a mixed folder of books in the browser', async ({ page }) => {
  await page.goto(serve.url);
  // The access token leaves the address bar as soon as the page has it.
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  await expect(page.getByTestId('drop-zone')).toContainText('desktop app');

  await runMapFlow(page, folder, {
    addFolder: addFolderByPath,
    screenshotPath: join(SCREENSHOTS, 'browser-map.png'),
  });
});

test('the API refuses calls without the token', async ({ request }) => {
  const origin = new URL(serve.url).origin;
  const response = await request.post(`${origin}/api/listBooks`, { data: {} });
  expect(response.status()).toBe(401);
});
