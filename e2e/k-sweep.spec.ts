// Choosing k in the browser door: tick "choose k for me", make a map of the fixture books (3
// genres), and read the sweep chart beside the k field and why k = 3 was proposed. Then a word
// the field does not take is refused in words, and the run list says "auto → 3".
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { FIXTURE_BOOKS_DIR } from '../fixtures/fixture-paths';
import { addFolderByPath, watchForPageProblems } from './map-flow';
import { startServe, type ServeProcess, SCREENSHOTS } from './serve-helpers';

let serve: ServeProcess;

test.beforeAll(async () => {
  serve = await startServe();
});

test.afterAll(async () => {
  await serve?.stop();
});

test('a librarian lets Shelfmap choose k and sees why', async ({ page }) => {
  const problems = watchForPageProblems(page);
  await page.goto(serve.url);
  await addFolderByPath(page, FIXTURE_BOOKS_DIR);
  await expect(page.getByTestId('import-summary')).toHaveAttribute('data-library-books', '12', { timeout: 60_000 });

  // a word that is neither a number nor auto is refused in the form's own words
  await page.getByTestId('k-input').fill('several');
  await page.getByTestId('make-map').click();
  await expect(page.getByRole('alert')).toContainText('"Clusters (k)" must be a whole number from 1 to 500, not the text "several"; or "auto"');

  await page.getByTestId('k-auto').check();
  await expect(page.getByTestId('k-input')).toHaveValue('auto');
  await expect(page.getByTestId('k-min-input')).toHaveValue('2');
  await expect(page.getByTestId('k-max-input')).toHaveValue('30');
  await expect(page.getByTestId('k-range-hint')).toHaveText('With 12 books, k up to 11 is tried.');
  await page.getByTestId('seed-input').fill('7');
  await page.getByTestId('make-map').click();
  await expect(page.getByTestId('run-progress')).toBeVisible();

  const summary = page.getByTestId('map-summary');
  await expect(summary.or(page.getByTestId('run-error'))).toBeAttached({ timeout: 120_000 });
  await expect(summary).toHaveAttribute('data-points', '12');
  await expect(summary).toHaveAttribute('data-clusters', '3');

  const sweep = page.getByTestId('k-sweep');
  await expect(sweep).toBeVisible();
  // 12 books: k = 2..11 were tried (the range is clamped to the books - 1)
  await expect(sweep).toHaveAttribute('data-ks', '10');
  await expect(sweep).toHaveAttribute('data-proposed', '3');
  await expect(page.getByTestId('k-sweep-reason')).toContainText(/^Proposed k = 3 because the inertia curve bends at k = \d+, and silhouette \d\.\d{3} × stability \d\.\d{3}/);
  await expect(page.getByTestId('k-sweep-reason')).toContainText('k 2..30 asked; 2..11 fit the books');
  // Plotly drew the three curves and the marker of the proposed k
  await expect(page.getByTestId('k-sweep-chart').locator('.scatterlayer .trace')).toHaveCount(3);
  await expect(page.getByTestId('k-sweep-chart').locator('.legendtext')).toHaveText(['silhouette', 'stability', 'inertia, scaled']);
  await expect(page.getByTestId('k-sweep-chart').locator('.annotation-text')).toHaveText('k = 3');
  // the fields keep the run's settings: still auto, ready to run again
  await expect(page.getByTestId('k-input')).toHaveValue('auto');
  await expect(page.getByTestId('run-item').first()).toContainText('k = auto → 3');
  await expect(page.getByTestId('run-meta').or(page.locator('.run-meta'))).toContainText('k = auto → 3');

  await page.getByTestId('k-sweep').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOTS, 'k-sweep.png'), fullPage: true });
  await page.getByTestId('k-sweep').screenshot({ path: join(SCREENSHOTS, 'k-sweep-chart.png') });

  // unticking goes back to a number; the chart stays for the map on show
  await page.getByTestId('k-auto').uncheck();
  await expect(page.getByTestId('k-input')).toHaveValue('3');
  await expect(page.getByTestId('k-min-input')).toHaveCount(0);
  expect(problems).toEqual([]);
});
