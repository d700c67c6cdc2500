import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FIXTURE_BAD_DIR,
  FIXTURE_BOOK_COUNT,
  FIXTURE_BOOKS_DIR,
  FIXTURE_CRLF_BOOK,
  FIXTURE_GENRES,
  FIXTURE_LATIN1_BOOK,
  makeMixedFolder,
} from '../../../fixtures/fixture-paths';
import { oneBookManyWays } from '../../../fixtures/encoded-books';
import { normaliseForFingerprint } from './fingerprint';
import { countWords, formatBytes, looksLikeHtml, readBook, type ReadBookResult } from './read-book';
import { scanFolder } from './scan';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shelfmap-read-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, content: string | Uint8Array): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

/** n distinct-enough words of prose. */
function prose(words: number): string {
  const vocabulary = ['the', 'ship', 'sailed', 'north', 'under', 'a', 'grey', 'sky', 'and', 'we', 'watched'];
  return Array.from({ length: words }, (_, i) => vocabulary[i % vocabulary.length]).join(' ');
}

function gutenberg(title: string, author: string, body: string): string {
  return [
    `The Project Gutenberg EBook of ${title}, by ${author}`,
    '',
    `Title: ${title}`,
    '',
    `Author: ${author}`,
    '',
    'Release Date: May 5, 2004 [EBook #4321]',
    '',
    'Language: English',
    '',
    `*** START OF THIS PROJECT GUTENBERG EBOOK ${title.toUpperCase()} ***`,
    '',
    body,
    '',
    `*** END OF THIS PROJECT GUTENBERG EBOOK ${title.toUpperCase()} ***`,
    '',
    'To protect the Project Gutenberg-tm mission of promoting the free',
    'distribution of electronic works, you agree to the Full Project Gutenberg-tm License.',
  ].join('\n');
}

function rejection(result: ReadBookResult) {
  if (result.ok) throw new Error(`expected a rejection, got the book ${result.book.title}`);
  return result.rejected;
}

function book(result: ReadBookResult) {
  if (!result.ok) throw new Error(`expected a book, got: ${result.rejected.message}`);
  return result.book;
}

describe('one book, many encodings', () => {
  it('reads to one fingerprint from UTF-8 (BOM or not, CRLF or LF), Latin-1 and UTF-16 LE/BE with and without a BOM', async () => {
    const forms = oneBookManyWays();
    const books = await Promise.all(Object.entries(forms).map(async ([name, bytes]) => book(await readBook(write(name, bytes)))));
    expect(books.map((b) => b.encoding)).toEqual([
      'utf-8',
      'utf-8',
      'utf-8',
      'iso-8859-1',
      'utf-16le',
      'utf-16le',
      'utf-16be',
      'utf-16be',
      'utf-8',
    ]);
    expect(new Set(books.map((b) => b.fingerprint)).size).toBe(1);
    expect(new Set(books.map((b) => b.sha256)).size).toBe(books.length);
    expect(books.every((b) => b.author === 'José Reed' && b.body.includes('café crème and said “naïve”'))).toBe(true);
    expect(new Set(books.map((b) => b.words)).size).toBe(1);
  });

  it('gives another text another fingerprint', async () => {
    const a = book(await readBook(write('a.txt', gutenberg('A', 'B', prose(80)))));
    const b = book(await readBook(write('b.txt', gutenberg('A', 'B', `${prose(80)} more`))));
    expect(a.fingerprint).not.toBe(b.fingerprint);
  });
});

