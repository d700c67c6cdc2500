// Where a book's samples lie in its file's bytes, so that reading them again (cluster naming, a
// recount under other settings: book-text.ts) reads and decodes only those bytes, not the whole
// file, decoded and cut, again (8.7 ms a book measured under load, against well under one).
// Only for files whose text maps simply onto their bytes: valid UTF-8 (ASCII included), with an
// optional BOM, and line ends that are all LF or all CRLF. Others are read whole as before.
import { isUtf8 } from 'node:buffer';
import type { TextEncodingName } from '../../../src-shared/domain';

const decoder = new TextDecoder('utf-8');

/** Whether every line end of `bytes` is CRLF (true), every one LF (false), or they are mixed or hold a lone CR (null). */
function lineEnds(bytes: Uint8Array): boolean | null {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.indexOf(13) < 0) return false;
  for (let i = buffer.indexOf(10); i >= 0; i = buffer.indexOf(10, i + 1)) if (i === 0 || buffer[i - 1] !== 13) return null;
  for (let i = buffer.indexOf(13); i >= 0; i = buffer.indexOf(13, i + 1)) if (buffer[i + 1] !== 10) return null;
  return true;
}

function newlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/**
 * The byte offsets in the file of each offset in `spans` (offsets in the body, which starts at
 * `bodyOffset` of the file's decoded text `text`), or null when the file's text does not map
 * simply onto its bytes (see the top of this file). `spans` must not decrease.
 */
export function byteSpans(bytes: Uint8Array, encoding: TextEncodingName, text: string, bodyOffset: number, spans: Int32Array): Int32Array | null {
  if (encoding !== 'utf-8' || !isUtf8(bytes)) return null;
  const crlf = lineEnds(bytes);
  if (crlf === null) return null;
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const out = new Int32Array(spans.length);
  let at = 0;
  let raw = bom;
  for (let k = 0; k < spans.length; k++) {
    const to = bodyOffset + spans[k];
    if (to < at) return null;
    const part = text.slice(at, to);
    raw += Buffer.byteLength(part, 'utf8') + (crlf ? newlines(part) : 0);
    out[k] = raw;
    at = to;
  }
  return out;
}

/**
 * The windows at `byteSpans` of the file's bytes, line ends made LF; null when one does not come
 * out as long as `spans` says it was (the file is not what it was).
 */
export function windowsFromBytes(bytes: Uint8Array, byteSpans: Int32Array, spans: Int32Array): string[] | null {
  if (byteSpans.length !== spans.length) return null;
  const windows: string[] = [];
  for (let i = 0; i + 1 < spans.length; i += 2) {
    if (byteSpans[i] < 0 || byteSpans[i + 1] > bytes.length || byteSpans[i] > byteSpans[i + 1]) return null;
    const decoded = decoder.decode(bytes.subarray(byteSpans[i], byteSpans[i + 1]));
    const window = decoded.includes('\r') ? decoded.replace(/\r\n/g, '\n') : decoded;
    if (window.length !== spans[i + 1] - spans[i]) return null;
    windows.push(window);
  }
  return windows;
}
