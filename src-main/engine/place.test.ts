// Placing new books on a finished run, through the engine, on the fixture books with a real
// SQLite file in a temp folder.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiEventName, ApiEvents, ProgressEvent } from '../../src-shared/contract';
import { parseCsv } from '../../src-shared/csv';
import type { RunLabelsSidecar } from '../../src-shared/domain';
import { ShelfmapError } from '../../src-shared/errors';
import type { SettingsInput } from '../../src-shared/settings';
import { FIXTURE_BOOKS_DIR, FIXTURE_GENRES } from '../../fixtures/fixture-paths';
import { Engine } from './engine';
import { embedForRun } from './place';
import { Store } from './store/store';

const QUICK = { k: 2, seed: 7, backend: 'cpu' as const, autoencoder: { epochs: 30 }, kmeansRestarts: 5 };

let dir: string;
let store: Store;
let events: { name: ApiEventName; payload: unknown }[];
let engine: Engine;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shelfmap-place-'));
  events = [];
  store = new Store(join(dir, 'library.sqlite'));
  engine = new Engine(store, (name, payload) => events.push({ name, payload }));
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function finishedRun(settings: SettingsInput, folder?: string): Promise<number> {
  const { runId } = await engine.call('startRun', folder ? { settings, folder } : { settings });
  await engine.idle();
  const end = events.find((e) => e.name === 'runFinished' && (e.payload as ApiEvents['runFinished']).runId === runId)!.payload as ApiEvents['runFinished'];
  expect(end.error).toBeNull();
  return runId;
}

/** Everything stored about a run's own books and clusters, as SQLite gives it back. */
function runRows(runId: number) {
  return {
    books: store.db.prepare('SELECT * FROM run_books WHERE run_id = ? AND placed = 0 ORDER BY book_id').all(runId),
    clusters: store.db.prepare('SELECT * FROM run_clusters WHERE run_id = ? ORDER BY cluster').all(runId),
    run: store.db.prepare('SELECT id, status, settings, backend, timings, started_at, finished_at, book_count, error FROM runs WHERE id = ?').get(runId),
    embeddings: store.db.prepare('SELECT * FROM run_book_embeddings WHERE run_id = ? ORDER BY book_id').all(runId),
  };
}

/** A folder of copies of the fixture books, `pick` choosing which of each genre (sorted by name). */
function copyBooks(name: string, pick: (index: number) => boolean): string {
  const folder = join(dir, name);
  for (const genre of FIXTURE_GENRES) {
    mkdirSync(join(folder, genre), { recursive: true });
    readdirSync(join(FIXTURE_BOOKS_DIR, genre))
      .sort()
      .forEach((file, i) => {
        if (pick(i)) cpSync(join(FIXTURE_BOOKS_DIR, genre, file), join(folder, genre, file));
      });
  }
  return folder;
}

function largestDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  return Math.max(...Array.from(a, (v, j) => Math.abs(v - b[j])));
}

/** The run's own books through the placing path come out as the run stored them, to the LSA front's ~1e-3 (see the first use). */
async function expectOwnBooksEmbeddedAgain(runId: number, points: { bookId: number }[]): Promise<void> {
  const own = store.listBooks().filter((b) => points.some((p) => p.bookId === b.id));
  const { placement, embeddings } = await embedForRun({ store, run: store.getRun(runId), books: own });
  expect(placement.pooling).toBe('unitMean');
  own.forEach((book, i) => expect(largestDifference(placement.embeddings.get(book.id)!, embeddings[i])).toBeLessThan(5e-3));
}

