// Renaming a cluster through the browser door: map the fixture books, rename a cluster (Escape
// cancels, Enter saves), find the name in the cluster list, on the map and in the exported CSV,
// then map again and find the name carried to the matching cluster, with where it came from.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { parseCsv } from '../src-shared/csv';
import { FIXTURE_BOOKS_DIR } from '../fixtures/fixture-paths';
import { addFolderByPath, watchForPageProblems } from './map-flow';
import { startServe, type ServeProcess, SCREENSHOTS } from './serve-helpers';

const MAP_TIMEOUT_MS = 120_000;
const NAME = 'Shelf of my own';

let serve: ServeProcess;

test.beforeAll(async () => {
  serve = await startServe();
});

test.afterAll(async () => {
  await serve?.stop();
});

async function makeMap(page: Page, runId: number, seed: number): Promise<void> {
  await page.getByTestId('k-input').fill('3');
  await page.getByTestId('seed-input').fill(String(seed));
  await page.getByTestId('make-map').click();
  const done = page.locator(`[data-testid="run-item"][data-run-id="${runId}"][data-status="done"]`);
  const failed = page.getByTestId('run-error');
  await expect(done.or(failed)).toBeVisible({ timeout: MAP_TIMEOUT_MS });
  if (await failed.isVisible()) throw new Error(`The run failed: ${await failed.textContent()}`);
  await expect(page.getByTestId('map-summary')).toHaveAttribute('data-clusters', '3');
  await expect(page.getByTestId('cluster-item')).toHaveCount(3);
}

test('a librarian renames a cluster, sees the name everywhere, and finds it carried to the next map', async ({ page }) => {
  const problems = watchForPageProblems(page);
  await page.goto(serve.url);
  await addFolderByPath(page, FIXTURE_BOOKS_DIR);
  await expect(page.getByTestId('import-summary')).toBeVisible({ timeout: 60_000 });
  await makeMap(page, 1, 42);

  const row = page.getByTestId('cluster-row').first();
  const cluster = Number(await row.getAttribute('data-cluster'));
  const automatic = (await row.getByTestId('cluster-label').textContent())!;

  // Escape leaves the name as it was
  await row.getByRole('button', { name: new RegExp(`^Rename cluster ${cluster} `) }).click();
  const input = page.getByRole('textbox', { name: `New name for cluster ${cluster} (empty for the automatic name)` });
  await expect(input).toBeFocused();
  await input.fill('Never saved');
  await input.press('Escape');
  await expect(row.getByTestId('cluster-label')).toHaveText(automatic);

  // a name the library refuses says why, and the field stays open with what was typed
  await row.getByTestId('cluster-rename').click();
  await input.fill('bell\u0007');
  await input.press('Enter');
  await expect(page.getByTestId('cluster-rename-error')).toHaveText(/must not hold control characters/);
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await page.getByTestId('cluster-list').screenshot({ path: join(SCREENSHOTS, 'browser-rename-refused.png') });
  await input.press('Escape');
  await expect(row.getByTestId('cluster-label')).toHaveText(automatic);

  // Enter saves it: in the list (with the automatic name beside it) and on the map
  await row.getByTestId('cluster-rename').click();
  await input.fill(`  ${NAME}  `);
  await input.press('Enter');
  await expect(row.getByTestId('cluster-label')).toHaveText(NAME);
  await expect(row).toContainText(`Automatic name: ${automatic}`);
  await expect(page.getByTestId('cluster-map').locator('.annotation-text', { hasText: NAME })).toHaveCount(1);

  // and in the exported CSV, on every row of the cluster
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const [header, ...rows] = parseCsv(await readFile(await download.path(), 'utf8'));
  const inCluster = rows.filter((r) => Number(r[header.indexOf('cluster')]) === cluster);
  expect(inCluster.length).toBeGreaterThan(0);
  expect(inCluster.map((r) => r[header.indexOf('cluster_label')])).toEqual(inCluster.map(() => NAME));
  expect(rows.filter((r) => r[header.indexOf('cluster_label')] === NAME)).toHaveLength(inCluster.length);

  // a new map of the same books: the matching cluster takes the name and says where it came from
  await makeMap(page, 2, 7);
  const carried = page.getByTestId('cluster-carried');
  await expect(carried).toHaveCount(1);
  await expect(carried).toHaveText(/^Name carried from run 1: \d+ of \d+ books?$/);
  const carriedRow = page.getByTestId('cluster-row').filter({ has: carried });
  await expect(carriedRow.getByTestId('cluster-label')).toHaveText(NAME);
  await expect(page.getByTestId('cluster-map').locator('.annotation-text', { hasText: NAME })).toHaveCount(1);
  await page.screenshot({ path: join(SCREENSHOTS, 'browser-rename.png'), fullPage: true });

  // an empty name brings back the automatic one
  await carriedRow.getByTestId('cluster-rename').click();
  await page.getByTestId('cluster-name-input').fill('');
  await page.getByTestId('cluster-name-input').press('Enter');
  await expect(page.getByTestId('cluster-carried')).toHaveCount(0);
  await expect(page.getByTestId('cluster-label').filter({ hasText: NAME })).toHaveCount(0);
  expect(problems).toEqual([]);
});
