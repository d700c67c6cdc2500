// Numbered schema migrations. Each entry moves the database from version i to i + 1 and is
// never edited once released: a schema change is a new entry. PRAGMA user_version records
// how far a database has come.
import type Database from 'better-sqlite3';
import { inflateRawSync } from 'node:zlib';
import { ShelfmapError } from '../../../src-shared/errors';
import { bookFingerprint, duplicateOf } from '../library/fingerprint';
import { DEFAULT_SETTINGS } from '../../../src-shared/settings';
import { sampleWindows } from '../features/sample';
import { packTerms, packWindows, planKey } from './packed';

// The Gutenberg eBook number of each book and of each book of a run (a run's export stays what
// it was), whether a book's header was looked at for it, and each run book's text fingerprint.
// Books added before are looked at on their folder's next scan (their stored bodies have no
// header left to read the number from); AFTER_MIGRATION fills the run books' fingerprints.
export const EBOOK_IDS = `
  ALTER TABLE books ADD COLUMN ebook_id INTEGER;
  ALTER TABLE books ADD COLUMN ebook_read INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE run_books ADD COLUMN ebook_id INTEGER;
  ALTER TABLE run_books ADD COLUMN fingerprint TEXT;
  `;

// Issue 10: the library keeps each book's sample windows (what cluster naming and a recount
// under other tokenizer settings read), not the whole body again: the file is on disk, and is
// read again when a run samples differently. AFTER_MIGRATION cuts the samples from the stored
// bodies, packs the cached term counts, and drops the bodies; the Store then VACUUMs once.
export const BOOK_SAMPLES = `
  CREATE TABLE book_samples (
    book_id INTEGER PRIMARY KEY REFERENCES books(id) ON DELETE CASCADE,
    plan TEXT NOT NULL,
    windows BLOB NOT NULL
  );
  `;

// Issue 10 again: the importer keeps where each book's samples lie in its text (book_spans:
// offsets in the body, and in the file's bytes where its text maps simply onto them) instead of
// the samples' text, two thirds of a library file; what reads samples reads them from the file
// again (book-text.ts). Libraries that kept the text keep it, and it is still read.
export const BOOK_SPANS = `
  CREATE TABLE book_spans (
    book_id INTEGER PRIMARY KEY REFERENCES books(id) ON DELETE CASCADE,
    plan TEXT NOT NULL,
    spans BLOB NOT NULL,
    byte_spans BLOB
  );
  `;

