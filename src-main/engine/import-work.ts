// The work of adding one file, as the import's worker threads do it (import-pool.ts): read,
// decode, cut the Gutenberg header, fingerprint, count words, cut the samples and count their
// terms under the default settings, pack what the library keeps: the counts, and where the
// samples lie in the book's text (not the text: the file is on disk, book-text.ts reads the
// samples from it again). Plain data out, no SQLite: the engine's thread is the one writer
// (importer.ts).
import type { RejectedFile } from '../../src-shared/domain';
import { DEFAULT_SETTINGS } from '../../src-shared/settings';
import { documentKey, encodeWindowTerms, sampleSpans, windowsAt } from './features/sample';
import { readScannedBook, readScannedBookSync, type ParsedBook, type ScannedBookResult } from './library/read-book';
import { byteSpans } from './library/byte-spans';
import type { FilePath } from './library/file-path';
import { packTerms } from './store/packed';
import { samplesKey } from './book-text';

/** The settings a book is counted with at import: the defaults, so a default run reads no book again. */
export const IMPORT_FEATURES = DEFAULT_SETTINGS.features;
export const IMPORT_TERMS_KEY = documentKey(IMPORT_FEATURES);

/** Where a book's samples lie in its body (features/sample.ts sampleSpans), under the import's plan. */
export interface PreparedSpans {
  /** book_spans.plan ("10x1000"). */
  plan: string;
  spans: Int32Array;
  /** The same offsets in the file's bytes, where its text maps simply onto them (library/byte-spans.ts), else null. */
  bytes: Int32Array | null;
}

export interface PreparedCounts {
  /** Term counts under IMPORT_TERMS_KEY, packed, and the tokens they hold. */
  terms: Uint8Array;
  tokens: number;
}

export type PreparedFile =
  | { ok: true; book: Omit<ParsedBook, 'body'>; spans: PreparedSpans; counts: PreparedCounts | null }
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
  return prepareRead(await readScannedBook(file, { maxBytes: options.maxBytes }), options);
}

/** prepareFile without waiting: for the import's reader threads (import-worker.ts). */
export function prepareFileSync(file: FilePath, options: PrepareOptions = {}): PreparedFile {
  return prepareRead(readScannedBookSync(file, { maxBytes: options.maxBytes }), options);
}

function prepareRead(read: ScannedBookResult, options: PrepareOptions): PreparedFile {
  if (!read.ok) return read;
  const { body, ...book } = read.book;
  // a book already in the library (touched, moved, a duplicate) is not counted again, but where
  // its samples lie is noted: its new file's text may differ in what the fingerprint ignores
  const spans = spansOf(body, read.wordStarts);
  spans.bytes = byteSpans(read.raw.bytes, book.encoding, read.raw.text, read.raw.bodyOffset, spans.spans);
  if (options.known?.has(book.fingerprint)) return { ok: true, book, spans, counts: null };
  return { ok: true, book, spans, counts: countSpans(body, spans.spans) };
}

/** Where the import's samples lie in a body (`starts`: its word starts, when known). */
export function spansOf(body: string, starts?: Int32Array): PreparedSpans {
  const plan = IMPORT_FEATURES.sampling;
  return { plan: samplesKey(plan), spans: sampleSpans(body, plan, starts), bytes: null };
}

/** The term counts the library keeps of a body, from its samples at `spans`. */
export function countSpans(body: string, spans: Int32Array): PreparedCounts {
  const { tokens, blob } = encodeWindowTerms(windowsAt(body, spans), IMPORT_FEATURES);
  return { terms: packTerms(blob), tokens };
}
