// Turns a book's text into term counts. Runs once per book at import over megabytes of text,
// so the scanner works on char codes and looks each word up in its own hash table keyed by the
// characters in place: a word is only sliced out of the text the first time a book uses it.
import porterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import { words as englishStopWords } from 'natural/lib/natural/util/stopwords.js';

export interface TokenizeOptions {
  /** Drop natural's English stop words (checked before stemming). */
  stopWords: boolean;
  /** Porter-stem each kept word. */
  stem: boolean;
  /** Words (lowercase, possessive 's cut, before stemming) to leave out, such as a book's names (features/names.ts). */
  drop?: ReadonlySet<string>;
  /** Shortest word kept (default 2); the function-word view reads "a" and "i" too. */
  minLength?: number;
}

/** Term -> number of occurrences in one document. */
export type TermCounts = Map<string, number>;

export interface CountResult {
  counts: TermCounts;
  /** Words found in the text before short words and stop words were dropped. */
  tokens: number;
}

/** Bump when tokenising changes, so counts cached under the old rules are not reused. */
const TOKENIZER_VERSION = 1;

/** A short stable key naming the tokenizer and its settings, for caching counts. */
export function tokenizerKey(opts: TokenizeOptions): string {
  return `v${TOKENIZER_VERSION}:${opts.stopWords ? 'stop' : 'nostop'}:${opts.stem ? 'stem' : 'nostem'}`;
}

const STOP_WORDS: ReadonlySet<string> = new Set(englishStopWords);
const MIN_WORD_LENGTH = 2;

const NOT_LETTER = 0;
const LETTER = 1;
/** A combining mark: continues a word but cannot start one. */
const MARK = 2;
/** A high surrogate: the pair may encode a letter outside the Basic Multilingual Plane. */
const HIGH_SURROGATE = 3;

const APOSTROPHE = 0x27;
const RIGHT_SINGLE_QUOTE = 0x2019;

/** Class of every UTF-16 code unit, built once from the Unicode properties (~15 ms). */
const CHAR_CLASS: Uint8Array = (() => {
  const table = new Uint8Array(0x10000);
  const letter = /\p{L}/u;
  const mark = /\p{M}/u;
  for (let code = 0; code < 0x10000; code++) {
    if (code >= 0xd800 && code <= 0xdbff) {
      table[code] = HIGH_SURROGATE;
    } else if (code < 0xdc00 || code > 0xdfff) {
      const char = String.fromCharCode(code);
      if (letter.test(char)) table[code] = LETTER;
      else if (mark.test(char)) table[code] = MARK;
    }
  }
  return table;
})();

const ASTRAL_LETTER = /^\p{L}$/u;

function isAstralLetterAt(text: string, index: number): boolean {
  const codePoint = text.codePointAt(index);
  return codePoint !== undefined && codePoint > 0xffff && ASTRAL_LETTER.test(String.fromCodePoint(codePoint));
}

