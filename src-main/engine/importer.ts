// Adding a folder to the library: scan, read what is new or changed, tokenise once, and keep
// a reason for every file left out. Each book is committed on its own, so a cancel or a crash
// keeps what was read, and adding the same folder again resumes where it stopped.
//
// A book is its text: a file whose text is already in the library is that book. When the
// book's old file is gone, the book has moved here (its id, cached counts and past runs go with
// it); when the old file is still there, this one is a duplicate. A book whose file the scan no
// longer finds is marked missing, and comes back when its file does.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ImportReport, RejectedFile } from '../../src-shared/domain';
import { ShelfmapError } from '../../src-shared/errors';
import { DEFAULT_SETTINGS } from '../../src-shared/settings';
import type { EmitEvent } from './events';
import { checkpoint } from './cancel';
import { scanFolder, readBook, duplicateOf } from './library';
import { readEbookIdOf } from './library/read-book';
import type { ScanResult } from './library';
import { documentKey, encodeBookTerms } from './features/sample';
import type { Store } from './store/store';

export interface ImportOptions {
  signal?: AbortSignal;
  emit: EmitEvent;
  maxBytes?: number;
}

async function exists(fsPath: string | Buffer): Promise<boolean> {
  return stat(fsPath).then(
    () => true,
    () => false,
  );
}

/**
 * Other added folders that are not on disk any more (moved, renamed, deleted, or a drive not
 * mounted): their books' files are gone with them, so those books are missing too. A vanished
 * folder left with no books at all (every one moved to where they are now) is forgotten.
 * Returns the books newly marked missing.
 */
async function settleVanishedFolders(store: Store, scanned: string): Promise<number> {
  let marked = 0;
  const vanished = new Set<string>();
  for (const other of store.listFolders()) {
    if (other.path === scanned || (await exists(other.path))) continue;
    marked += store.markMissingUnder(other.path, new Set());
    vanished.add(other.path);
  }
  if (vanished.size === 0) return 0;
  // counted again once, after the marking: a folder whose books all moved away holds none
  for (const folder of store.listFolders()) {
    if (vanished.has(folder.path) && folder.books + folder.missing === 0) store.removeFolder(folder.path);
  }
  return marked;
}

/** Scans `folder`; when the folder itself is gone, its books are marked missing before the error goes on. */
async function scanOrMarkGone(store: Store, folder: string, signal: AbortSignal | undefined): Promise<ScanResult> {
  try {
    return await scanFolder(folder, { signal });
  } catch (error) {
    if (error instanceof ShelfmapError && error.kind === 'folder-missing' && !(await exists(folder))) {
      store.markMissingUnder(folder, new Set());
    }
    throw error;
  }
}

export async function importFolder(store: Store, folder: string, options: ImportOptions): Promise<ImportReport> {
  const { signal, emit } = options;
  // counted once here with the default feature settings, so a default run reads no book again
  const features = DEFAULT_SETTINGS.features;
  const key = documentKey(features);
  emit('progress', { runId: null, stage: 'scan', done: 0, total: 0, message: `Looking for .txt files in ${folder}` });
  const { files, problems } = await scanOrMarkGone(store, folder, signal);
  store.addFolder(folder);
  emit('progress', { runId: null, stage: 'scan', done: files.length, total: files.length, message: `${files.length} .txt files found` });

  const report: ImportReport = {
    folder,
    found: files.length,
    added: 0,
    unchanged: 0,
    updated: 0,
    moved: 0,
    missing: 0,
    rejected: [],
    libraryBooks: 0,
  };
  const reject = (file: RejectedFile) => {
    store.saveRejected(file);
    report.rejected.push(file);
    emit('rejected', file);
  };
  problems.forEach(reject);

  for (const [index, file] of files.entries()) {
    await checkpoint(signal);
    const { path } = file;
    emit('progress', { runId: null, stage: 'read', done: index, total: files.length, message: basename(path) });
    const known = store.fileStamp(path);
    if (known) {
      const stats = await stat(file.fsPath).catch(() => null);
      if (stats && stats.size === known.bytes && stats.mtimeMs === known.mtimeMs) {
        if (known.missing) store.markPresent(known.id);
        // added before Gutenberg numbers were kept: its stored body has no header, its file has
        if (!known.ebookRead) {
          const ebookId = await readEbookIdOf(file.fsPath, options.maxBytes);
          if (ebookId !== undefined) store.setEbookId(known.id, ebookId);
        }
        report.unchanged++;
        continue;
      }
    }
    const result = await readBook(file, { maxBytes: options.maxBytes });
    if (!result.ok) {
      reject(result.rejected);
      continue;
    }
    const book = result.book;
    const stamp = { path, fsPath: file.fsPath, sha256: book.sha256, bytes: book.bytes, mtimeMs: book.mtimeMs, encoding: book.encoding };
    if (known && known.fingerprint === book.fingerprint) {
      // touched, re-encoded or given other line ends, but the same text: keep the cached counts
      store.touchBook(known.id, { ...stamp, ebookId: book.ebookId });
      report.unchanged++;
      continue;
    }
    const twin = store.bookWithFingerprint(book.fingerprint, known?.id);
    if (twin && (await exists(twin.fsPath))) {
      reject(duplicateOf(path, twin.path));
      continue;
    }
    if (twin) {
      store.moveBook(twin.id, stamp, known?.id);
      store.setEbookId(twin.id, book.ebookId);
      report.moved++;
      continue;
    }
    const { tokens, blob } = encodeBookTerms(book.body, features);
    const id = store.upsertBook({ ...book, fsPath: file.fsPath });
    store.saveTerms(id, key, tokens, blob);
    if (known) report.updated++;
    else report.added++;
  }

  // The whole folder was seen: what it no longer holds is missing, except under subfolders that
  // could not be read this time (their books may well be there).
  const found = new Set(files.map((f) => f.path));
  const unreadable = problems.filter((p) => p.reason === 'unreadable').map((p) => p.path);
  const met = new Set([...found, ...problems.map((p) => p.path)]);
  report.missing = store.finishScan(folder, { found, met, unreadable }) + (await settleVanishedFolders(store, folder));
  emit('progress', { runId: null, stage: 'read', done: files.length, total: files.length, message: 'Done' });
  report.libraryBooks = store.countBooks();
  return report;
}
