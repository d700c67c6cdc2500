// The map as a place to browse, through the browser door: toggle and isolate clusters in the
// legend, box-select a group and shift-click one more, export the selection and check its rows,
// name it as a group and pick it again, Escape to clear, and colour by language.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { CSV_COLUMNS, parseCsv } from '../src-shared/csv';
import { FIXTURE_BOOKS_DIR } from '../fixtures/fixture-paths';
import { addFolderByPath, watchForPageProblems } from './map-flow';
import { startServe, type ServeProcess, SCREENSHOTS } from './serve-helpers';

const MAP_TIMEOUT_MS = 120_000;
const FRENCH = ['astronomy/comets-and-eclipses.txt', 'cookery/soups-of-the-season.txt'];

let serve: ServeProcess;
let books: string;

test.beforeAll(async () => {
  serve = await startServe();
  // the fixture books, two of them said to be in French, in a folder of the test's own
  books = mkdtempSync(join(tmpdir(), 'shelfmap-select-'));
  cpSync(FIXTURE_BOOKS_DIR, books, { recursive: true });
  for (const file of FRENCH) {
    const path = join(books, file);
    writeFileSync(path, readFileSync(path, 'utf8').replace(/^Language: English/m, 'Language: French'));
  }
});

test.afterAll(async () => {
  await serve?.stop();
  if (books) rmSync(books, { recursive: true, force: true });
});

interface DrawnTrace {
  category?: string;
  overlay?: string;
  visible: boolean;
  points: number;
  name: string;
}

/** What Plotly drew: each trace's category, whether it is visible and how many points it holds. */
function drawnTraces(page: Page): Promise<DrawnTrace[]> {
  return page.getByTestId('cluster-map').evaluate((div) => {
    type Trace = { meta?: { category?: string; overlay?: string }; visible?: boolean | string; x: number[]; name: string };
    const gd = div as unknown as { data: Trace[]; _fullData: Trace[] };
    // Plotly's own reading of each trace (_fullData, by the same index) says whether it is drawn
    return gd.data.map((t, i) => ({ category: t.meta?.category, overlay: t.meta?.overlay, visible: gd._fullData[i].visible === true, points: t.x.length, name: t.name }));
  });
}

const shownPoints = (traces: DrawnTrace[]) => traces.filter((t) => t.category && t.visible).reduce((sum, t) => sum + t.points, 0);

interface ScreenPoint {
  bookId: number;
  title: string;
  x: number;
  y: number;
}

/** Every book's position on the screen, from Plotly's own axes. */
function screenPoints(page: Page): Promise<ScreenPoint[]> {
  return page.getByTestId('cluster-map').evaluate((div) => {
    type Axis = { l2p(v: number): number };
    const gd = div as unknown as {
      _fullLayout: { xaxis: Axis; yaxis: Axis; _size: { l: number; t: number } };
      _fullData: { meta?: { category?: string }; x: number[]; y: number[]; customdata: [string, string, number][] }[];
    };
    const box = div.getBoundingClientRect();
    const { xaxis, yaxis, _size } = gd._fullLayout;
    return gd._fullData
      .filter((t) => t.meta?.category)
      .flatMap((t) =>
        t.x.map((x, i) => ({ bookId: t.customdata[i][2], title: t.customdata[i][0], x: box.left + _size.l + xaxis.l2p(x), y: box.top + _size.t + yaxis.l2p(t.y[i]) })),
      );
  });
}

