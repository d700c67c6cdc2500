// The library through the engine, with real files in temp folders: books that move, vanish and
// come back, duplicates in other encodings, links, odd file names, removing books and folders.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiEvents } from '../../src-shared/contract';
import { parseCsv } from '../../src-shared/csv';
import { FIXTURE_BOOKS_DIR } from '../../fixtures/fixture-paths';
import { encodedBookText, oneBookManyWays } from '../../fixtures/encoded-books';
import { Engine } from './engine';
import { Store } from './store/store';

const QUICK = { k: 3, seed: 7, backend: 'cpu' as const, autoencoder: { epochs: 10 }, kmeansRestarts: 3 };

let dir: string;
let store: Store;
let engine: Engine;
let onEvent: (name: string, payload: unknown) => void;
const finished: ApiEvents['runFinished'][] = [];

beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'shelfmap-library-')));
  store = new Store(join(dir, 'library.sqlite'));
  onEvent = () => undefined;
  finished.length = 0;
  engine = new Engine(store, (name, payload) => {
    if (name === 'runFinished') finished.push(payload as ApiEvents['runFinished']);
    onEvent(name, payload);
  });
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A copy of the 12 fixture books at dir/<name>. */
function shelf(name = 'shelf'): string {
  const folder = join(dir, name);
  cpSync(FIXTURE_BOOKS_DIR, folder, { recursive: true });
  return folder;
}

async function cluster(folder?: string) {
  const { runId } = await engine.call('startRun', { settings: QUICK, folder });
  await engine.idle();
  expect(finished.find((f) => f.runId === runId)).toMatchObject({ status: 'done' });
  return engine.call('getRun', { runId });
}

const idsByName = async () => new Map((await engine.call('listBooks', {})).map((b) => [b.path.split('/').at(-1)!, b.id]));

describe('books that move', () => {
  it('clusters a folder again after it was moved: same books, new paths, old runs untouched', async () => {
    const first = shelf();
    await engine.call('addFolder', { folder: first });
    const before = await idsByName();
    const oldRun = await cluster(first);

    const moved = join(dir, 'renamed-shelf');
    renameSync(first, moved);
    const report = await engine.call('addFolder', { folder: moved });
    expect(report).toMatchObject({ found: 12, added: 0, moved: 12, updated: 0, rejected: [], libraryBooks: 12 });
    const books = await engine.call('listBooks', {});
    expect(await idsByName()).toEqual(before);
    expect(books.every((b) => b.path.startsWith(moved + '/') && b.status === 'present')).toBe(true);

    const newRun = await cluster(moved);
    expect(newRun.points).toHaveLength(12);
    expect(newRun.points.every((p) => p.path.startsWith(moved + '/'))).toBe(true);
    expect(new Set(newRun.points.map((p) => p.bookId))).toEqual(new Set(before.values()));
    // the first run still says where the books were then
    expect((await engine.call('getRun', { runId: oldRun.run.id })).points.every((p) => p.path.startsWith(first + '/'))).toBe(true);

    // adding the moved folder again is a stat per file
    expect(await engine.call('addFolder', { folder: moved })).toMatchObject({ unchanged: 12, moved: 0, added: 0 });
    const folders = await engine.call('listFolders', {});
    // the old folder is gone and every book moved out of it: it is forgotten
    expect(folders.map(({ path, exists, books, missing }) => ({ path, exists, books, missing }))).toEqual([
      { path: moved, exists: true, books: 12, missing: 0 },
    ]);
  });

  it('keeps a renamed file as the same book, in the same folder', async () => {
    const folder = shelf();
    await engine.call('addFolder', { folder });
    const id = (await idsByName()).get('harbour-lights.txt');
    renameSync(join(folder, 'sea-voyages', 'harbour-lights.txt'), join(folder, 'harbour-lights (2nd ed).txt'));
    expect(await engine.call('addFolder', { folder })).toMatchObject({ moved: 1, added: 0, missing: 0, unchanged: 11 });
    expect((await idsByName()).get('harbour-lights (2nd ed).txt')).toBe(id);
    expect(await engine.call('listBooks', {})).toHaveLength(12);
  });

  it('takes a copy as a duplicate while the first file is there, and as the book once it is gone', async () => {
    const folder = shelf();
    await engine.call('addFolder', { folder });
    const original = join(folder, 'cookery', 'the-good-larder.txt');
    const id = (await idsByName()).get('the-good-larder.txt');
    const copy = join(dir, 'elsewhere', 'larder-copy.txt');
    mkdirSync(join(dir, 'elsewhere'));
    cpSync(original, copy);
    const dup = await engine.call('addFolder', { folder: join(dir, 'elsewhere') });
    expect(dup.rejected).toEqual([
      {
        path: copy,
        reason: 'duplicate',
        message: `${copy} has the same text as ${original}, already in the library; it was left out.`,
        duplicateOf: original,
      },
    ]);
    unlinkSync(original);
    expect(await engine.call('addFolder', { folder: join(dir, 'elsewhere') })).toMatchObject({ moved: 1, rejected: [] });
    expect((await idsByName()).get('larder-copy.txt')).toBe(id);
    expect(await engine.call('listRejected', {})).toEqual([]);
  });
});