describe('readBook', () => {
  it('reads a Gutenberg book: metadata, body without licence, size, time and hash', async () => {
    const text = gutenberg('The Grey North', 'Ann Reed', prose(120));
    const file = write('grey-north.txt', text);
    const parsed = book(await readBook(file));
    const raw = fs.readFileSync(file);
    expect(parsed).toEqual({
      path: file,
      bytes: raw.length,
      mtimeMs: fs.statSync(file).mtimeMs,
      sha256: createHash('sha256').update(raw).digest('hex'),
      fingerprint: createHash('sha256').update(prose(120)).digest('hex'),
      encoding: 'utf-8',
      title: 'The Grey North',
      author: 'Ann Reed',
      language: 'English',
      ebookId: 4321,
      body: prose(120),
      words: 120,
    });
    expect(parsed.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('leaves out an HTML page saved as .txt, with its own reason', async () => {
    const page = `<!DOCTYPE html>\n<html lang="en"><head><title>Moby Dick</title></head>\n<body><p>${prose(200)}</p></body></html>\n`;
    const rejected = rejection(await readBook(write('page.txt', page)));
    expect(rejected).toEqual({
      path: path.join(dir, 'page.txt'),
      reason: 'html',
      message: 'page.txt is an HTML page saved as .txt: its markup would be read as words, so it was left out. Save the page as plain text to add it.',
    });
    // the same page saved as "Unicode" by Notepad
    expect(rejection(await readBook(write('page16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(page, 'utf16le')])))).reason).toBe('html');
    expect(looksLikeHtml('  <html>\n<head>')).toBe(true);
    expect(looksLikeHtml(`<p>no doctype</p>\n<html>\n<head><meta charset="utf-8"><title>T</title></head><body>`)).toBe(true);
  });

  it('keeps a book that mentions HTML tags in its text', async () => {
    const text = gutenberg('Markup', 'Ann Reed', `${prose(60)} the tag <html> opens a page and <p> a paragraph.`);
    expect(book(await readBook(write('markup.txt', text))).words).toBeGreaterThan(60);
  });

  it('reads a file whose name is not valid UTF-8 by its raw bytes', async () => {
    const raw = Buffer.concat([Buffer.from(path.join(dir, 'caf')), Buffer.from([0xe9]), Buffer.from('.txt')]);
    fs.writeFileSync(raw, gutenberg('Caf', 'Ann Reed', prose(60)));
    const parsed = book(await readBook({ path: path.join(dir, 'caf\\xE9.txt'), fsPath: raw }));
    expect(parsed).toMatchObject({ path: path.join(dir, 'caf\\xE9.txt'), title: 'Caf', words: 60 });
  });

  it('reads a file without a Gutenberg header, titled after its file name', async () => {
    const file = write('my_own-novel.txt', prose(60));
    expect(book(await readBook(file))).toMatchObject({ title: 'my own novel', author: '', language: '', words: 60 });
  });

  it('decodes Latin-1 bytes and CRLF line ends', async () => {
    const text = gutenberg('La Mer', 'José Martí', `${prose(60)}\n\nCaf\u00e9 cr\u00e8me.`).replace(/\n/g, '\r\n');
    const file = write('la-mer.txt', Buffer.from(text, 'latin1'));
    const parsed = book(await readBook(file));
    expect(parsed.encoding).toBe('windows-1252');
    expect(parsed.author).toBe('José Martí');
    expect(parsed.body).toBe(`${prose(60)}\n\nCafé crème.`);
    expect(parsed.body).not.toContain('\r');
  });

  it('rejects an empty file', async () => {
    const file = write('empty.txt', '');
    expect(rejection(await readBook(file))).toEqual({ path: file, reason: 'empty', message: 'empty.txt is empty (0 bytes).' });
  });

  it('rejects a binary file', async () => {
    const file = write('photo.txt', new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]));
    expect(rejection(await readBook(file))).toEqual({
      path: file,
      reason: 'binary',
      message: 'photo.txt looks like a binary file, not text.',
    });
  });

  it('rejects a file over the size limit without reading it, naming the size and the limit', async () => {
    const file = write('huge.txt', prose(600));
    const size = fs.statSync(file).size;
    expect(size).toBeGreaterThan(2048);
    const rejected = rejection(await readBook(file, { maxBytes: 2048 }));
    expect(rejected.reason).toBe('too-large');
    expect(rejected.message).toBe(`huge.txt is ${formatBytes(size)}, over the 2 KiB limit.`);
    expect(rejected.message).toMatch(/^huge\.txt is \d+(\.\d)? KiB, over the 2 KiB limit\.$/);
  });

  it('keeps a file exactly at the size limit', async () => {
    const file = write('edge.txt', prose(100));
    expect((await readBook(file, { maxBytes: fs.statSync(file).size })).ok).toBe(true);
  });

  it('rejects a body with too few words, and honours minWords', async () => {
    const file = write('note.txt', gutenberg('A Note', 'Ann Reed', prose(12)));
    const rejected = rejection(await readBook(file));
    expect(rejected.reason).toBe('too-short');
    expect(rejected.message).toBe(
      'note.txt has only 12 words of text between the Project Gutenberg header and licence; a book needs at least 50.',
    );
    expect(book(await readBook(file, { minWords: 12 })).words).toBe(12);
  });

  it('rejects a file that vanished after the scan', async () => {
    const file = write('gone.txt', prose(100));
    fs.rmSync(file);
    expect(rejection(await readBook(file))).toEqual({
      path: file,
      reason: 'vanished',
      message: 'gone.txt disappeared before it could be read.',
    });
  });

  it('rejects a folder named like a book as unreadable', async () => {
    const folder = path.join(dir, 'x.txt');
    fs.mkdirSync(folder);
    expect(rejection(await readBook(folder))).toEqual({
      path: folder,
      reason: 'unreadable',
      message: 'x.txt is a folder, not a file.',
    });
  });

  // chmod 000 stops reads only for a non-root user; as root the file stays readable.
  const probe = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'shelfmap-probe-')), 'probe.txt');
  fs.writeFileSync(probe, 'x');
  fs.chmodSync(probe, 0o000);
  const chmodBlocksReads = (() => {
    try {
      fs.readFileSync(probe);
      return false;
    } catch {
      return true;
    } finally {
      fs.rmSync(path.dirname(probe), { recursive: true, force: true });
    }
  })();
  if (!chmodBlocksReads) console.log('Skipping the permission-denied file test: chmod 000 does not stop reads here (running as root).');
  it.skipIf(!chmodBlocksReads)('rejects a file it may not read', async () => {
    const file = write('secret.txt', prose(100));
    fs.chmodSync(file, 0o000);
    expect(rejection(await readBook(file))).toEqual({
      path: file,
      reason: 'unreadable',
      message: 'secret.txt cannot be read: permission denied.',
    });
  });
});

describe('countWords', () => {
  it('counts runs of letters and digits, keeping inner apostrophes', () => {
    expect(countWords("Don't stop — it's 1851, Ishmael's year; café au lait!")).toBe(9);
    expect(countWords('  \n\t ')).toBe(0);
  });
});

describe('formatBytes', () => {
  it('writes sizes the way people read them', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(1023)).toBe('1023 bytes');
    expect(formatBytes(3584)).toBe('3.5 KiB');
    expect(formatBytes(64 * 1024 * 1024)).toBe('64 MiB');
    expect(formatBytes(70.25 * 1024 * 1024)).toBe('70.3 MiB');
  });
});

