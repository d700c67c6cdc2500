// Adding a folder to the library: scan, read what is new or changed, tokenise once, and keep
// a reason for every file left out. Files are read, decoded and counted on every core
// (import-pool.ts); this thread is the one writer, committing books in file order in batches,
// so a cancel or a crash keeps what was committed, and adding the same folder again resumes
// where it stopped. A second add of an unchanged folder is a stat per file.
//
// A book is its text: a file whose text is already in the library is that book. When the
// book's old file is gone, the book has moved here (its id, cached counts and past runs go with
// it); when the old file is still there, this one is a duplicate. A book whose file the scan no
// longer finds is marked missing, and comes back when its file does.
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ImportReport, RejectedFile } from '../../src-shared/domain';
import { ShelfmapError } from '../../src-shared/errors';
import type { EmitEvent } from './events';
import { checkpoint } from './cancel';
import { scanFolder, duplicateOf, readBookSync } from './library';
import { readEbookIdOf } from './library/read-book';
import type { FilePath, ScanResult } from './library';
import { countSpans, IMPORT_TERMS_KEY, prepareFile, spansOf, type PreparedCounts, type PreparedFile, type PreparedSpans } from './import-work';
import { defaultWorkers, ImportPool, type PoolWorkerData } from './import-pool';
import type { StoredFileStamp, Store } from './store/store';

export interface ImportOptions {
  signal?: AbortSignal;
  emit: EmitEvent;
  maxBytes?: number;
  /**
   * Worker threads that read the files: default one per core, except for a handful of files
   * (fewer than POOL_MIN_FILES to read), which this thread reads rather than start threads;
   * 0 reads every file on this thread.
   */
  workers?: number;
  /** Tests only: a worker dies on the file with this name (see import-pool.ts), and each reader's heap limit. */
  crashOn?: PoolWorkerData['crashOn'];
  readerHeapMb?: number;
}

/** Fewer files to read than this are read on the engine's thread: starting the workers would take longer. */
export const POOL_MIN_FILES = 16;
/** Books committed per transaction, at most, and the longest a prepared book waits to be committed. */
export const BATCH_BOOKS = 64;
export const BATCH_MS = 250;


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


/** A file as the stat pass left it: unchanged (with its stamp) or to be read (with its size). */
type Plan = { unchanged: StoredFileStamp } | { read: number };

type Outcome = { unchanged: StoredFileStamp; ebookId?: number | null } | { prepared: PreparedFile; bytes: number };