describe('books that vanish', () => {
  it('marks a deleted file missing, leaves it out of the next run and its CSV, and takes it back when it returns', async () => {
    const folder = shelf();
    await engine.call('addFolder', { folder });
    const victim = join(folder, 'astronomy', 'comets-and-eclipses.txt');
    const id = (await idsByName()).get('comets-and-eclipses.txt');
    const saved = readFileSync(victim);
    const { mtime } = statSync(victim);
    unlinkSync(victim);

    const report = await engine.call('addFolder', { folder });
    expect(report).toMatchObject({ found: 11, missing: 1, added: 0 });
    expect((await engine.call('listBooks', {})).find((b) => b.id === id)).toMatchObject({ status: 'missing', path: victim });
    expect((await engine.call('listFolders', {}))[0]).toMatchObject({ books: 11, missing: 1 });

    for (const scope of [folder, undefined]) {
      const run = await cluster(scope);
      expect(run.points).toHaveLength(11);
      const rows = parseCsv((await engine.call('exportCsv', { runId: run.run.id })).csv).slice(1);
      expect(rows).toHaveLength(11);
      expect(rows.map((r) => r[0])).not.toContain(victim);
    }

    writeFileSync(victim, saved);
    utimesSync(victim, mtime, mtime);
    expect(await engine.call('addFolder', { folder })).toMatchObject({ unchanged: 12, missing: 0, added: 0 });
    expect((await engine.call('listBooks', {})).find((b) => b.id === id)?.status).toBe('present');
    expect((await cluster(folder)).points).toHaveLength(12);
  });

  it('marks the books of a folder that is gone missing when it is added again, and runs without them', async () => {
    const gone = join(dir, 'gone');
    for (const genre of ['astronomy', 'sea-voyages']) cpSync(join(FIXTURE_BOOKS_DIR, genre), join(gone, genre), { recursive: true });
    const kept = join(dir, 'kept');
    cpSync(join(FIXTURE_BOOKS_DIR, 'cookery'), kept, { recursive: true });
    await engine.call('addFolder', { folder: gone });
    await engine.call('addFolder', { folder: kept });
    rmSync(gone, { recursive: true });
    await expect(engine.call('addFolder', { folder: gone })).rejects.toMatchObject({ kind: 'folder-missing' });
    expect((await engine.call('listBooks', {})).filter((b) => b.status === 'missing')).toHaveLength(8);
    const { runId } = await engine.call('startRun', { settings: { ...QUICK, k: 2 } });
    await engine.idle();
    expect(finished).toMatchObject([{ runId, status: 'done' }]);
    const points = (await engine.call('getRun', { runId })).points;
    expect(points).toHaveLength(4);
    expect(points.every((p) => p.path.startsWith(kept + '/'))).toBe(true);
  });
});

