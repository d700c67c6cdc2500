import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSettings } from '../../../src-shared/settings';
import { deflateRawSync } from 'node:zlib';
import { bookFingerprint } from '../library/fingerprint';
import { BOOK_SAMPLES, EBOOK_IDS, MIGRATIONS, SCHEMA_VERSION, migrate } from './migrations';
import { DEFAULT_SETTINGS } from '../../../src-shared/settings';
import { sampleWindows } from '../features/sample';
import { Store, type NewBook } from './store';
import { PACKED_TERMS, packWindows } from './packed';
import { SHELFMAP_APPLICATION_ID } from './library-file';

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

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
  ebookId: null,
  words: 3,
  samples: { plan: '10x1000', windows: packWindows(['the body text é']) },
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
      'book_samples',
      'book_spans',
      'book_terms',
      'books',
      'folders',
      'rejected_files',
      'run_book_embeddings',
      'run_books',
      'run_clusters',
      'run_epochs',
      'run_groups',
      'run_models',
      'run_placement',
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

  it('migration 3 gives every book of a version-2 library its fingerprint from its stored body', () => {
    const file = tempDb();
    const db = new Database(file);
    db.exec(MIGRATIONS[0]);
    db.exec(MIGRATIONS[1]);
    db.pragma('user_version = 2');
    const insert = db.prepare(
      "INSERT INTO books (path, sha256, bytes, mtime_ms, encoding, title, author, language, words, added_at) VALUES (?, 'h', 1, 1, 'utf-8', 'A', '', '', 3, 'now')",
    );
    const bodies = ['the body text é', 'another body  \nwith trailing spaces'];
    bodies.forEach((body, i) => {
      const id = Number(insert.run(`/books/${i}.txt`).lastInsertRowid);
      db.prepare('INSERT INTO book_bodies (book_id, body) VALUES (?, ?)').run(id, deflateRawSync(Buffer.from(body, 'utf8'), { level: 1 }));
    });
    db.prepare("INSERT INTO runs (status, settings, started_at) VALUES ('done', '{}', 'now')").run();
    db.prepare("INSERT INTO run_books (run_id, book_id, path, title, author, language, cluster, x, y) VALUES (1, 1, '/books/0.txt', 'A', '', '', 0, 0, 0)").run();
    db.close();

    const store = new Store(file);
    expect(store.listBooks().map((b) => [b.path, b.fingerprint, b.status])).toEqual([
      ['/books/0.txt', bookFingerprint(bodies[0]), 'present'],
      ['/books/1.txt', bookFingerprint(bodies[1]), 'present'],
    ]);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.runPoints(1)).toHaveLength(1);
    expect(store.listFolders()).toEqual([]);
    store.close();
  });

  it('the samples migration keeps each stored body as its sample windows, packs cached counts, drops the bodies and shrinks the file', () => {
    const file = tempDb();
    const db = new Database(file);
    const before = MIGRATIONS.indexOf(BOOK_SAMPLES);
    for (let v = 0; v < before; v++) db.exec(MIGRATIONS[v]);
    db.pragma(`user_version = ${before}`);
    const insert = db.prepare(
      "INSERT INTO books (path, sha256, fingerprint, bytes, mtime_ms, encoding, title, author, language, words, added_at) VALUES (?, 'h', ?, 1, 1, 'utf-8', 'A', '', '', 3, 'now')",
    );
    // a long body (samples cut from it) and a short one (one window, the whole of it)
    const long = Array.from({ length: 30_000 }, (_, i) => `word${i % 5000}`).join(' ');
    const bodies = [long, 'a short book of a few words'];
    bodies.forEach((body, i) => {
      const id = Number(insert.run(`/b/${i}.txt`, `fp-${i}`).lastInsertRowid);
      db.prepare('INSERT INTO book_bodies (book_id, body) VALUES (?, ?)').run(id, deflateRawSync(Buffer.from(body, 'utf8'), { level: 1 }));
      db.prepare("INSERT INTO book_terms (book_id, tokenizer, tokens, counts) VALUES (?, 'k', 1, ?)").run(id, Buffer.from([1, 0]));
    });
    db.close();
    const bytesBefore = statSync(file).size;

    const store = new Store(file);
    const plan = DEFAULT_SETTINGS.features.sampling!;
    expect(store.bookSamples(1)).toEqual({ plan: `${plan.samples}x${plan.words}`, windows: sampleWindows(long, plan) });
    expect(store.bookSamples(1)!.windows).toHaveLength(plan.samples);
    expect(store.bookSamples(2)!.windows).toEqual([bodies[1]]);
    expect(store.cachedTerms(1, 'k')).toEqual({ tokens: 1, counts: Buffer.from([1, 0]) });
    expect(store.db.prepare("SELECT name FROM sqlite_master WHERE name = 'book_bodies'").all()).toEqual([]);
    store.close();
    // VACUUMed once: the long body's pages went back to the disk
    expect(statSync(file).size).toBeLessThan(bytesBefore);
  });

  it('the Gutenberg-number migration leaves old books to be looked at on the next scan and gives past run books their fingerprints', () => {
    const file = tempDb();
    const db = new Database(file);
    const before = MIGRATIONS.indexOf(EBOOK_IDS);
    expect(before).toBeGreaterThan(0);
    for (let v = 0; v < before; v++) db.exec(MIGRATIONS[v]);
    db.pragma(`user_version = ${before}`);
    db.prepare(
      "INSERT INTO books (path, sha256, fingerprint, bytes, mtime_ms, encoding, title, author, language, words, added_at) VALUES ('/b/11.txt', 'h', 'fp-11', 1, 1, 'utf-8', 'A', '', '', 3, 'now')",
    ).run();
    db.prepare("INSERT INTO runs (status, settings, started_at) VALUES ('done', '{}', 'now')").run();
    db.prepare("INSERT INTO run_books (run_id, book_id, path, title, author, language, cluster, x, y) VALUES (1, 1, '/b/11.txt', 'A', '', '', 0, 0, 0)").run();
    // a book removed before the migration: its fingerprint is not known any more
    db.prepare("INSERT INTO run_books (run_id, book_id, path, title, author, language, cluster, x, y) VALUES (1, 7, '/b/gone.txt', 'G', '', '', 0, 0, 0)").run();
    db.close();

    const store = new Store(file);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.listBooks()[0].ebookId).toBeNull();
    expect(store.fileStamp('/b/11.txt')?.ebookRead).toBe(false);
    expect(store.runPoints(1).map((p) => p.ebookId)).toEqual([null, null]);
    expect(store.runFingerprints(1).sort()).toEqual(['fp-11', null]);
    store.setEbookId(1, 11);
    expect(store.book(1)?.ebookId).toBe(11);
    expect(store.fileStamp('/b/11.txt')?.ebookRead).toBe(true);
    // a run keeps the number the library knew when it was made
    expect(store.runPoints(1).map((p) => p.ebookId)).toEqual([null, null]);
    const added = store.upsertBook({ ...book('/b/84.txt', 'def'), ebookId: 84 });
    expect(store.book(added)?.ebookId).toBe(84);
    expect(store.fileStamp('/b/84.txt')?.ebookRead).toBe(true);
    store.close();
  });

  it('migration 3 makes books with the same text one book, and lists the others as its duplicates', () => {
    const db = new Database(':memory:');
    db.exec(MIGRATIONS[0]);
    db.exec(MIGRATIONS[1]);
    db.pragma('user_version = 2');
    const insert = db.prepare(
      "INSERT INTO books (path, sha256, bytes, mtime_ms, encoding, title, author, language, words, added_at) VALUES (?, ?, 1, 1, 'utf-8', 'A', '', '', 3, 'now')",
    );
    const body = (text: string) => deflateRawSync(Buffer.from(text, 'utf8'));
    // the CRLF original, its LF copy (the same text once decoded), and another book
    for (const [path, text] of [['/crlf/a.txt', 'one text'], ['/lf/a.txt', 'one text  '], ['/crlf/b.txt', 'another text']]) {
      const id = Number(insert.run(path, path).lastInsertRowid);
      db.prepare('INSERT INTO book_bodies (book_id, body) VALUES (?, ?)').run(id, body(text));
      db.prepare("INSERT INTO book_terms (book_id, tokenizer, tokens, counts) VALUES (?, 'k', 1, x'00')").run(id);
    }
    migrate(db);
    expect(db.prepare('SELECT path FROM books ORDER BY id').all()).toEqual([{ path: '/crlf/a.txt' }, { path: '/crlf/b.txt' }]);
    // the bodies went on with the later migration (BOOK_SAMPLES): their samples stay
    expect(db.prepare('SELECT COUNT(*) AS n FROM book_samples').get()).toEqual({ n: 2 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM book_terms').get()).toEqual({ n: 2 });
    expect(db.prepare('SELECT path, reason, duplicate_of AS duplicateOf, message FROM rejected_files').all()).toEqual([
      {
        path: '/lf/a.txt',
        reason: 'duplicate',
        duplicateOf: '/crlf/a.txt',
        message: '/lf/a.txt has the same text as /crlf/a.txt, already in the library; it was left out.',
      },
    ]);
  });

  it('is idempotent', () => {
    const db = new Database(':memory:');
    migrate(db);
    expect(migrate(db)).toBe(SCHEMA_VERSION);
  });

  it('refuses a library from a newer Shelfmap with a clear message, leaving its bytes and journal mode alone', () => {
    const file = tempDb();
    const db = new Database(file);
    db.pragma('journal_mode = DELETE');
    db.pragma(`application_id = ${SHELFMAP_APPLICATION_ID}`);
    db.exec(MIGRATIONS.join(';'));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const before = sha256(file);
    expect(() => new Store(file)).toThrow(/written by a newer Shelfmap \(schema \d+; this one knows up to \d+\)\. Update Shelfmap.*Nothing in it was changed/);
    expect(sha256(file)).toBe(before);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });
});

