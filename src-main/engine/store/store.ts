// The library in SQLite: the folders added, books, their cached term counts and samples, rejected
// files, runs and run results. One Store per database file; only the engine's worker thread
// opens it.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, sep } from 'node:path';
import type {
  Book,
  BookGroup,
  LibraryFolder,
  BookPoint,
  ClusterInfo,
  KSweep,
  RejectedFile,
  RunStatus,
  RunSummary,
  StageName,
  BackendName,
  TextEncodingName,
} from '../../../src-shared/domain';
import { DEFAULT_SETTINGS, type RunSettings } from '../../../src-shared/settings';
import { ShelfmapError } from '../../../src-shared/errors';
import { migrate, SCHEMA_VERSION, vacuumAfterMigrating } from './migrations';
import { packTerms, unpackTerms, unpackWindows } from './packed';
import { inspectLibraryFile, SHELFMAP_APPLICATION_ID } from './library-file';

/** How long a second writer waits for the library's write lock before giving up. */
export const BUSY_TIMEOUT_MS = 30_000;
/** How often a process that owns a running run says it is still alive. */
export const HEARTBEAT_MS = 5_000;
/** A run whose owner has said nothing for this long is taken for dead, even if its pid is in use. */
export const STALE_RUN_MS = 10 * 60_000;

/** Who a running run belongs to; a run belongs to the process that started it. */
export interface RunOwner {
  host: string;
  pid: number;
}

export const thisProcess = (): RunOwner => ({ host: hostname(), pid: process.pid });

/** Whether a process with this pid is running on this machine (EPERM: it is, but not ours). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface NewBook {
  path: string;
  /** The path as bytes, when it is not valid UTF-8 (see library/file-path.ts). */
  fsPath?: string | Buffer;
  sha256: string;
  fingerprint: string;
  bytes: number;
  mtimeMs: number;
  encoding: TextEncodingName;
  title: string;
  author: string;
  language: string;
  /** The Gutenberg eBook number from the header, or null where it gives none. */
  ebookId: number | null;
  words: number;
  /**
   * What the library keeps of the text: the book's sample windows under `plan` ("10x1000"),
   * packed (store/packed.ts packWindows). Absent: nothing kept, the file is read again when needed.
   */
  samples?: { plan: string; windows: Buffer };
  /**
   * Where the book's samples under `plan` lie in its text (features/sample.ts sampleSpans), as
   * Int32 start/end pairs: what the importer keeps instead of the samples' text (book-text.ts).
   */
  spans?: StoredSpans;
}

/** Where a book's samples under `plan` ("10x1000") lie in its body: [start, end) offsets in pairs. */
export interface StoredSpans {
  plan: string;
  spans: Int32Array;
  /** The same offsets in the file's bytes (library/byte-spans.ts), or null. */
  bytes: Int32Array | null;
}

/** An Int32Array of pairs from a blob (copied: the blob's bytes need not be aligned for a view), or null when it is none. */
function spansOfBlob(blob: Buffer | null): Int32Array | null {
  if (!blob || blob.byteLength % 8 !== 0) return null;
  const spans = new Int32Array(blob.byteLength / 4);
  new Uint8Array(spans.buffer).set(blob);
  return spans;
}

function spansBlob(spans: Int32Array): Buffer {
  return Buffer.from(spans.buffer, spans.byteOffset, spans.byteLength);
}

/** A book's sample windows as kept: the plan they were cut with ("10x1000", or "whole") and the windows. */
export interface StoredSamples {
  plan: string;
  windows: string[];
}

/** What a run learned: the fitted TF-IDF and the trained autoencoder. */
export interface RunModel {
  vocabulary: string[];
  idf: Float64Array;
  /** The TF-IDF options the vocabulary was fitted with. */
  features: unknown;
  /** Layer sizes, activation and each weight tensor's name and shape, in `weights` order. */
  topology: unknown;
  /** Every weight tensor's float32 values, concatenated. */
  weights: Buffer;
}

/**
 * What placing new books on a run needs beyond its model (see engine/place.ts): how a book's
 * embedding was made, the clusters' centres in the space they were found in, and every run
 * book's embedding as the map's layout saw it.
 */
export interface RunPlacement {
  /**
   * From a book's TF-IDF rows to its embedding: 'raw' the encoding of its one row, 'unitMean'
   * the mean of its rows' unit-length encodings, 'meanView' the encoding of its rows' mean in the
   * network's input view (as DEC refinement embeds books).
   */
  pooling: 'raw' | 'unitMean' | 'meanView';
  /** The embedding is scaled to unit length (DEC refinement of unit-length embeddings). */
  unitEmbedding: boolean;
  /** The clusters were found on unit-length embeddings (centres and distances are in that space). */
  normalize: boolean;
  /** Each cluster's mean, by cluster id, in the space the clusters were found in. */
  centres: number[][];
  /** Each run book's embedding, by book id. */
  embeddings: Map<number, Float64Array>;
}