describe('one book, whatever its bytes', () => {
  it('takes the same book in UTF-8, with a BOM, LF, Latin-1 and UTF-16 LE/BE with and without a BOM as one book', async () => {
    const folder = join(dir, 'forms');
    mkdirSync(folder);
    const forms = oneBookManyWays();
    for (const [name, bytes] of Object.entries(forms)) writeFileSync(join(folder, name), bytes);
    const report = await engine.call('addFolder', { folder });
    expect(report).toMatchObject({ found: 9, added: 1 });
    const [book] = await engine.call('listBooks', {});
    expect(book.path).toBe(join(folder, 'latin1.txt')); // the first by name
    expect(report.rejected).toHaveLength(8);
    for (const rejected of report.rejected) {
      expect(rejected).toMatchObject({ reason: 'duplicate', duplicateOf: book.path });
      expect(rejected.message).toContain(rejected.path);
      expect(rejected.message).toContain(book.path);
    }
  });

  it('keeps the book when its file is converted in place to other line ends or another encoding', async () => {
    const folder = join(dir, 'convert');
    mkdirSync(folder);
    const file = join(folder, 'book.txt');
    const forms = oneBookManyWays();
    writeFileSync(file, forms['utf8-crlf.txt']);
    await engine.call('addFolder', { folder });
    const [{ id }] = await engine.call('listBooks', {});
    for (const form of ['utf8-lf.txt', 'utf16le-bom.txt', 'latin1.txt']) {
      writeFileSync(file, forms[form]);
      utimesSync(file, new Date(), new Date(Date.now() + 10_000 * (1 + Object.keys(forms).indexOf(form))));
      expect(await engine.call('addFolder', { folder })).toMatchObject({ unchanged: 1, added: 0, updated: 0 });
    }
    expect(await engine.call('listBooks', {})).toMatchObject([{ id, encoding: 'iso-8859-1', bytes: forms['latin1.txt'].length }]);
  });

  it('re-adds an unchanged folder by a stat per file, without reading a file again', async () => {
    const folder = shelf();
    await engine.call('addFolder', { folder });
    const file = join(folder, 'cookery', 'soups-of-the-season.txt');
    // a whole second, which utimes sets back exactly (a stat's fraction of a millisecond it may not)
    utimesSync(file, 1_700_000_000, 1_700_000_000);
    await engine.call('addFolder', { folder });
    const book = (await engine.call('listBooks', {})).find((b) => b.path === file)!;
    const spans = store.bookSpans(book.id);
    expect(spans).toBeDefined();
    // same size, same time, other bytes: only a read would notice
    writeFileSync(file, Buffer.alloc(statSync(file).size, 0x41));
    utimesSync(file, 1_700_000_000, 1_700_000_000);
    expect(await engine.call('addFolder', { folder })).toMatchObject({ unchanged: 12 });
    expect(store.bookSpans(book.id)).toEqual(spans);
  });
});

describe('what a scan leaves out', () => {
  it('adds nothing through a link out of the folder or a link loop, and says which link', async () => {
    const folder = join(dir, 'linked');
    const outside = join(dir, 'outside');
    mkdirSync(folder);
    cpSync(join(FIXTURE_BOOKS_DIR, 'astronomy'), outside, { recursive: true });
    cpSync(join(FIXTURE_BOOKS_DIR, 'cookery'), join(folder, 'cookery'), { recursive: true });
    symlinkSync(outside, join(folder, 'to-outside'));
    symlinkSync(folder, join(folder, 'cookery', 'loop'));
    symlinkSync('/usr/share', join(folder, 'to-usr-share'));
    const report = await engine.call('addFolder', { folder });
    expect(report).toMatchObject({ found: 4, added: 4 });
    expect(report.rejected.map((r) => [r.path, r.reason])).toEqual([
      [join(folder, 'to-outside'), 'outside-folder'],
      [join(folder, 'to-usr-share'), 'outside-folder'],
    ]);
    expect(report.rejected[0].message).toBe(`to-outside is a link to ${outside}, outside ${folder}; links are followed only within the folder.`);
    expect((await engine.call('listBooks', {})).every((b) => b.path.startsWith(join(folder, 'cookery') + '/'))).toBe(true);
  });

  it('reads a book whose file name is not valid UTF-8, shows it with \\xNN, and follows it when renamed', async () => {
    const folder = join(dir, 'odd-names');
    mkdirSync(folder);
    const raw = (name: number[]) => Buffer.concat([Buffer.from(folder + '/'), Buffer.from(name), Buffer.from('.txt')]);
    writeFileSync(raw([0x63, 0x61, 0x66, 0xe9]), encodedBookText(1));
    const report = await engine.call('addFolder', { folder });
    expect(report).toMatchObject({ found: 1, added: 1, rejected: [] });
    const [book] = await engine.call('listBooks', {});
    expect(book.path).toBe(join(folder, 'caf\\xE9.txt'));
    expect(await engine.call('addFolder', { folder })).toMatchObject({ unchanged: 1 });

    renameSync(raw([0x63, 0x61, 0x66, 0xe9]), raw([0xff, 0x31]));
    expect(await engine.call('addFolder', { folder })).toMatchObject({ moved: 1, missing: 0 });
    expect(await engine.call('listBooks', {})).toMatchObject([{ id: book.id, path: join(folder, '\\xFF1.txt'), status: 'present' }]);
    unlinkSync(raw([0xff, 0x31]));
    expect(await engine.call('addFolder', { folder })).toMatchObject({ missing: 1 });
  });

  it('leaves out an HTML page saved as .txt and hidden files', async () => {
    const folder = shelf();
    writeFileSync(join(folder, 'page.txt'), `<!DOCTYPE html>\n<html><head><title>A page</title></head><body>${'<p>words and more words</p>'.repeat(50)}</body></html>`);
    writeFileSync(join(folder, '.partial-copy.txt'), encodedBookText(4));
    const report = await engine.call('addFolder', { folder });
    expect(report).toMatchObject({ found: 13, added: 12 });
    expect(report.rejected).toMatchObject([{ path: join(folder, 'page.txt'), reason: 'html' }]);
    expect(await engine.call('listRejected', {})).toMatchObject([{ reason: 'html' }]);
  });
});

