// The import's worker threads with real threads, real files and real SQLite in temp folders:
// the same library as reading on one thread, a reader that dies on one file, progress by bytes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ProgressEvent } from '../../src-shared/contract';
import { DEFAULT_SETTINGS } from '../../src-shared/settings';
import { encodeBookTerms, sampleWindows, windowsAt } from './features/sample';
import { importFolder } from './importer';
import { IMPORT_TERMS_KEY, countSpans, spansOf } from './import-work';
import { readBook } from './library/read-book';
import { createRandom } from './random';
import { unpackTerms } from './store/packed';
import { Store } from './store/store';

const CORPUS = resolve(__dirname, '..', '..', '..', 'shared', 'corpus', 'gutenberg', 'books');
const BOOKS = 20;

let dir: string;
const stores: Store[] = [];

beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'shelfmap-pool-')));
});

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  rmSync(dir, { recursive: true, force: true });
});

const WORDS = ['sea', 'ship', 'star', 'moon', 'bread', 'salt', 'wind', 'sail', 'oven', 'comet', 'harbour', 'flour', 'orbit', 'captain', 'butter'];

/** BOOKS small Gutenberg-style books with their own words, in a folder. */
function shelf(): string {
  const folder = join(dir, 'shelf');
  mkdirSync(folder, { recursive: true });
  const random = createRandom(11);
  for (let b = 0; b < BOOKS; b++) {
    const words = Array.from({ length: 1500 + 400 * b }, () => WORDS[Math.floor(random() * WORDS.length)]);
    const body = words.join(' ').replace(/((?:\S+ ){12})/g, '$1\n');
    const text = `Title: Book ${b}\nAuthor: Someone ${b}\n\n*** START OF THE PROJECT GUTENBERG EBOOK BOOK ${b} ***\n\n${body}\n\n*** END OF THE PROJECT GUTENBERG EBOOK BOOK ${b} ***\n`;
    writeFileSync(join(folder, `book-${String(b).padStart(2, '0')}.txt`), text);
  }
  return folder;
}

function openStore(name: string): Store {
  const store = new Store(join(dir, `${name}.sqlite`));
  stores.push(store);
  return store;
}

/** Everything the library holds of its books, by id. */
function contents(store: Store) {
  return store.listBooks().map((b) => ({
    ...b,
    addedAt: undefined,
    spans: store.bookSpans(b.id),
    terms: store.cachedTerms(b.id, IMPORT_TERMS_KEY),
  }));
}

describe('the import pool', () => {
  it('gives the same library, ids and counts as reading every file on this thread', async () => {
    const folder = shelf();
    const pooled = openStore('pooled');
    const single = openStore('single');
    const a = await importFolder(pooled, folder, { emit: () => undefined, workers: 2 });
    const b = await importFolder(single, folder, { emit: () => undefined, workers: 0 });
    expect(a).toMatchObject({ found: BOOKS, added: BOOKS, rejected: [] });
    expect(b).toEqual(a);
    expect(contents(pooled)).toEqual(contents(single));
    // the second add is a stat per file
    expect(await importFolder(pooled, folder, { emit: () => undefined, workers: 2 })).toMatchObject({ added: 0, unchanged: BOOKS });
  });

  for (const how of ['throw', 'exit', 'oom'] as const) {
    it(`a reader that dies (${how}) on one file leaves that file out with the reason, and adds the rest`, async () => {
      const folder = shelf();
      const store = openStore(`crash-${how}`);
      // a small heap, so that running out of memory comes quickly
      const report = await importFolder(store, folder, { emit: () => undefined, workers: 2, crashOn: { name: 'book-07.txt', how }, readerHeapMb: 64 });
      expect(report.added).toBe(BOOKS - 1);
      expect(report.rejected).toHaveLength(1);
      expect(report.rejected[0]).toMatchObject({ path: join(folder, 'book-07.txt'), reason: 'unreadable' });
      expect(report.rejected[0].message).toMatch(/book-07\.txt could not be read: the reader crashed on it/);
      // the library is whole: every other book with where its samples lie and its counts, the file listed as left out
      const books = store.listBooks();
      expect(books).toHaveLength(BOOKS - 1);
      for (const book of books) {
        expect(store.bookSpans(book.id)?.spans.length).toBeGreaterThanOrEqual(2);
        expect(store.cachedTerms(book.id, IMPORT_TERMS_KEY)).toBeDefined();
      }
      expect(store.listRejected().map((r) => r.path)).toEqual([join(folder, 'book-07.txt')]);
      // adding the folder again (the reader well now) takes the file in
      const again = await importFolder(store, folder, { emit: () => undefined, workers: 2 });
      expect(again).toMatchObject({ added: 1, unchanged: BOOKS - 1, rejected: [] });
      expect(store.listRejected()).toEqual([]);
    });
  }

  it('says how many bytes are read of how many, at what pace and how long is left', async () => {
    const folder = shelf();
    const store = openStore('progress');
    const events: ProgressEvent[] = [];
    await importFolder(store, folder, { emit: (name, payload) => name === 'progress' && events.push(payload as ProgressEvent), workers: 2 });
    const reads = events.filter((e) => e.stage === 'read');
    const total = readdirSync(folder).reduce((sum, name) => sum + readFileSync(join(folder, name)).length, 0);
    expect(reads.every((e) => e.bytesTotal === total)).toBe(true);
    const done = reads.map((e) => e.bytesDone ?? -1);
    expect(done).toEqual([...done].sort((x, y) => x - y));
    expect(reads.at(-1)).toMatchObject({ done: BOOKS, total: BOOKS, bytesDone: total, message: 'Done' });
  });
});

describe('what the workers count', () => {
  it.skipIf(!existsSync(CORPUS))('equals counting the whole body, on corpus books (skipped without ../shared/corpus/gutenberg)', async () => {
    const features = DEFAULT_SETTINGS.features;
    for (const name of readdirSync(CORPUS).slice(0, 8)) {
      const read = await readBook(join(CORPUS, name));
      if (!read.ok) continue;
      const { spans } = spansOf(read.book.body);
      const counts = countSpans(read.book.body, spans);
      expect(unpackTerms(Buffer.from(counts.terms))).toEqual(encodeBookTerms(read.book.body, features).blob);
      expect(windowsAt(read.book.body, spans)).toEqual(sampleWindows(read.book.body, features.sampling));
    }
  });
});
