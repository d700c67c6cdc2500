// The Library tab through the browser door: the sidebar says in one line what an import left
// out and links to the tab, where each left-out file is listed with its reason; the table of
// books and left-out files sorts by a column (aria-sort) and filters by text and status; the
// tabs switch with the arrow keys; after a map is made the books read "In the map", a title
// opens the book on the map, the progress named the run, focus did not fall to the page top,
// and a cancelled run's notice goes when the next import starts. Then the window at 1024 x 700: the map, the cluster list and the book panel all in view.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { makeMixedFolder } from '../fixtures/fixture-paths';
import { addFolderByPath, watchForPageProblems } from './map-flow';
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

const screenshot = (name: string) => join(SCREENSHOTS, name);

/** The text of one column of the table's shown rows. */
async function column(page: Page, index: number): Promise<string[]> {
  return page.getByTestId('library-row').locator(`td:nth-child(${index})`).allTextContents();
}

test('the library table lists books and left-out files, sorts, filters, and follows the map', async ({ page }) => {
  const problems = watchForPageProblems(page);
  await page.goto(serve.url);
  await addFolderByPath(page, folder);
  await expect(page.getByTestId('import-summary')).toHaveAttribute('data-library-books', '12', { timeout: 60_000 });

  // one line in the sidebar, and "Make map" stays in view
  await expect(page.getByTestId('left-out-summary')).toHaveText('2 files left out · See why in the Library tab');
  await expect(page.locator('.sidebar [data-testid="rejected-item"]')).toHaveCount(0);
  await expect(page.getByTestId('make-map')).toBeInViewport();
  // and the folders are in the Library tab, not in the sidebar
  await expect(page.locator('.sidebar [data-testid="folder-item"]')).toHaveCount(0);

  await page.getByTestId('show-left-out').click();
  await expect(page.getByTestId('tab-library')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel', { name: 'Library' })).toBeVisible();
  await expect(page.locator('#left-out-title')).toBeFocused();
  const binary = page.locator('[data-testid="rejected-item"][data-reason="binary"]');
  await expect(binary.locator('.rejected-name')).toHaveText('binary.txt');
  await expect(binary.locator('.rejected-message')).toContainText('binary');
  await expect(page.locator('[data-testid="rejected-item"][data-reason="empty"] .rejected-message')).toContainText('empty');

  // the table: 12 books and 2 left-out files, no map yet
  await expect(page.getByTestId('library-row')).toHaveCount(14);
  await expect(page.getByTestId('library-counts')).toContainText('12 books · 0 in the map · 12 not in it · 0 missing · 2 files left out');

  // filter by status, then by text
  const status = page.getByTestId('library-status-filter');
  await status.selectOption('left-out');
  await expect(page.getByTestId('library-row')).toHaveCount(2);
  await expect(page.locator('[data-testid="library-row"][data-reason="binary"] [data-testid="library-status"]')).toContainText('Left out: binary');
  await page.getByTestId('library-filter').fill('EMPTY');
  await expect(page.getByTestId('library-row')).toHaveCount(1);
  await expect(page.getByTestId('library-row')).toHaveAttribute('data-reason', 'empty');
  await status.selectOption('all');
  await page.getByTestId('library-filter').fill('salt road');
  await expect(page.getByTestId('library-row')).toHaveCount(1);
  await expect(page.getByTestId('library-row').locator('td').first()).toHaveText('The Salt Road');
  await expect(page.getByTestId('library-row').locator('td').nth(1)).toHaveText('José Martí');
  await page.getByTestId('library-filter').fill('no such book');
  await expect(page.getByTestId('library-range')).toHaveText('No row matches the filter.');
  await page.getByTestId('library-filter').fill('');

  // sort by words: one click ascending, another descending, and the header says which
  const wordsHeader = page.getByRole('columnheader', { name: 'Words' });
  await page.getByTestId('sort-words').click();
  await expect(wordsHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect(page.getByRole('columnheader', { name: 'Title' })).not.toHaveAttribute('aria-sort', /.+/);
  const up = (await column(page, 4)).filter(Boolean).map((w) => Number(w.replace(/,/g, '')));
  expect(up).toHaveLength(12);
  expect(up).toEqual([...up].sort((a, b) => a - b));
  await page.getByTestId('sort-words').click();
  await expect(wordsHeader).toHaveAttribute('aria-sort', 'descending');
  const down = (await column(page, 4)).filter(Boolean).map((w) => Number(w.replace(/,/g, '')));
  expect(down).toEqual([...up].reverse());
  // the files without a word count stay last either way
  expect((await column(page, 4)).slice(-2)).toEqual(['', '']);
  await page.getByTestId('sort-title').click();
  const titles = await column(page, 1);
  expect(titles).toEqual([...titles].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base', numeric: true })));
  await page.screenshot({ path: screenshot('library-tab.png'), fullPage: true });

  // the tabs are one tab stop and the arrow keys switch them
  await page.getByTestId('tab-library').focus();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('tab-map')).toBeFocused();
  await expect(page.getByTestId('tab-map')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('library-view')).toBeHidden();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('tab-library')).toHaveAttribute('aria-selected', 'true');
  await page.getByTestId('tab-map').click();

  // a map: the progress names its run, and focus lands on the map's heading when it ends
  await page.locator('.advanced summary').click();
  await page.getByTestId('epochs-input').fill('8');
  await page.getByTestId('k-input').fill('3');
  await page.getByTestId('make-map').click();
  await expect(page.getByTestId('run-progress-title')).toHaveText(/^(New run|Run 1), k = 3$/);
  await expect(page.getByTestId('run-progress-title')).toHaveText('Run 1, k = 3');
  await expect(page.getByTestId('map-summary')).toHaveAttribute('data-clusters', '3', { timeout: 120_000 });
  await expect(page.locator('#map-title')).toBeFocused();

  await page.getByTestId('tab-library').click();
  await status.selectOption('in-map');
  await expect(page.getByTestId('library-row')).toHaveCount(12);
  await expect(page.getByTestId('library-status').first()).toHaveText('In the map (run 1)');
  await page.getByTestId('library-row').first().getByRole('button').click();
  await expect(page.getByTestId('tab-map')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('book-details')).toBeVisible();

  // a cancelled run says so until the next thing happens: here, reading the folder again
  await page.locator('.advanced summary').click();
  await page.getByTestId('epochs-input').fill('3000');
  await page.getByTestId('make-map').click();
  await expect(page.getByTestId('epoch-loss')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('cancel-run').click();
  await expect(page.getByTestId('run-cancelled')).toContainText('Run cancelled. The previous map is still shown.', { timeout: 60_000 });
  await addFolderByPath(page, folder);
  await expect(page.getByTestId('run-cancelled')).toHaveCount(0);
  await expect(page.getByTestId('import-summary')).toHaveAttribute('data-unchanged', '12', { timeout: 60_000 });
  expect(problems).toEqual([]);
});

test('at 1024 x 700 the map, the cluster list and the book panel stay reachable', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(serve.url);
  await expect(page.getByTestId('map-summary')).toHaveAttribute('data-points', '12', { timeout: 30_000 });
  const marker = page.getByTestId('cluster-map').locator('.scatterlayer .point').first();
  const box = (await marker.boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await expect(page.getByTestId('book-details')).toBeVisible();

  // the window itself does not scroll: each column does, and the map keeps its place
  const scroll = await page.evaluate<{ page: number; view: number }>('({ page: document.documentElement.scrollHeight, view: window.innerHeight })');
  expect(scroll.page).toBeLessThanOrEqual(scroll.view + 1);
  const map = (await page.getByTestId('cluster-map').boundingBox())!;
  expect(map.width).toBeGreaterThan(350);
  expect(map.height).toBeGreaterThan(300);
  expect(map.y + map.height).toBeLessThanOrEqual(700);
  await expect(page.getByTestId('book-details')).toBeInViewport();
  await expect(page.getByTestId('export-csv')).toBeInViewport({ ratio: 1 });
  await page.screenshot({ path: screenshot('window-1024x700.png') });
  // the last cluster is reached by scrolling the right column only
  const lastCluster = page.getByTestId('cluster-item').last();
  await lastCluster.scrollIntoViewIfNeeded();
  await expect(lastCluster).toBeInViewport();
  await expect(page.getByTestId('cluster-map')).toBeInViewport({ ratio: 0.9 });
  await expect(page.getByTestId('make-map')).toBeVisible();

  // the map fills its panel again after a box above it opens and closes
  const before = (await page.getByTestId('cluster-map').boundingBox())!;
  await page.getByTestId('place-open').click();
  await expect(page.getByTestId('place-panel')).toBeVisible();
  await expect
    .poll(async () => Math.round((await page.locator('[data-testid="cluster-map"] .main-svg').first().boundingBox())!.height))
    .toBe(Math.round((await page.getByTestId('cluster-map').boundingBox())!.height));
  await page.getByTestId('place-open').click();
  await expect(page.getByTestId('place-panel')).toHaveCount(0);
  await expect
    .poll(async () => Math.round((await page.locator('[data-testid="cluster-map"] .main-svg').first().boundingBox())!.height))
    .toBe(Math.round(before.height));
});
