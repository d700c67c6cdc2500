// 10,000 books on the map, through the browser door: a generated run (e2e/synthetic-run.ts)
// is served in place of the library's own, and the test measures the time from its result
// arriving to the first drawn map (Plotly's afterplot, marked by ClusterMap), and the time
// between frames while the map is dragged (requestAnimationFrame intervals). It prints the
// figures; docs/benchmarks.md has them with the command. Timings are printed, not asserted.
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { watchForPageProblems } from './map-flow';
import { startServe, type ServeProcess, SCREENSHOTS } from './serve-helpers';
import { serveSyntheticRun, syntheticRun } from './synthetic-run';

const BOOKS = Number(process.env.SHELFMAP_SCALE_BOOKS ?? 10_000);
const CLUSTERS = 30;

let serve: ServeProcess;

test.beforeAll(async () => {
  serve = await startServe();
});

test.afterAll(async () => {
  await serve?.stop();
});

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { frames: values.length, mean: values.reduce((a, b) => a + b, 0) / values.length, median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
};

test(`a map of ${BOOKS.toLocaleString('en-US')} books draws with WebGL, and pans`, async ({ page }) => {
  const problems = watchForPageProblems(page);
  // when the run's result arrives (the getRun response is read), in the page's own clock
  await page.addInitScript(() => {
    // the page's own globals (this file is typed for Node, without the DOM)
    const page = globalThis as unknown as { fetch: typeof fetch };
    const original = page.fetch.bind(globalThis);
    page.fetch = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
      const response = await original(input, init);
      if (String(input instanceof Request ? input.url : input).endsWith('/api/getRun')) {
        const json = response.json.bind(response);
        (response as { json: () => Promise<unknown> }).json = async () => {
          const value = (await json()) as unknown;
          performance.mark('shelfmap:run-arrived');
          return value;
        };
      }
      return response;
    };
  });
  await serveSyntheticRun(page, syntheticRun(BOOKS, CLUSTERS));
  await page.goto(serve.url);
  const summary = page.getByTestId('map-summary');
  await expect(summary).toHaveAttribute('data-points', String(BOOKS), { timeout: 60_000 });
  await page.waitForFunction(() => performance.getEntriesByName('shelfmap:map-drawn').length > 0, null, { timeout: 60_000 });
  const renderer = await summary.getAttribute('data-renderer');
  const firstDraw = await page.evaluate(() => {
    const arrived = performance.getEntriesByName('shelfmap:run-arrived')[0].startTime;
    const drawn = performance.getEntriesByName('shelfmap:map-drawn')[0].startTime;
    return drawn - arrived;
  });
  // the WebGL renderer, or the SVG fallback saying so
  if (renderer === 'scatter') await expect(page.getByTestId('webgl-unavailable')).toBeVisible();
  else expect(renderer).toBe('scattergl');
  await expect(page.getByTestId('legend-item')).toHaveCount(CLUSTERS);
  // names that fit without overlapping, at least a few of the 30
  expect(Number(await summary.getAttribute('data-labels'))).toBeGreaterThan(3);
  await page.screenshot({ path: join(SCREENSHOTS, 'map-scale-10000.png') });

  // drag the map across in 60 small moves and time the frames meanwhile
  const plot = await page.getByTestId('cluster-map').locator('.nsewdrag').first().boundingBox();
  if (!plot) throw new Error('The map has no drag area.');
  const [cx, cy] = [plot.x + plot.width / 2, plot.y + plot.height / 2];
  await page.evaluate(() => {
    const w = globalThis as unknown as { __frames: number[]; __framesRunning: boolean; requestAnimationFrame(tick: (now: number) => void): void };
    const requestAnimationFrame = w.requestAnimationFrame.bind(globalThis);
    w.__frames = [];
    w.__framesRunning = true;
    let last = performance.now();
    const tick = (now: number) => {
      w.__frames.push(now - last);
      last = now;
      if (w.__framesRunning) requestAnimationFrame(tick);
    };
    requestAnimationFrame((now) => {
      last = now;
      requestAnimationFrame(tick);
    });
  });
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let i = 1; i <= 60; i++) await page.mouse.move(cx - i * 4, cy - i * 2);
  const duringDrag = await page.evaluate(() => (globalThis as unknown as { __frames: number[] }).__frames.length);
  await page.mouse.up();
  // after the drag: the names placed again for the new view, drawn in one more redraw
  await page.waitForTimeout(1500);
  const frames = await page.evaluate(() => {
    const w = globalThis as unknown as { __frames: number[]; __framesRunning: boolean };
    w.__framesRunning = false;
    return w.__frames;
  });
  const pan = stats(frames.slice(0, duringDrag));
  const settle = Math.max(...frames.slice(duringDrag));
  // the drag moved the view
  const moved = await page.getByTestId('cluster-map').evaluate((div) => (div as unknown as { _fullLayout: { xaxis: { range: number[] } } })._fullLayout.xaxis.range[0]);
  expect(Number.isFinite(moved)).toBe(true);
  await page.screenshot({ path: join(SCREENSHOTS, 'map-scale-10000-panned.png') });

  const line = `map scale: ${BOOKS} books, ${CLUSTERS} clusters, renderer ${renderer}: first draw ${firstDraw.toFixed(0)} ms after the run arrived; ` +
    `pan: ${pan.frames} frames, mean ${pan.mean.toFixed(1)} ms, median ${pan.median.toFixed(1)} ms, p95 ${pan.p95.toFixed(1)} ms, max ${pan.max.toFixed(1)} ms per frame; ` +
    `after release, the longest frame (names placed again) ${settle.toFixed(0)} ms`;
  console.log(line);
  test.info().annotations.push({ type: 'timing', description: line });
  expect(problems).toEqual([]);
});