export const MIGRATIONS: readonly string[] = [
  // 1: the library, cached token counts, rejected files, runs and their results
  `
  CREATE TABLE books (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    mtime_ms REAL NOT NULL,
    encoding TEXT NOT NULL,
    title TEXT NOT NULL,
    author TEXT NOT NULL,
    language TEXT NOT NULL,
    words INTEGER NOT NULL,
    added_at TEXT NOT NULL
  );
  CREATE INDEX books_sha256 ON books(sha256);

  -- term counts per book and tokenizer setting, so a run never re-reads an unchanged book
  CREATE TABLE book_terms (
    book_id INTEGER NOT NULL REFERENCES books(id) ON DELETE CASCADE,
    tokenizer TEXT NOT NULL,
    tokens INTEGER NOT NULL,
    counts BLOB NOT NULL,
    PRIMARY KEY (book_id, tokenizer)
  );

  -- the book body itself (compressed), so a new tokenizer setting does not need the file again
  CREATE TABLE book_bodies (
    book_id INTEGER PRIMARY KEY REFERENCES books(id) ON DELETE CASCADE,
    body BLOB NOT NULL
  );

  CREATE TABLE rejected_files (
    path TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    message TEXT NOT NULL,
    seen_at TEXT NOT NULL
  );

  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    status TEXT NOT NULL,
    settings TEXT NOT NULL,
    backend TEXT NOT NULL DEFAULT '',
    timings TEXT NOT NULL DEFAULT '{}',
    started_at TEXT NOT NULL,
    finished_at TEXT,
    book_count INTEGER NOT NULL DEFAULT 0,
    error TEXT
  );

  CREATE TABLE run_books (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    book_id INTEGER NOT NULL,
    path TEXT NOT NULL,
    title TEXT NOT NULL,
    author TEXT NOT NULL,
    language TEXT NOT NULL,
    cluster INTEGER NOT NULL,
    x REAL NOT NULL,
    y REAL NOT NULL,
    PRIMARY KEY (run_id, book_id)
  );

  CREATE TABLE run_clusters (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    cluster INTEGER NOT NULL,
    label TEXT NOT NULL,
    terms TEXT NOT NULL,
    size INTEGER NOT NULL,
    PRIMARY KEY (run_id, cluster)
  );
  `,
  // 2: what a run learned, so it can be reproduced and new books transformed later; how its
  // backend was chosen
  `
  ALTER TABLE runs ADD COLUMN backend_detail TEXT NOT NULL DEFAULT '';
  CREATE TABLE run_models (
    run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    vocabulary TEXT NOT NULL,
    idf BLOB NOT NULL,
    features TEXT NOT NULL,
    topology TEXT NOT NULL,
    weights BLOB NOT NULL
  );
  CREATE TABLE run_epochs (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    epoch INTEGER NOT NULL,
    loss REAL NOT NULL,
    val_loss REAL,
    ms REAL NOT NULL,
    PRIMARY KEY (run_id, epoch)
  );
  `,
  // 3: a book is its text, not its path: its fingerprint (filled in by AFTER_MIGRATION[3]), the
  // raw bytes of a path that is not valid UTF-8, since when its file has been missing; the
  // folders the user added; which book a duplicate duplicates
  `
  ALTER TABLE books ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';
  ALTER TABLE books ADD COLUMN path_bytes BLOB;
  ALTER TABLE books ADD COLUMN missing_since TEXT;
  CREATE INDEX books_fingerprint ON books(fingerprint);
  CREATE TABLE folders (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    added_at TEXT NOT NULL,
    scanned_at TEXT
  );
  ALTER TABLE rejected_files ADD COLUMN duplicate_of TEXT;
  `,
  // 4: which process owns a running run, so no other process ever marks a live run failed
  `
  ALTER TABLE runs ADD COLUMN owner_host TEXT;
  ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
  ALTER TABLE runs ADD COLUMN heartbeat_at REAL;
  `,
  // 5: how central each book is to its cluster, and each cluster's most representative books
  `
  ALTER TABLE run_books ADD COLUMN distance REAL;
  ALTER TABLE run_clusters ADD COLUMN representatives TEXT NOT NULL DEFAULT '[]';
  `,
  // the Gutenberg eBook numbers and run books' fingerprints (EBOOK_IDS above)
  EBOOK_IDS,
  // a name a person gave a cluster (NULL: the automatic label), and, for a name carried over from
  // an earlier run, which run and cluster it came from and how many of that cluster's books it shares
  `
  ALTER TABLE run_clusters ADD COLUMN custom_label TEXT;
  ALTER TABLE run_clusters ADD COLUMN carried_run INTEGER;
  ALTER TABLE run_clusters ADD COLUMN carried_cluster INTEGER;
  ALTER TABLE run_clusters ADD COLUMN carried_shared INTEGER;
  ALTER TABLE run_clusters ADD COLUMN carried_of INTEGER;
  `,
  // placing new books on a finished run without refitting it: how the run made a book's
  // embedding and its clusters' centres in the space they were found in (run_placement), each
  // run book's embedding (to put a new book among its nearest on the map), and which run books
  // were placed afterwards rather than fitted
  `
  CREATE TABLE run_placement (
    run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    space TEXT NOT NULL,
    centres BLOB NOT NULL
  );
  CREATE TABLE run_book_embeddings (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    book_id INTEGER NOT NULL,
    embedding BLOB NOT NULL,
    PRIMARY KEY (run_id, book_id)
  );
  ALTER TABLE run_books ADD COLUMN placed INTEGER NOT NULL DEFAULT 0;
  `,
  // 9: how k was chosen when a run's k was "auto": the sweep's scores and the proposal (JSON)
  `
  ALTER TABLE runs ADD COLUMN k_sweep TEXT;
  `,
  // each cluster's colour (a palette index carried from the matching cluster of the closest
  // earlier run; NULL for runs made before: their cluster number), and the groups of books a
  // person picked on a run's map and named
  `
  ALTER TABLE run_clusters ADD COLUMN colour INTEGER;
  CREATE TABLE run_groups (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    name TEXT NOT NULL COLLATE NOCASE,
    book_ids TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (run_id, name)
  );
  `,
  BOOK_SAMPLES,
  BOOK_SPANS,
];

/**
 * Work a migration needs beyond SQL, run in the same transaction right after it, keyed by the
 * version the migration reaches.
 */
