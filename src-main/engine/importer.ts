// Adding a folder to the library: scan, read what is new or changed, tokenise once, and keep
// a reason for every file left out. Each book is committed on its own, so a cancel or a crash
// keeps what was read, and adding the same folder again resumes where it stopped.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ImportReport, RejectedFile } from '../../src-shared/domain';
import { DEFAULT_SETTINGS } from '../../src-shared/settings';
import type { EmitEvent } from './events';
import { checkpoint } from './cancel';
import { scanFolder, readBook } from './library';
import { documentKey, encodeBookTerms } from './features/sample';
import type { Store } from './store/store';

export interface ImportOptions {
  signal?: AbortSignal;
  emit: EmitEvent;
  maxBytes?: number;
}

export async function importFolder(store: Store, folder: string, options: ImportOptions): Promise<ImportReport> {
  const { signal, emit } = options;
  // counted once here with the default feature settings, so a default run reads no book again
  const features = DEFAULT_SETTINGS.features;
  const key = documentKey(features);
  emit('progress', { runId: null, stage: 'scan', done: 0, total: 0, message: `Looking for .txt files in ${folder}` });
  const { files, problems } = await scanFolder(folder, { signal });
  emit('progress', { runId: null, stage: 'scan', done: files.length, total: files.length, message: `${files.length} .txt files found` });

  const report: ImportReport = { folder, found: files.length, added: 0, unchanged: 0, updated: 0, rejected: [], libraryBooks: 0 };
  const reject = (file: RejectedFile) => {
    store.saveRejected(file);
    report.rejected.push(file);
    emit('rejected', file);
  };
  problems.forEach(reject);

  for (const [index, path] of files.entries()) {
    await checkpoint(signal);
    emit('progress', { runId: null, stage: 'read', done: index, total: files.length, message: basename(path) });
    const known = store.fileStamp(path);
    if (known) {
      const stats = await stat(path).catch(() => null);
      if (stats && stats.size === known.bytes && stats.mtimeMs === known.mtimeMs) {
        report.unchanged++;
        continue;
      }
    }
    const result = await readBook(path, { maxBytes: options.maxBytes });
    if (!result.ok) {
      reject(result.rejected);
      continue;
    }
    const book = result.book;
    if (known && known.sha256 === book.sha256) {
      // touched but not changed: keep the cached counts
      store.touchBook(known.id, book.mtimeMs);
      report.unchanged++;
      continue;
    }
    const twin = store.bookWithHash(book.sha256);
    if (twin && twin.path !== path) {
      reject({
        path,
        reason: 'duplicate',
        message: `${basename(path)} has the same text as ${twin.path}, already in the library; it was left out.`,
      });
      continue;
    }
    const { tokens, blob } = encodeBookTerms(book.body, features);
    const id = store.upsertBook(book);
    store.saveTerms(id, key, tokens, blob);
    if (known) report.updated++;
    else report.added++;
  }
  emit('progress', { runId: null, stage: 'read', done: files.length, total: files.length, message: 'Done' });
  report.libraryBooks = store.countBooks();
  return report;
}
