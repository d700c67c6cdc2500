// Placing new books on a run, through `shelfmap serve` in Chromium: map two fixture genres, place
// the third genre's folder, and see the placed books marked on the map, in the book panel and
// in the exported CSV, with the run's clusters unchanged.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { CSV_COLUMNS, parseCsv } from '../src-shared/csv';
import { FIXTURE_BOOKS_DIR } from '../fixtures/fixture-paths';
import { addFolderByPath, watchForPageProblems } from './map-flow';
import { startServe, type ServeProcess, SCREENSHOTS } from './serve-helpers';

let serve: ServeProcess;
let folder: string;

test.beforeAll(async () => {
  // two of the three fixture genres to make the map from
  folder = mkdtempSync(join(tmpdir(), 'shelfmap-place-e2e-'));
  for (const genre of ['astronomy', 'cookery']) cpSync(join(FIXTURE_BOOKS_DIR, genre), join(folder, genre), { recursive: true });
  serve = await startServe();
});

test.afterAll(async () => {
  await serve?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** Clicks the first marker of the map's trace named `name` (Plotly draws one g.trace per trace, in order). */
async function clickMarkerOf(page: Page, name: RegExp): Promise<void> {
  const index = await page.getByTestId('cluster-map').evaluate(
    (plot, source) => ((plot as unknown as { data: { name?: string }[] }).data ?? []).findIndex((t) => new RegExp(source).test(t.name ?? '')),
    name.source,
  );
  expect(index).toBeGreaterThanOrEqual(0);
  const marker = page.getByTestId('cluster-map').locator('.scatterlayer .trace').nth(index).locator('.point').first();
  await marker.scrollIntoViewIfNeeded();
  const box = await marker.boundingBox();
  if (!box) throw new Error(`The marker of trace ${index} has no size.`);
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

test('a librarian places a new folder of books on a map without changing its clusters', async ({ page }) => {
  const problems = watchForPageProblems(page);
  await page.goto(serve.url);

  await addFolderByPath(page, folder);
  await expect(page.getByTestId('import-summary')).toHaveAttribute('data-added', '8', { timeout: 60_000 });
  await page.getByTestId('k-input').fill('2');
  await page.getByTestId('make-map').click();
  const summary = page.getByTestId('map-summary');
  await expect(summary).toHaveAttribute('data-points', '8', { timeout: 120_000 });
  const clustersBefore = await page.getByTestId('cluster-item').allTextContents();

  await page.getByTestId('place-open').click();
  const panel = page.getByTestId('place-panel');
  await expect(panel).toContainText('placed on run 1 with its own model');
  // a path the server cannot resolve is refused with a message, and nothing changes
  await page.getByTestId('place-folder-path').fill('new-books');
  await page.getByTestId('place-books').click();
  await expect(page.getByTestId('place-error')).toContainText('must be a full path');

  await page.getByTestId('place-folder-path').fill(join(FIXTURE_BOOKS_DIR, 'sea-voyages'));
  await page.getByTestId('place-books').click();
  await expect(page.getByTestId('place-notice')).toHaveText('4 books placed on run 1 (clusters unchanged).', { timeout: 60_000 });
  await expect(page.getByTestId('place-error')).toHaveCount(0);

  // the map shows the placed books, marked, beside the run's own
  await expect(summary).toHaveAttribute('data-points', '12');
  await expect(summary).toHaveAttribute('data-placed', '4');
  await expect(summary).toContainText('4 of them placed on the run after it was made');
  await expect(page.getByTestId('cluster-map').locator('.scatterlayer .point')).toHaveCount(12);
  await expect(page.getByTestId('cluster-item')).toHaveText(clustersBefore);
  await expect(page.getByTestId('book-count')).toHaveAttribute('data-count', '12');

  // a placed book says so in its panel; a book of the run does not
  await clickMarkerOf(page, /\(placed\)$/);
  await expect(page.getByTestId('book-details')).toContainText('sea-voyages');
  await expect(page.getByTestId('placed-badge')).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOTS, 'place.png'), fullPage: true });
  await clickMarkerOf(page, /^(?!.*\(placed\)$)/);
  await expect(page.getByTestId('book-details')).not.toContainText('sea-voyages');
  await expect(page.getByTestId('placed-badge')).toHaveCount(0);

  // the run's CSV marks them in its placed column
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const [header, ...rows] = parseCsv(await readFile(await download.path(), 'utf8'));
  expect(header).toEqual([...CSV_COLUMNS]);
  const placed = rows.filter((r) => r[CSV_COLUMNS.indexOf('placed')] === '1');
  expect(rows).toHaveLength(12);
  expect(placed.map((r) => r[0].split('/').at(-2))).toEqual(['sea-voyages', 'sea-voyages', 'sea-voyages', 'sea-voyages']);

  // the same folder again: nothing is placed twice
  await page.getByTestId('place-books').click();
  await expect(page.getByTestId('place-error')).toContainText('its 4 books are all in run 1 already');
  await expect(summary).toHaveAttribute('data-points', '12');
  expect(problems).toEqual([]);
});
