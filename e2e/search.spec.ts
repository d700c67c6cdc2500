// Search and the book panel through the browser door: map the fixture books, search for a title
// (accents, case and Gutenberg numbers too), open it and find the map centred on it, follow a
// similar book, read the whole text, clear the search with Escape; then the same with the
// keyboard alone (Tab, arrow keys, Enter, Escape).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { FIXTURE_BOOKS_DIR } from '../fixtures/fixture-paths';
import { addFolderByPath, watchForPageProblems } from './map-flow';
import { startServe, type ServeProcess, SCREENSHOTS } from './serve-helpers';

const MAP_TIMEOUT_MS = 120_000;

let serve: ServeProcess;
/** The fixture books and one book longer than the reader shows whole. */
let folder: string;
const LONG_TITLE = 'The Long Chronicle';

/** A Gutenberg-style book of about 1.3 million characters: the fixture bodies, over and over. */
function writeLongBook(path: string): void {
  const body = ['astronomy/the-starry-heavens.txt', 'cookery/the-good-larder.txt', 'sea-voyages/harbour-lights.txt']
    .map((file) => readFileSync(join(FIXTURE_BOOKS_DIR, file), 'latin1').split(/\*\*\* ?START OF[^\n]*\n/)[1].split(/^[\s*]*END OF (?:THE |THIS )?PROJECT GUTENBERG/im)[0])
    .join('\n\n');
  const chapters = Array.from({ length: Math.ceil(1_300_000 / body.length) }, (_, i) => `CHAPTER ${i + 1}.\n\n${body}`).join('\n\n');
  const header = `The Project Gutenberg EBook of ${LONG_TITLE}, by Ann Annalist\n\nTitle: ${LONG_TITLE}\n\nAuthor: Ann Annalist\n\nLanguage: English\n\n*** START OF THIS PROJECT GUTENBERG EBOOK THE LONG CHRONICLE ***\n\n`;
  writeFileSync(path, `${header}${chapters}\n\n*** END OF THIS PROJECT GUTENBERG EBOOK THE LONG CHRONICLE ***\n`, 'utf8');
}

test.beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'shelfmap-search-'));
  cpSync(FIXTURE_BOOKS_DIR, folder, { recursive: true });
  writeLongBook(join(folder, 'the-long-chronicle.txt'));
  serve = await startServe();
});

