// Turns a file's raw bytes into text. Gutenberg files are UTF-8 (or plain ASCII, which is valid
// UTF-8), but older ones are Latin-1 or Windows-1252 with a few stray 8-bit characters.
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

function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/** CRLF and lone CR become LF so that every later stage sees one kind of line break. */
export function normaliseLineEnds(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/**
 * UTF-8 when the bytes are valid UTF-8, otherwise Windows-1252. A leading BOM is dropped. A file
 * that starts with a UTF-8 BOM declares itself UTF-8, so a stray bad byte there becomes U+FFFD
 * rather than turning every accented letter in the book into mojibake.
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  let text: string;
  let encoding: TextEncodingName;
  try {
    text = strictUtf8.decode(bytes);
    encoding = 'utf-8';
  } catch {
    if (hasUtf8Bom(bytes)) {
      text = lenientUtf8.decode(bytes);
      encoding = 'utf-8';
    } else {
      text = decodeWindows1252(bytes);
      encoding = 'windows-1252';
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

/** True when the start of the file holds a NUL byte or too many other control bytes to be text. */
export function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, BINARY_SNIFF_BYTES);
  if (sample.length === 0) return false;
  let controls = 0;
  for (const byte of sample) {
    if (byte === 0) return true;
    if ((byte < 0x20 && !isTextControl(byte)) || byte === 0x7f) controls++;
  }
  return controls / sample.length > BINARY_CONTROL_SHARE;
}
