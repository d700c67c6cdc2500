// Turns a file's raw bytes into text. Gutenberg files are UTF-8 (or plain ASCII, which is valid
// UTF-8), but older ones are Latin-1 or Windows-1252 with a few stray 8-bit characters, and a
// book saved by Notepad as "Unicode" is UTF-16.
import { isAscii } from 'node:buffer';
import type { TextEncodingName } from '../../../src-shared/domain';

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

// Windows-1252 is Latin-1 (byte = code point) except at 0x80-0x9F, where it has curly quotes,
// dashes and the like instead of control codes; so it reads Latin-1 files correctly too. Node
// 20.20's TextDecoder('windows-1252') decodes those bytes as Latin-1 control codes (measured:
// 0x93 -> U+0093), so the 32 differences are mapped here. The five bytes Windows-1252 leaves
// undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) stay as their control codes, as the WHATWG spec says.
const WINDOWS_1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

export function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]);
}

// ISO-8859-15 (Latin-9) is Latin-1 with eight letters and signs swapped in for the euro.
const ISO_8859_15_CHANGES: Readonly<Record<number, string>> = {
  0xa4: '\u20ac',
  0xa6: '\u0160',
  0xa8: '\u0161',
  0xb4: '\u017d',
  0xb8: '\u017e',
  0xbc: '\u0152',
  0xbd: '\u0153',
  0xbe: '\u0178',
};

export function decodeIso885915(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\u00a4\u00a6\u00a8\u00b4\u00b8\u00bc-\u00be]/g, (c) => ISO_8859_15_CHANGES[c.charCodeAt(0)]);
}

function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

export type Utf16ByteOrder = 'utf-16le' | 'utf-16be';

/**
 * Share of UTF-16 code units whose high byte must be NUL for a file without a BOM to be taken
 * for UTF-16. English text has a NUL in nearly every unit; Cyrillic or Greek only in its spaces,
 * digits and punctuation (about a fifth). Text in a single-byte encoding or UTF-8 has no NUL at
 * all, and binary data with NULs has them on both sides, which the other test catches.
 */
export const UTF16_NUL_SHARE = 0.1;

/** UTF-16 by its byte order mark, or by NUL bytes on one side of most code units; null otherwise. */
export function utf16ByteOrder(bytes: Uint8Array): Utf16ByteOrder | null {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const units = Math.min(bytes.length, BINARY_SNIFF_BYTES) >> 1;
  if (units < 2) return null;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < units * 2; i += 2) {
    if (bytes[i] === 0) evenNuls++;
    if (bytes[i + 1] === 0) oddNuls++;
  }
  // the other side must be nearly free of NULs, or it is binary data full of zeros
  if (oddNuls >= units * UTF16_NUL_SHARE && evenNuls * 20 <= oddNuls) return 'utf-16le';
  if (evenNuls >= units * UTF16_NUL_SHARE && oddNuls * 20 <= evenNuls) return 'utf-16be';
  return null;
}

/** How far into a file decodeText looks for the Gutenberg header's "Character set encoding:" line. */
export const CHARSET_SNIFF_BYTES = 16384;

const CHARSET_LINE = /^[ \t]*Character set encoding:[ \t]*([^\r\n]*)/im;

/**
 * The single-byte encoding the Gutenberg header declares, or 'utf-8'; null when it declares
 * none, or one Shelfmap does not read (those fall back to Windows-1252 like undeclared files).
 * "ASCII" on a file that is not valid UTF-8 is wrong by definition, so it says nothing.
 */
export function declaredEncoding(bytes: Uint8Array): TextEncodingName | null {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, CHARSET_SNIFF_BYTES)).toString('latin1');
  const declared = CHARSET_LINE.exec(head)?.[1].trim().toLowerCase().replace(/[\s_]+/g, '-');
  if (!declared) return null;
  if (/^utf-?8/.test(declared)) return 'utf-8';
  if (/^(iso-?8859-15|iso-latin-9|latin-?9)\b/.test(declared)) return 'iso-8859-15';
  if (/^(iso-?8859-1|iso-latin-1|latin-?1)\b/.test(declared)) return 'iso-8859-1';
  if (/^(windows-?1252|cp-?1252)\b/.test(declared)) return 'windows-1252';
  return null;
}