test.afterAll(async () => {
  await serve?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

async function makeMap(page: Page): Promise<void> {
  await page.getByTestId('k-input').fill('3');
  await page.getByTestId('seed-input').fill('42');
  await page.getByTestId('make-map').click();
  const done = page.locator('[data-testid="run-item"][data-status="done"]');
  const failed = page.getByTestId('run-error');
  await expect(done.or(failed)).toBeVisible({ timeout: MAP_TIMEOUT_MS });
  if (await failed.isVisible()) throw new Error(`The run failed: ${await failed.textContent()}`);
  await expect(page.getByTestId('map-summary')).toHaveAttribute('data-points', '13');
}

/** How many markers the map draws at full strength while a search is on; null when none is dimmed. */
function emphasised(map: Locator): Promise<number | null> {
  return map.evaluate((el) => {
    const traces = (el as unknown as { data: { marker?: { opacity?: number | number[] }; hoverinfo?: string }[] }).data;
    const arrays = traces.filter((t) => t.hoverinfo !== 'skip').map((t) => t.marker?.opacity);
    if (!arrays.some(Array.isArray)) return null;
    return arrays.flatMap((o) => (Array.isArray(o) ? o : [])).filter((o) => o === 1).length;
  });
}

/** Where the map's axes are centred, and where the chosen book's ring is. */
function centreAndRing(map: Locator): Promise<{ centre: [number, number]; ring: [number, number] | null }> {
  return map.evaluate((el) => {
    const plot = el as unknown as { _fullLayout: { xaxis: { range: number[] }; yaxis: { range: number[] } }; data: { x: number[]; y: number[]; hoverinfo?: string }[] };
    const ring = plot.data.find((t) => t.hoverinfo === 'skip');
    const mid = (r: number[]) => (r[0] + r[1]) / 2;
    return { centre: [mid(plot._fullLayout.xaxis.range), mid(plot._fullLayout.yaxis.range)], ring: ring ? [ring.x[0], ring.y[0]] : null };
  });
}

async function expectCentredOnChosenBook(map: Locator): Promise<void> {
  await expect(async () => {
    const { centre, ring } = await centreAndRing(map);
    expect(ring).not.toBeNull();
    expect(centre[0]).toBeCloseTo(ring![0], 6);
    expect(centre[1]).toBeCloseTo(ring![1], 6);
  }).toPass();
}

/** Presses Tab until `target` has the focus (at most `most` times). */
async function tabTo(page: Page, target: Locator, most = 40): Promise<void> {
  for (let i = 0; i < most; i++) {
    if (await target.evaluate((el) => el === el.ownerDocument.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

test('a reader searches for a title, opens it, follows a similar book and reads the whole text, by mouse and by keyboard', async ({ page }) => {
  const problems = watchForPageProblems(page);
  await page.goto(serve.url);
  await addFolderByPath(page, folder);
  await expect(page.getByTestId('import-summary')).toBeVisible({ timeout: 60_000 });
  await makeMap(page);
  const map = page.getByTestId('cluster-map');
  const search = page.getByRole('combobox', { name: 'Search books' });
  const results = page.getByRole('listbox', { name: 'Search results' }).getByRole('option');
  const details = page.getByTestId('book-details');

  // as one types: every word must match, accents and case do not matter, Gutenberg numbers count
  await search.fill('STARRY');
  await expect(results).toHaveCount(1);
  await expect(results.first()).toContainText('The Starry Heavens');
  await expect.poll(() => emphasised(map)).toBe(1);
  await search.fill('jose marti');
  await expect(results).toHaveCount(1);
  await expect(results.first()).toContainText('The Salt Road');
  await expect(results.first()).toContainText('José Martí');
  await search.fill('#90024');
  await expect(results).toHaveCount(1);
  await expect(results.first()).toContainText('The Starry Heavens');
  await search.fill('starry nowhere');
  await expect(page.getByTestId('search-none')).toContainText('No book matches “starry nowhere”');
  await expect(results).toHaveCount(0);
  await expect.poll(() => emphasised(map)).toBe(0);
  await search.fill('cookery');
  await expect(results).toHaveCount(4);
  await expect.poll(() => emphasised(map)).toBe(4);

  // a click on a result opens the book and centres the map on it
  await search.fill('starry heavens');
  await results.first().click();
  await expect(details.getByRole('heading', { name: 'The Starry Heavens' })).toBeVisible();
  await expect(details).toContainText('Ruth Pemberton');
  await expect(details.getByTestId('book-ebook-id')).toHaveText('eBook #90024');
  await expect(details.getByTestId('book-words')).toHaveText(/^[\d,]+$/);
  await expect(details.getByTestId('book-terms').locator('.term').first()).toBeVisible();
  await expect(details.getByTestId('book-excerpt')).toContainText('After that the voice kept a starry star.');
  await expectCentredOnChosenBook(map);
  const similar = details.getByRole('list', { name: 'Similar books' }).getByRole('button');
  await expect(similar).toHaveCount(10);
  await expect(similar.first().getByTestId('similar-distance')).toHaveText(/^\d\.\d{3}$/);
  await page.screenshot({ path: join(SCREENSHOTS, 'search-book-panel.png'), fullPage: true });

  // follow the nearest similar book: the panel and the map go there
  const nextTitle = (await similar.first().locator('.similar-title').textContent())!;
  const nextId = await similar.first().getAttribute('data-book-id');
  await similar.first().click();
  await expect(details).toHaveAttribute('data-book-id', nextId!);
  await expect(details.getByRole('heading', { level: 2 })).toHaveText(nextTitle);
  await expect(details.getByTestId('book-terms')).toBeVisible();
  await expectCentredOnChosenBook(map);

  // the whole text, in a reader
  await details.getByRole('button', { name: 'Read the whole text' }).click();
  const reader = page.getByRole('dialog', { name: nextTitle });
  await expect(reader).toBeVisible();
  await expect(reader.getByTestId('reader-text')).toContainText(/\w+/);
  await expect(reader.getByTestId('reader-capped')).toHaveCount(0);
  expect(await reader.getByTestId('reader-text').evaluate((el) => el.textContent!.length)).toBeGreaterThan(2000);
  await page.screenshot({ path: join(SCREENSHOTS, 'search-reader.png') });
  await reader.getByRole('button', { name: 'Close' }).click();
  await expect(reader).toHaveCount(0);

  // a book longer than the reader shows whole: its first part, with a note that says so
  await search.fill('long chronicle');
  await results.first().click();
  await expect(details.getByRole('heading', { level: 2 })).toHaveText(LONG_TITLE);
  await details.getByRole('button', { name: 'Read the whole text' }).click();
  const long = page.getByRole('dialog', { name: LONG_TITLE });
  await expect(long.getByTestId('reader-capped')).toHaveText(/^This book is long: shown are its first 1,000,000 of 1,[\d,]+ characters\.$/);
  expect(await long.getByTestId('reader-text').evaluate((el) => el.textContent!.length)).toBe(1_000_000);
  await page.screenshot({ path: join(SCREENSHOTS, 'search-reader-capped.png') });
  await page.keyboard.press('Escape');
  await expect(long).toHaveCount(0);

  // Escape clears the search and the map is drawn as before
  await search.fill('cookery');
  await expect.poll(() => emphasised(map)).toBe(4);
  await search.press('Escape');
  await expect(search).toHaveValue('');
  await expect.poll(() => emphasised(map)).toBeNull();

  // keyboard alone: into the box, arrow to a result, Enter; Tab to the similar books, arrow, Enter; the reader and back
  await page.getByTestId('make-map').focus();
  await tabTo(page, search);
  await page.keyboard.type('the');
  await expect(results.first()).toBeVisible();
  const count = await results.count();
  expect(count).toBeGreaterThan(2);
  await page.keyboard.press('ArrowDown');
  await expect(results.nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(search).toHaveAttribute('aria-activedescendant', (await results.nth(1).getAttribute('id'))!);
  const chosenId = await results.nth(1).getAttribute('data-book-id');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  // round to the last and back to the second
  await expect(results.nth(count - 1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(details).toHaveAttribute('data-book-id', chosenId!);
  await expect(details.getByRole('heading', { level: 2 })).toBeFocused();
  await expectCentredOnChosenBook(map);

  const firstSimilar = details.getByTestId('similar-book').first();
  await expect(firstSimilar).toBeVisible();
  await tabTo(page, firstSimilar);
  await page.keyboard.press('ArrowDown');
  const second = details.getByTestId('similar-book').nth(1);
  await expect(second).toBeFocused();
  const secondId = await second.getAttribute('data-book-id');
  await page.keyboard.press('Enter');
  await expect(details).toHaveAttribute('data-book-id', secondId!);
  await expect(details.getByRole('heading', { level: 2 })).toBeFocused();

  const read = details.getByRole('button', { name: 'Read the whole text' });
  await tabTo(page, read);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog')).toBeVisible();
  await expect(page.getByTestId('reader-text')).toContainText(/\w+/);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(read).toBeFocused();
  await page.screenshot({ path: join(SCREENSHOTS, 'search-keyboard.png'), fullPage: true });
  expect(problems).toEqual([]);
});