function float64Blob(values: ArrayLike<number>): Buffer {
  const array = Float64Array.from(values);
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/** A Float64Array from a stored blob (copied: a Buffer read from SQLite may start at any byte offset). */
function float64FromBlob(blob: Buffer): Float64Array {
  const array = new Float64Array(blob.byteLength / 8);
  new Uint8Array(array.buffer).set(blob);
  return array;
}

export interface StoredFileStamp {
  id: number;
  sha256: string;
  fingerprint: string;
  bytes: number;
  mtimeMs: number;
  missing: boolean;
  /** False for a book added before Gutenberg numbers were kept, whose header is still to be read for one. */
  ebookRead: boolean;
}

/** What a file is now, for a book whose bytes changed but whose text did not, or that moved. */
export interface FileStamp {
  path: string;
  fsPath?: string | Buffer;
  sha256: string;
  bytes: number;
  mtimeMs: number;
  encoding: TextEncodingName;
}

/** A book as the importer needs it: where its file is, for the file system too. */
export interface BookLocation {
  id: number;
  path: string;
  fsPath: string | Buffer;
  missing: boolean;
}

/** A folder's row with its book counts; whether it exists on disk is the engine's to ask. */
export type StoredFolder = Omit<LibraryFolder, 'exists'>;

interface BookRow {
  id: number;
  path: string;
  sha256: string;
  bytes: number;
  mtime_ms: number;
  encoding: TextEncodingName;
  title: string;
  author: string;
  language: string;
  words: number;
  added_at: string;
  fingerprint: string;
  path_bytes: Buffer | null;
  missing_since: string | null;
  ebook_id: number | null;
}

interface RunRow {
  id: number;
  status: RunStatus;
  settings: string;
  backend: BackendName | '';
  backend_detail: string;
  timings: string;
  started_at: string;
  finished_at: string | null;
  book_count: number;
  error: string | null;
  k_sweep: string | null;
}

function toBook(row: BookRow): Book {
  return {
    id: row.id,
    path: row.path,
    status: row.missing_since === null ? 'present' : 'missing',
    title: row.title,
    author: row.author,
    language: row.language,
    ebookId: row.ebook_id,
    bytes: row.bytes,
    sha256: row.sha256,
    fingerprint: row.fingerprint,
    encoding: row.encoding,
    words: row.words,
    addedAt: row.added_at,
  };
}

interface ClusterRow {
  id: number;
  label: string;
  terms: string;
  size: number;
  representatives: string;
  customLabel: string | null;
  fromRun: number | null;
  fromCluster: number | null;
  shared: number | null;
  of: number | null;
  colour: number | null;
}

function toCluster(r: ClusterRow): ClusterInfo {
  return {
    id: r.id,
    label: r.customLabel ?? r.label,
    automaticLabel: r.label,
    customLabel: r.customLabel,
    carried:
      r.customLabel !== null && r.fromRun !== null && r.fromCluster !== null && r.shared !== null && r.of !== null
        ? { fromRun: r.fromRun, fromCluster: r.fromCluster, shared: r.shared, of: r.of }
        : null,
    terms: JSON.parse(r.terms) as string[],
    size: r.size,
    representatives: JSON.parse(r.representatives) as number[],
    colour: r.colour ?? r.id,
  };
}

function toRun(row: RunRow): RunSummary {
  return {
    id: row.id,
    status: row.status,
    settings: withKRange(JSON.parse(row.settings) as RunSettings),
    backend: row.backend,
    backendDetail: row.backend_detail,
    timings: JSON.parse(row.timings) as Partial<Record<StageName, number>>,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    bookCount: row.book_count,
    error: row.error,
    kSweep: row.k_sweep === null ? null : (JSON.parse(row.k_sweep) as KSweep),
  };
}

/** Runs recorded before k could be "auto" have no kRange; they get the default, which they never used. */
function withKRange(settings: RunSettings): RunSettings {
  return settings.kRange ? settings : { ...settings, kRange: { ...DEFAULT_SETTINGS.kRange } };
}

const now = () => new Date().toISOString();

/** `folder` with one trailing separator, so that /books does not take in /books-old. */
export function folderPrefix(folder: string): string {
  return folder.endsWith(sep) ? folder : folder + sep;
}

/** The raw bytes to keep for a path, when its name is not valid UTF-8. */
function pathBytes(fsPath: string | Buffer | undefined): Buffer | null {
  return Buffer.isBuffer(fsPath) ? fsPath : null;
}

// Books (or rejected files) under a folder: a plain prefix test, no LIKE and its wildcards.
const UNDER = 'substr(path, 1, length(?)) = ?';

export class Store {
  readonly db: Database.Database;

  private readonly owner: RunOwner;

  /**
   * Opens (creating if needed) the library at `file`; ':memory:' for tests. Another program's
   * SQLite file or a newer library is refused before anything is written to it.
   */
  constructor(file: string, options: { nativeBinding?: string; owner?: RunOwner } = {}) {
    this.owner = options.owner ?? thisProcess();
    const binding = options.nativeBinding ? { nativeBinding: options.nativeBinding } : {};
    try {
      if (file !== ':memory:') {
        inspectLibraryFile(file, SCHEMA_VERSION, options.nativeBinding);
        mkdirSync(dirname(file), { recursive: true });
      }
      this.db = new Database(file, binding);
      // first, so that even switching to WAL waits for another process instead of failing
      this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('foreign_keys = ON');
      if ((this.db.pragma('application_id', { simple: true }) as number) !== SHELFMAP_APPLICATION_ID) {
        this.db.pragma(`application_id = ${SHELFMAP_APPLICATION_ID}`);
      }
      const before = this.db.pragma('user_version', { simple: true }) as number;
      migrate(this.db);
      // the bodies the migration dropped leave free pages: give them back to the disk, once
      // (another process reading the library now makes it fail: the file then stays larger, nothing else)
      if (vacuumAfterMigrating(before)) {
        try {
          this.db.exec('VACUUM');
        } catch {
          // a bigger file, the same library
        }
      }
    } catch (error) {
      if (error instanceof ShelfmapError) throw error;
      throw new ShelfmapError('database', `Cannot open the library at ${file}: ${(error as Error).message}`);
    }
    this.markInterruptedRuns();
  }

  close(): void {
    this.db.close();
  }

  /**
   * A run left "running" whose owner is gone (a crash, a kill, a power cut) can never finish:
   * say so. A run whose owner is alive, in this process or another, is left alone.
   */
  private markInterruptedRuns(): void {
    const running = this.db
      .prepare(`SELECT id, owner_host AS host, owner_pid AS pid, heartbeat_at AS heartbeatAt FROM runs WHERE status = 'running'`)
      .all() as { id: number; host: string | null; pid: number | null; heartbeatAt: number | null }[];
    const dead = running.filter((run) => !this.ownerAlive(run));
    const mark = this.db.prepare(
      `UPDATE runs SET status = 'failed', finished_at = ?, error = 'Interrupted: Shelfmap stopped while this run was going. Start the run again.' WHERE id = ? AND status = 'running'`,
    );
    for (const run of dead) mark.run(now(), run.id);
  }

  private ownerAlive(run: { host: string | null; pid: number | null; heartbeatAt: number | null }): boolean {
    if (run.host === null || run.pid === null || run.heartbeatAt === null) return false; // from before owners were kept
    const fresh = Date.now() - run.heartbeatAt < STALE_RUN_MS;
    if (run.host !== this.owner.host) return fresh; // another machine sharing the file: only its heartbeat tells
    if (run.pid === this.owner.pid) return true;
    return fresh && processAlive(run.pid);
  }

  /** Says that this process is still working on `runId`; the engine calls it every HEARTBEAT_MS. */
  heartbeat(runId: number): void {
    this.db.prepare(`UPDATE runs SET heartbeat_at = ? WHERE id = ? AND status = 'running'`).run(Date.now(), runId);
  }

  // ---- books -------------------------------------------------------------------------------

  /** The book at `path` (present or missing), with what its file was when last read. */
  fileStamp(path: string): StoredFileStamp | undefined {
    const row = this.db
      .prepare('SELECT id, sha256, fingerprint, bytes, mtime_ms AS mtimeMs, missing_since, ebook_read FROM books WHERE path = ?')
      .get(path) as (Omit<StoredFileStamp, 'missing' | 'ebookRead'> & { missing_since: string | null; ebook_read: number }) | undefined;
    if (!row) return undefined;
    const { missing_since, ebook_read, ...stamp } = row;
    return { ...stamp, missing: missing_since !== null, ebookRead: ebook_read === 1 };
  }

  /** The fingerprint of every book in the library (present or missing). */
  allFingerprints(): string[] {
    return this.db.prepare('SELECT fingerprint FROM books').pluck().all() as string[];
  }

  /** The book with this text (a present one first), other than `exceptId`. */
  bookWithFingerprint(fingerprint: string, exceptId = 0): BookLocation | undefined {
    const row = this.db
      .prepare(
        'SELECT id, path, path_bytes, missing_since FROM books WHERE fingerprint = ? AND id != ? ORDER BY missing_since IS NOT NULL, id LIMIT 1',
      )
      .get(fingerprint, exceptId) as { id: number; path: string; path_bytes: Buffer | null; missing_since: string | null } | undefined;
    return row && { id: row.id, path: row.path, fsPath: row.path_bytes ?? row.path, missing: row.missing_since !== null };
  }

  /** Adds a book, or replaces the one at the same path (its cached counts go with it). */
  upsertBook(book: NewBook): number {
    return this.db.transaction(() => {
      const existing = this.fileStamp(book.path);
      if (existing) this.db.prepare('DELETE FROM books WHERE id = ?').run(existing.id);
      const info = this.db
        .prepare(
          `INSERT INTO books (path, path_bytes, sha256, fingerprint, bytes, mtime_ms, encoding, title, author, language, ebook_id, ebook_read, words, added_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
        )
        .run(
          book.path,
          pathBytes(book.fsPath),
          book.sha256,
          book.fingerprint,
          book.bytes,
          book.mtimeMs,
          book.encoding,
          book.title,
          book.author,
          book.language,
          book.ebookId,
          book.words,
          now(),
        );
      const id = Number(info.lastInsertRowid);
      if (book.samples) {
        this.db.prepare('INSERT INTO book_samples (book_id, plan, windows) VALUES (?, ?, ?)').run(id, book.samples.plan, book.samples.windows);
      }
      if (book.spans) this.setSpans(id, book.spans);
      this.db.prepare('DELETE FROM rejected_files WHERE path = ?').run(book.path);
      return id;
    }).immediate();
  }

  /**
   * The file changed its bytes or time but not its text: remember what it is now (its header's
   * Gutenberg number too, when it was read); it is present.
   */
  touchBook(id: number, file: Omit<FileStamp, 'path' | 'fsPath'> & { ebookId?: number | null }): void {
    this.db
      .prepare('UPDATE books SET sha256 = ?, bytes = ?, mtime_ms = ?, encoding = ?, missing_since = NULL WHERE id = ?')
      .run(file.sha256, file.bytes, file.mtimeMs, file.encoding, id);
    if (file.ebookId !== undefined) this.setEbookId(id, file.ebookId);
  }

  /** The Gutenberg number read from the header of a book's file (null: it gives none). */
  setEbookId(id: number, ebookId: number | null): void {
    this.db.prepare('UPDATE books SET ebook_id = ?, ebook_read = 1 WHERE id = ?').run(ebookId, id);
  }

  /**
   * The book's file is now at `file.path` (moved or renamed): the same book, with its id, cached
   * counts and past runs, at its new path. A book at that path whose text is no longer there
   * (`replacing`) leaves the library.
   */
  moveBook(id: number, file: FileStamp, replacing?: number): void {
    this.db.transaction(() => {
      if (replacing !== undefined) this.db.prepare('DELETE FROM books WHERE id = ?').run(replacing);
      this.db
        .prepare(
          'UPDATE books SET path = ?, path_bytes = ?, sha256 = ?, bytes = ?, mtime_ms = ?, encoding = ?, missing_since = NULL WHERE id = ?',
        )
        .run(file.path, pathBytes(file.fsPath), file.sha256, file.bytes, file.mtimeMs, file.encoding, id);
      this.db.prepare('DELETE FROM rejected_files WHERE path = ?').run(file.path);
    }).immediate();
  }

  /** The file of a missing book is back, unchanged. */
  markPresent(id: number): void {
    this.db.prepare('UPDATE books SET missing_since = NULL WHERE id = ?').run(id);
  }

  /**
   * After a whole scan of `folder`: every present book under it whose path was not found is
   * marked missing, except under `keepUnder` (subfolders that could not be read, so unknown).
   * Returns how many were marked.
   */
  markMissingUnder(folder: string, found: ReadonlySet<string>, keepUnder: readonly string[] = []): number {
    const prefix = folderPrefix(folder);
    const keep = keepUnder.map(folderPrefix);
    return this.db.transaction(() => {
      const rows = this.db
        .prepare(`SELECT id, path FROM books WHERE missing_since IS NULL AND ${UNDER}`)
        .all(prefix, prefix) as { id: number; path: string }[];
      const gone = rows.filter((r) => !found.has(r.path) && !keep.some((k) => r.path.startsWith(k)));
      const mark = this.db.prepare('UPDATE books SET missing_since = ? WHERE id = ?');
      const at = now();
      for (const r of gone) mark.run(at, r.id);
      return gone.length;
    }).immediate();
  }

  /** Removes one book; its past runs keep their results (run_books holds its own copy). */
  removeBook(id: number): boolean {
    return this.db.prepare('DELETE FROM books WHERE id = ?').run(id).changes > 0;
  }

  book(id: number): Book | undefined {
    const row = this.db.prepare('SELECT * FROM books WHERE id = ?').get(id) as BookRow | undefined;
    return row && toBook(row);
  }

  listBooks(): Book[] {
    const rows = this.db.prepare('SELECT * FROM books ORDER BY title COLLATE NOCASE, id').all() as BookRow[];
    return rows.map(toBook);
  }

  countBooks(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM books').get() as { n: number }).n;
  }

  // ---- folders -----------------------------------------------------------------------------

  /** Remembers a folder the user added (once; adding it again keeps when it was first added). */
  addFolder(folder: string): void {
    this.db.prepare('INSERT OR IGNORE INTO folders (path, added_at) VALUES (?, ?)').run(folder, now());
  }

  /** A scan went through the whole folder. */
  folderScanned(folder: string): void {
    this.db.prepare('UPDATE folders SET scanned_at = ? WHERE path = ?').run(now(), folder);
  }

  /**
   * What a whole scan of `folder` settles, in one transaction: books it did not find are missing
   * (see markMissingUnder), left-out files it did not meet are forgotten, the folder is scanned.
   * Returns how many books were marked missing.
   */
  finishScan(folder: string, scan: { found: ReadonlySet<string>; met: ReadonlySet<string>; unreadable: readonly string[] }): number {
    return this.db.transaction(() => {
      const missing = this.markMissingUnder(folder, scan.found, scan.unreadable);
      this.clearRejectedUnder(folder, scan.met);
      this.folderScanned(folder);
      return missing;
    }).immediate();
  }

  listFolders(): StoredFolder[] {
    const rows = this.db
      .prepare(
        `SELECT f.path, f.added_at AS addedAt, f.scanned_at AS lastScannedAt,
           (SELECT COUNT(*) FROM books b WHERE b.missing_since IS NULL AND substr(b.path, 1, length(f.prefix)) = f.prefix) AS books,
           (SELECT COUNT(*) FROM books b WHERE b.missing_since IS NOT NULL AND substr(b.path, 1, length(f.prefix)) = f.prefix) AS missing
         FROM (SELECT path, added_at, scanned_at,
                 CASE WHEN substr(path, -1) = ? THEN path ELSE path || ? END AS prefix FROM folders) f
         ORDER BY f.path`,
      )
      .all(sep, sep) as StoredFolder[];
    return rows;
  }

  /**
   * Forgets a folder and removes the books and rejected files under it, except those also under
   * another folder still in the library. Past runs keep their results. Returns the books removed,
   * or null when the library knows neither the folder nor any book under it.
   */
  removeFolder(folder: string): number | null {
    const prefix = folderPrefix(folder);
    return this.db.transaction(() => {
      const forgotten = this.db.prepare('DELETE FROM folders WHERE path = ?').run(folder).changes > 0;
      const others = (this.db.prepare('SELECT path FROM folders').all() as { path: string }[]).map((f) => folderPrefix(f.path));
      const kept = (path: string) => others.some((other) => path.startsWith(other));
      const books = (this.db.prepare(`SELECT id, path FROM books WHERE ${UNDER}`).all(prefix, prefix) as { id: number; path: string }[]).filter(
        (b) => !kept(b.path),
      );
      const removeBook = this.db.prepare('DELETE FROM books WHERE id = ?');
      for (const b of books) removeBook.run(b.id);
      const rejected = (this.db.prepare(`SELECT path FROM rejected_files WHERE ${UNDER}`).all(prefix, prefix) as { path: string }[]).filter(
        (r) => !kept(r.path),
      );
      const removeRejected = this.db.prepare('DELETE FROM rejected_files WHERE path = ?');
      for (const r of rejected) removeRejected.run(r.path);
      return forgotten || books.length > 0 ? books.length : null;
    }).immediate();
  }

  /**
   * Where the book's samples lie in the text of its file as it is now (after a touch or a move
   * the text may differ in what the fingerprint ignores); null forgets them.
   */
  setSpans(bookId: number, spans: StoredSpans | null): void {
    if (!spans) {
      this.db.prepare('DELETE FROM book_spans WHERE book_id = ?').run(bookId);
      return;
    }
    this.db
      .prepare('INSERT OR REPLACE INTO book_spans (book_id, plan, spans, byte_spans) VALUES (?, ?, ?, ?)')
      .run(bookId, spans.plan, spansBlob(spans.spans), spans.bytes ? spansBlob(spans.bytes) : null);
  }

  /** Where the book's samples lie in its text (see NewBook.spans), or undefined when that is not kept. */
  bookSpans(bookId: number): StoredSpans | undefined {
    const row = this.db.prepare('SELECT plan, spans, byte_spans FROM book_spans WHERE book_id = ?').get(bookId) as
      | { plan: string; spans: Buffer; byte_spans: Buffer | null }
      | undefined;
    const spans = row ? spansOfBlob(row.spans) : null;
    if (!row || !spans) return undefined;
    const bytes = spansOfBlob(row.byte_spans);
    return { plan: row.plan, spans, bytes: bytes && bytes.length === spans.length ? bytes : null };
  }

  /** The sample windows kept of a book (see NewBook.samples), or undefined when none are kept. */
  bookSamples(bookId: number): StoredSamples | undefined {
    const row = this.db.prepare('SELECT plan, windows FROM book_samples WHERE book_id = ?').get(bookId) as
      | { plan: string; windows: Buffer }
      | undefined;
    return row && { plan: row.plan, windows: unpackWindows(row.windows) };
  }

  /**
   * Books with no sample windows kept under `plan` ("10x1000") and, when `tokenizerKey` is given,
   * no cached counts under it either: those a stage must read from disk again.
   */
  idsWithoutSamples(plan: string, tokenizerKey?: string): number[] {
    const counted = tokenizerKey === undefined ? '' : 'AND NOT EXISTS (SELECT 1 FROM book_terms t WHERE t.book_id = b.id AND t.tokenizer = ?)';
    const args = tokenizerKey === undefined ? [plan] : [plan, tokenizerKey];
    return this.db
      .prepare(`SELECT b.id FROM books b WHERE NOT EXISTS (SELECT 1 FROM book_samples s WHERE s.book_id = b.id AND s.plan = ?) ${counted}`)
      .pluck()
      .all(...args) as number[];
  }

  /** Where a book's file is (its path as bytes, when not UTF-8) and the fingerprint of the text it was added with. */
  bookFile(bookId: number): { path: string; fsPath: string | Buffer; fingerprint: string; title: string; bytes: number; mtimeMs: number } | undefined {
    const row = this.db.prepare('SELECT path, path_bytes, fingerprint, title, bytes, mtime_ms FROM books WHERE id = ?').get(bookId) as
      | { path: string; path_bytes: Buffer | null; fingerprint: string; title: string; bytes: number; mtime_ms: number }
      | undefined;
    return row && { path: row.path, fsPath: row.path_bytes ?? row.path, fingerprint: row.fingerprint, title: row.title, bytes: row.bytes, mtimeMs: row.mtime_ms };
  }

  /** cachedTerms' statement, prepared once: the features stage reads every book's counts twice, and preparing was 2-4% of it. */
  private cachedTermsQuery: Database.Statement | null = null;

  /**
   * A book's cached term counts under a tokenizer key, unpacked (see store/packed.ts); with
   * `packed`, as stored, for a thread that unpacks them itself (packed.ts unpackTerms).
   */
  cachedTerms(bookId: number, tokenizer: string, packed = false): { tokens: number; counts: Buffer } | undefined {
    this.cachedTermsQuery ??= this.db.prepare('SELECT tokens, counts FROM book_terms WHERE book_id = ? AND tokenizer = ?');
    const row = this.cachedTermsQuery.get(bookId, tokenizer) as { tokens: number; counts: Buffer } | undefined;
    return row && { tokens: row.tokens, counts: packed ? row.counts : unpackTerms(row.counts) };
  }

  /** Keeps a book's term counts, packed (counts the import's workers packed already are kept as they are). */
  saveTerms(bookId: number, tokenizer: string, tokens: number, counts: Buffer): void {
    this.db
      .prepare('INSERT OR REPLACE INTO book_terms (book_id, tokenizer, tokens, counts) VALUES (?, ?, ?, ?)')
      .run(bookId, tokenizer, tokens, packTerms(counts));
  }

  /** Runs `work` in one write transaction: the importer commits a batch of books at a time. */
  batch<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  setWords(bookId: number, words: number): void {
    this.db.prepare('UPDATE books SET words = ? WHERE id = ?').run(words, bookId);
  }

  // ---- rejected files ----------------------------------------------------------------------

  saveRejected(file: RejectedFile): void {
    this.db
      .prepare('INSERT OR REPLACE INTO rejected_files (path, reason, message, duplicate_of, seen_at) VALUES (?, ?, ?, ?, ?)')
      .run(file.path, file.reason, file.message, file.duplicateOf ?? null, now());
  }

  /** After a whole scan of `folder`: files left out earlier that the scan did not meet again are gone. */
  clearRejectedUnder(folder: string, met: ReadonlySet<string>): void {
    const prefix = folderPrefix(folder);
    const rows = this.db.prepare(`SELECT path FROM rejected_files WHERE ${UNDER}`).all(prefix, prefix) as { path: string }[];
    const remove = this.db.prepare('DELETE FROM rejected_files WHERE path = ?');
    this.db.transaction(() => {
      for (const r of rows) if (!met.has(r.path)) remove.run(r.path);
    }).immediate();
  }

  clearRejected(path: string): void {
    this.db.prepare('DELETE FROM rejected_files WHERE path = ?').run(path);
  }

  listRejected(): RejectedFile[] {
    const rows = this.db
      .prepare('SELECT path, reason, message, duplicate_of FROM rejected_files ORDER BY seen_at DESC, path')
      .all() as (Omit<RejectedFile, 'duplicateOf'> & { duplicate_of: string | null })[];
    return rows.map(({ duplicate_of, ...file }) => (duplicate_of === null ? file : { ...file, duplicateOf: duplicate_of }));
  }

  // ---- runs --------------------------------------------------------------------------------

  createRun(settings: RunSettings, bookCount: number): number {
    const info = this.db
      .prepare(
        `INSERT INTO runs (status, settings, started_at, book_count, owner_host, owner_pid, heartbeat_at) VALUES ('running', ?, ?, ?, ?, ?, ?)`,
      )
      .run(JSON.stringify(settings), now(), bookCount, this.owner.host, this.owner.pid, Date.now());
    return Number(info.lastInsertRowid);
  }

  updateRunProgress(runId: number, backend: BackendName | '', timings: Partial<Record<StageName, number>>): void {
    this.db.prepare('UPDATE runs SET backend = ?, timings = ? WHERE id = ?').run(backend, JSON.stringify(timings), runId);
  }

  /** Records how a run's k was chosen (k "auto"), before its clusters are made with it. */
  saveKSweep(runId: number, sweep: KSweep): void {
    this.db.prepare('UPDATE runs SET k_sweep = ? WHERE id = ?').run(JSON.stringify(sweep), runId);
  }

  setBackendDetail(runId: number, detail: string): void {
    this.db.prepare('UPDATE runs SET backend_detail = ? WHERE id = ?').run(detail, runId);
  }

  finishRun(runId: number, status: Exclude<RunStatus, 'running'>, error: string | null): void {
    this.db
      .prepare('UPDATE runs SET status = ?, finished_at = ?, error = ? WHERE id = ?')
      .run(status, now(), error, runId);
  }

  /** Writes a run's map and clusters and marks it done, all in one transaction. */
  saveRunResult(runId: number, points: BookPoint[], clusters: ClusterInfo[]): void {
    this.db.transaction(() => {
      const insertPoint = this.db.prepare(
        `INSERT INTO run_books (run_id, book_id, path, title, author, language, ebook_id, cluster, x, y, distance, fingerprint)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT fingerprint FROM books WHERE id = ?))`,
      );
      for (const p of points) {
        insertPoint.run(runId, p.bookId, p.path, p.title, p.author, p.language, p.ebookId, p.cluster, p.x, p.y, p.distanceToCentre, p.bookId);
      }
      const insertCluster = this.db.prepare(
        `INSERT INTO run_clusters (run_id, cluster, label, terms, size, representatives, custom_label, carried_run, carried_cluster, carried_shared, carried_of, colour)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const c of clusters) {
        const carried = c.carried ?? null;
        insertCluster.run(
          runId,
          c.id,
          c.automaticLabel ?? c.label,
          JSON.stringify(c.terms),
          c.size,
          JSON.stringify(c.representatives),
          c.customLabel ?? null,
          carried?.fromRun ?? null,
          carried?.fromCluster ?? null,
          carried?.shared ?? null,
          carried?.of ?? null,
          c.colour ?? null,
        );
      }
      this.finishRun(runId, 'done', null);
    }).immediate();
  }

  saveRunModel(runId: number, model: RunModel): void {
    this.db
      .prepare('INSERT OR REPLACE INTO run_models (run_id, vocabulary, idf, features, topology, weights) VALUES (?, ?, ?, ?, ?, ?)')
      .run(
        runId,
        JSON.stringify(model.vocabulary),
        Buffer.from(model.idf.buffer, model.idf.byteOffset, model.idf.byteLength),
        JSON.stringify(model.features),
        JSON.stringify(model.topology),
        model.weights,
      );
  }

  runModel(runId: number): RunModel | undefined {
    const row = this.db.prepare('SELECT * FROM run_models WHERE run_id = ?').get(runId) as
      | { vocabulary: string; idf: Buffer; features: string; topology: string; weights: Buffer }
      | undefined;
    if (!row) return undefined;
    const idf = new Float64Array(row.idf.byteLength / 8);
    new Uint8Array(idf.buffer).set(row.idf);
    return {
      vocabulary: JSON.parse(row.vocabulary) as string[],
      idf,
      features: JSON.parse(row.features),
      topology: JSON.parse(row.topology),
      weights: row.weights,
    };
  }

  /** What placing books on the run later needs; written with the run's result. */
  saveRunPlacement(runId: number, placement: RunPlacement): void {
    this.db.transaction(() => {
      const { centres, embeddings, ...space } = placement;
      const dim = centres[0]?.length ?? 0;
      this.db
        .prepare('INSERT OR REPLACE INTO run_placement (run_id, space, centres) VALUES (?, ?, ?)')
        .run(runId, JSON.stringify({ ...space, k: centres.length, dim }), float64Blob(centres.flat()));
      const insert = this.db.prepare('INSERT OR REPLACE INTO run_book_embeddings (run_id, book_id, embedding) VALUES (?, ?, ?)');
      for (const [bookId, embedding] of embeddings) insert.run(runId, bookId, float64Blob(embedding));
    }).immediate();
  }

  /** What placing books on the run needs; undefined for runs made before Shelfmap kept it. */
  runPlacement(runId: number): RunPlacement | undefined {
    const row = this.db.prepare('SELECT space, centres FROM run_placement WHERE run_id = ?').get(runId) as { space: string; centres: Buffer } | undefined;
    if (!row) return undefined;
    const { k, dim, ...space } = JSON.parse(row.space) as Omit<RunPlacement, 'centres' | 'embeddings'> & { k: number; dim: number };
    const flat = float64FromBlob(row.centres);
    const centres = Array.from({ length: k }, (_, c) => Array.from(flat.subarray(c * dim, (c + 1) * dim)));
    const rows = this.db.prepare('SELECT book_id AS bookId, embedding FROM run_book_embeddings WHERE run_id = ? ORDER BY book_id').all(runId) as {
      bookId: number;
      embedding: Buffer;
    }[];
    return { ...space, centres, embeddings: new Map(rows.map((r) => [r.bookId, float64FromBlob(r.embedding)])) };
  }

  /**
   * Adds books placed on a finished run, marked placed, in one transaction. The run's own rows are
   * never written: a book the run holds already makes the whole call fail (primary key).
   */
  savePlacedBooks(runId: number, points: BookPoint[]): void {
    this.db.transaction(() => {
      const insert = this.db.prepare(
        `INSERT INTO run_books (run_id, book_id, path, title, author, language, ebook_id, cluster, x, y, distance, placed, fingerprint)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, (SELECT fingerprint FROM books WHERE id = ?))`,
      );
      for (const p of points) {
        insert.run(runId, p.bookId, p.path, p.title, p.author, p.language, p.ebookId, p.cluster, p.x, p.y, p.distanceToCentre, p.bookId);
      }
    }).immediate();
  }

  saveEpoch(runId: number, epoch: { epoch: number; loss: number; valLoss: number | null; ms: number }): void {
    this.db
      .prepare('INSERT OR REPLACE INTO run_epochs (run_id, epoch, loss, val_loss, ms) VALUES (?, ?, ?, ?, ?)')
      .run(runId, epoch.epoch, epoch.loss, epoch.valLoss, epoch.ms);
  }

  runEpochs(runId: number): { epoch: number; loss: number; valLoss: number | null; ms: number }[] {
    return this.db
      .prepare('SELECT epoch, loss, val_loss AS valLoss, ms FROM run_epochs WHERE run_id = ? ORDER BY epoch')
      .all(runId) as { epoch: number; loss: number; valLoss: number | null; ms: number }[];
  }

  getRun(runId: number): RunSummary {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(runId) as RunRow | undefined;
    if (!row) throw new ShelfmapError('not-found', `There is no run ${runId}.`);
    return toRun(row);
  }

  listRuns(): RunSummary[] {
    return (this.db.prepare('SELECT * FROM runs ORDER BY id DESC').all() as RunRow[]).map(toRun);
  }

  runPoints(runId: number): BookPoint[] {
    const rows = this.db
      .prepare(
        `SELECT book_id AS bookId, path, title, author, language, ebook_id AS ebookId, cluster, x, y, distance AS distanceToCentre, placed
         FROM run_books WHERE run_id = ? ORDER BY cluster, title COLLATE NOCASE, path, book_id`,
      )
      .all(runId) as (Omit<BookPoint, 'placed'> & { placed: number })[];
    return rows.map((row) => ({ ...row, placed: row.placed === 1 }));
  }

  /**
   * The text fingerprint of each book a run was made with (not those placed on it later), as it
   * was when the run was saved (null: not known, for a book removed before they were kept).
   */
  runFingerprints(runId: number): (string | null)[] {
    return (this.db.prepare('SELECT fingerprint FROM run_books WHERE run_id = ? AND placed = 0').all(runId) as { fingerprint: string | null }[]).map((r) => r.fingerprint);
  }

  /** A run's clusters; `label` is the custom name where there is one, `automaticLabel` the one built from terms. */
  runClusters(runId: number): ClusterInfo[] {
    const rows = this.db
      .prepare(
        `SELECT cluster AS id, label, terms, size, representatives, custom_label AS customLabel,
                carried_run AS fromRun, carried_cluster AS fromCluster, carried_shared AS shared, carried_of AS of, colour
         FROM run_clusters WHERE run_id = ? ORDER BY cluster`,
      )
      .all(runId) as ClusterRow[];
    return rows.map(toCluster);
  }

  /**
   * Gives a cluster a name of its own (null: back to the automatic one); a name given by hand
   * is no longer a carried one. The cluster as it now reads, or undefined when there is no such cluster.
   */
  renameCluster(runId: number, cluster: number, name: string | null): ClusterInfo | undefined {
    const changed = this.db
      .prepare(
        `UPDATE run_clusters SET custom_label = ?, carried_run = NULL, carried_cluster = NULL, carried_shared = NULL, carried_of = NULL
         WHERE run_id = ? AND cluster = ?`,
      )
      .run(name, runId, cluster).changes;
    return changed === 0 ? undefined : this.runClusters(runId).find((c) => c.id === cluster);
  }

  /**
   * The finished run before `runId` that shares the most of these books (the newest of those
   * that share as many), with how many it shares; undefined when none shares any.
   */
  closestEarlierRun(runId: number, bookIds: readonly number[]): { runId: number; shared: number } | undefined {
    const row = this.db
      .prepare(
        `SELECT rb.run_id AS runId, COUNT(*) AS shared FROM run_books rb JOIN runs r ON r.id = rb.run_id
         WHERE r.status = 'done' AND r.id < ? AND rb.book_id IN (SELECT value FROM json_each(?))
         GROUP BY rb.run_id ORDER BY shared DESC, rb.run_id DESC LIMIT 1`,
      )
      .get(runId, JSON.stringify(bookIds)) as { runId: number; shared: number } | undefined;
    return row;
  }

  /** Book id -> cluster in a run. */
  runAssignments(runId: number): Map<number, number> {
    const rows = this.db.prepare('SELECT book_id AS bookId, cluster FROM run_books WHERE run_id = ?').all(runId) as { bookId: number; cluster: number }[];
    return new Map(rows.map((r) => [r.bookId, r.cluster]));
  }

  /**
   * Keeps a named group of a run's books. Undefined when the run already has a group of that
   * name (any case): the caller says so rather than replacing it.
   */
  saveGroup(runId: number, name: string, bookIds: readonly number[]): BookGroup | undefined {
    const createdAt = now();
    const row = this.db
      .prepare('INSERT INTO run_groups (run_id, name, book_ids, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (run_id, name) DO NOTHING RETURNING id')
      .get(runId, name, JSON.stringify(bookIds), createdAt) as { id: number } | undefined;
    return row ? { id: row.id, runId, name, bookIds: [...bookIds], createdAt } : undefined;
  }

  /** A run's named groups, by name (any case), then by when they were made. */
  listGroups(runId: number): BookGroup[] {
    const rows = this.db
      .prepare('SELECT id, run_id AS runId, name, book_ids AS bookIds, created_at AS createdAt FROM run_groups WHERE run_id = ? ORDER BY name, id')
      .all(runId) as (Omit<BookGroup, 'bookIds'> & { bookIds: string })[];
    return rows.map((r) => ({ ...r, bookIds: JSON.parse(r.bookIds) as number[] }));
  }

  /** Forgets a named group; false when there is none with that id. */
  deleteGroup(groupId: number): boolean {
    return this.db.prepare('DELETE FROM run_groups WHERE id = ?').run(groupId).changes > 0;
  }
}
