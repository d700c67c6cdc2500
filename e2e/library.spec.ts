// The library through the browser door: the printed address keeps working in a second tab, a
// relative path is refused with a reason, "~" is the server's home folder, an import can be
// cancelled and what it read stays.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { FIXTURE_BOOKS_DIR } from '../fixtures/fixture-paths';
import { startServe, type ServeProcess, SCREENSHOTS } from './serve-helpers';
import { watchForPageProblems } from './map-flow';

let serve: ServeProcess;
let home: string;

/** `count` different books (each a fixture book with a preface of its own): enough that an import takes seconds. */
function manyBooks(folder: string, count: number): void {
  mkdirSync(folder, { recursive: true });
  const sources = readdirSync(FIXTURE_BOOKS_DIR).flatMap((genre) =>
    readdirSync(join(FIXTURE_BOOKS_DIR, genre)).map((name) => readFileSync(join(FIXTURE_BOOKS_DIR, genre, name), 'latin1')),
  );
  for (let i = 0; i < count; i++) {
    const lines = sources[i % sources.length].split('\n');
    // inside the body, so that each volume is a text of its own (the header is not part of a book's identity)
    lines.splice(Math.floor(lines.length / 2), 0, '', `Volume ${i} of the collected edition.`, '');
    writeFileSync(join(folder, `volume-${String(i).padStart(4, '0')}.txt`), lines.join('\n'), 'latin1');
  }
}

test.beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'shelfmap-home-'));
  cpSync(FIXTURE_BOOKS_DIR, join(home, 'books'), { recursive: true });
  manyBooks(join(home, 'many'), 5000);
  serve = await startServe({ HOME: home });
});