describe('placeBooks', () => {
  it('places a third genre on a run of two without changing any earlier book, cluster or map position', async () => {
    await engine.call('addFolder', { folder: join(FIXTURE_BOOKS_DIR, 'astronomy') });
    await engine.call('addFolder', { folder: join(FIXTURE_BOOKS_DIR, 'cookery') });
    const runId = await finishedRun(QUICK);
    const before = runRows(runId);
    expect(before.books).toHaveLength(8);
    expect(before.embeddings).toHaveLength(8);
    const beforeSidecar = JSON.parse((await engine.call('exportJson', { runId })).json) as RunLabelsSidecar;
    events = [];

    // the whole fixture folder: the run's 8 books are reported as in it, the 4 others placed
    const report = await engine.call('placeBooks', { runId, folder: FIXTURE_BOOKS_DIR });
    expect(report.import).toMatchObject({ added: 4, unchanged: 8 });
    expect(report.alreadyInRun.map((b) => b.bookId).sort()).toEqual((before.books as { book_id: number }[]).map((b) => b.book_id).sort());
    expect(report.placed).toHaveLength(4);
    expect(report.backend).toBe('cpu');
    for (const p of report.placed) {
      expect(p.placed).toBe(true);
      expect(p.path).toContain('/sea-voyages/');
      expect([0, 1]).toContain(p.cluster);
      expect(Number.isFinite(p.x) && Number.isFinite(p.y) && Number.isFinite(p.distanceToCentre!)).toBe(true);
      // the map's axes run from -1 to 1; a weighted mean of run books stays inside
      expect(Math.abs(p.x) <= 1 && Math.abs(p.y) <= 1).toBe(true);
    }
    const stages = events.filter((e) => e.name === 'progress').map((e) => (e.payload as ProgressEvent).stage);
    expect(new Set(stages)).toEqual(new Set(['scan', 'read', 'place']));
    expect(events.some((e) => e.name === 'progress' && (e.payload as ProgressEvent).stage === 'place' && (e.payload as ProgressEvent).runId === runId)).toBe(true);

    // bit for bit: SQLite gives back the same doubles, and toEqual compares them with Object.is
    expect(runRows(runId)).toEqual(before);
    const result = await engine.call('getRun', { runId });
    expect(result.points).toHaveLength(12);
    expect(result.points.filter((p) => p.placed).map((p) => p.bookId).sort()).toEqual(report.placed.map((p) => p.bookId).sort());
    expect(result.clusters).toHaveLength(2);

    // the run's CSV carries every book, the placed ones marked
    const rows = parseCsv((await engine.call('exportCsv', { runId })).csv);
    const placedColumn = rows[0].indexOf('placed');
    expect(placedColumn).toBe(rows[0].length - 1);
    expect(rows.slice(1).filter((r) => r[placedColumn] === '1').map((r) => r[0]).sort()).toEqual(report.placed.map((p) => p.path).sort());
    expect(rows.slice(1).filter((r) => r[placedColumn] === '0')).toHaveLength(8);
    // the sidecar counts and fingerprints the books the run was made with; placed ones apart
    const sidecar = JSON.parse((await engine.call('exportJson', { runId })).json) as RunLabelsSidecar;
    expect(sidecar.books).toMatchObject({ count: 8, placed: report.placed.length });
    expect(sidecar.books.fingerprint).toBe(beforeSidecar.books.fingerprint);

    // the same folder again: its books are in the run now, and are not placed twice
    const again = engine.call('placeBooks', { runId, folder: join(FIXTURE_BOOKS_DIR, 'sea-voyages') });
    await expect(again).rejects.toMatchObject({ kind: 'no-books', message: expect.stringMatching(/No new books in .*sea-voyages: its 4 books are all in run \d+ already/) });
  }, 240_000);

  it('places held-out books of each genre in the cluster of their genre', async () => {
    const runFolder = copyBooks('run', (i) => i > 0);
    const newFolder = copyBooks('new', (i) => i === 0);
    await engine.call('addFolder', { folder: runFolder });
    const runId = await finishedRun({ ...QUICK, k: 3 }, runFolder);
    const { points } = await engine.call('getRun', { runId });
    expect(points).toHaveLength(9);
    const genreOf = (path: string) => path.split('/').at(-2)!;
    const majority = new Map<string, number>();
    for (const genre of FIXTURE_GENRES) {
      const counts = new Map<number, number>();
      for (const p of points.filter((q) => genreOf(q.path) === genre)) counts.set(p.cluster, (counts.get(p.cluster) ?? 0) + 1);
      majority.set(genre, [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0]);
    }
    expect(new Set(majority.values()).size).toBe(3);

    const report = await engine.call('placeBooks', { runId, folder: newFolder });
    expect(report.placed).toHaveLength(3);
    expect(report.placed.map((p) => [genreOf(p.path), p.cluster]).sort()).toEqual(FIXTURE_GENRES.map((g) => [g, majority.get(g)]).sort());

    // the placing path embeds the run's own books as the run did, but for the LSA front: the run
    // trained on its rows' fitted coordinates (U·S of a randomised SVD), a new book is projected
    // on the basis (x·V, as scikit-learn's TruncatedSVD.transform does), which differs by ~1e-3
    await expectOwnBooksEmbeddedAgain(runId, points);
  }, 240_000);

  it('places held-out books on a run without a network ("preset": "lsa") in the cluster of their genre, by the stored basis alone', async () => {
    const runFolder = copyBooks('run', (i) => i > 0);
    const newFolder = copyBooks('new', (i) => i === 0);
    await engine.call('addFolder', { folder: runFolder });
    const runId = await finishedRun({ k: 3, seed: 7, preset: 'lsa' }, runFolder);
    const { points } = await engine.call('getRun', { runId });
    const genreOf = (path: string) => path.split('/').at(-2)!;
    const clusterOfGenre = new Map(points.map((p) => [genreOf(p.path), p.cluster]));
    expect(new Set(clusterOfGenre.values()).size).toBe(3);
    const report = await engine.call('placeBooks', { runId, folder: newFolder });
    expect(report.placed.map((p) => [genreOf(p.path), p.cluster]).sort()).toEqual(FIXTURE_GENRES.map((g) => [g, clusterOfGenre.get(g)]).sort());
    expect(report.backend).toBe('');
    // the run's own books again through the stored basis: projected (x·V) against the fitted U·S, as with the network's LSA front
    await expectOwnBooksEmbeddedAgain(runId, points);
  }, 240_000);

  it('embeds a book as the run did: after DEC refinement (the refined network is the one kept), and with one row per book', async () => {
    await engine.call('addFolder', { folder: FIXTURE_BOOKS_DIR });
    const books = store.listBooks();
    // without the LSA front, so that the run's own books come out the same to float32 rounding
    for (const [settings, pooling] of [
      [{ ...QUICK, k: 3, autoencoder: { epochs: 30, inputComponents: 0 }, refine: { enabled: true, epochs: 5 } }, 'meanView'],
      [{ ...QUICK, k: 3, preset: 'classic' }, 'raw'],
    ] as const) {
      const runId = await finishedRun(settings);
      const { placement, embeddings } = await embedForRun({ store, run: store.getRun(runId), books });
      expect(placement.pooling).toBe(pooling);
      books.forEach((book, i) => expect(largestDifference(placement.embeddings.get(book.id)!, embeddings[i])).toBeLessThan(1e-5));
    }
  }, 240_000);

  it('says why it cannot place, before reading the folder, and loses nothing', async () => {
    await engine.call('addFolder', { folder: join(FIXTURE_BOOKS_DIR, 'astronomy') });
    const runId = await finishedRun(QUICK);
    const sea = join(FIXTURE_BOOKS_DIR, 'sea-voyages');
    const books = store.countBooks();

    await expect(engine.call('placeBooks', { runId: 999, folder: sea })).rejects.toMatchObject({ kind: 'not-found', message: 'There is no run 999.' });
    await expect(engine.call('placeBooks', { runId, folder: join(dir, 'no-such-folder') })).rejects.toMatchObject({ kind: 'folder-missing' });
    await expect(engine.call('placeBooks', { runId, folder: 'books/sea' })).rejects.toMatchObject({ kind: 'invalid-argument', message: expect.stringMatching(/"folder" must be a full path/) });
    await expect(engine.call('placeBooks', { runId, folder: sea, k: 3 })).rejects.toMatchObject({ kind: 'invalid-argument', message: expect.stringMatching(/Unknown field "k"/) });
    await expect(engine.call('placeBooks', { runId: 0, folder: sea })).rejects.toBeInstanceOf(ShelfmapError);
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    await expect(engine.call('placeBooks', { runId, folder: empty })).rejects.toMatchObject({ kind: 'no-books', message: expect.stringMatching(/holds no books to place/) });

    const failed = store.createRun(store.getRun(runId).settings, 4);
    store.finishRun(failed, 'failed', 'boom');
    await expect(engine.call('placeBooks', { runId: failed, folder: sea })).rejects.toMatchObject({ kind: 'not-found', message: `Run ${failed} has no clusters to place books on (it failed).` });

    // a run from before Shelfmap kept what placing needs
    store.db.prepare('DELETE FROM run_placement WHERE run_id = ?').run(runId);
    await expect(engine.call('placeBooks', { runId, folder: sea })).rejects.toMatchObject({
      kind: 'not-found',
      message: `Run ${runId} was made before Shelfmap kept what placing needs; make a new run to place books on.`,
    });
    // none of those read the folder or changed the run
    expect(store.countBooks()).toBe(books);
    expect((await engine.call('getRun', { runId })).points.every((p) => !p.placed)).toBe(true);
    expect(await engine.call('cancelPlace', {})).toEqual({ cancelled: false });
  }, 240_000);

  it('stops when cancelled, placing nothing', async () => {
    await engine.call('addFolder', { folder: join(FIXTURE_BOOKS_DIR, 'astronomy') });
    const runId = await finishedRun(QUICK);
    // cancel as soon as the place stage starts, the first time
    let cancel = true;
    const cancelling = new Engine(store, (name, payload) => {
      if (name === 'progress' && (payload as ProgressEvent).stage === 'place' && cancel) {
        cancel = false;
        void cancelling.call('cancelPlace', {});
      }
    });
    await expect(cancelling.call('placeBooks', { runId, folder: join(FIXTURE_BOOKS_DIR, 'cookery') })).rejects.toMatchObject({ kind: 'cancelled' });
    expect((await engine.call('getRun', { runId })).points.some((p) => p.placed)).toBe(false);
    // the books it imported stay in the library, and can be placed later
    expect(store.countBooks()).toBe(8);
    expect((await cancelling.call('placeBooks', { runId, folder: join(FIXTURE_BOOKS_DIR, 'cookery') })).placed).toHaveLength(4);
  }, 240_000);
});
