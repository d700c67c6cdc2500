// Samples read again from the books' files where the library keeps only where they lie:
// real files, a real SQLite library in a temp folder.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SETTINGS } from '../../src-shared/settings';
import { bookWindows, bookWindowsIfReadable, rereadNotice } from './book-text';
import { sampleWindows } from './features/sample';
import { importFolder } from './importer';
import { namingWords } from './pipeline';
import { readBook } from './library/read-book';
import { createRandom } from './random';
import { packWindows } from './store/packed';
import { Store } from './store/store';

const PLAN = DEFAULT_SETTINGS.features.sampling!;
const WORDS = ['sea', 'ship', 'star', 'moon', 'bread', 'salt', 'wind', 'sail', 'oven', 'comet', 'café', 'naïve', 'don’t'];

let dir: string;
let store: Store;

beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'shelfmap-book-text-')));
  store = new Store(join(dir, 'library.sqlite'));
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A Gutenberg-style book of `words` words, CRLF line ends and trailing spaces on some lines. */
function writeBook(folder: string, name: string, words: number, seed: number): string {
  const random = createRandom(seed);
  const body = Array.from({ length: words }, () => WORDS[Math.floor(random() * WORDS.length)])
    .join(' ')
    .replace(/((?:\S+ ){11})/g, '$1\r\n');
  const file = join(folder, name);
  writeFileSync(file, `Title: ${name}\r\n\r\n*** START OF THE PROJECT GUTENBERG EBOOK ${name} ***\r\n\r\n${body}\r\n*** END OF THE PROJECT GUTENBERG EBOOK ***\r\n`);
  return file;
}

async function shelf(): Promise<{ folder: string; long: string; short: string }> {
  const folder = join(dir, 'shelf');
  mkdirSync(folder);
  const long = writeBook(folder, 'long.txt', 25_000, 1);
  const short = writeBook(folder, 'short.txt', 3_000, 2);
  await importFolder(store, folder, { emit: () => undefined, workers: 0 });
  return { folder, long, short };
}

const idOf = (path: string) => store.listBooks().find((b) => b.path === path)!.id;

describe('bookWindows', () => {
  it('reads the samples again from the file where the library kept where they lie, the same as cutting the whole body', async () => {
    const { long, short } = await shelf();
    for (const file of [long, short]) {
      const read = await readBook(file);
      if (!read.ok) throw new Error('unreadable');
      expect(store.bookSamples(idOf(file))).toBeUndefined();
      expect(store.bookSpans(idOf(file))?.plan).toBe(`${PLAN.samples}x${PLAN.words}`);
      expect(bookWindows(store, idOf(file), PLAN)).toEqual(sampleWindows(read.book.body, PLAN));
    }
    expect(bookWindows(store, idOf(long), PLAN)).toHaveLength(PLAN.samples);
    // another plan is cut from the whole body, read and checked again
    const other = { samples: 3, words: 500 };
    const read = await readBook(long);
    expect(bookWindows(store, idOf(long), other)).toEqual(sampleWindows(read.ok ? read.book.body : '', other));
    // cut at the kept offsets, not from the body checked again: with the fingerprint spoilt, only that path reads it
    const windows = bookWindows(store, idOf(long), PLAN);
    store.db.prepare("UPDATE books SET fingerprint = 'spoilt' WHERE id = ?").run(idOf(long));
    expect(bookWindows(store, idOf(long), PLAN)).toEqual(windows);
    expect(() => bookWindows(store, idOf(long), { samples: 3, words: 500 })).toThrow(/has changed on disk/);
  });

  it('reads the whole body again, checked by its fingerprint, when the file was touched or re-saved with the same text', async () => {
    const { long } = await shelf();
    const before = bookWindows(store, idOf(long), PLAN);
    // LF line ends and no trailing spaces: the same book (same fingerprint), other offsets in the file
    writeFileSync(long, readFileSync(long, 'utf8').replace(/ ?\r\n/g, '\n'));
    expect(bookWindows(store, idOf(long), PLAN).map((w) => w.replace(/ +\n/g, '\n'))).toEqual(before.map((w) => w.replace(/ +\n/g, '\n')));
    // adding the folder again notes where the samples lie in the file as it is now
    await importFolder(store, join(dir, 'shelf'), { emit: () => undefined, workers: 0 });
    const read = await readBook(long);
    expect(bookWindows(store, idOf(long), PLAN)).toEqual(sampleWindows(read.ok ? read.book.body : '', PLAN));
  });

  it('says so, never gives other text, when the file holds another text or is gone', async () => {
    const { long, short } = await shelf();
    const time = new Date('2020-01-01');
    writeBook(join(dir, 'shelf'), 'long.txt', 25_000, 99);
    utimesSync(long, time, time);
    expect(() => bookWindows(store, idOf(long), PLAN)).toThrow(/has changed on disk since it was added: add its folder again/);
    rmSync(short);
    const reasons: string[] = [];
    expect(bookWindowsIfReadable(store, idOf(short), PLAN, (m) => reasons.push(m))).toBeNull();
    expect(reasons).toEqual([expect.stringMatching(/"short\.txt" is no longer at .*short\.txt/)]);
  });

  it('still reads the samples a library made before kept as text, and the notice counts only the books it must read', async () => {
    const { long, short } = await shelf();
    const kept = ['kept window one', 'kept window two'];
    store.db.prepare('INSERT INTO book_samples (book_id, plan, windows) VALUES (?, ?, ?)').run(idOf(short), `${PLAN.samples}x${PLAN.words}`, packWindows(kept));
    expect(bookWindows(store, idOf(short), PLAN)).toEqual(kept);
    expect(rereadNotice(store, store.listBooks(), PLAN, undefined, 'to name the clusters')).toBe('Re-reading 1 book from disk to name the clusters');
    expect(idOf(long)).toBeGreaterThan(0);
  });
});

describe('naming from samples read again', () => {
  it('names from the books it can read, and says how many it could not and why', async () => {
    const { long, short } = await shelf();
    rmSync(short);
    const messages: string[] = [];
    const books = store.listBooks();
    const words = namingWords(store, books, DEFAULT_SETTINGS, (m) => messages.push(m));
    expect(messages[0]).toBe('Re-reading 2 books from disk to name the clusters');
    expect(messages[1]).toMatch(/^Named the clusters without 1 book whose files could not be read again: "short\.txt" is no longer at /);
    expect(words[books.findIndex((b) => b.path === long)].terms.get('comet')).toBeGreaterThan(0);
    expect(words[books.findIndex((b) => b.path === short)].terms.size).toBe(0);
  });
});