describe('managing the library', () => {
  it('removes a book and a folder while past runs keep their results and exports', async () => {
    const folder = shelf();
    await engine.call('addFolder', { folder });
    const run = await cluster(folder);
    const csvBefore = (await engine.call('exportCsv', { runId: run.run.id })).csv;
    const [victim] = await engine.call('listBooks', {});

    expect(await engine.call('removeBook', { bookId: victim.id })).toEqual({ bookId: victim.id, path: victim.path });
    expect(await engine.call('listBooks', {})).toHaveLength(11);
    await expect(engine.call('removeBook', { bookId: victim.id })).rejects.toMatchObject({ kind: 'not-found' });
    await expect(engine.call('removeBook', { bookId: 0 })).rejects.toMatchObject({ kind: 'invalid-argument', message: expect.stringMatching(/^"bookId" must be a whole number from 1/) });

    expect(await engine.call('removeFolder', { folder })).toEqual({ folder, removedBooks: 11 });
    expect(await engine.call('listBooks', {})).toEqual([]);
    expect(await engine.call('listFolders', {})).toEqual([]);
    await expect(engine.call('removeFolder', { folder })).rejects.toMatchObject({ kind: 'not-found' });
    await expect(engine.call('removeFolder', { folder: '' })).rejects.toMatchObject({ kind: 'invalid-argument' });

    expect((await engine.call('getRun', { runId: run.run.id })).points).toHaveLength(12);
    expect((await engine.call('exportCsv', { runId: run.run.id })).csv).toBe(csvBefore);
    // the removed book's file is still in the folder: adding the folder again reads it again
    expect(await engine.call('addFolder', { folder })).toMatchObject({ added: 12 });
  });

  it('refuses to remove while a run is going', async () => {
    const folder = shelf();
    await engine.call('addFolder', { folder });
    const { runId } = await engine.call('startRun', { settings: { ...QUICK, autoencoder: { epochs: 2000 } } });
    await expect(engine.call('removeFolder', { folder })).rejects.toMatchObject({ kind: 'busy' });
    await expect(engine.call('removeBook', { bookId: 1 })).rejects.toMatchObject({ kind: 'busy' });
    await engine.call('cancelRun', { runId });
    await engine.idle();
  });

  it('cancels an import and keeps what was read; nothing is marked missing; the same add goes on', async () => {
    const folder = shelf();
    onEvent = (name, payload) => {
      const p = payload as ApiEvents['progress'];
      if (name === 'progress' && p.stage === 'read' && p.done === 5) void engine.call('cancelImport', {});
    };
    await expect(engine.call('addFolder', { folder })).rejects.toMatchObject({ kind: 'cancelled' });
    onEvent = () => undefined;
    // the cancel came with the progress event of the sixth book, which is read; the next is not
    const kept = await engine.call('listBooks', {});
    expect(kept).toHaveLength(6);
    expect((await engine.call('listFolders', {}))[0]).toMatchObject({ path: folder, lastScannedAt: null, books: 6, missing: 0 });
    expect(await engine.call('cancelImport', {})).toEqual({ cancelled: false });
    expect(await engine.call('addFolder', { folder })).toMatchObject({ added: 6, unchanged: 6 });
  });
});
