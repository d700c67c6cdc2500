import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSettings } from '../../../src-shared/settings';
import { MIGRATIONS, SCHEMA_VERSION, migrate } from './migrations';
import { Store, type NewBook } from './store';

const dirs: string[] = [];
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shelfmap-store-'));
  dirs.push(dir);
  return join(dir, 'library.sqlite');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const book = (path: string, sha256 = 'abc'): NewBook => ({
  path,
  sha256,
  fingerprint: `text-of-${sha256}`,
  bytes: 10,
  mtimeMs: 1,
  encoding: 'utf-8',
  title: 'T',
  author: 'A',
  language: 'English',
  words: 3,
  body: 'the body text é',
});

describe('migrations', () => {
  it('each migration applies on an in-memory database and sets user_version', () => {
    const db = new Database(':memory:');
    for (let v = 0; v < MIGRATIONS.length; v++) {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    }
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
    expect(tables.map((t) => (t as { name: string }).name)).toEqual([
      'book_bodies',
      'book_terms',
      'books',
      'folders',
      'rejected_files',
      'run_books',
      'run_clusters',
      'run_epochs',
      'run_models',
      'runs',
    ]);
  });

  it('migration 2 adds run models to a version-1 library without touching its books', () => {
    const db = new Database(':memory:');
    db.exec(MIGRATIONS[0]);
    db.pragma('user_version = 1');
    db.prepare("INSERT INTO books (path, sha256, bytes, mtime_ms, encoding, title, author, language, words, added_at) VALUES ('/a.txt', 'h', 1, 1, 'utf-8', 'A', '', '', 1, 'now')").run();
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT COUNT(*) AS n FROM books').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM run_models').get()).toEqual({ n: 0 });
  });

  it('is idempotent', () => {
    const db = new Database(':memory:');
    migrate(db);
    expect(migrate(db)).toBe(SCHEMA_VERSION);
  });

  it('refuses a library from a newer Shelfmap with a clear message', () => {
    const file = tempDb();
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => new Store(file)).toThrow(/newer Shelfmap/);
  });
});

describe('Store', () => {
  it('keeps books, bodies and term counts across reopening', () => {
    const file = tempDb();
    const store = new Store(file);
    const id = store.upsertBook(book('/b/one.txt'));
    store.saveTerms(id, 'k', 3, Buffer.from([1, 2, 3]));
    store.close();

    const again = new Store(file);
    expect(again.listBooks()).toMatchObject([{ id, path: '/b/one.txt', title: 'T' }]);
    expect(again.bookBody(id)).toBe('the body text é');
    expect(again.cachedTerms(id, 'k')).toEqual({ tokens: 3, counts: Buffer.from([1, 2, 3]) });
    expect(again.cachedTerms(id, 'other')).toBeUndefined();
    again.close();
  });

  it('replacing a book drops its stale term counts and its rejection', () => {
    const store = new Store(tempDb());
    store.saveRejected({ path: '/b/one.txt', reason: 'empty', message: 'one.txt is empty' });
    const first = store.upsertBook(book('/b/one.txt'));
    store.saveTerms(first, 'k', 3, Buffer.from([1]));
    expect(store.listRejected()).toEqual([]);
    const second = store.upsertBook(book('/b/one.txt', 'def'));
    expect(store.cachedTerms(second, 'k')).toBeUndefined();
    expect(store.countBooks()).toBe(1);
    expect(store.bookWithFingerprint('text-of-def')?.path).toBe('/b/one.txt');
    store.close();
  });

  it('stores a run result and reads it back in cluster order', () => {
    const store = new Store(tempDb());
    const id = store.upsertBook(book('/b/one.txt'));
    const runId = store.createRun(resolveSettings({ k: 1 }), 1);
    expect(store.getRun(runId).status).toBe('running');
    store.updateRunProgress(runId, 'wasm', { features: 5 });
    store.saveRunResult(
      runId,
      [{ bookId: id, path: '/b/one.txt', title: 'T', author: 'A', language: 'English', cluster: 0, x: 0.5, y: -0.5 }],
      [{ id: 0, label: 'a · b', terms: ['a', 'b'], size: 1 }],
    );
    expect(store.getRun(runId)).toMatchObject({ status: 'done', backend: 'wasm', timings: { features: 5 }, bookCount: 1 });
    expect(store.runPoints(runId)).toHaveLength(1);
    expect(store.runClusters(runId)).toEqual([{ id: 0, label: 'a · b', terms: ['a', 'b'], size: 1 }]);
    expect(() => store.getRun(999)).toThrow(/no run 999/);

    store.saveRunModel(runId, {
      vocabulary: ['a', 'b'],
      idf: Float64Array.from([1.5, 2.25]),
      features: { minDocs: 1 },
      topology: { layers: [2, 1] },
      weights: Buffer.from(Float32Array.from([0.5, -1]).buffer),
    });
    const model = store.runModel(runId)!;
    expect(model.vocabulary).toEqual(['a', 'b']);
    expect([...model.idf]).toEqual([1.5, 2.25]);
    expect(model.topology).toEqual({ layers: [2, 1] });
    expect([...new Float32Array(model.weights.buffer, model.weights.byteOffset, 2)]).toEqual([0.5, -1]);
    store.saveEpoch(runId, { epoch: 1, loss: 0.5, valLoss: null, ms: 12 });
    expect(store.runEpochs(runId)).toEqual([{ epoch: 1, loss: 0.5, valLoss: null, ms: 12 }]);
    store.close();
  });
});
