// Numbered schema migrations. Each entry moves the database from version i to i + 1 and is
// never edited once released: a schema change is a new entry. PRAGMA user_version records
// how far a database has come.
import type Database from 'better-sqlite3';
import { ShelfmapError } from '../../../src-shared/errors';

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
  // 3: which process owns a running run, so no other process ever marks a live run failed
  `
  ALTER TABLE runs ADD COLUMN owner_host TEXT;
  ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
  ALTER TABLE runs ADD COLUMN heartbeat_at REAL;
  `,
];

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
    for (let version = current; version < SCHEMA_VERSION; version++) db.exec(MIGRATIONS[version]);
    if (current < SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
  return SCHEMA_VERSION;
}