describe('opening a file that is not a Shelfmap library', () => {
  it("refuses another program's SQLite database, byte for byte unchanged", () => {
    const file = tempDb();
    const db = new Database(file);
    db.exec("CREATE TABLE contacts (name TEXT, phone TEXT); INSERT INTO contacts VALUES ('Ann', '555')");
    db.close();
    const before = sha256(file);
    expect(() => new Store(file)).toThrow(expect.objectContaining({ kind: 'invalid-library', message: expect.stringMatching(/another program's SQLite database.*Nothing in it was changed/) }));
    expect(sha256(file)).toBe(before);
    const tables = new Database(file, { readonly: true }).prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all();
    expect(tables).toEqual([{ name: 'contacts' }]);
  });

  it('refuses a file that is not SQLite at all, and a folder', () => {
    const file = tempDb();
    writeFileSync(file, 'name,phone\nAnn,555\n');
    expect(() => new Store(file)).toThrow(/is not a SQLite database/);
    expect(readFileSync(file, 'utf8')).toBe('name,phone\nAnn,555\n');
    mkdirSync(`${file}.d`);
    expect(() => new Store(`${file}.d`)).toThrow(/is a folder/);
  });

  it('makes a new library in an empty file and in an empty SQLite database, stamped with its application id', () => {
    const empty = tempDb();
    writeFileSync(empty, '');
    new Store(empty).close();
    const blank = tempDb();
    new Database(blank).close();
    new Store(blank).close();
    for (const file of [empty, blank]) {
      const db = new Database(file, { readonly: true });
      expect(db.pragma('application_id', { simple: true })).toBe(SHELFMAP_APPLICATION_ID);
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      db.close();
    }
  });

  it('opens a library from before application ids, keeps its books and stamps it', () => {
    const file = tempDb();
    const old = new Database(file);
    old.exec(MIGRATIONS[0]);
    old.exec(MIGRATIONS[1]);
    old.pragma('user_version = 2');
    old.prepare("INSERT INTO books (path, sha256, bytes, mtime_ms, encoding, title, author, language, words, added_at) VALUES ('/a.txt', 'h', 1, 1, 'utf-8', 'A', '', '', 1, 'now')").run();
    old.close();
    const store = new Store(file);
    expect(store.listBooks()).toMatchObject([{ path: '/a.txt' }]);
    expect(store.db.pragma('application_id', { simple: true })).toBe(SHELFMAP_APPLICATION_ID);
    store.close();
  });
});

describe('Store', () => {
  it('keeps books, their samples and term counts (packed) across reopening', () => {
    const file = tempDb();
    const store = new Store(file);
    const id = store.upsertBook(book('/b/one.txt'));
    store.saveTerms(id, 'k', 3, Buffer.from([1, 2, 3]));
    store.close();

    const again = new Store(file);
    expect(again.listBooks()).toMatchObject([{ id, path: '/b/one.txt', title: 'T' }]);
    expect(again.bookSamples(id)).toEqual({ plan: '10x1000', windows: ['the body text é'] });
    expect(again.cachedTerms(id, 'k')).toEqual({ tokens: 3, counts: Buffer.from([1, 2, 3]) });
    // kept deflated behind PACKED_TERMS, read back as written
    const stored = again.db.prepare('SELECT counts FROM book_terms WHERE book_id = ?').pluck().get(id) as Buffer;
    expect(stored[0]).toBe(PACKED_TERMS);
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
      [{ bookId: id, path: '/b/one.txt', title: 'T', author: 'A', language: 'English', ebookId: null, cluster: 0, x: 0.5, y: -0.5, distanceToCentre: 0.25 }],
      [{ id: 0, label: 'a · b', terms: ['a', 'b'], size: 1, representatives: [id] }],
    );
    expect(store.getRun(runId)).toMatchObject({ status: 'done', backend: 'wasm', timings: { features: 5 }, bookCount: 1 });
    expect(store.runPoints(runId)).toHaveLength(1);
    expect(store.runClusters(runId)).toEqual([
      // saved without a colour: it is drawn in its own number's colour
      { id: 0, label: 'a · b', automaticLabel: 'a · b', customLabel: null, carried: null, terms: ['a', 'b'], size: 1, representatives: [id], colour: 0 },
    ]);
    expect(store.runPoints(runId)[0].distanceToCentre).toBe(0.25);
    // a name of its own, and back; a cluster that is not there changes nothing
    expect(store.renameCluster(runId, 0, 'Letters')).toMatchObject({ label: 'Letters', automaticLabel: 'a · b', customLabel: 'Letters' });
    expect(store.renameCluster(runId, 5, 'Nothing')).toBeUndefined();
    expect(store.renameCluster(runId, 0, null)).toMatchObject({ label: 'a · b', customLabel: null });
    // a carried name keeps where it came from; the next run finds this one as the closest
    const later = store.createRun(resolveSettings({ k: 1 }), 1);
    expect(store.closestEarlierRun(later, [id])).toEqual({ runId, shared: 1 });
    expect(store.closestEarlierRun(later, [id + 100])).toBeUndefined();
    expect(store.closestEarlierRun(runId, [id])).toBeUndefined();
    const carried = { fromRun: runId, fromCluster: 0, shared: 1, of: 1 };
    store.saveRunResult(
      later,
      [{ bookId: id, path: '/b/one.txt', title: 'T', author: 'A', language: 'English', ebookId: null, cluster: 0, x: 0, y: 0, distanceToCentre: 0 }],
      [{ id: 0, label: 'a', terms: ['a'], size: 1, representatives: [id], customLabel: 'Letters', carried }],
    );
    expect(store.runClusters(later)[0]).toMatchObject({ label: 'Letters', automaticLabel: 'a', carried });
    expect(store.runAssignments(later)).toEqual(new Map([[id, 0]]));
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

  it('removing a book keeps the results of past runs, which hold their own copy of path and title', () => {
    const store = new Store(tempDb());
    const id = store.upsertBook(book('/b/one.txt'));
    store.saveTerms(id, 'k', 3, Buffer.from([1]));
    const runId = store.createRun(resolveSettings({ k: 1 }), 1);
    store.saveRunResult(runId, [{ bookId: id, path: '/b/one.txt', title: 'T', author: 'A', language: 'English', ebookId: null, cluster: 0, x: 1, y: 2, distanceToCentre: 0 }], [
      { id: 0, label: 'a', terms: ['a'], size: 1, representatives: [id] },
    ]);
    expect(store.removeBook(id)).toBe(true);
    expect(store.removeBook(id)).toBe(false);
    expect(store.listBooks()).toEqual([]);
    expect(store.cachedTerms(id, 'k')).toBeUndefined();
    expect(store.bookSamples(id)).toBeUndefined();
    expect(store.runPoints(runId)).toEqual([{ bookId: id, path: '/b/one.txt', title: 'T', author: 'A', language: 'English', ebookId: null, cluster: 0, x: 1, y: 2, distanceToCentre: 0, placed: false }]);
    // no foreign key leads from run results to books, so nothing can cascade into them
    const keys = store.db.prepare("SELECT * FROM pragma_foreign_key_list('run_books')").all() as { table: string }[];
    expect(keys.map((k) => k.table)).toEqual(['runs']);
    store.close();
  });

  it('lists folders with their present and missing books, and marks books missing and present again', () => {
    const store = new Store(tempDb());
    store.addFolder('/shelf');
    store.addFolder('/shelf-old');
    const one = store.upsertBook(book('/shelf/one.txt', 'a'));
    store.upsertBook(book('/shelf/sub/two.txt', 'b'));
    store.upsertBook(book('/shelf-old/three.txt', 'c'));
    // the scan of /shelf found only one.txt; /shelf-old is another folder, not under /shelf
    expect(store.markMissingUnder('/shelf', new Set(['/shelf/one.txt']))).toBe(1);
    expect(store.markMissingUnder('/shelf', new Set(['/shelf/one.txt']))).toBe(0);
    store.folderScanned('/shelf');
    const folders = store.listFolders();
    expect(folders.map(({ path, books, missing }) => ({ path, books, missing }))).toEqual([
      { path: '/shelf', books: 1, missing: 1 },
      { path: '/shelf-old', books: 1, missing: 0 },
    ]);
    expect(folders[0].lastScannedAt).not.toBeNull();
    expect(folders[1].lastScannedAt).toBeNull();
    expect(store.listBooks().find((b) => b.path === '/shelf/sub/two.txt')?.status).toBe('missing');
    // a subfolder that could not be read keeps its books as they were
    store.markPresent(store.fileStamp('/shelf/sub/two.txt')!.id);
    expect(store.markMissingUnder('/shelf', new Set(), ['/shelf/sub'])).toBe(1);
    expect(store.fileStamp('/shelf/one.txt')).toMatchObject({ id: one, missing: true });
    expect(store.fileStamp('/shelf/sub/two.txt')).toMatchObject({ missing: false });
    store.close();
  });

  it('finds a book by its text, a present one before a missing one, and moves it keeping its id and counts', () => {
    const store = new Store(tempDb());
    const old = store.upsertBook(book('/a/one.txt', 'x'));
    store.saveTerms(old, 'k', 3, Buffer.from([1]));
    store.markMissingUnder('/a', new Set());
    const copy = store.upsertBook(book('/b/one.txt', 'x'));
    expect(store.bookWithFingerprint('text-of-x')).toMatchObject({ id: copy, path: '/b/one.txt', missing: false });
    expect(store.bookWithFingerprint('text-of-x', copy)).toMatchObject({ id: old, path: '/a/one.txt', fsPath: '/a/one.txt', missing: true });

    const raw = Buffer.from([0x2f, 0x63, 0xe9, 0x2e, 0x74, 0x78, 0x74]);
    store.saveRejected({ path: '/c\\xE9.txt', reason: 'duplicate', message: 'dup', duplicateOf: '/a/one.txt' });
    expect(store.listRejected()).toEqual([{ path: '/c\\xE9.txt', reason: 'duplicate', message: 'dup', duplicateOf: '/a/one.txt' }]);
    store.moveBook(old, { path: '/c\\xE9.txt', fsPath: raw, sha256: 'new', bytes: 11, mtimeMs: 5, encoding: 'utf-16le' }, copy);
    expect(store.listBooks()).toMatchObject([{ id: old, path: '/c\\xE9.txt', status: 'present', sha256: 'new', encoding: 'utf-16le' }]);
    expect(store.bookWithFingerprint('text-of-x')?.fsPath).toEqual(raw);
    expect(store.cachedTerms(old, 'k')).toBeDefined();
    expect(store.listRejected()).toEqual([]);
    store.close();
  });

  it('removes a folder with its books and left-out files, but not those also under another folder', () => {
    const store = new Store(tempDb());
    store.addFolder('/shelf');
    store.addFolder('/shelf/sea');
    store.addFolder('/other');
    store.upsertBook(book('/shelf/one.txt', 'a'));
    store.upsertBook(book('/shelf/sea/two.txt', 'b'));
    store.upsertBook(book('/other/three.txt', 'c'));
    store.saveRejected({ path: '/shelf/empty.txt', reason: 'empty', message: 'empty' });
    expect(store.removeFolder('/shelf')).toBe(1);
    expect(store.listBooks().map((b) => b.path).sort()).toEqual(['/other/three.txt', '/shelf/sea/two.txt']);
    expect(store.listRejected()).toEqual([]);
    expect(store.listFolders().map((f) => f.path)).toEqual(['/other', '/shelf/sea']);
    expect(store.removeFolder('/nowhere')).toBeNull();
    // a folder that was never added but holds books (a library from before folders were kept)
    expect(store.removeFolder('/other')).toBe(1);
    store.upsertBook(book('/old/four.txt', 'd'));
    expect(store.removeFolder('/old')).toBe(1);
    store.close();
  });

  it('forgets left-out files under a folder that its last scan did not meet again', () => {
    const store = new Store(tempDb());
    store.saveRejected({ path: '/shelf/gone.txt', reason: 'empty', message: 'empty' });
    store.saveRejected({ path: '/shelf/still.txt', reason: 'binary', message: 'binary' });
    store.saveRejected({ path: '/elsewhere/x.txt', reason: 'binary', message: 'binary' });
    store.clearRejectedUnder('/shelf', new Set(['/shelf/still.txt']));
    expect(store.listRejected().map((r) => r.path).sort()).toEqual(['/elsewhere/x.txt', '/shelf/still.txt']);
    store.close();
  });
});
