// The whole pipeline through the engine, on the project's own fixture books, with a real
// SQLite file in a temp folder.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { resolveSettings } from '../../src-shared/settings';
import { join } from 'node:path';
import type { ApiEventName, ApiEvents } from '../../src-shared/contract';
import { parseCsv, CSV_COLUMNS } from '../../src-shared/csv';
import { ShelfmapError } from '../../src-shared/errors';
import { FIXTURE_BOOKS_DIR, makeMixedFolder } from '../../fixtures/fixture-paths';
import { normalizedMutualInfo } from './evaluate';
import { Engine } from './engine';
import { Store } from './store/store';

const QUICK = { k: 3, seed: 7, backend: 'cpu' as const, autoencoder: { epochs: 30 }, kmeansRestarts: 5 };

let dir: string;
let store: Store;
let events: { name: ApiEventName; payload: unknown }[];
let engine: Engine;

function open(): Engine {
  store = new Store(join(dir, 'library.sqlite'));
  return new Engine(store, (name, payload) => events.push({ name, payload }));
}

async function finishedRun(runId: number): Promise<ApiEvents['runFinished']> {
  await engine.idle();
  const end = events.find((e) => e.name === 'runFinished' && (e.payload as ApiEvents['runFinished']).runId === runId);
  return end!.payload as ApiEvents['runFinished'];
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shelfmap-engine-'));
  events = [];
  engine = open();
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('engine', () => {
  it('adds a folder, clusters it by genre and exports one CSV row per book', async () => {
    const report = await engine.call('addFolder', { folder: FIXTURE_BOOKS_DIR });
    expect(report.added).toBe(12);
    expect(report.rejected).toEqual([]);

    const { runId } = await engine.call('startRun', { settings: QUICK });
    const end = await finishedRun(runId);
    expect(end).toEqual({ runId, status: 'done', error: null });

    const result = await engine.call('getRun', { runId });
    expect(result.run.backend).toBe('cpu');
    expect(Object.keys(result.run.timings).sort()).toEqual(['cluster', 'embed', 'features', 'layout', 'refine', 'save']);
    expect(result.run.backendDetail).toMatch(/tensorflow|cpu|JavaScript/i);
    // what the run learned is kept with it
    const model = store.runModel(runId)!;
    expect(model.vocabulary.length).toBeGreaterThan(10);
    expect(model.idf).toHaveLength(model.vocabulary.length);
    expect(model.weights.byteLength).toBeGreaterThan(model.vocabulary.length * 4);
    expect(store.runEpochs(runId)).toHaveLength(30);
    expect(result.points).toHaveLength(12);
    expect(result.clusters).toHaveLength(3);
    expect(result.clusters.every((c) => c.terms.length > 0 && c.label !== '')).toBe(true);
    for (const p of result.points) {
      expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
    }
    // the fixture genres are the folder names; three clear genres must come back apart
    const genre = result.points.map((p) => p.path.split('/').at(-2)!);
    expect(normalizedMutualInfo(genre, result.points.map((p) => p.cluster))).toBeGreaterThan(0.8);

    const { csv, filename } = await engine.call('exportCsv', { runId });
    expect(filename).toMatch(/\.csv$/);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(13);
    expect(new Set(rows.slice(1).map((r) => r[0]))).toEqual(new Set(result.points.map((p) => p.path)));
  });

  it('refines the clusters with DEC when asked, and keeps the genres apart', async () => {
    await engine.call('addFolder', { folder: FIXTURE_BOOKS_DIR });
    const { runId } = await engine.call('startRun', { settings: { ...QUICK, refine: { enabled: true, epochs: 5 } } });
    expect((await finishedRun(runId)).status).toBe('done');
    const result = await engine.call('getRun', { runId });
    expect(result.run.settings.refine.enabled).toBe(true);
    const genre = result.points.map((p) => p.path.split('/').at(-2)!);
    expect(normalizedMutualInfo(genre, result.points.map((p) => p.cluster))).toBeGreaterThan(0.8);
    expect(events.some((e) => e.name === 'progress' && (e.payload as { stage: string }).stage === 'refine')).toBe(true);
  });

  it('reports the empty, binary and duplicate files with reasons and clusters the good books', async () => {
    const folder = makeMixedFolder();
    try {
      const report = await engine.call('addFolder', { folder });
      expect(report.rejected.map((r) => r.message).join(' ')).toMatch(/empty/);
      const books = await engine.call('listBooks', {});
      const rejected = await engine.call('listRejected', {});
      const reasons = new Map(rejected.map((r) => [r.path.split('/').at(-1), r.reason]));
      expect(reasons.get('empty.txt')).toBe('empty');
      expect(reasons.get('binary.txt')).toBe('binary');
      expect(books.some((b) => b.encoding === 'iso-8859-1')).toBe(true);

      // the same text under another name is a duplicate, not a second book
      const twin = join(folder, 'copy-of-a-book.txt');
      cpSync(books[0].path, twin);
      const again = await engine.call('addFolder', { folder });
      expect(again.unchanged).toBe(books.length);
      expect(again.rejected.find((r) => r.path === twin)).toMatchObject({
        reason: 'duplicate',
        duplicateOf: books[0].path,
        message: expect.stringContaining(books[0].path),
      });

      const { runId } = await engine.call('startRun', { settings: QUICK, folder });
      expect((await finishedRun(runId)).status).toBe('done');
      expect((await engine.call('getRun', { runId })).points).toHaveLength(books.length);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('never re-reads an unchanged book, and re-reads a changed one', async () => {
    const folder = join(dir, 'books');
    cpSync(FIXTURE_BOOKS_DIR, folder, { recursive: true });
    const first = await engine.call('addFolder', { folder });
    expect(first.added).toBe(12);
    const second = await engine.call('addFolder', { folder });
    expect(second).toMatchObject({ added: 0, updated: 0, unchanged: 12 });

    const book = (await engine.call('listBooks', {}))[0];
    writeFileSync(book.path, 'Title: Changed\n\n' + 'A changed book about lighthouses and keepers. '.repeat(40));
    utimesSync(book.path, new Date(), new Date(Date.now() + 5000));
    const third = await engine.call('addFolder', { folder });
    expect(third).toMatchObject({ added: 0, updated: 1, unchanged: 11 });
  });

  it('keeps the library when a folder vanishes, and says which folder', async () => {
    await engine.call('addFolder', { folder: FIXTURE_BOOKS_DIR });
    await expect(engine.call('addFolder', { folder: join(dir, 'gone') })).rejects.toMatchObject({ kind: 'folder-missing' });
    expect(await engine.call('listBooks', {})).toHaveLength(12);
  });

  it('cancels a run, records it as cancelled, and can run again', async () => {
    await engine.call('addFolder', { folder: FIXTURE_BOOKS_DIR });
    const { runId } = await engine.call('startRun', { settings: { ...QUICK, autoencoder: { epochs: 2000 } } });
    await expect(engine.call('startRun', { settings: QUICK })).rejects.toMatchObject({ kind: 'busy' });
    await new Promise((r) => setTimeout(r, 300));
    expect(await engine.call('cancelRun', { runId })).toEqual({ cancelled: true });
    expect((await finishedRun(runId)).status).toBe('cancelled');
    expect((await engine.call('listRuns', {}))[0]).toMatchObject({ id: runId, status: 'cancelled' });
    await expect(engine.call('exportCsv', { runId })).rejects.toBeInstanceOf(ShelfmapError);

    const again = await engine.call('startRun', { settings: QUICK });
    expect((await finishedRun(again.runId)).status).toBe('done');
  });

  it('marks a run interrupted by a crash as failed when the library is opened again', async () => {
    await engine.call('addFolder', { folder: FIXTURE_BOOKS_DIR });
    store.close();
    // the run's owner: a process that has already exited, as a crashed one has
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    const crashed = new Store(join(dir, 'library.sqlite'), { owner: { host: hostname(), pid: deadPid } });
    const runId = crashed.createRun(resolveSettings(QUICK), 12);
    crashed.close();
    engine = open();
    const run = (await engine.call('listRuns', {})).find((r) => r.id === runId)!;
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/Interrupted/);
    expect(await engine.call('listBooks', {})).toHaveLength(12);
  });

  it('leaves a run alone whose owner is alive, when another Store opens the library', async () => {
    await engine.call('addFolder', { folder: FIXTURE_BOOKS_DIR });
    const runId = store.createRun(resolveSettings(QUICK), 12);
    // this very process owns it: a second connection must not take it for a crash
    const second = new Store(join(dir, 'library.sqlite'));
    expect(second.getRun(runId).status).toBe('running');
    second.close();
    store.finishRun(runId, 'cancelled', 'test over');
  });

  it('scores a run against known labels: the fixture folders are genres', async () => {
    await engine.call('addFolder', { folder: FIXTURE_BOOKS_DIR });
    const { runId } = await engine.call('startRun', { settings: QUICK });
    expect((await finishedRun(runId)).status).toBe('done');
    const report = await engine.call('evaluateRun', { runId, labels: { kind: 'subfolders' } });
    const { points, clusters } = await engine.call('getRun', { runId });
    // every book has its distance to its cluster's middle, and each cluster lists its nearest books first
    expect(points.every((p) => typeof p.distanceToCentre === 'number' && p.distanceToCentre >= 0)).toBe(true);
    for (const cluster of clusters) {
      const members = points.filter((p) => p.cluster === cluster.id);
      const distance = (id: number) => members.find((p) => p.bookId === id)!.distanceToCentre!;
      expect(cluster.representatives.length).toBe(Math.min(5, members.length));
      expect(cluster.representatives.every((id) => members.some((p) => p.bookId === id))).toBe(true);
      expect(cluster.representatives.map(distance)).toEqual([...cluster.representatives.map(distance)].sort((a, b) => a - b));
      expect(distance(cluster.representatives[0])).toBe(Math.min(...members.map((p) => p.distanceToCentre!)));
    }
    const genre = (path: string) => path.split('/').at(-2)!;
    expect(report.matched).toBe(12);
    expect(report.scores.nmi).toBeCloseTo(normalizedMutualInfo(points.map((p) => genre(p.path)), points.map((p) => p.cluster)), 12);
    expect(report.scores.vMeasure).toBeCloseTo(report.scores.nmi, 12);
    expect(report.confusion.labels).toEqual(['astronomy', 'cookery', 'sea-voyages']);
    expect(report.confusion.counts.flat().reduce((a, b) => a + b, 0)).toBe(12);

    // a table with half the books: the rest are reported, not guessed
    const rows = points.slice(0, 6).map((p) => `${p.path.split('/').at(-1)},${genre(p.path)}`);
    const table = await engine.call('evaluateRun', { runId, labels: { kind: 'table', csv: ['file,genre', ...rows].join('\n'), name: 'half.csv' } });
    expect(table).toMatchObject({ matched: 6, unmatchedCount: 6, source: 'half.csv (id "file", label "genre")' });
    await expect(engine.call('evaluateRun', { runId, labels: { kind: 'table', csv: 'file,genre\nnothing.txt,x\n' } })).rejects.toMatchObject({ kind: 'invalid-argument' });
    await expect(engine.call('evaluateRun', { runId: 99, labels: { kind: 'subfolders' } })).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('compares two runs: the same seed is the same partition, another k moves books', async () => {
    await engine.call('addFolder', { folder: FIXTURE_BOOKS_DIR });
    const first = await engine.call('startRun', { settings: QUICK });
    await finishedRun(first.runId);
    const again = await engine.call('startRun', { settings: QUICK });
    await finishedRun(again.runId);
    const other = await engine.call('startRun', { settings: { ...QUICK, k: 2 } });
    await finishedRun(other.runId);
    const same = await engine.call('compareRuns', { runA: first.runId, runB: again.runId });
    expect(same).toMatchObject({ commonBooks: 12, changedCluster: 0, ari: 1 });
    const diff = await engine.call('compareRuns', { runA: first.runId, runB: other.runId });
    expect(diff.commonBooks).toBe(12);
    expect(diff.changedCluster).toBeGreaterThan(0);
    expect(diff.ari).toBeLessThan(1);
    expect(diff.pairs).toHaveLength(2);
    await expect(engine.call('compareRuns', { runA: first.runId, runB: 99 })).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('refuses a run on an empty library and bad settings with clear messages', async () => {
    await expect(engine.call('startRun', {})).rejects.toMatchObject({ kind: 'no-books' });
    await engine.call('addFolder', { folder: FIXTURE_BOOKS_DIR });
    await expect(engine.call('startRun', { settings: { k: 0 } })).rejects.toMatchObject({
      kind: 'invalid-argument',
      message: expect.stringContaining('"k"'),
    });
  });

  it('keeps a book whose file was deleted since it was added, marked missing', async () => {
    const folder = join(dir, 'books');
    cpSync(FIXTURE_BOOKS_DIR, folder, { recursive: true });
    const first = await engine.call('addFolder', { folder });
    expect(first.added).toBe(12);
    const victim = (await engine.call('listBooks', {}))[0].path;
    unlinkSync(victim);
    const again = await engine.call('addFolder', { folder });
    expect(again).toMatchObject({ found: 11, missing: 1 });
    const books = await engine.call('listBooks', {});
    expect(books).toHaveLength(12);
    expect(books.filter((b) => b.status === 'missing').map((b) => b.path)).toEqual([victim]);
  });
});