describe('the fixture books', () => {
  it('reads all 12 with their titles, authors and genres apart', async () => {
    const { files, problems } = await scanFolder(FIXTURE_BOOKS_DIR);
    expect(problems).toEqual([]);
    expect(files).toHaveLength(FIXTURE_BOOK_COUNT);
    const books = await Promise.all(files.map(async (file) => book(await readBook(file))));
    for (const parsed of books) {
      expect(parsed.language).toBe('English');
      expect(parsed.author).not.toBe('');
      expect(parsed.title).not.toBe(path.basename(parsed.path, '.txt').replace(/-/g, ' '));
      expect(parsed.body).not.toMatch(/Project Gutenberg|START OF|END OF/i);
      expect(parsed.words).toBeGreaterThan(250);
      expect(parsed.bytes).toBeGreaterThan(2000);
      expect(parsed.bytes).toBeLessThan(4500);
    }
    const genres = books.map((b) => path.basename(path.dirname(b.path)));
    expect([...new Set(genres)].sort()).toEqual([...FIXTURE_GENRES]);
    for (const genre of FIXTURE_GENRES) expect(genres.filter((g) => g === genre)).toHaveLength(4);
  });

  it('has one Latin-1 book by José Martí and one CRLF book', async () => {
    const latin1 = book(await readBook(path.join(FIXTURE_BOOKS_DIR, FIXTURE_LATIN1_BOOK)));
    // its header says "Character set encoding: ISO-8859-1"
    expect(latin1).toMatchObject({ encoding: 'iso-8859-1', author: 'José Martí', title: 'The Salt Road' });
    expect(latin1.body).toContain('señora of the café');
    const crlfPath = path.join(FIXTURE_BOOKS_DIR, FIXTURE_CRLF_BOOK);
    expect(fs.readFileSync(crlfPath, 'latin1')).toContain('\r\n');
    const crlf = book(await readBook(crlfPath));
    expect(crlf.title).toBe('Lanterns of the Night Sky');
    expect(crlf.body).not.toContain('\r');
  });

  it('rejects the bad fixtures', async () => {
    expect(rejection(await readBook(path.join(FIXTURE_BAD_DIR, 'empty.txt'))).reason).toBe('empty');
    expect(rejection(await readBook(path.join(FIXTURE_BAD_DIR, 'binary.txt'))).reason).toBe('binary');
  });

  it('reads a mixed folder into 12 books and 2 rejections', async () => {
    const mixed = makeMixedFolder();
    try {
      const { files, problems } = await scanFolder(mixed);
      expect(problems).toEqual([]);
      expect(files).toHaveLength(FIXTURE_BOOK_COUNT + 2);
      const results = await Promise.all(files.map((file) => readBook(file)));
      expect(results.filter((r) => r.ok)).toHaveLength(FIXTURE_BOOK_COUNT);
      const rejected = results.flatMap((r) => (r.ok ? [] : [r.rejected]));
      expect(rejected.map((r) => [path.basename(r.path), r.reason])).toEqual([
        ['binary.txt', 'binary'],
        ['empty.txt', 'empty'],
      ]);
    } finally {
      fs.rmSync(mixed, { recursive: true, force: true });
    }
  });
});

describe('normaliseForFingerprint', () => {
  it('drops spaces and tabs at line ends, only there, and composes accents', () => {
    expect(normaliseForFingerprint('a  \nb\t \n  c d \t')).toBe('a\nb\n  c d');
    expect(normaliseForFingerprint('cafe\u0301')).toBe('caf\u00e9');
    expect(normaliseForFingerprint('no\u00a0\nchange')).toBe('no\u00a0\nchange');
  });
});