function bytesOf(data: Uint8Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** Stats every file (a few at a time): those whose size and time are what the library holds are unchanged. */
async function planFiles(store: Store, files: readonly FilePath[], signal: AbortSignal | undefined): Promise<Plan[]> {
  const plans: Plan[] = new Array(files.length);
  const STATS_AT_ONCE = 64;
  for (let from = 0; from < files.length; from += STATS_AT_ONCE) {
    await checkpoint(signal);
    const chunk = files.slice(from, from + STATS_AT_ONCE);
    const stats = await Promise.all(chunk.map((f) => stat(f.fsPath).catch(() => null)));
    chunk.forEach((file, j) => {
      const known = store.fileStamp(file.path);
      const now = stats[j];
      if (known && now && now.size === known.bytes && now.mtimeMs === known.mtimeMs) plans[from + j] = { unchanged: known };
      else plans[from + j] = { read: now?.isFile() ? now.size : 0 };
    });
  }
  return plans;
}

export async function importFolder(store: Store, folder: string, options: ImportOptions): Promise<ImportReport> {
  const { signal, emit } = options;
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

  const plans = await planFiles(store, files, signal);
  const toRead = plans.filter((p) => 'read' in p).length;
  const bytesTotal = plans.reduce((sum, p) => sum + ('read' in p ? p.read : 0), 0);
  const workers = options.workers ?? (toRead >= POOL_MIN_FILES ? defaultWorkers() : 0);
  // books already in the library by their text: a file with one of these is not counted again
  const known = toRead > 0 ? store.allFingerprints() : [];
  const pool = workers > 0 && toRead > 0 ? new ImportPool({ maxBytes: options.maxBytes, known, crashOn: options.crashOn }, workers, options.readerHeapMb) : null;
  const knownSet = pool ? null : new Set(known);
  const prepare = (file: FilePath): Promise<PreparedFile> =>
    pool ? pool.prepare(file) : prepareFile(file, { maxBytes: options.maxBytes, known: knownSet! });

  const outcomeOf = async (index: number): Promise<Outcome> => {
    const plan = plans[index];
    const file = files[index];
    if ('unchanged' in plan) {
      // added before Gutenberg numbers were kept: the samples kept have no header, its file has
      if (plan.unchanged.ebookRead) return { unchanged: plan.unchanged };
      return { unchanged: plan.unchanged, ebookId: await readEbookIdOf(file.fsPath, options.maxBytes) };
    }
    return { prepared: await prepare(file), bytes: plan.read };
  };

  /** What one file's outcome does to the library (in a batch transaction): the importer's rules. */
  const apply = (file: FilePath, outcome: Outcome): void => {
    if ('unchanged' in outcome) {
      const { unchanged: stamp, ebookId } = outcome;
      if (stamp.missing) store.markPresent(stamp.id);
      if (ebookId !== undefined) store.setEbookId(stamp.id, ebookId);
      report.unchanged++;
      return;
    }
    const result = outcome.prepared;
    if (!result.ok) {
      reject(result.rejected);
      return;
    }
    const { path } = file;
    const book = result.book;
    const known = store.fileStamp(path);
    const stamp = { path, fsPath: file.fsPath, sha256: book.sha256, bytes: book.bytes, mtimeMs: book.mtimeMs, encoding: book.encoding };
    if (known && known.fingerprint === book.fingerprint) {
      // touched, re-encoded or given other line ends, but the same text: keep the cached counts;
      // where the samples lie is this file's (trailing spaces or composed letters may move them)
      store.touchBook(known.id, { ...stamp, ebookId: book.ebookId });
      store.setSpans(known.id, result.spans);
      report.unchanged++;
      return;
    }
    const twin = store.bookWithFingerprint(book.fingerprint, known?.id);
    if (twin && existsSync(twin.fsPath)) {
      reject(duplicateOf(path, twin.path));
      return;
    }
    if (twin) {
      store.moveBook(twin.id, stamp, known?.id);
      store.setEbookId(twin.id, book.ebookId);
      store.setSpans(twin.id, result.spans);
      report.moved++;
      return;
    }
    const again = result.counts ? { spans: result.spans, counts: result.counts } : countAgain(file, book.fingerprint);
    if (!again) {
      reject({ path, reason: 'vanished', message: `${basename(path)} changed while it was being added: add its folder again.` });
      return;
    }
    const id = store.upsertBook({ ...book, fsPath: file.fsPath, spans: again.spans });
    store.saveTerms(id, IMPORT_TERMS_KEY, again.counts.tokens, bytesOf(again.counts.terms));
    if (known) report.updated++;
    else report.added++;
  };

  // Files are prepared up to AHEAD ahead of the one committed next, and committed in file
  // order, so book ids (and every run over them) do not depend on which worker was quicker.
  const AHEAD = Math.max(8, 4 * Math.max(1, workers));
  const pending = new Map<number, Promise<Outcome>>();
  let started = 0;
  const fill = (committed: number) => {
    while (started < files.length && started < committed + AHEAD) {
      pending.set(started, outcomeOf(started));
      started++;
    }
  };
  let batch: (() => void)[] = [];
  let batchSince = performance.now();
  const flush = () => {
    if (batch.length === 0) return;
    const work = batch;
    batch = [];
    store.batch(() => work.forEach((step) => step()));
    batchSince = performance.now();
  };
  const readStart = performance.now();
  let bytesDone = 0;
  // one event per file, as before (a cancel on a given file's event stops right after it)
  const progress = (done: number, message: string) => {
    const now = performance.now();
    const seconds = (now - readStart) / 1000;
    const bytesPerSecond = seconds > 0.5 && bytesDone > 0 ? bytesDone / seconds : undefined;
    const secondsLeft = bytesPerSecond ? Math.max(0, (bytesTotal - bytesDone) / bytesPerSecond) : undefined;
    emit('progress', {
      runId: null,
      stage: 'read',
      done,
      total: files.length,
      message,
      bytesDone,
      bytesTotal,
      ...(bytesPerSecond !== undefined ? { bytesPerSecond, secondsLeft } : {}),
    });
  };
  try {
    for (let index = 0; index < files.length; index++) {
      await checkpoint(signal);
      fill(index);
      progress(index, basename(files[index].path));
      const outcome = await pending.get(index)!;
      pending.delete(index);
      if ('bytes' in outcome) bytesDone += outcome.bytes;
      const file = files[index];
      batch.push(() => apply(file, outcome));
      if (batch.length >= BATCH_BOOKS || performance.now() - batchSince >= BATCH_MS) flush();
    }
  } finally {
    // files still being prepared are let go (a failure there has no one left to tell)
    for (const left of pending.values()) left.catch(() => undefined);
    // what was prepared before a cancel or an error is committed: nothing read is lost
    try {
      flush();
    } finally {
      await pool?.close();
    }
  }

  // The whole folder was seen: what it no longer holds is missing, except under subfolders that
  // could not be read this time (their books may well be there).
  const found = new Set(files.map((f) => f.path));
  const unreadable = problems.filter((p) => p.reason === 'unreadable').map((p) => p.path);
  const met = new Set([...found, ...problems.map((p) => p.path)]);
  report.missing = store.finishScan(folder, { found, met, unreadable }) + (await settleVanishedFolders(store, folder));
  progress(files.length, 'Done');
  report.libraryBooks = store.countBooks();
  return report;
}

/**
 * The counts of a book whose text was in the library when the import began but whose twin has
 * left it since (replaced earlier in the same import): read once more here, or null when the
 * file no longer holds that text.
 */
function countAgain(file: FilePath, fingerprint: string): { spans: PreparedSpans; counts: PreparedCounts } | null {
  const again = readBookSync(file);
  if (!again.ok || again.book.fingerprint !== fingerprint) return null;
  const spans = spansOf(again.book.body);
  return { spans, counts: countSpans(again.book.body, spans.spans) };
}