/** Whether a word may start at `index`. */
function startsWord(text: string, index: number): boolean {
  const kind = CHAR_CLASS[text.charCodeAt(index)];
  return kind === LETTER || (kind === HIGH_SURROGATE && isAstralLetterAt(text, index));
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

// Stemming dominates the first pass over a corpus; distinct words are few (~120k for 197 books),
// so every word is stemmed once per process. The cap only guards against pathological input.
const stemCache = new Map<string, string>();
const STEM_CACHE_LIMIT = 1_000_000;

export function stemWord(word: string): string {
  let stemmed = stemCache.get(word);
  if (stemmed === undefined) {
    stemmed = porterStemmer.stem(word);
    if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
    stemCache.set(word, stemmed);
  }
  return stemmed;
}

/**
 * The term a word (as sliced from the lowercased text) counts as, or null when it is dropped:
 * curly apostrophes straightened, decomposed accents composed, possessive 's cut, then the
 * length and stop-word checks, then the stemmer.
 */
function termFor(word: string, opts: TokenizeOptions): string | null {
  let term = word;
  // Words hold only letters, marks and apostrophes, so anything but a-z and ' is non-ASCII.
  if (/[^a-z']/.test(term)) term = term.replaceAll('\u2019', "'").normalize('NFC');
  if (term.endsWith("'s")) term = term.slice(0, -2);
  if (term.length < (opts.minLength ?? MIN_WORD_LENGTH)) return null;
  if (opts.drop?.has(term)) return null;
  if (opts.stopWords && STOP_WORDS.has(term)) return null;
  return opts.stem ? stemWord(term) : term;
}

function grow(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(array.length * 2);
  grown.set(array);
  return grown;
}

/**
 * Counts the terms of `text`: lowercase words made of Unicode letters (combining marks and
 * apostrophes between letters kept, so "don't" and "café" are one word each), possessive 's
 * removed, words shorter than 2 characters dropped, stop words dropped, then stemmed.
 * Digits, underscores and all other punctuation separate words.
 */
export function countTerms(text: string, opts: TokenizeOptions): CountResult {
  const lower = text.toLowerCase();
  const length = lower.length;

  // Open-addressing table of the distinct words in this text: slot -> word number.
  let tableSize = 1 << 14;
  let tableMask = tableSize - 1;
  let table = new Int32Array(tableSize).fill(-1);
  // Per distinct word: its hash, where its characters sit in `lower`, how often it occurs and
  // the term it counts as (null when dropped).
  let hashes = new Int32Array(1024);
  let starts = new Int32Array(1024);
  let lengths = new Int32Array(1024);
  let occurrences = new Int32Array(1024);
  const terms: (string | null)[] = [];

  let tokens = 0;
  let i = 0;
  while (i < length) {
    if (!startsWord(lower, i)) {
      i++;
      continue;
    }
    const start = i;
    let hash = FNV_OFFSET;
    for (;;) {
      let code = 0;
      let kind = NOT_LETTER;
      while (i < length) {
        code = lower.charCodeAt(i);
        kind = CHAR_CLASS[code];
        if (kind !== LETTER && kind !== MARK) break;
        hash = Math.imul(hash ^ code, FNV_PRIME);
        i++;
      }
      if (i >= length) break;
      if (kind === HIGH_SURROGATE && isAstralLetterAt(lower, i)) {
        hash = Math.imul(Math.imul(hash ^ code, FNV_PRIME) ^ lower.charCodeAt(i + 1), FNV_PRIME);
        i += 2;
        continue;
      }
      if ((code === APOSTROPHE || code === RIGHT_SINGLE_QUOTE) && i + 1 < length && startsWord(lower, i + 1)) {
        hash = Math.imul(hash ^ APOSTROPHE, FNV_PRIME);
        i++;
        continue;
      }
      break;
    }
    tokens++;

    const wordLength = i - start;
    let slot = hash & tableMask;
    let word = table[slot];
    while (word !== -1) {
      if (hashes[word] === hash && lengths[word] === wordLength) {
        const wordStart = starts[word];
        let k = 0;
        while (k < wordLength && lower.charCodeAt(wordStart + k) === lower.charCodeAt(start + k)) k++;
        if (k === wordLength) break;
      }
      slot = (slot + 1) & tableMask;
      word = table[slot];
    }

    if (word === -1) {
      word = terms.length;
      if (word === hashes.length) {
        hashes = grow(hashes);
        starts = grow(starts);
        lengths = grow(lengths);
        occurrences = grow(occurrences);
      }
      hashes[word] = hash;
      starts[word] = start;
      lengths[word] = wordLength;
      terms.push(termFor(lower.slice(start, i), opts));
      table[slot] = word;
      if (terms.length * 2 > tableSize) {
        tableSize *= 2;
        tableMask = tableSize - 1;
        table = new Int32Array(tableSize).fill(-1);
        for (let w = 0; w < terms.length; w++) {
          let s = hashes[w] & tableMask;
          while (table[s] !== -1) s = (s + 1) & tableMask;
          table[s] = w;
        }
      }
    }
    occurrences[word]++;
  }

  // Different words can share a term ("run", "running"; "don't", "don’t").
  const counts: TermCounts = new Map();
  for (let w = 0; w < terms.length; w++) {
    const term = terms[w];
    if (term !== null) counts.set(term, (counts.get(term) ?? 0) + occurrences[w]);
  }
  return { counts, tokens };
}

// Binary form of TermCounts for SQLite BLOBs:
//   byte 0       format version
//   varint       number of terms
//   varint       byte length of the term block
//   term block   UTF-8 terms joined by "\n" (terms never contain one), in the map's order
//   varints      each term's count, in the same order
// One split() decodes all terms at once. countTerms inserts terms in order of first use, so the
// same text always encodes to the same bytes.
const COUNTS_FORMAT = 1;

function varintLength(value: number): number {
  let bytes = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 0x80);
    bytes++;
  }
  return bytes;
}

function writeVarint(buf: Buffer, offset: number, value: number): number {
  while (value >= 0x80) {
    buf[offset++] = (value & 0x7f) | 0x80;
    value = Math.floor(value / 0x80);
  }
  buf[offset++] = value;
  return offset;
}

/** Reads one varint at `reader.offset` and moves it past; throws `truncated` at the end of `buf`. */
function readVarintAt(buf: Buffer, reader: { offset: number }, truncated: string): number {
  let value = 0;
  let scale = 1;
  for (;;) {
    if (reader.offset >= buf.length) throw new Error(truncated);
    const byte = buf[reader.offset++];
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return value;
    scale *= 0x80;
  }
}

export function encodeCounts(counts: TermCounts): Buffer {
  const terms = new Array<string>(counts.size);
  const values = new Array<number>(counts.size);
  let size = 0;
  let i = 0;
  for (const [term, count] of counts) {
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new RangeError(`Count of "${term}" must be a non-negative whole number, got ${count}.`);
    }
    terms[i] = term;
    values[i] = count;
    size += varintLength(count);
    i++;
  }
  const block = Buffer.from(terms.join('\n'), 'utf8');
  size += 1 + varintLength(terms.length) + varintLength(block.length) + block.length;
  const buf = Buffer.allocUnsafe(size);
  buf[0] = COUNTS_FORMAT;
  let offset = writeVarint(buf, 1, terms.length);
  offset = writeVarint(buf, offset, block.length);
  offset += block.copy(buf, offset);
  for (const count of values) offset = writeVarint(buf, offset, count);
  return buf;
}

