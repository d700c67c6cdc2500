// Deciding whether a file may be opened as a Shelfmap library, before anything is written to
// it: another program's SQLite file, a file that is not SQLite at all, and a library from a
// newer Shelfmap are refused untouched (no WAL switch, no migration, no application id).
import Database from 'better-sqlite3';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { ShelfmapError } from '../../../src-shared/errors';

/** PRAGMA application_id of every Shelfmap library: "SHLF" in ASCII. */
export const SHELFMAP_APPLICATION_ID = 0x53484c46;

const SQLITE_MAGIC = 'SQLite format 3\0';

/** Tables every Shelfmap library has had since schema 1: how one from before application ids is known. */
const SHELFMAP_TABLES = ['books', 'book_bodies', 'book_terms', 'rejected_files', 'runs', 'run_books', 'run_clusters'];

export type LibraryFileState =
  /** No file, an empty file or an empty SQLite database: a new library is made there. */
  | { kind: 'new' }
  /** A Shelfmap library at `version` (≤ the schema this Shelfmap knows). */
  | { kind: 'library'; version: number; stamped: boolean };

function refuse(file: string, why: string): never {
  throw new ShelfmapError('invalid-library', `${file} ${why} Nothing in it was changed. Choose another file with --db (or SHELFMAP_DB).`);
}

function readHeader(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const header = Buffer.alloc(100);
    const read = readSync(fd, header, 0, 100, 0);
    return header.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** Looks at `file` read-only and says what it is, or refuses it with a message a user can act on. */
export function inspectLibraryFile(file: string, schemaVersion: number, nativeBinding?: string): LibraryFileState {
  let size: number;
  try {
    const stats = statSync(file);
    if (stats.isDirectory()) refuse(file, 'is a folder, not a library file.');
    size = stats.size;
  } catch (error) {
    if (error instanceof ShelfmapError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'new' };
    throw new ShelfmapError('database', `Cannot read the library at ${file}: ${(error as Error).message}`);
  }
  if (size === 0) return { kind: 'new' };
  const header = readHeader(file);
  if (header.subarray(0, 16).toString('latin1') !== SQLITE_MAGIC) {
    refuse(file, 'is not a SQLite database, so it is not a Shelfmap library.');
  }
  const db = new Database(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    if (applicationId === SHELFMAP_APPLICATION_ID || (applicationId === 0 && version > 0 && SHELFMAP_TABLES.every((t) => tables.includes(t)))) {
      if (version > schemaVersion) {
        throw new ShelfmapError(
          'invalid-library',
          `The library ${file} was written by a newer Shelfmap (schema ${version}; this one knows up to ${schemaVersion}). ` +
            'Update Shelfmap, or open a different library file. Nothing in it was changed.',
        );
      }
      return { kind: 'library', version, stamped: applicationId === SHELFMAP_APPLICATION_ID };
    }
    if (applicationId === 0 && version === 0 && tables.length === 0) return { kind: 'new' };
    refuse(file, "is another program's SQLite database, not a Shelfmap library.");
  } catch (error) {
    if (error instanceof ShelfmapError) throw error;
    refuse(file, `cannot be read as a SQLite database (${(error as Error).message}).`);
  } finally {
    db.close();
  }
}
