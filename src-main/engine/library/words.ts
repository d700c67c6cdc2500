// One pass over a book's body for the two kinds of word the importer counts: words as readBook
// counts them (runs of letters and digits with inner apostrophes, the WORD regex in
// read-book.ts) and the start of every whitespace-separated word, where samples are cut
// (features/sample.ts wordStarts). A table lookup per code unit instead of a Unicode regex and
// a second scan: the two were 41% of adding a book (issue 10's profile). The loop runs in
// WebAssembly (word-scan.wat) where it can; scanWordsInJs is its reference and fallback.
import { isSpace } from '../features/sample';
import { endianness } from 'node:os';
import type { FingerprintHints } from './fingerprint';
import { createWasmWordScanner, type WasmWordScanner } from './word-scan';

const LETTER = 1;
const NUMBER = 2;
const LETTER_OR_NUMBER = LETTER | NUMBER;
/** features/sample.ts isSpace: where sample words split. */
const SPACE = 4;
/** Outside fingerprint.ts's NFC-safe code units (tabs, line ends, U+0020-U+02FF, U+2010-U+2027): the text may not be NFC. */
const NOT_NFC_SAFE = 8;
/** A letter or digit that is NFC-safe: runs of these are skipped in the tight loop. */
const RUN_LETTER_OR_NUMBER = 16;
/** A letter that is NFC-safe. */
const RUN_LETTER = 32;
const APOSTROPHE = 0x27;
const RIGHT_SINGLE_QUOTE = 0x2019;

let bmp: Uint8Array | null = null;
const astral = new Map<number, number>();

function classOf(char: string): number {
  return (/\p{L}/u.test(char) ? LETTER : 0) | (/\p{N}/u.test(char) ? NUMBER : 0);
}

function nfcSafe(code: number): boolean {
  return code === 9 || code === 10 || code === 13 || (code >= 0x20 && code <= 0x2ff) || (code >= 0x2010 && code <= 0x2027);
}

/**
 * \p{L} / \p{N} / sample space of every code unit of the Basic Multilingual Plane (surrogates
 * are none of them), whether it is NFC-safe, and the two run classes made of those.
 */
function bmpTable(): Uint8Array {
  if (bmp) return bmp;
  const table = new Uint8Array(0x10000);
  for (let code = 0; code < 0x10000; code++) {
    if (code >= 0xd800 && code <= 0xdfff) {
      table[code] = NOT_NFC_SAFE;
      continue;
    }
    const kind = classOf(String.fromCharCode(code)) | (isSpace(code) ? SPACE : 0);
    const safe = nfcSafe(code);
    table[code] =
      kind | (safe ? 0 : NOT_NFC_SAFE) | (safe && kind & LETTER_OR_NUMBER ? RUN_LETTER_OR_NUMBER : 0) | (safe && kind & LETTER ? RUN_LETTER : 0);
  }
  bmp = table;
  return table;
}

function astralClass(codePoint: number): number {
  let kind = astral.get(codePoint);
  if (kind === undefined) {
    kind = classOf(String.fromCodePoint(codePoint));
    astral.set(codePoint, kind);
  }
  return kind;
}

export interface WordScan {
  /** Words as countWords counts them. */
  words: number;
  /** Start offset of every whitespace-separated word (as features/sample.ts wordStarts gives). */
  starts: Int32Array;
  /** What fingerprint.ts normaliseForFingerprint would look for (found in the same pass). */
  hints: FingerprintHints;
}


const BIG_ENDIAN = endianness() === 'BE';

/**
 * The UTF-16 code units of `text` as an array: one native copy, and then a quarter less time
 * over a book than reading them one charCodeAt at a time (measured on 200 generated books).
 */
function codeUnits(text: string): Uint16Array {
  const bytes = Buffer.from(text, 'utf16le');
  if (BIG_ENDIAN) bytes.swap16();
  if (bytes.byteOffset % 2 !== 0) return new Uint16Array(new Uint8Array(bytes).buffer);
  return new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1);
}

/** The class of the code point starting at `i` when it is a surrogate pair (its high half at i), else 0. */
function pairClass(text: Uint16Array, i: number, code: number): number {
  if (code > 0xdbff || i + 1 >= text.length) return 0;
  const low = text[i + 1];
  if (low < 0xdc00 || low > 0xdfff) return 0;
  return astralClass(((code - 0xd800) << 10) + (low - 0xdc00) + 0x10000);
}

