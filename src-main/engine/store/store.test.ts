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
      'rejected_files',
      'run_books',
      'run_clusters',
      'runs',
    ]);
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
    expect(store.bookWithHash('def')?.path).toBe('/b/one.txt');
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
    store.close();
  });
});
