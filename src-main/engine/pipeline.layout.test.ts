// The run's map is laid out in a worker thread beside clustering and naming (cluster/layout.ts
// startLayoutWorker): the same map as layout2d gives for the run's embeddings, the layout's own
// time in the run's timings, and a layout thread that dies fails the run and keeps the library
// as it was. Real SQLite files, the fixture books.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiEvents } from '../../src-shared/contract';
import { FIXTURE_BOOKS_DIR } from '../../fixtures/fixture-paths';
import { Engine } from './engine';
import { Store } from './store/store';
import { layout2d, layoutWorkerFaults } from './cluster/layout';

const dirs: string[] = [];
afterEach(() => {
  layoutWorkerFaults.crash = null;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function library(): Promise<{ store: Store; engine: Engine; finished: ApiEvents['runFinished'][]; progress: ApiEvents['progress'][] }> {
  const dir = mkdtempSync(join(tmpdir(), 'shelfmap-layout-'));
  dirs.push(dir);
  const store = new Store(join(dir, 'library.sqlite'));
  const finished: ApiEvents['runFinished'][] = [];
  const progress: ApiEvents['progress'][] = [];
  const engine = new Engine(store, (name, payload) => {
    if (name === 'runFinished') finished.push(payload as ApiEvents['runFinished']);
    if (name === 'progress') progress.push(payload as ApiEvents['progress']);
  });
  await engine.call('addFolder', { folder: FIXTURE_BOOKS_DIR });
  return { store, engine, finished, progress };
}

describe('the run\'s map, laid out in its own thread', () => {
  it('is layout2d\'s map of the run\'s embeddings, bit for bit, with the layout\'s own time', async () => {
    const { store, engine, finished, progress } = await library();
    const { runId } = await engine.call('startRun', { settings: { k: 3, seed: 5, backend: 'cpu' } });
    await engine.idle();
    expect(finished).toEqual([{ runId, status: 'done', error: null }]);
    // in the order the run took the books (the library's)
    const byBook = new Map(store.runPoints(runId).map((p) => [p.bookId, p]));
    const points = store.listBooks().map((b) => byBook.get(b.id)!);
    const placement = store.runPlacement(runId)!;
    const here = layout2d(points.map((p) => Array.from(placement.embeddings.get(p.bookId)!)), { seed: 5 });
    const bytes = (xy: number[][]) => Buffer.from(Float64Array.from(xy.flat()).buffer);
    expect(bytes(points.map((p) => [p.x, p.y])).equals(bytes(here))).toBe(true);
    const run = store.listRuns().find((r) => r.id === runId)!;
    expect(run.timings.layout).toBeGreaterThan(0);
    expect(progress.some((p) => p.runId === runId && p.stage === 'layout' && /beside the clustering; waited/.test(p.message))).toBe(true);
    store.close();
  });

  it('fails the run with a clear message when the layout thread dies, and the library keeps what it had', async () => {
    const { store, engine, finished } = await library();
    const books = store.listBooks();
    const first = await engine.call('startRun', { settings: { k: 3, seed: 5, backend: 'cpu' } });
    await engine.idle();
    const before = store.runPoints(first.runId);
    layoutWorkerFaults.crash = 'exit';
    const { runId } = await engine.call('startRun', { settings: { k: 3, seed: 6, backend: 'cpu' } });
    await engine.idle();
    const failed = finished.find((f) => f.runId === runId)!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/map could not be laid out: its worker thread stopped with exit code 3/);
    expect(store.runPoints(runId)).toEqual([]);
    expect(store.listBooks()).toEqual(books);
    expect(store.runPoints(first.runId)).toEqual(before);
    // with the thread well again, the next run finishes
    layoutWorkerFaults.crash = null;
    const again = await engine.call('startRun', { settings: { k: 3, seed: 6, backend: 'cpu' } });
    await engine.idle();
    expect(finished.find((f) => f.runId === again.runId)).toEqual({ runId: again.runId, status: 'done', error: null });
    store.close();
  });
});