test.afterAll(async () => {
  await serve?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

test('the printed address keeps working: a second tab and the bare address both connect', async ({ page, context }) => {
  await page.goto(serve.url);
  await expect(page.getByTestId('book-count')).toHaveAttribute('data-count', /\d+/);
  const bare = page.url();
  expect(bare).not.toContain('token');

  const second = await context.newPage();
  await second.goto(serve.url);
  await expect(second.getByTestId('book-count')).toHaveAttribute('data-count', /\d+/);
  const third = await context.newPage();
  await third.goto(bare);
  await expect(third.getByTestId('book-count')).toHaveAttribute('data-count', /\d+/);
  await expect(third.getByTestId('load-error')).toHaveCount(0);
});

test('a relative path is refused with the reason, and ~ is the home folder of the server', async ({ page }) => {
  const problems = watchForPageProblems(page);
  await page.goto(serve.url);
  await page.getByTestId('folder-path').fill('books');
  await page.getByTestId('add-folder').click();
  await expect(page.getByTestId('import-error')).toContainText('must be a full path such as /home/you/books or ~/books');
  await expect(page.getByTestId('import-error')).toContainText('cannot tell which folder a relative path starts from');

  await page.getByTestId('folder-path').fill('~/books');
  await page.getByTestId('add-folder').click();
  await expect(page.getByTestId('import-summary')).toHaveAttribute('data-added', '12', { timeout: 60_000 });
  await expect(page.getByTestId('import-summary')).toContainText(join(home, 'books'));
  expect(problems).toEqual([]);
});

test('an import can be cancelled, and the books it read stay', async ({ page }) => {
  await page.goto(serve.url);
  const before = Number(await page.getByTestId('book-count').getAttribute('data-count'));
  await page.getByTestId('folder-path').fill(join(home, 'many'));
  await page.getByTestId('add-folder').click();
  const cancel = page.getByTestId('cancel-import');
  await expect(cancel).toBeVisible();
  // let some books in first
  await expect(page.getByTestId('import-progress')).toContainText(/volume-0[1-9]\d\d\.txt/, { timeout: 60_000 });
  // the header says books are being added, not a count that is stale until the add ends
  await expect(page.getByTestId('book-count')).toContainText(/adding more…|Adding books to the library…/);
  await page.screenshot({ path: join(SCREENSHOTS, 'browser-import-running.png'), fullPage: true });
  await cancel.click();
  const notice = page.getByTestId('import-cancelled');
  await expect(notice).toContainText('cancelled. The books read before the cancel stay in the library', { timeout: 60_000 });
  const after = Number(await page.getByTestId('book-count').getAttribute('data-count'));
  expect(after).toBeGreaterThan(before);
  expect(after).toBeLessThan(before + 5000);
  await page.screenshot({ path: join(SCREENSHOTS, 'browser-import-cancelled.png'), fullPage: true });
});

test.describe('runs and folders', () => {
  let own: ServeProcess;
  let ownHome: string;

  test.beforeAll(async () => {
    ownHome = mkdtempSync(join(tmpdir(), 'shelfmap-home-'));
    cpSync(FIXTURE_BOOKS_DIR, join(ownHome, 'books'), { recursive: true });
    own = await startServe({ HOME: ownHome });
  });

  test.afterAll(async () => {
    await own?.stop();
    if (ownHome) rmSync(ownHome, { recursive: true, force: true });
  });

  async function makeMap(page: Page, k: number): Promise<void> {
    await page.getByTestId('k-input').fill(String(k));
    await page.getByTestId('make-map').click();
    await expect(page.getByTestId('map-summary')).toHaveAttribute('data-clusters', String(k), { timeout: 120_000 });
  }

  test('switches between runs, compares them, and removes a book and a folder while the maps stay', async ({ page }) => {
    const problems = watchForPageProblems(page);
    await page.goto(own.url);
    await page.getByTestId('folder-path').fill('~/books');
    await page.getByTestId('add-folder').click();
    await expect(page.getByTestId('import-summary')).toHaveAttribute('data-added', '12', { timeout: 60_000 });
    // the folders are listed in the Library tab
    await page.getByTestId('tab-library').click();
    await expect(page.getByTestId('folder-item')).toHaveCount(1);
    await expect(page.getByTestId('folder-item')).toContainText('12 books');
    await page.getByTestId('tab-map').click();

    await page.locator('.advanced summary').click();
    await page.getByTestId('epochs-input').fill('8');
    await makeMap(page, 3);
    await makeMap(page, 2);
    const items = page.getByTestId('run-item');
    await expect(items).toHaveCount(2);
    await expect(items.first()).toContainText('on show');

    // back to the first map, then compare the second with it
    await page.locator('[data-testid="run-item"][data-run-id="1"]').getByTestId('show-run').click();
    await expect(page.getByTestId('map-summary')).toHaveAttribute('data-clusters', '3');
    await page.locator('[data-testid="run-item"][data-run-id="2"]').getByTestId('compare-run').click();
    const comparison = page.getByTestId('run-comparison');
    await expect(comparison).toContainText(/Run 2 against run 1: \d+ books? of 12 changed cluster; adjusted Rand index -?\d\.\d{3}/);

    // remove one book from its panel
    const marker = page.getByTestId('cluster-map').locator('.scatterlayer .point').first();
    const box = (await marker.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.getByTestId('remove-book').click();
    await page.getByTestId('confirm-remove-book').click();
    await expect(page.getByTestId('removal-message')).toContainText('from the library. Past maps keep their results.');
    await expect(page.getByTestId('book-count')).toHaveAttribute('data-count', '11');
    await page.getByTestId('tab-library').click();
    await expect(page.getByTestId('folder-item')).toContainText('11 books');

    // a file deleted on disk shows as missing once the folder is read again; the removed book,
    // whose file is still in the folder, comes back (the library follows its folders)
    rmSync(join(ownHome, 'books', 'sea-voyages', 'harbour-lights.txt'));
    await page.getByTestId('rescan-folder').click();
    await expect(page.getByTestId('folder-item')).toContainText('11 books · 1 missing');
    await page.locator('.folder-books summary').click();
    await expect(page.getByTestId('folder-book')).toHaveCount(12);
    await expect(page.locator('[data-testid="folder-book"][data-status="missing"]')).toHaveCount(1);
    await expect(page.locator('[data-testid="folder-book"][data-status="missing"]')).toContainText('Harbour Lights');

    await page.screenshot({ path: join(SCREENSHOTS, 'browser-runs-and-folders.png'), fullPage: true });

    // remove the folder: the library empties, the map on show keeps its books
    await page.getByTestId('remove-folder').click();
    await page.getByTestId('confirm-remove-folder').click();
    await expect(page.getByTestId('removal-message')).toContainText(`Removed ${join(ownHome, 'books')} and its 12 books`);
    await expect(page.getByTestId('book-count')).toHaveAttribute('data-count', '0');
    await expect(page.getByTestId('folder-item')).toHaveCount(0);
    await expect(page.getByTestId('map-summary')).toHaveAttribute('data-points', '12');
    expect(problems).toEqual([]);
  });
});
