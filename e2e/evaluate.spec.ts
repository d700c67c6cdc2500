// Scores and exports researchers can cite, through `shelfmap serve` in Chromium: map the fixture
// books, score the map against their folder names and against a labels table the test writes,
// refuse files that are no labels table, and export the labels.json sidecar.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { CSV_COLUMNS, parseCsv } from '../src-shared/csv';
import type { RunLabelsSidecar } from '../src-shared/domain';
import { FIXTURE_BOOKS_DIR, FIXTURE_BOOK_COUNT, FIXTURE_GENRES } from '../fixtures/fixture-paths';
import { addFolderByPath, CLUSTERS, makeMap, watchForPageProblems } from './map-flow';
import { PROJECT_ROOT, startServe, type ServeProcess, SCREENSHOTS } from './serve-helpers';


let serve: ServeProcess;
let scratch: string;

test.beforeAll(async () => {
  serve = await startServe();
  scratch = mkdtempSync(join(tmpdir(), 'shelfmap-evaluate-e2e-'));
});

test.afterAll(async () => {
  await serve?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Each fixture book's Gutenberg number (from its header) and genre (its folder). */
function fixtureBooks(): { ebookId: number; genre: string; path: string }[] {
  return FIXTURE_GENRES.flatMap((genre) =>
    readdirSync(join(FIXTURE_BOOKS_DIR, genre)).map((name) => {
      const path = join(FIXTURE_BOOKS_DIR, genre, name);
      return { ebookId: Number(/\[EBook #(\d+)\]/.exec(readFileSync(path, 'latin1'))![1]), genre, path };
    }),
  );
}

async function score(page: Page): Promise<void> {
  await page.getByTestId('score-run').click();
  await expect(page.getByTestId('score-report').or(page.getByTestId('score-error'))).toBeVisible({ timeout: 30_000 });
}

/** The confusion table as text: its header cells, then each row's cells. */
async function confusion(page: Page): Promise<{ header: string[]; rows: string[][] }> {
  const table = page.getByTestId('confusion-table');
  const header = (await table.locator('thead th').allTextContents()).map((t) => t.trim());
  const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (cell: { textContent: string | null }) => (cell.textContent ?? '').trim())));
  return { header, rows };
}

test('a researcher scores a map against folder names and a labels table, and exports labels.json', async ({ page }) => {
  const problems = watchForPageProblems(page);
  await page.goto(serve.url);
  await addFolderByPath(page, FIXTURE_BOOKS_DIR);
  await expect(page.getByTestId('import-summary')).toHaveAttribute('data-added', String(FIXTURE_BOOK_COUNT), { timeout: 60_000 });
  await makeMap(page, FIXTURE_BOOK_COUNT);
  const books = fixtureBooks();

  await page.getByTestId('score-open').click();
  const panel = page.getByTestId('score-panel');
  await expect(panel).toBeVisible();

  // by parent folder names: every book matched, three genres as columns
  await page.getByTestId('score-kind-subfolders').check();
  await score(page);
  await expect(page.getByTestId('score-matched')).toContainText(`${FIXTURE_BOOK_COUNT} books scored, every book matched`);
  for (const key of ['nmi', 'ari', 'vMeasure', 'homogeneity', 'completeness']) {
    await expect(page.getByTestId(`score-${key}`)).toHaveText(/^-?\d\.\d{3}$/);
  }
  // three clear genres come back apart
  expect(Number(await page.getByTestId('score-nmi').textContent())).toBeGreaterThan(0.8);
  const byFolder = await confusion(page);
  expect(byFolder.header).toEqual(['Cluster', ...FIXTURE_GENRES, 'Books']);
  expect(byFolder.rows).toHaveLength(CLUSTERS);
  expect(byFolder.rows.reduce((n, row) => n + Number(row.at(-1)), 0)).toBe(FIXTURE_BOOK_COUNT);
  await page.screenshot({ path: join(SCREENSHOTS, 'evaluate-subfolders.png'), fullPage: true });

  // a labels table by Gutenberg number, for 8 of the 12 books, its label column chosen by hand
  const labelled = books.filter((b) => b.genre !== 'cookery');
  const table = join(scratch, 'shelves.csv');
  writeFileSync(table, ['ebook_id,shelf,notes', ...labelled.map((b) => `${b.ebookId},${b.genre === 'astronomy' ? 'sky' : 'sea'},checked`)].join('\n') + '\n');
  await page.getByTestId('score-kind-table').check();
  await page.getByTestId('score-file').setInputFiles(table);
  await expect(page.getByTestId('score-id-column')).toHaveValue('ebook_id');
  // no column named label/genre/class/category: the last one is offered, and the user picks
  await expect(page.getByTestId('score-label-column')).toHaveValue('notes');
  await page.getByTestId('score-label-column').selectOption('shelf');
  await score(page);
  await expect(page.getByTestId('score-matched')).toContainText('Against shelves.csv (id "ebook_id", label "shelf"): 8 books scored, 4 without a label');
  const byTable = await confusion(page);
  expect(byTable.header).toEqual(['Cluster', 'sea', 'sky', 'Books']);
  expect(byTable.rows.reduce((n, row) => n + Number(row.at(-1)), 0)).toBe(8);
  await expect(panel.locator('.unmatched summary')).toHaveText('4 books without a label');
  await page.screenshot({ path: join(SCREENSHOTS, 'evaluate-scores.png'), fullPage: true });

  // files that are no labels table, and a table that names none of the books: said plainly
  const notCsv = join(scratch, 'notes.txt');
  writeFileSync(notCsv, 'Books I liked this year\nThe Salt Road\n');
  await page.getByTestId('score-file').setInputFiles(notCsv);
  await expect(page.getByTestId('score-error')).toContainText('notes.txt does not look like a CSV table: its first line has one column');
  await expect(page.getByTestId('score-run')).toBeDisabled();
  const binary = join(scratch, 'scan.csv');
  writeFileSync(binary, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x2c, 0x0a]));
  await page.getByTestId('score-file').setInputFiles(binary);
  await expect(page.getByTestId('score-error')).toContainText('scan.csv is not a text file');
  const strangers = join(scratch, 'strangers.csv');
  writeFileSync(strangers, 'id,genre\n1,poetry\n2,drama\n');
  await page.getByTestId('score-file').setInputFiles(strangers);
  await score(page);
  await expect(page.getByTestId('score-error')).toContainText('No book of run');
  await expect(page.getByTestId('score-error')).toContainText('matched by the "id" column against Gutenberg numbers, file names without extension and paths');
  await expect(page.getByTestId('score-report')).toHaveCount(0);
  await page.screenshot({ path: join(SCREENSHOTS, 'evaluate-bad-table.png'), fullPage: true });

  // closing the scores brings the map back; the book panel shows its Gutenberg number
  await page.getByRole('button', { name: 'Close scores' }).click();
  await expect(panel).toHaveCount(0);
  const marker = page.getByTestId('cluster-map').locator('.scatterlayer .point').first();
  const box = (await marker.boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await expect(page.getByTestId('book-ebook-id')).toHaveText(/^eBook #9\d{4}$/);

  // exports: the CSV with ebook_id, and labels.json with what a reader needs to cite the run
  const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const rows = parseCsv(await readFile(await csvDownload.path(), 'utf8'));
  const ebookOf = new Map(books.map((b) => [b.path, String(b.ebookId)]));
  for (const row of rows.slice(1)) expect(row[CSV_COLUMNS.indexOf('ebook_id')]).toBe(ebookOf.get(row[0]));
  const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  expect(jsonDownload.suggestedFilename()).toMatch(/^shelfmap-run-\d+-clusters\.json$/);
  const sidecar = JSON.parse(await readFile(await jsonDownload.path(), 'utf8')) as RunLabelsSidecar;
  const version = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  expect(sidecar).toMatchObject({ format: 'shelfmap-labels', formatVersion: 1, shelfmapVersion: version, books: { count: FIXTURE_BOOK_COUNT } });
  expect(sidecar.settings.k).toBe(CLUSTERS);
  expect(sidecar.seed).toBe(sidecar.settings.seed);
  expect(sidecar.backend).toMatch(/^(tensorflow|webgpu|wasm|cpu)$/);
  expect(sidecar.books.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  expect(Object.keys(sidecar.timings)).toEqual(expect.arrayContaining(['features', 'embed', 'cluster', 'layout']));
  expect(Date.parse(sidecar.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(sidecar.startedAt));
  expect(sidecar.clusters).toHaveLength(CLUSTERS);
  for (const c of sidecar.clusters) {
    expect(c.label).not.toBe('');
    expect(c.terms.length).toBeGreaterThan(0);
    expect(c.representatives.length).toBeGreaterThan(0);
    for (const r of c.representatives) expect(String(r.ebook_id)).toBe(ebookOf.get(r.path));
  }
  expect(problems).toEqual([]);
});