test('a librarian toggles clusters in the legend, box-selects a group, exports and names it, and colours by language', async ({ page }) => {
  const problems = watchForPageProblems(page);
  await page.goto(serve.url);
  await addFolderByPath(page, books);
  await expect(page.getByTestId('import-summary')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('k-input').fill('3');
  await page.getByTestId('seed-input').fill('42');
  await page.getByTestId('make-map').click();
  await expect(page.getByTestId('map-summary')).toHaveAttribute('data-clusters', '3', { timeout: MAP_TIMEOUT_MS });
  const summary = page.getByTestId('map-summary');
  await expect(summary).toHaveAttribute('data-points', '12');
  // a small map is drawn as SVG, one marker per book
  await expect(summary).toHaveAttribute('data-renderer', 'scatter');
  await expect(page.getByTestId('cluster-map').locator('.scatterlayer .point')).toHaveCount(12);
  // every cluster's name is on the map
  await expect(summary).toHaveAttribute('data-labels', '3');

  // ---- the legend: every cluster with its size; toggle two, isolate one, Escape brings all back
  const legend = page.getByTestId('legend-item');
  await expect(legend).toHaveCount(3);
  const sizes = await page.getByTestId('cluster-item').evaluateAll((items) => items.map((i) => Number(i.querySelector('.cluster-size')?.textContent)));
  expect(await legend.evaluateAll((items) => items.map((i) => Number(i.querySelector('.legend-count')?.textContent)))).toEqual(sizes);
  const keys = await legend.evaluateAll((items) => items.map((i) => i.getAttribute('data-key')!));

  await legend.nth(0).click();
  await legend.nth(1).click();
  await expect(legend.nth(0)).toHaveAttribute('aria-pressed', 'false');
  await expect(legend.nth(1)).toHaveAttribute('aria-pressed', 'false');
  await expect(summary).toHaveAttribute('data-shown', String(sizes[2]));
  let traces = await drawnTraces(page);
  expect(traces.filter((t) => t.category).map((t) => [t.category, t.visible])).toEqual([
    [keys[0], false],
    [keys[1], false],
    [keys[2], true],
  ]);
  expect(shownPoints(traces)).toBe(sizes[2]);
  // a hidden cluster's name leaves the map too
  await expect(summary).toHaveAttribute('data-labels', '1');
  await page.screenshot({ path: join(SCREENSHOTS, 'map-legend-toggled.png') });

  // showing one again: two at once
  await legend.nth(0).click();
  await expect(summary).toHaveAttribute('data-shown', String(sizes[0] + sizes[2]));
  // "Only" (the keyboard's way; a double-click does the same) shows one alone
  await page.getByRole('button', { name: /^Show only / }).nth(1).focus();
  await page.keyboard.press('Enter');
  await expect(summary).toHaveAttribute('data-shown', String(sizes[1]));
  await page.keyboard.press('Escape');
  await expect(summary).toHaveAttribute('data-shown', '12');
  await legend.nth(2).dblclick();
  await expect(summary).toHaveAttribute('data-shown', String(sizes[2]));
  await page.getByTestId('legend-show-all').click();
  await expect(summary).toHaveAttribute('data-shown', '12');
  traces = await drawnTraces(page);
  expect(traces.filter((t) => t.category).every((t) => t.visible)).toBe(true);

  // ---- box select the books in the left half of the map
  await page.getByTestId('map-tool-select').click();
  await expect(page.getByTestId('map-tool-select')).toHaveAttribute('aria-pressed', 'true');
  const onScreen = await screenPoints(page);
  expect(onScreen).toHaveLength(12);
  const xs = onScreen.map((p) => p.x).sort((a, b) => a - b);
  const cut = (xs[5] + xs[6]) / 2;
  const ys = onScreen.map((p) => p.y);
  const [top, bottom] = [Math.min(...ys) - 20, Math.max(...ys) + 20];
  const left = xs[0] - 20;
  await page.mouse.move(left, top);
  await page.mouse.down();
  await page.mouse.move((left + cut) / 2, (top + bottom) / 2, { steps: 5 });
  await page.mouse.move(cut, bottom, { steps: 5 });
  await page.mouse.up();
  const inBox = onScreen.filter((p) => p.x < cut);
  await expect(page.getByTestId('selection-count')).toHaveAttribute('data-count', String(inBox.length));
  expect(new Set(await page.getByTestId('selection-book').evaluateAll((items) => items.map((i) => Number(i.getAttribute('data-book-id')))))).toEqual(
    new Set(inBox.map((p) => p.bookId)),
  );

  // shift-click adds one more (in the pan tool, so the click is a click)
  await page.getByTestId('map-tool-pan').click();
  await expect(page.getByTestId('map-tool-pan')).toHaveAttribute('aria-pressed', 'true');
  // the click must meet the plot in pan mode: under load Plotly's relayout can trail the button
  await expect
    .poll(() => page.getByTestId('cluster-map').evaluate((div) => (div as unknown as { _fullLayout: { dragmode: string } })._fullLayout.dragmode))
    .toBe('pan');
  const extra = onScreen.filter((p) => p.x >= cut)[0];
  await page.keyboard.down('Shift');
  await page.mouse.click(extra.x, extra.y);
  await page.keyboard.up('Shift');
  const picked = [...inBox, extra];
  await expect(page.getByTestId('selection-count')).toHaveAttribute('data-count', String(picked.length));
  await expect(summary).toContainText(`${picked.length} books selected`);
  traces = await drawnTraces(page);
  expect(traces.find((t) => t.overlay === 'selection')?.points).toBe(picked.length);
  await page.screenshot({ path: join(SCREENSHOTS, 'map-selection.png') });

  // ---- export the selection: the run export's columns, one row per selected book
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-selection').click()]);
  expect(download.suggestedFilename()).toBe(`shelfmap-run-1-selection-${picked.length}-books.csv`);
  const [header, ...rows] = parseCsv(await readFile(await download.path(), 'utf8'));
  expect(header).toEqual([...CSV_COLUMNS]);
  expect(rows).toHaveLength(picked.length);
  expect(new Set(rows.map((r) => r[CSV_COLUMNS.indexOf('title')]))).toEqual(new Set(picked.map((p) => p.title)));
  // each row as the run's own export has it
  const [whole] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const runCsv = parseCsv(await readFile(await whole.path(), 'utf8'));
  for (const row of rows) expect(runCsv).toContainEqual(row);

  // ---- name it: a refused name says why; a good one is listed and picks the books again
  await page.getByTestId('name-group').click();
  const name = page.getByRole('textbox', { name: 'Name of the group' });
  await expect(name).toBeFocused();
  await name.press('Enter');
  await expect(page.getByTestId('group-error')).toHaveText(/must not be empty/);
  await name.fill('Left half');
  await name.press('Enter');
  await expect(page.getByTestId('group-item')).toHaveText(`Left half${picked.length}`);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('selection-count')).toHaveCount(0);
  await expect(summary).not.toContainText('selected');
  await page.getByTestId('group-item').click();
  await expect(page.getByTestId('selection-count')).toHaveAttribute('data-count', String(picked.length));
  // a book of the selection opens, and the map centres on it (and stays so after the redraw)
  const first = page.getByTestId('selection-book').first();
  const firstId = Number(await first.getAttribute('data-book-id'));
  await first.click();
  await expect(page.getByTestId('book-details')).toBeVisible();
  const area = (await page.getByTestId('cluster-map').locator('.nsewdrag').first().boundingBox())!;
  await expect.poll(async () => {
    const now = (await screenPoints(page)).find((p) => p.bookId === firstId)!;
    return Math.hypot(now.x - (area.x + area.width / 2), now.y - (area.y + area.height / 2)) < 3;
  }).toBe(true);
  // the same name again is refused, and the first group is kept
  await page.getByTestId('name-group').click();
  await name.fill('LEFT HALF');
  await name.press('Enter');
  await expect(page.getByTestId('group-error')).toHaveText(/has a group named "LEFT HALF" already/);
  await expect(page.getByTestId('group-item')).toHaveCount(1);
  // the group is in the library: it is there after reopening
  await page.reload();
  await expect(page.getByTestId('group-item')).toHaveText(`Left half${picked.length}`, { timeout: 30_000 });

  // ---- colour by language: a legend of languages
  await page.getByLabel('Colour by').selectOption('language');
  await expect(summary).toHaveAttribute('data-colour-by', 'language');
  await expect(legend).toHaveCount(2);
  await expect(legend.nth(0)).toHaveText('English10');
  await expect(legend.nth(1)).toHaveText('French2');
  traces = await drawnTraces(page);
  expect(traces.filter((t) => t.category).map((t) => [t.name, t.points])).toEqual([
    ['English', 10],
    ['French', 2],
  ]);
  // the French books are the two made so
  await legend.nth(0).click();
  expect(shownPoints(await drawnTraces(page))).toBe(2);
  // cluster names stay on the map whatever the colours mean
  await expect(summary).toHaveAttribute('data-labels', '3');
  await page.screenshot({ path: join(SCREENSHOTS, 'map-colour-by-language.png') });

  // ---- colour by a labels file's column: each book's folder as its genre, matched by file name
  const table = ['file,genre'];
  for (const folder of ['astronomy', 'cookery', 'sea-voyages']) {
    for (const file of readdirSync(join(books, folder))) table.push(`${file.replace(/\.txt$/, '')},${folder}`);
  }
  await page.getByLabel('Colour by').selectOption('labels');
  await page.getByTestId('colour-labels-file').setInputFiles({ name: 'genres.csv', mimeType: 'text/csv', buffer: Buffer.from(table.join('\n')) });
  await expect(page.getByTestId('colour-labels-summary')).toHaveText('genres.csv: 12 of 12 books matched.');
  await expect(summary).toHaveAttribute('data-colour-by', 'labels');
  expect((await legend.allTextContents()).sort()).toEqual(['astronomy4', 'cookery4', 'sea-voyages4']);
  // a file that is no table says why, and the genres keep colouring the map
  await page.getByTestId('colour-labels-file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('just one line of notes') });
  await expect(page.getByTestId('colour-error')).toContainText('notes.txt does not look like a CSV table');
  await expect(summary).toHaveAttribute('data-colour-by', 'labels');
  await expect(legend).toHaveCount(3);
  await page.screenshot({ path: join(SCREENSHOTS, 'map-colour-by-labels.png') });
  expect(problems).toEqual([]);
});