/** This thread's wasm scanner: undefined until first asked for, null where wasm is unavailable. */
let wasmScanner: WasmWordScanner | null | undefined;

/**
 * Both word counts of `text` in one pass (equal to countWords(text) and wordStarts(text)), and
 * its fingerprint hints: word-scan.wat's loop where WebAssembly runs, else scanWordsInJs.
 */
export function scanWords(source: string): WordScan {
  return scanWordsInWasm(source) ?? scanWordsInJs(source);
}

/** scanWords by word-scan.wat; null where WebAssembly is unavailable (or its memory cannot hold the text). */
export function scanWordsInWasm(source: string): WordScan | null {
  if (wasmScanner === undefined) wasmScanner = createWasmWordScanner(bmpTable(), astralClass, BIG_ENDIAN);
  const scan = wasmScanner === null ? null : wasmScanner(source);
  if (scan === null) return null;
  const { words, starts, notNfcSafeSeen, spacedLineEnds } = scan;
  return { words, starts, hints: { spacedLineEnds, maybeNotNfc: notNfcSafeSeen } };
}

/** scanWords in JavaScript: the reference the wasm scan is tested against, and its fallback. */
export function scanWordsInJs(source: string): WordScan {
  const table = bmpTable();
  const text = codeUnits(source);
  const length = text.length;
  let starts = new Int32Array(Math.max(1024, length >> 3));
  let count = 0;
  let inSpaceWord = false;
  let words = 0;
  // 0: between words; 1: in a word's first run of letters and digits; 2: in letters after an apostrophe
  let state = 0;
  let notSafe = 0;
  let spacedLineEnds = false;
  let i = 0;
  while (i < length) {
    const code = text[i];
    // one lookup for both: the class of a code unit outside the surrogates, and whether it is a space
    const unit = table[code];
    notSafe |= unit;
    if ((unit & SPACE) !== 0) {
      if (code === 10 && i > 0 && (text[i - 1] === 32 || text[i - 1] === 9)) spacedLineEnds = true;
      // a space ends both kinds of word
      inSpaceWord = false;
      state = 0;
      i++;
      continue;
    }
    // whitespace-separated words, where samples are cut
    if (!inSpaceWord) {
      if (count === starts.length) {
        const grown = new Int32Array(starts.length * 2);
        grown.set(starts);
        starts = grown;
      }
      starts[count++] = i;
      inSpaceWord = true;
    }
    // the class of the code point here, and its width in code units
    let kind: number;
    let width = 1;
    if (code < 0xd800 || code > 0xdfff) kind = unit;
    else {
      kind = pairClass(text, i, code);
      if (kind !== 0 || (code <= 0xdbff && i + 1 < length && text[i + 1] >= 0xdc00 && text[i + 1] <= 0xdfff)) width = 2;
    }
    if (state === 0) {
      if (kind & LETTER_OR_NUMBER) {
        words++;
        state = 1;
      }
    } else if (state === 1 ? (kind & LETTER_OR_NUMBER) === 0 : (kind & LETTER) === 0) {
      if ((code === APOSTROPHE || code === RIGHT_SINGLE_QUOTE) && i + 1 < length) {
        // an inner apostrophe joins the word when a letter follows it
        const next = text[i + 1];
        const after = next < 0xd800 || next > 0xdfff ? table[next] : pairClass(text, i + 1, next);
        state = after & LETTER ? 2 : 0;
      } else if (state === 2 && kind & NUMBER) {
        // a digit right after the letters of "rock'n" begins a new word, as the regex's next match does
        words++;
        state = 1;
      } else state = 0;
    }
    i += width;
    // most of a book is runs of letters inside words, which change nothing above (letters and
    // digits are never spaces, surrogates are neither): NFC-safe ones are skipped in a tight loop
    if (state === 1) while (i < length && (table[text[i]] & RUN_LETTER_OR_NUMBER) !== 0) i++;
    else if (state === 2) while (i < length && (table[text[i]] & RUN_LETTER) !== 0) i++;
  }
  return { words, starts: starts.slice(0, count), hints: { spacedLineEnds, maybeNotNfc: (notSafe & NOT_NFC_SAFE) !== 0 } };
}
