// A map without a network in the browser door: the Embedding settings offer "LSA only, no
// network"; choosing it turns off what only the network has (its shape, epochs, refinement),
// and the map of the fixture books (3 genres) comes back in three clusters with a run line
// that says no backend was loaded.
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

test('a reader makes a map with LSA only, no network', async ({ page }) => {
  const problems = watchForPageProblems(page);
  await page.goto(serve.url);
  await addFolderByPath(page, FIXTURE_BOOKS_DIR);
  await expect(page.getByTestId('import-summary')).toHaveAttribute('data-library-books', '12', { timeout: 60_000 });

  await page.locator('.advanced summary').click();
  await expect(page.getByTestId('embedding-select')).toHaveValue('autoencoder');
  await page.getByTestId('refine-check').check();
  await page.getByTestId('embedding-select').selectOption('lsa');
  // what only the network has is off while there is none
  await expect(page.getByTestId('preset-select')).toBeDisabled();
  await expect(page.getByTestId('epochs-input')).toBeDisabled();
  await expect(page.getByTestId('refine-check')).toBeDisabled();
  await expect(page.getByTestId('refine-check')).not.toBeChecked();
  await page.locator('.run-controls').screenshot({ path: join(SCREENSHOTS, 'embedding-settings-lsa.png') });

  await page.getByTestId('k-input').fill('3');
  await page.getByTestId('seed-input').fill('7');
  await page.getByTestId('make-map').click();
  const summary = page.getByTestId('map-summary');
  await expect(summary.or(page.getByTestId('run-error'))).toBeAttached({ timeout: 120_000 });
  await expect(summary).toHaveAttribute('data-points', '12');
  await expect(summary).toHaveAttribute('data-clusters', '3');
  await expect(page.getByTestId('cluster-map').locator('.scatterlayer .point')).toHaveCount(12);
  await expect(page.getByTestId('run-info')).toContainText(/^no network \(LSA\) · features .* · embed /);
  await expect(page.getByTestId('run-info')).toHaveAttribute('title', 'no network ("embedding": "lsa"), nothing to train');
  // the form keeps the run's choice, ready to run again
  await expect(page.getByTestId('embedding-select')).toHaveValue('lsa');
  await page.screenshot({ path: join(SCREENSHOTS, 'map-lsa.png'), fullPage: true });
  expect(problems).toEqual([]);
});
