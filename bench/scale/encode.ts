// The bytes of a generated book in one of the encodings real Gutenberg folders hold (see
// src-main/engine/library/decode.ts for what Shelfmap reads): UTF-8 with LF or CRLF line ends,
// with or without a BOM; Latin-1 and Windows-1252 (characters they lack become the ASCII a
// typist would have used); UTF-16 with a BOM, either byte order.
import { decodeWindows1252 } from '../../src-main/engine/library/decode';
import type { DeclaredCharset } from './header';

export type ScaleEncoding = 'utf-8' | 'utf-8-crlf' | 'utf-8-bom' | 'iso-8859-1' | 'windows-1252' | 'utf-16le' | 'utf-16be';

/** Share of generated books in each encoding (the rest of 1 is plain UTF-8 with LF). */
export const ENCODING_SHARES: ReadonlyArray<[ScaleEncoding, number]> = [
  ['utf-8-crlf', 0.15],
  ['utf-8-bom', 0.03],
  ['iso-8859-1', 0.06],
  ['windows-1252', 0.05],
  ['utf-16le', 0.02],
  ['utf-16be', 0.01],
];

export function pickEncoding(random: () => number): ScaleEncoding {
  let r = random();
  for (const [encoding, share] of ENCODING_SHARES) {
    if (r < share) return encoding;
    r -= share;
  }
  return 'utf-8';
}

export function declaredCharset(encoding: ScaleEncoding): DeclaredCharset {
  if (encoding === 'iso-8859-1') return 'ISO-8859-1';
  if (encoding === 'windows-1252') return 'Windows-1252';
  if (encoding === 'utf-16le' || encoding === 'utf-16be') return 'UTF-16';
  return 'UTF-8';
}

// What a character outside a single-byte set becomes.
const ASCII_FALLBACK: Readonly<Record<string, string>> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u2013': '-',
  '\u2014': '--',
  '\u2026': '...',
  '\u2022': '*',
  '\u00a0': ' ',
  '\ufeff': '',
};

// Windows-1252's characters at 0x80-0x9F, from the app's own decoder (the five it leaves
// undefined decode to themselves and are not used).
const WINDOWS_1252_BYTES = new Map<string, number>();
for (let byte = 0x80; byte <= 0x9f; byte++) {
  const ch = decodeWindows1252(Uint8Array.of(byte));
  if (ch.charCodeAt(0) !== byte) WINDOWS_1252_BYTES.set(ch, byte);
}

function fitsLatin1(code: number): boolean {
  return code < 0x80 || (code >= 0xa0 && code <= 0xff);
}

/**
 * The text as it reads once written in `encoding`: for Latin-1 and Windows-1252, characters the
 * set lacks replaced (by ASCII_FALLBACK, else "?"). Line ends are still LF.
 */
export function representable(text: string, encoding: ScaleEncoding): string {
  if (encoding !== 'iso-8859-1' && encoding !== 'windows-1252') return text;
  // eslint-disable-next-line no-control-regex
  return text.replace(/[^\u0000-\u007f\u00a0-\u00ff]/gu, (ch) => {
    if (ch !== '\u00a0' && encoding === 'windows-1252' && WINDOWS_1252_BYTES.has(ch)) return ch;
    const fallback = ASCII_FALLBACK[ch];
    if (fallback !== undefined) return fallback;
    return [...ch].every((c) => fitsLatin1(c.charCodeAt(0))) ? ch : '?';
  });
}

/** The bytes of `text` (already `representable`, LF line ends) in `encoding`. */
export function encodeText(text: string, encoding: ScaleEncoding): Buffer {
  switch (encoding) {
    case 'utf-8':
      return Buffer.from(text, 'utf8');
    case 'utf-8-crlf':
      return Buffer.from(text.replace(/\n/g, '\r\n'), 'utf8');
    case 'utf-8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'iso-8859-1':
      return Buffer.from(text.replace(/\n/g, '\r\n'), 'latin1');
    case 'windows-1252': {
      const crlf = text.replace(/\n/g, '\r\n');
      const bytes = Buffer.from(crlf, 'latin1');
      // 'latin1' keeps only each code unit's low byte: put the 0x80-0x9F characters back
      // (representable text holds no character outside the BMP, so one code unit is one byte)
      // eslint-disable-next-line no-control-regex
      if (/[^\u0000-\u00ff]/.test(text)) {
        let i = 0;
        for (const ch of crlf) {
          const high = WINDOWS_1252_BYTES.get(ch);
          if (high !== undefined) bytes[i] = high;
          i++;
        }
      }
      return bytes;
    }
    case 'utf-16le':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf-16be':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
  }
}
