// Reads one file into a book, or says in plain words why it was left out.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { readFileSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { RejectReason, RejectedFile, TextEncodingName } from '../../../src-shared/domain';
import { decodeText, looksBinary } from './decode';
import { readEbookId, readMetadata, stripGutenberg, stripGutenbergAt } from './gutenberg';
import { bookFingerprint } from './fingerprint';
import type { FilePath } from './file-path';
import { scanWords } from './words';

export interface ParsedBook {
  /** Absolute path. */
  path: string;
  /** Size of the file in bytes. */
  bytes: number;
  mtimeMs: number;
  /** SHA-256 of the raw bytes, hex. */
  sha256: string;
  /** SHA-256 of the normalised body (see fingerprint.ts): the book's identity. */
  fingerprint: string;
  encoding: TextEncodingName;
  title: string;
  author: string;
  language: string;
  /** The Gutenberg eBook number from the header, or null where it gives none. */
  ebookId: number | null;
  /** The book without the Gutenberg header and licence, LF line ends. */
  body: string;
  /** Word count of the body (see countWords). */
  words: number;
}

export type ReadBookResult = { ok: true; book: ParsedBook } | { ok: false; rejected: RejectedFile };

export interface ReadBookOptions {
  /** Larger files are rejected as 'too-large' without being read. */
  maxBytes?: number;
  /** Bodies with fewer words are rejected as 'too-short'. */
  minWords?: number;
}

export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MIN_WORDS = 50;

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

// An HTML page saved as .txt: its tags, attributes and scripts would pass for words, so it is
// left out rather than guessed at. Judged on the start of the text, where a page declares itself.
const HTML_SNIFF_CHARS = 4096;
const HTML_START = /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html)[\s>]/i;
const HTML_TAGS = /<(?:head|body|meta|title|div|p|script|style)[\s>/]/gi;

/** True for text that is an HTML page: it opens with <!DOCTYPE html> or <html>, or is thick with tags from the start. */
export function looksLikeHtml(text: string): boolean {
  const start = text.slice(0, HTML_SNIFF_CHARS);
  if (HTML_START.test(start)) return true;
  return /<html[\s>]/i.test(start) && (start.match(HTML_TAGS)?.length ?? 0) >= 3;
}

/** Runs of letters and digits, with inner apostrophes kept ("don't" is one word). library/words.ts scanWords counts the same words faster; this is its definition. */
export function countWords(text: string): number {
  let count = 0;
  WORD.lastIndex = 0;
  while (WORD.exec(text) !== null) count++;
  return count;
}

/** "0 bytes", "812 bytes", "3.5 KiB", "64 MiB", "70.3 MiB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  const [value, unit] = bytes < 1024 ** 2 ? [bytes / 1024, 'KiB'] : bytes < 1024 ** 3 ? [bytes / 1024 ** 2, 'MiB'] : [bytes / 1024 ** 3, 'GiB'];
  return `${value.toFixed(1).replace(/\.0$/, '')} ${unit}`;
}

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
}

/** Why a stat or read failed, as a reject reason and a sentence about the file. */
function explainError(error: unknown, name: string): { reason: RejectReason; message: string } {
  switch (errorCode(error)) {
    case 'ENOENT':
    case 'ENOTDIR':
      return { reason: 'vanished', message: `${name} disappeared before it could be read.` };
    case 'EACCES':
    case 'EPERM':
      return { reason: 'unreadable', message: `${name} cannot be read: permission denied.` };
    case 'EISDIR':
      return { reason: 'unreadable', message: `${name} is a folder, not a file.` };
    default: {
      const detail = error instanceof Error ? error.message : String(error);
      return { reason: 'unreadable', message: `${name} cannot be read (${detail}).` };
    }
  }
}

/**
 * The Gutenberg eBook number in the header of the file at `fsPath` (null where it has none), or
 * undefined when the file cannot be read now. For books added before the number was kept, whose
 * stored bodies have no header left to read it from.
 */
export async function readEbookIdOf(fsPath: string | Buffer, maxBytes = DEFAULT_MAX_BYTES): Promise<number | null | undefined> {
  try {
    const bytes = await fs.readFile(fsPath);
    if (bytes.length === 0 || bytes.length > maxBytes || looksBinary(bytes)) return null;
    return readEbookId(stripGutenberg(decodeText(bytes).text).header);
  } catch {
    return undefined;
  }
}

/** A file's name and where to open it (a name that is not UTF-8 comes as bytes, with its display form). */
function fileNames(file: string | FilePath): { absolute: string; fsPath: string | Buffer; name: string } {
  const absolute = path.resolve(typeof file === 'string' ? file : file.path);
  return { absolute, fsPath: typeof file === 'string' ? absolute : file.fsPath, name: path.basename(absolute) };
}

function rejection(absolute: string, reason: RejectReason, message: string): ReadBookResult {
  return { ok: false, rejected: { path: absolute, reason, message } };
}

/** What the stat of a file already says against it (a folder, a pipe, too large), or null. */
function statProblem(stats: Stats, absolute: string, name: string, maxBytes: number): ReadBookResult | null {
  if (stats.isDirectory()) return rejection(absolute, 'unreadable', `${name} is a folder, not a file.`);
  if (!stats.isFile()) return rejection(absolute, 'unreadable', `${name} is not a regular file.`);
  if (stats.size > maxBytes) {
    return rejection(absolute, 'too-large', `${name} is ${formatBytes(stats.size)}, over the ${formatBytes(maxBytes)} limit.`);
  }
  return null;
}

/** A book read with the start of each of its body's whitespace-separated words (where samples are cut). */
export type ScannedBookResult =
  | {
      ok: true;
      book: ParsedBook;
      wordStarts: Int32Array;
      /** The file's bytes, its decoded text and where the body starts in it (library/byte-spans.ts). */
      raw: { bytes: Uint8Array; text: string; bodyOffset: number };
    }
  | { ok: false; rejected: RejectedFile };

