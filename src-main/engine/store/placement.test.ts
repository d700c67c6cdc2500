// What a run keeps for placing books on it later, and the placed books themselves, in a real
// SQLite file.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSettings } from '../../../src-shared/settings';
import type { BookPoint } from '../../../src-shared/domain';
import { Store, type NewBook } from './store';

const dirs: string[] = [];
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shelfmap-placement-'));
  dirs.push(dir);
  return join(dir, 'library.sqlite');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const book = (path: string, sha256: string): NewBook => ({
  path,
  sha256,
  fingerprint: `text-of-${sha256}`,
  bytes: 10,
  mtimeMs: 1,
  encoding: 'utf-8',
  title: path,
  author: 'A',
  language: 'English',
  words: 3,
  ebookId: null,
});

const point = (bookId: number, path: string, cluster: number): BookPoint => ({ bookId, path, title: path, author: 'A', language: 'English', ebookId: null, cluster, x: 0.1 * bookId, y: -0.3, distanceToCentre: 0.5 });

describe('run placement', () => {
  it('keeps centres and embeddings exactly across reopening, and marks placed books', () => {
    const file = tempDb();
    let store = new Store(file);
    const a = store.upsertBook(book('/b/a.txt', 'a'));
    const b = store.upsertBook(book('/b/b.txt', 'b'));
    const c = store.upsertBook(book('/b/c.txt', 'c'));
    const runId = store.createRun(resolveSettings({ k: 2 }), 2);
    const centres = [
      [0.1, 1 / 3, -2],
      [Math.PI, 0, 1e-300],
    ];
    const embeddings = new Map([
      [a, Float64Array.from([1 / 7, 2, 3])],
      [b, Float64Array.from([-1, 0.2, Number.MIN_VALUE])],
    ]);
    expect(store.runPlacement(runId)).toBeUndefined();
    store.saveRunPlacement(runId, { pooling: 'unitMean', unitEmbedding: false, normalize: true, centres, embeddings });
    store.saveRunResult(runId, [point(a, '/b/a.txt', 0), point(b, '/b/b.txt', 1)], []);
    store.close();

    store = new Store(file);
    expect(store.runPlacement(runId)).toEqual({ pooling: 'unitMean', unitEmbedding: false, normalize: true, centres, embeddings });
    expect(store.runPoints(runId).map((p) => p.placed)).toEqual([false, false]);

    store.savePlacedBooks(runId, [{ ...point(c, '/b/c.txt', 1), placed: true }]);
    expect(store.runPoints(runId).map((p) => [p.bookId, p.placed])).toEqual([
      [a, false],
      [b, false],
      [c, true],
    ]);
    // a book of the run is never written over: the whole call fails and nothing is added
    const d = store.upsertBook(book('/b/d.txt', 'd'));
    expect(() => store.savePlacedBooks(runId, [point(d, '/b/d.txt', 0), point(a, '/b/a.txt', 1)])).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(store.runPoints(runId).find((p) => p.bookId === a)).toMatchObject({ cluster: 0, placed: false });
    expect(store.runPoints(runId).some((p) => p.bookId === d)).toBe(false);
    store.close();
  });
});
