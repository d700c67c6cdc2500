// Exports researchers can cite: each book's Gutenberg number from its header, kept with the
// library and with each run, and a run's labels.json sidecar. Real SQLite files in temp folders.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../../src-shared/csv';
import type { RunLabelsSidecar } from '../../src-shared/domain';
import { ShelfmapError } from '../../src-shared/errors';
import { resolveSettings } from '../../src-shared/settings';
import { FIXTURE_BOOKS_DIR } from '../../fixtures/fixture-paths';
import { Engine } from './engine';
import { SHELFMAP_VERSION } from './export';
import { Store } from './store/store';

let dir: string;
let store: Store;
let engine: Engine;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shelfmap-export-'));
  store = new Store(join(dir, 'library.sqlite'));
  engine = new Engine(store, () => {});
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The number each fixture file's header gives, read here with a plain pattern of its own. */
const headerNumber = (path: string) => Number(/\[EBook #(\d+)\]/.exec(readFileSync(path, 'utf8'))![1]);

/** A finished run over the library's books saved straight into the store: two clusters, alternating. */
function savedRun(): number {
  const books = store.listBooks();
  const runId = store.createRun(resolveSettings({ k: 2, seed: 5 }), books.length);
  store.updateRunProgress(runId, 'cpu', { features: 10, embed: 20 });
  store.setBackendDetail(runId, 'plain JavaScript');
  store.saveRunResult(
    runId,
    books.map((b, i) => ({ bookId: b.id, path: b.path, title: b.title, author: b.author, language: b.language, ebookId: b.ebookId, cluster: i % 2, x: i, y: -i, distanceToCentre: i / 10 })),
    [
      { id: 0, label: 'stars · planets', terms: ['stars', 'planets'], size: Math.ceil(books.length / 2), representatives: [books[2].id, books[0].id] },
      { id: 1, label: 'soup · bread', terms: ['soup', 'bread'], size: Math.floor(books.length / 2), representatives: [books[1].id] },
    ],
  );
  return runId;
}

describe('Gutenberg numbers', () => {
  it('are read from each book\'s header on import and kept with the library', async () => {
    await engine.call('addFolder', { folder: FIXTURE_BOOKS_DIR });
    const books = await engine.call('listBooks', {});
    expect(books).toHaveLength(12);
    for (const b of books) expect(b.ebookId).toBe(headerNumber(b.path));
    expect(new Set(books.map((b) => b.ebookId)).size).toBe(12);
  });

  it('are read on the next scan for books added before they were kept, and a run keeps what the library knew', async () => {
    await engine.call('addFolder', { folder: FIXTURE_BOOKS_DIR });
    // as a library from before the migration leaves them: not known, not looked for yet
    store.db.exec('UPDATE books SET ebook_id = NULL, ebook_read = 0');
    const before = savedRun();
    expect((await engine.call('listBooks', {})).every((b) => b.ebookId === null)).toBe(true);
    const report = await engine.call('addFolder', { folder: FIXTURE_BOOKS_DIR });
    expect(report.unchanged).toBe(12);
    for (const b of await engine.call('listBooks', {})) expect(b.ebookId).toBe(headerNumber(b.path));
    const rows = parseCsv((await engine.call('exportCsv', { runId: before })).csv);
    expect(rows[0][1]).toBe('ebook_id');
    expect(rows.slice(1).every((r) => r[1] === '')).toBe(true);
    const after = savedRun();
    const points = (await engine.call('getRun', { runId: after })).points;
    expect(points.every((p) => p.ebookId === headerNumber(p.path))).toBe(true);
  });
});

describe('exportJson', () => {
  it('holds the version, run, settings, seed, backend, timings, dates, books fingerprint and clusters', async () => {
    await engine.call('addFolder', { folder: FIXTURE_BOOKS_DIR });
    const runId = savedRun();
    const { filename, json } = await engine.call('exportJson', { runId });
    expect(filename).toBe(`shelfmap-run-${runId}-clusters.json`);
    expect(json.endsWith('}\n')).toBe(true);
    const sidecar = JSON.parse(json) as RunLabelsSidecar;
    const run = store.getRun(runId);
    expect(Object.keys(sidecar)).toEqual([
      'format', 'formatVersion', 'shelfmapVersion', 'runId', 'settings', 'seed', 'backend', 'backendDetail', 'timings', 'startedAt', 'finishedAt', 'kSweep', 'books', 'clusters',
    ]);
    expect(sidecar).toMatchObject({
      format: 'shelfmap-labels',
      formatVersion: 1,
      shelfmapVersion: JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')).version,
      runId,
      settings: resolveSettings({ k: 2, seed: 5 }),
      seed: 5,
      backend: 'cpu',
      backendDetail: 'plain JavaScript',
      timings: { features: 10, embed: 20 },
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      kSweep: null,
    });
    expect(SHELFMAP_VERSION).toMatch(/^\d+\.\d+\.\d+/);
    const books = store.listBooks();
    const expected = createHash('sha256').update(books.map((b) => b.fingerprint).sort().join('\n')).digest('hex');
    expect(sidecar.books).toEqual({ count: 12, placed: 0, fingerprint: expected });
    expect(sidecar.clusters.map((c) => [c.id, c.label, c.terms, c.size])).toEqual([
      [0, 'stars · planets', ['stars', 'planets'], 6],
      [1, 'soup · bread', ['soup', 'bread'], 6],
    ]);
    expect(sidecar.clusters[0].representatives).toEqual([books[2], books[0]].map((b) => ({ path: b.path, ebook_id: b.ebookId, title: b.title })));
    expect(sidecar.clusters[0].representatives[0].ebook_id).toBe(headerNumber(books[2].path));
  });

  it('keeps a run\'s books fingerprint after its books leave the library, and gives the same for the same texts', async () => {
    await engine.call('addFolder', { folder: FIXTURE_BOOKS_DIR });
    const first = JSON.parse((await engine.call('exportJson', { runId: savedRun() })).json) as RunLabelsSidecar;
    const runId = savedRun();
    await engine.call('removeFolder', { folder: FIXTURE_BOOKS_DIR });
    const later = JSON.parse((await engine.call('exportJson', { runId })).json) as RunLabelsSidecar;
    expect(later.books.fingerprint).toBe(first.books.fingerprint);
    expect(later.books.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('says plainly when there is no such run, or when the run has nothing to export', async () => {
    await expect(engine.call('exportJson', { runId: 99 })).rejects.toMatchObject({ kind: 'not-found', message: 'There is no run 99.' });
    await expect(engine.call('exportJson', { runId: 0 })).rejects.toMatchObject({ kind: 'invalid-argument', message: expect.stringMatching(/"runId" must be a whole number/) });
    await expect(engine.call('exportJson', { run: 1 })).rejects.toBeInstanceOf(ShelfmapError);
    const running = store.createRun(resolveSettings({}), 0);
    await expect(engine.call('exportJson', { runId: running })).rejects.toMatchObject({ kind: 'not-found', message: `Run ${running} has no clusters to export (it is still going).` });
  });
});