/** The checks, decoding and cutting of readBook over bytes already read. */
function bookFromBytes(absolute: string, name: string, bytes: Uint8Array, mtimeMs: number, maxBytes: number, minWords: number): ScannedBookResult {
  const reject = (reason: RejectReason, message: string) => rejection(absolute, reason, message) as ScannedBookResult;
  // The file may have changed since the stat; judge what was actually read.
  if (bytes.length === 0) return reject('empty', `${name} is empty (0 bytes).`);
  if (bytes.length > maxBytes) {
    return reject('too-large', `${name} is ${formatBytes(bytes.length)}, over the ${formatBytes(maxBytes)} limit.`);
  }
  if (looksBinary(bytes)) return reject('binary', `${name} looks like a binary file, not text.`);

  const { text, encoding } = decodeText(bytes);
  if (looksLikeHtml(text)) {
    return reject('html', `${name} is an HTML page saved as .txt: its markup would be read as words, so it was left out. Save the page as plain text to add it.`);
  }
  const { header, body, hadMarkers, bodyOffset } = stripGutenbergAt(text);
  // one pass for both the word count and where samples are cut (library/words.ts)
  const { words, starts, hints } = scanWords(body);
  if (words < minWords) {
    const where = hadMarkers ? ' between the Project Gutenberg header and licence' : '';
    return reject(
      'too-short',
      `${name} has only ${words} word${words === 1 ? '' : 's'} of text${where}; a book needs at least ${minWords}.`,
    );
  }
  const { title, author, language, ebookId } = readMetadata(header, name);
  return {
    ok: true,
    wordStarts: starts,
    raw: { bytes, text, bodyOffset },
    book: {
      path: absolute,
      bytes: bytes.length,
      mtimeMs,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      fingerprint: bookFingerprint(body, hints),
      encoding,
      title,
      author,
      language,
      ebookId,
      body,
      words,
    },
  };
}

/**
 * readBook, with the start of every whitespace-separated word of the body as well (the word
 * scan that counts the words finds them too): what the importer cuts samples with.
 */
export async function readScannedBook(file: string | FilePath, opts: ReadBookOptions = {}): Promise<ScannedBookResult> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const { absolute, fsPath, name } = fileNames(file);
  // Stat before opening: opening a named pipe would block until someone writes to it.
  let stats: Stats;
  try {
    stats = await fs.stat(fsPath);
  } catch (error) {
    const { reason, message } = explainError(error, name);
    return rejection(absolute, reason, message) as ScannedBookResult;
  }
  const problem = statProblem(stats, absolute, name, maxBytes);
  if (problem) return problem as ScannedBookResult;
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(fsPath);
  } catch (error) {
    const { reason, message } = explainError(error, name);
    return rejection(absolute, reason, message) as ScannedBookResult;
  }
  return bookFromBytes(absolute, name, bytes, stats.mtimeMs, maxBytes, opts.minWords ?? DEFAULT_MIN_WORDS);
}

function withoutStarts(result: ScannedBookResult): ReadBookResult {
  return result.ok ? { ok: true, book: result.book } : result;
}

/**
 * Reads, checks and decodes one file, cuts the Gutenberg header and licence and reads the title,
 * author and language. Never throws for a bad file: the result says why it was rejected.
 */
export async function readBook(file: string | FilePath, opts: ReadBookOptions = {}): Promise<ReadBookResult> {
  return withoutStarts(await readScannedBook(file, opts));
}

/**
 * The bytes of the file at `fsPath` when its size and modification time are still `bytes` and
 * `mtimeMs` (what the library noted when it read it: the same test by which adding a folder
 * again leaves a file unread), else null. For reading samples again where the library noted
 * where they lie (book-text.ts).
 */
export function readIfUnchanged(fsPath: string | Buffer, bytes: number, mtimeMs: number): Buffer | null {
  try {
    const stats = statSync(fsPath);
    if (!stats.isFile() || stats.size !== bytes || stats.mtimeMs !== mtimeMs) return null;
    const read = readFileSync(fsPath);
    return read.length === bytes ? read : null;
  } catch {
    return null;
  }
}

/** The body of bytes read by readIfUnchanged: decoded and cut, not checked or counted. */
export function bodyOfBytes(bytes: Uint8Array): string {
  return stripGutenberg(decodeText(bytes).text).body;
}

/**
 * readScannedBook without waiting: for the import's reader threads, which do nothing else
 * meanwhile (an awaited read left each of them idle a tenth of the time, handing the file
 * to libuv's pool and back).
 */
export function readScannedBookSync(file: string | FilePath, opts: ReadBookOptions = {}): ScannedBookResult {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const { absolute, fsPath, name } = fileNames(file);
  let stats: Stats;
  let bytes: Uint8Array;
  try {
    // stat before opening: opening a named pipe would block until someone writes to it
    stats = statSync(fsPath);
    const problem = statProblem(stats, absolute, name, maxBytes);
    if (problem) return problem as ScannedBookResult;
    bytes = readFileSync(fsPath);
  } catch (error) {
    const { reason, message } = explainError(error, name);
    return rejection(absolute, reason, message) as ScannedBookResult;
  }
  return bookFromBytes(absolute, name, bytes, stats.mtimeMs, maxBytes, opts.minWords ?? DEFAULT_MIN_WORDS);
}

/** readBook without waiting: for the engine's thread when one book is read again (its details, a recount). */
export function readBookSync(file: string | FilePath, opts: ReadBookOptions = {}): ReadBookResult {
  return withoutStarts(readScannedBookSync(file, opts));
}
