// The work of adding one file, as the import's worker threads do it (import-pool.ts): read,
// decode, cut the Gutenberg header, fingerprint, count words, cut the samples and count their
// terms under the default settings, pack what the library keeps. Plain data out, no SQLite:
// the engine's thread is the one writer (importer.ts).
import type { RejectedFile } from '../../src-shared/domain';
import { DEFAULT_SETTINGS } from '../../src-shared/settings';
import { documentKey, encodeWindowTerms, sampleWindows } from './features/sample';
import { readScannedBook, type ParsedBook } from './library/read-book';
import type { FilePath } from './library/file-path';
import { packTerms, packWindows } from './store/packed';
import { samplesKey } from './book-text';

/** The settings a book is counted with at import: the defaults, so a default run reads no book again. */
export const IMPORT_FEATURES = DEFAULT_SETTINGS.features;
export const IMPORT_TERMS_KEY = documentKey(IMPORT_FEATURES);

export interface PreparedCounts {
  /** book_samples.plan of `windows`. */
  plan: string;
  /** The sample windows, packed (store/packed.ts). */
  windows: Uint8Array;
  /** Term counts under IMPORT_TERMS_KEY, packed, and the tokens they hold. */
  terms: Uint8Array;
  tokens: number;
}

export type PreparedFile =
  | { ok: true; book: Omit<ParsedBook, 'body'>; counts: PreparedCounts | null }
  | { ok: false; rejected: RejectedFile };

export interface PrepareOptions {
  maxBytes?: number;
  /**
   * Fingerprints already in the library: a file with one of these is the same book (touched,
   * moved or a duplicate), so its samples are not counted again. Absent: every book is counted.
   */
  known?: ReadonlySet<string>;
}

/** What adding `file` needs, or why it is left out. */
export async function prepareFile(file: FilePath, options: PrepareOptions = {}): Promise<PreparedFile> {
  const read = await readScannedBook(file, { maxBytes: options.maxBytes });
  if (!read.ok) return read;
  const { body, ...book } = read.book;
  if (options.known?.has(book.fingerprint)) return { ok: true, book, counts: null };
  return { ok: true, book, counts: countBody(body, read.wordStarts) };
}

/** The samples and term counts the library keeps of a body (`starts`: its word starts, when known). */
export function countBody(body: string, starts?: Int32Array): PreparedCounts {
  const plan = IMPORT_FEATURES.sampling;
  const windows = sampleWindows(body, plan, starts);
  const { tokens, blob } = encodeWindowTerms(windows, IMPORT_FEATURES);
  return { plan: samplesKey(plan), windows: packWindows(windows), terms: packTerms(blob), tokens };
}