const AFTER_MIGRATION: Readonly<Partial<Record<number, (db: Database.Database) => void>>> = {
  // Every book already in the library gets its fingerprint from its stored body, which is the
  // very text the fingerprint is taken over on import, so no file is read again. Books that turn
  // out to have the same text (the LF copy of a folder, added as new books before) become one:
  // the first added stays, the others leave the library as duplicates of it, with both paths in
  // the list of left-out files; past runs keep their results.
  3: (db) => {
    const rows = db.prepare('SELECT book_id AS id, body FROM book_bodies').iterate() as IterableIterator<{ id: number; body: Buffer }>;
    const update = db.prepare('UPDATE books SET fingerprint = ? WHERE id = ?');
    // collected first: better-sqlite3 runs no other statement while an iteration is open
    const fingerprints: [string, number][] = [];
    for (const row of rows) fingerprints.push([bookFingerprint(inflateRawSync(row.body).toString('utf8')), row.id]);
    for (const [fingerprint, id] of fingerprints) update.run(fingerprint, id);

    const twins = db
      .prepare(
        `SELECT b.id, b.path, first.path AS firstPath FROM books b
         JOIN books first ON first.id = (SELECT MIN(id) FROM books WHERE fingerprint = b.fingerprint)
         WHERE b.id != first.id AND b.fingerprint != ''`,
      )
      .all() as { id: number; path: string; firstPath: string }[];
    // by hand as well as by cascade: foreign keys are a connection's setting, not the file's
    const remove = db.transaction((id: number) => {
      db.prepare('DELETE FROM book_terms WHERE book_id = ?').run(id);
      db.prepare('DELETE FROM book_bodies WHERE book_id = ?').run(id);
      db.prepare('DELETE FROM books WHERE id = ?').run(id);
    });
    const leaveOut = db.prepare(
      'INSERT OR REPLACE INTO rejected_files (path, reason, message, duplicate_of, seen_at) VALUES (?, ?, ?, ?, ?)',
    );
    const at = new Date().toISOString();
    for (const twin of twins) {
      const rejected = duplicateOf(twin.path, twin.firstPath);
      remove(twin.id);
      leaveOut.run(rejected.path, rejected.reason, rejected.message, rejected.duplicateOf, at);
    }
  },
  // Past runs' books get the fingerprint of their book where it is still in the library (a
  // removed book's stays unknown: its run's export then gives no books fingerprint). Keyed by
  // the entry's place, wherever it ends up in the list.
  [MIGRATIONS.indexOf(EBOOK_IDS) + 1]: (db) => {
    db.exec(`UPDATE run_books SET fingerprint = (SELECT b.fingerprint FROM books b WHERE b.id = run_books.book_id AND b.fingerprint != '')`);
  },
  // Each stored body (present book or missing) gives its sample windows under the default plan,
  // which is what the importer keeps now; then the bodies go. Cached term counts are packed.
  [MIGRATIONS.indexOf(BOOK_SAMPLES) + 1]: (db) => {
    const plan = DEFAULT_SETTINGS.features.sampling;
    // one body in memory at a time: a library of 10,000 books held 1.5 GB of them
    const ids = (db.prepare('SELECT book_id AS id FROM book_bodies').all() as { id: number }[]).map((r) => r.id);
    const body = db.prepare('SELECT body FROM book_bodies WHERE book_id = ?').pluck();
    const keep = db.prepare('INSERT INTO book_samples (book_id, plan, windows) VALUES (?, ?, ?)');
    for (const id of ids) {
      const text = inflateRawSync(body.get(id) as Buffer).toString('utf8');
      keep.run(id, plan ? planKey(plan) : 'whole', packWindows(sampleWindows(text, plan)));
    }
    const rows = (db.prepare('SELECT rowid FROM book_terms').all() as { rowid: number }[]).map((r) => r.rowid);
    const counts = db.prepare('SELECT counts FROM book_terms WHERE rowid = ?').pluck();
    const pack = db.prepare('UPDATE book_terms SET counts = ? WHERE rowid = ?');
    for (const rowid of rows) pack.run(packTerms(counts.get(rowid) as Buffer), rowid);
    db.exec('DROP TABLE book_bodies');
  },
};

/** Whether a library that was at `version` before migrating should be VACUUMed once after (its bodies were dropped). */
export function vacuumAfterMigrating(version: number): boolean {
  return version > 0 && version <= MIGRATIONS.indexOf(BOOK_SAMPLES);
}

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings a database up to SCHEMA_VERSION in one immediate transaction: a second process opening
 * the library at the same moment waits for the write lock, then finds nothing left to do.
 */
export function migrate(db: Database.Database): number {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > SCHEMA_VERSION) {
      throw new ShelfmapError(
        'invalid-library',
        `This library was written by a newer Shelfmap (schema ${current}; this one knows up to ${SCHEMA_VERSION}). ` +
          'Update Shelfmap, or open a different library file.',
      );
    }
    for (let version = current; version < SCHEMA_VERSION; version++) {
      db.exec(MIGRATIONS[version]);
      AFTER_MIGRATION[version + 1]?.(db);
    }
    if (current < SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
  return SCHEMA_VERSION;
}
