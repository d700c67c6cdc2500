// What a librarian does, shared by both doors: add a folder that holds books and two files
// that are not books, make a map with three clusters, look at a book, export the labels.
// Only the way the folder is chosen differs between the browser and the desktop app.
import { readFile } from 'node:fs/promises';
import { expect, type Page } from '@playwright/test';
import { CSV_COLUMNS, parseCsv } from '../src-shared/csv';

export const CLUSTERS = 3;
const MAP_TIMEOUT_MS = 120_000;
const IMPORT_TIMEOUT_MS = 60_000;

export interface MapFlowOptions {
  /** Starts adding `folder` to the library through this door's own controls. */
  addFolder(page: Page, folder: string): Promise<void>;
  /** Where to save the full-page screenshot of the finished map. */
  screenshotPath: string;
}

/** Collects what would show a broken page: uncaught errors and CSP refusals. */
export function watchForPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  return problems;
}

export async function addFolderByPath(page: Page, folder: string): Promise<void> {
  await page.getByTestId('folder-path').fill(folder);
  await page.getByTestId('add-folder').click();
}

/** Waits for the import to end and checks what it says; returns how many books the library holds. */
async function checkImport(page: Page): Promise<number> {
  const summary = page.getByTestId('import-summary');
  const failed = page.getByTestId('import-error');
  await expect(summary.or(failed)).toBeVisible({ timeout: IMPORT_TIMEOUT_MS });
  if (await failed.isVisible()) throw new Error(`The import failed: ${await failed.textContent()}`);

  await expect(summary).toContainText('2 left out');
  // the sidebar says how many in one line; the Library tab lists them with their reasons
  await expect(page.getByTestId('left-out-summary')).toContainText('2 files left out');
  await page.getByTestId('show-left-out').click();
  await expect(page.getByTestId('tab-library')).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('#left-out-title')).toBeFocused();
  const rejected = page.getByTestId('rejected-item');
  await expect(rejected).toHaveCount(2);
  const reasons = (await rejected.evaluateAll((items) => items.map((item) => item.getAttribute('data-reason')))).sort();
  expect(reasons).toEqual(['binary', 'empty']);
  for (const item of await rejected.all()) {
    // Each one names the file and says, in words, why it was left out.
    await expect(item.locator('.rejected-name')).toHaveText(/\.txt$/);
    await expect(item.locator('.rejected-message')).not.toBeEmpty();
  }

  await page.getByTestId('tab-map').click();

  const added = Number(await summary.getAttribute('data-added'));
  const libraryBooks = Number(await summary.getAttribute('data-library-books'));
  expect(added).toBeGreaterThan(0);
  expect(libraryBooks).toBe(added); // a fresh library: everything in it came from this folder
  await expect(page.getByTestId('book-count')).toHaveAttribute('data-count', String(libraryBooks));
  return libraryBooks;
}

export async function makeMap(page: Page, books: number): Promise<void> {
  await page.getByTestId('k-input').fill(String(CLUSTERS));
  await page.getByTestId('make-map').click();
  await expect(page.getByTestId('run-progress')).toBeVisible();

  const summary = page.getByTestId('map-summary');
  const failed = page.getByTestId('run-error');
  await expect(summary.or(failed)).toBeAttached({ timeout: MAP_TIMEOUT_MS });
  if (await failed.isVisible()) throw new Error(`The run failed: ${await failed.textContent()}`);

  await expect(summary).toHaveAttribute('data-points', String(books));
  await expect(summary).toHaveAttribute('data-clusters', String(CLUSTERS));
  await expect(page.getByTestId('cluster-item')).toHaveCount(CLUSTERS);
  // Plotly drew one marker per book.
  await expect(page.getByTestId('cluster-map').locator('.scatterlayer .point')).toHaveCount(books);
  await expect(page.getByTestId('run-info')).toContainText(/^(tensorflow|webgpu|wasm|cpu) · features /);
}

/** Hovers a book on the map, then clicks it and reads its details. */
async function lookAtABook(page: Page): Promise<void> {
  const marker = page.getByTestId('cluster-map').locator('.scatterlayer .point').first();
  // Plotly listens on a drag layer above the markers, so aim the mouse rather than the element.
  const box = await marker.boundingBox();
  if (!box) throw new Error('The first marker on the map has no size.');
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.mouse.move(x, y);
  await expect(page.getByTestId('cluster-map').locator('.hoverlayer .hovertext')).toBeVisible();
  await page.mouse.click(x, y);
  const details = page.getByTestId('book-details');
  await expect(details).toBeVisible();
  await expect(details).toContainText('.txt');

  await page.getByTestId('cluster-item').first().click();
  await expect(page.getByTestId('cluster-item').first()).toHaveAttribute('aria-pressed', 'true');
}

async function exportCsv(page: Page, books: number): Promise<void> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const file = await download.path();
  const rows = parseCsv(await readFile(file, 'utf8'));
  const [header, ...body] = rows;
  expect(header).toEqual([...CSV_COLUMNS]);
  expect(body).toHaveLength(books);
  const column = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
  const paths = new Set<string>();
  for (const row of body) {
    expect(row).toHaveLength(CSV_COLUMNS.length);
    expect(row[column('path')]).toMatch(/\.txt$/);
    paths.add(row[column('path')]);
    const cluster = Number(row[column('cluster')]);
    expect(Number.isInteger(cluster) && cluster >= 0 && cluster < CLUSTERS).toBe(true);
    expect(Number.isFinite(Number(row[column('x')])) && Number.isFinite(Number(row[column('y')]))).toBe(true);
  }
  expect(paths.size).toBe(books);
  // Every cluster on the map has at least one book in the file.
  expect(new Set(body.map((row) => row[column('cluster')])).size).toBe(CLUSTERS);
}

/** Opening the app again shows the last map (the browser keeps its access token for the tab). */
async function reopen(page: Page, books: number): Promise<void> {
  await page.reload();
  await expect(page.getByTestId('map-summary')).toHaveAttribute('data-points', String(books), { timeout: 30_000 });
  await expect(page.getByTestId('cluster-item')).toHaveCount(CLUSTERS);
  // The run controls start from the settings of the map on show.
  await expect(page.getByTestId('k-input')).toHaveValue(String(CLUSTERS));
}

export async function runMapFlow(page: Page, folder: string, options: MapFlowOptions): Promise<void> {
  const problems = watchForPageProblems(page);
  await expect(page.getByTestId('book-count')).toHaveAttribute('data-count', '0');

  await options.addFolder(page, folder);
  const books = await checkImport(page);
  await makeMap(page, books);
  await lookAtABook(page);
  await exportCsv(page, books);
  await page.screenshot({ path: options.screenshotPath, fullPage: true });
  await reopen(page, books);
  expect(problems).toEqual([]);
}
