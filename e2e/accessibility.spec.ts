// Accessibility through the browser door. axe-core (through @axe-core/playwright) checks each
// view of the window — the empty window, the Library tab, the map with a run (k = auto, so its
// sweep chart and the runs list are there too), the book panel, the score panel with a report,
// the place panel — and none may have a serious or critical violation. Then a keyboard-only
// walk through the main flow: add a folder, make a map, open a cluster, open a book, with the
// Tab, arrow and Enter keys and nothing else.
import { rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { makeMixedFolder } from '../fixtures/fixture-paths';
import { addFolderByPath, watchForPageProblems } from './map-flow';
import { PROJECT_ROOT, startServe, type ServeProcess, SCREENSHOTS } from './serve-helpers';

const BLOCKING = new Set(['serious', 'critical']);

let folder: string;

test.beforeAll(() => {
  folder = makeMixedFolder();
});

test.afterAll(() => {
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** Every violation axe finds on the page as it is now, written down; the serious and critical ones fail the test. */
async function checkView(page: Page, view: string, found: Record<string, unknown>): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const violations = results.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  found[view] = violations;
  await page.screenshot({ path: join(SCREENSHOTS, `a11y-${view}.png`) });
  const blocking = violations.filter((v) => BLOCKING.has(v.impact ?? ''));
  expect.soft(blocking, `${view}: ${JSON.stringify(blocking, null, 2)}`).toEqual([]);
}

test.describe('axe on each view', () => {
  let serve: ServeProcess;
  test.beforeAll(async () => {
    serve = await startServe();
  });
  test.afterAll(async () => {
    await serve?.stop();
  });

  test('no view has a serious or critical violation', async ({ page }) => {
    const problems = watchForPageProblems(page);
    const found: Record<string, unknown> = {};
    try {
      await page.goto(serve.url);
      await expect(page.getByTestId('book-count')).toHaveAttribute('data-count', '0');
      await checkView(page, 'empty-window', found);

      await addFolderByPath(page, folder);
      await expect(page.getByTestId('import-summary')).toHaveAttribute('data-library-books', '12', { timeout: 60_000 });
      await checkView(page, 'after-import', found);
      await page.getByTestId('show-left-out').click();
      await expect(page.getByTestId('rejected-item')).toHaveCount(2);
      await checkView(page, 'library-tab', found);
      await page.getByTestId('tab-map').click();

      // k = auto: the map, its sweep chart beside the k field, and the runs list
      await page.getByTestId('k-auto').check();
      await page.locator('.advanced summary').click();
      await page.getByTestId('epochs-input').fill('8');
      await page.getByTestId('make-map').click();
      await expect(page.getByTestId('run-progress')).toBeVisible();
      await checkView(page, 'run-progress', found);
      await expect(page.getByTestId('map-summary')).toHaveAttribute('data-points', '12', { timeout: 120_000 });
      await expect(page.getByTestId('k-sweep')).toBeVisible();
      await expect(page.getByTestId('run-item')).toHaveCount(1);
      await checkView(page, 'map-with-run', found);

      await page.getByTestId('tab-library').click();
      await checkView(page, 'library-tab-with-map', found);
      await page.getByTestId('library-row').first().getByRole('button').click();
      await expect(page.getByTestId('book-details')).toBeVisible();
      await checkView(page, 'book-panel', found);

      await page.getByTestId('score-open').click();
      await page.getByTestId('score-kind-subfolders').check();
      await page.getByTestId('score-run').click();
      await expect(page.getByTestId('score-report')).toBeVisible({ timeout: 30_000 });
      await checkView(page, 'score-panel', found);
      await page.getByTestId('score-open').click();

      await page.getByTestId('place-open').click();
      await expect(page.getByTestId('place-panel')).toBeVisible();
      await checkView(page, 'place-panel', found);
    } finally {
      mkdirSync(join(PROJECT_ROOT, 'test-results'), { recursive: true });
      writeFileSync(join(PROJECT_ROOT, 'test-results', 'axe-violations.json'), JSON.stringify(found, null, 2));
    }
    expect(problems).toEqual([]);
  });
});

/** Presses Tab (or Shift+Tab) until the element with this test id has focus. */
async function tabTo(page: Page, testId: string, { back = false, max = 80 } = {}): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    if ((await page.evaluate('document.activeElement && document.activeElement.getAttribute("data-testid")')) === testId) return;
  }
  throw new Error(`${testId} was not reached with ${max} presses of ${back ? 'Shift+Tab' : 'Tab'}.`);
}

test.describe('the keyboard alone', () => {
  let serve: ServeProcess;
  test.beforeAll(async () => {
    serve = await startServe();
  });
  test.afterAll(async () => {
    await serve?.stop();
  });

  test('adds a folder, makes a map, opens a cluster and a book', async ({ page }) => {
    const problems = watchForPageProblems(page);
    await page.goto(serve.url);
    await expect(page.getByTestId('book-count')).toHaveAttribute('data-count', '0');

    await tabTo(page, 'folder-path');
    await page.keyboard.type(folder);
    await tabTo(page, 'add-folder');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('import-summary')).toHaveAttribute('data-library-books', '12', { timeout: 60_000 });

    // the left-out line's link, then back to the map tab with the arrow keys
    await tabTo(page, 'show-left-out');
    await page.keyboard.press('Enter');
    await expect(page.locator('#left-out-title')).toBeFocused();
    await tabTo(page, 'tab-library', { back: true });
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByTestId('tab-map')).toHaveAttribute('aria-selected', 'true');

    await tabTo(page, 'k-input');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('3');
    await tabTo(page, 'make-map');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('map-summary')).toHaveAttribute('data-clusters', '3', { timeout: 120_000 });
    // focus did not fall to the top of the page: it is on the map's heading
    await expect(page.locator('#map-title')).toBeFocused();

    // a cluster: the first of the list, pressed with Enter
    await tabTo(page, 'cluster-item');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('cluster-item').first()).toHaveAttribute('aria-pressed', 'true');

    // a book: from the Library tab's table, Enter on its title opens it on the map
    await tabTo(page, 'tab-map', { back: true });
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('tab-library')).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Tab');
    for (let i = 0; i < 40; i++) {
      const label = (await page.evaluate('document.activeElement && document.activeElement.getAttribute("aria-label")')) as string | null;
      if (label?.endsWith('show on the map')) break;
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('tab-map')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('book-details')).toBeVisible();
    await page.screenshot({ path: join(SCREENSHOTS, 'keyboard-walk.png') });
    expect(problems).toEqual([]);
  });
});