/** CRLF and lone CR become LF so that every later stage sees one kind of line break. */
export function normaliseLineEnds(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

function decodeWith(bytes: Uint8Array, encoding: TextEncodingName): string {
  switch (encoding) {
    case 'utf-8':
      return lenientUtf8.decode(bytes);
    case 'utf-16le':
    case 'utf-16be':
      // drops the BOM; an odd last byte becomes U+FFFD
      return new TextDecoder(encoding).decode(bytes);
    case 'iso-8859-15':
      return decodeIso885915(bytes);
    case 'iso-8859-1':
    case 'windows-1252':
      // Files that say ISO-8859-1 use 0x80-0x9F for Windows-1252's quotes and dashes, as WHATWG
      // (and every browser) assumes: no real book holds C1 control codes.
      return decodeWindows1252(bytes);
  }
}

/**
 * In this order: a UTF-8 BOM (a stray bad byte after it becomes U+FFFD rather than turning every
 * accented letter into mojibake), UTF-16 by BOM or NUL pattern, valid UTF-8 (ASCII included),
 * the encoding the Gutenberg header declares, and Windows-1252, which reads Latin-1 too. A
 * leading BOM is dropped and line ends become LF.
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  let encoding: TextEncodingName;
  let text: string;
  const utf16 = hasUtf8Bom(bytes) ? null : utf16ByteOrder(bytes);
  if (utf16) {
    encoding = utf16;
    text = decodeWith(bytes, utf16);
  } else if (isAscii(bytes)) {
    // plain ASCII (valid UTF-8): read byte for character, several times quicker than the UTF-8 decoder
    encoding = 'utf-8';
    text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  } else {
    try {
      text = strictUtf8.decode(bytes);
      encoding = 'utf-8';
    } catch {
      encoding = hasUtf8Bom(bytes) ? 'utf-8' : (declaredEncoding(bytes) ?? 'windows-1252');
      text = decodeWith(bytes, encoding);
    }
  }
  return { text: normaliseLineEnds(text), encoding };
}

/** How much of a file looksBinary inspects. */
export const BINARY_SNIFF_BYTES = 8192;

/**
 * Share of control bytes (other than tab, line feed, vertical tab, form feed, carriage return
 * and escape) above which a file is taken for binary. Real books have none at all; random
 * binary data has about 11%.
 */
export const BINARY_CONTROL_SHARE = 0.05;

function isTextControl(byte: number): boolean {
  // \t \n \v \f \r and ESC (old files with printer codes) are text; SUB (0x1a) ends DOS files.
  return byte === 0x09 || byte === 0x0a || byte === 0x0b || byte === 0x0c || byte === 0x0d || byte === 0x1a || byte === 0x1b;
}

function isControlUnit(unit: number): boolean {
  return (unit < 0x20 && !isTextControl(unit)) || unit === 0x7f;
}

/**
 * True when the start of the file holds a NUL byte or too many other control bytes to be text.
 * UTF-16 text (see utf16ByteOrder) is judged by its code units instead, where NUL bytes belong.
 */
export function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, BINARY_SNIFF_BYTES);
  if (sample.length === 0) return false;
  const utf16 = utf16ByteOrder(sample);
  if (utf16) {
    const units = sample.length >> 1;
    let controls = 0;
    for (let i = 0; i < units * 2; i += 2) {
      const unit = utf16 === 'utf-16le' ? sample[i] | (sample[i + 1] << 8) : (sample[i] << 8) | sample[i + 1];
      if (unit === 0) return true;
      if (isControlUnit(unit)) controls++;
    }
    return controls / units > BINARY_CONTROL_SHARE;
  }
  let controls = 0;
  for (const byte of sample) {
    if (byte === 0) return true;
    if (isControlUnit(byte)) controls++;
  }
  return controls / sample.length > BINARY_CONTROL_SHARE;
}