export function decodeCounts(buf: Buffer): TermCounts {
  if (buf.length === 0 || buf[0] !== COUNTS_FORMAT) {
    throw new Error(`Term counts are not in format ${COUNTS_FORMAT} (first byte ${buf[0]}).`);
  }
  const reader = { offset: 1 };
  const readVarint = () => readVarintAt(buf, reader, 'Term counts are truncated.');
  const termCount = readVarint();
  const blockLength = readVarint();
  const offset = reader.offset;
  if (offset + blockLength > buf.length) throw new Error('Term counts are truncated.');
  const terms = termCount === 0 ? [] : buf.toString('utf8', offset, offset + blockLength).split('\n');
  if (terms.length !== termCount) throw new Error('Term counts are corrupt: term list does not match its length.');
  reader.offset = offset + blockLength;
  const counts: TermCounts = new Map();
  for (const term of terms) counts.set(term, readVarint());
  if (reader.offset !== buf.length) throw new Error('Term counts are corrupt: trailing bytes.');
  return counts;
}

// Several documents in one BLOB (a book read as sample rows): byte 0 the list format, a varint
// count, then per document a varint byte length and its encodeCounts bytes.
const COUNTS_LIST_FORMAT = 0x4c; // "L", never a COUNTS_FORMAT

export function encodeCountsList(documents: TermCounts[]): Buffer {
  const parts = documents.map(encodeCounts);
  const size = 1 + varintLength(parts.length) + parts.reduce((sum, p) => sum + varintLength(p.length) + p.length, 0);
  const buf = Buffer.allocUnsafe(size);
  buf[0] = COUNTS_LIST_FORMAT;
  let offset = writeVarint(buf, 1, parts.length);
  for (const part of parts) {
    offset = writeVarint(buf, offset, part.length);
    offset += part.copy(buf, offset);
  }
  return buf;
}

export function decodeCountsList(buf: Buffer): TermCounts[] {
  if (buf.length === 0 || buf[0] !== COUNTS_LIST_FORMAT) {
    throw new Error(`Term counts are not a list in format ${COUNTS_LIST_FORMAT} (first byte ${buf[0]}).`);
  }
  const reader = { offset: 1 };
  const readVarint = () => readVarintAt(buf, reader, 'Term count list is truncated.');
  const documents: TermCounts[] = [];
  const count = readVarint();
  for (let d = 0; d < count; d++) {
    const length = readVarint();
    if (reader.offset + length > buf.length) throw new Error('Term count list is truncated.');
    documents.push(decodeCounts(buf.subarray(reader.offset, reader.offset + length)));
    reader.offset += length;
  }
  if (reader.offset !== buf.length) throw new Error('Term count list is corrupt: trailing bytes.');
  return documents;
}
