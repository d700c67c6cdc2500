// A made-up finished run of any size, served to the window in place of the library's own (the
// browser's listRuns and getRun calls are answered by page.route), for the map's scale test.
import type { Page } from '@playwright/test';
import type { BookPoint, ClusterInfo, RunResult, RunSummary } from '../src-shared/domain';
import { DEFAULT_SETTINGS } from '../src-shared/settings';
import { createRandom } from '../src-main/engine/random';

const LANGUAGES = ['English', 'English', 'English', 'French', 'German', 'Italian'];

/** `books` books in `k` clusters, each a blob round its own centre. */
export function syntheticRun(books: number, k: number, seed = 1): RunResult {
  const next = createRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(next() || 1e-9)) * Math.cos(2 * Math.PI * next());
  const centres = Array.from({ length: k }, () => [next() * 40, next() * 30]);
  const points: BookPoint[] = Array.from({ length: books }, (_, i) => {
    const cluster = Math.floor(next() * k);
    return {
      bookId: i + 1,
      path: `/books/synthetic/${i + 1}.txt`,
      title: `Synthetic book ${i + 1}`,
      author: `Author ${Math.floor(next() * 400)}`,
      language: LANGUAGES[Math.floor(next() * LANGUAGES.length)],
      ebookId: i + 1,
      cluster,
      x: centres[cluster][0] + gauss() * 2,
      y: centres[cluster][1] + gauss() * 2,
      distanceToCentre: next(),
    };
  });
  const clusters: ClusterInfo[] = Array.from({ length: k }, (_, id) => ({
    id,
    label: `theme ${id} · words`,
    automaticLabel: `theme ${id} · words`,
    customLabel: null,
    carried: null,
    terms: ['theme', 'words'],
    size: points.filter((p) => p.cluster === id).length,
    representatives: [],
    colour: id,
  }));
  const run: RunSummary = {
    id: 1,
    status: 'done',
    settings: { ...DEFAULT_SETTINGS, k },
    backend: 'cpu',
    backendDetail: 'synthetic',
    timings: {},
    startedAt: new Date(0).toISOString(),
    finishedAt: new Date(0).toISOString(),
    bookCount: books,
    error: null,
    kSweep: null,
  };
  return { run, points, clusters };
}

/** Answers the window's listRuns and getRun with `result`; the rest goes to serve as usual. */
export async function serveSyntheticRun(page: Page, result: RunResult): Promise<void> {
  const body = JSON.stringify(result);
  await page.route('**/api/listRuns', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify([result.run]) }));
  await page.route('**/api/getRun', (route) => route.fulfill({ status: 200, contentType: 'application/json', body }));
  await page.route('**/api/listGroups', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '[]' }));
}
