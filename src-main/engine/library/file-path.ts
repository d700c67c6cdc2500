// File names are bytes on Linux and need not be valid UTF-8 (a Latin-1 "café.txt" copied from an
// old disk). Such a path is kept as its raw bytes for the file system, and shown and stored with
// each byte that is not part of valid UTF-8 written as \xNN. (Windows names are UTF-16 and come
// back from Node as strings, so the byte form only ever meets POSIX paths with "/".)
import { join } from 'node:path';

/** Where a file is: `path` to show and store, `fsPath` to hand to Node's fs (a Buffer when the name is not UTF-8). */
export interface FilePath {
  path: string;
  fsPath: string | Buffer;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Length of the valid UTF-8 sequence starting at `at`, or 0 when the byte there starts none. */
function utf8SequenceLength(bytes: Uint8Array, at: number): number {
  const lead = bytes[at];
  if (lead < 0x80) return 1;
  const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
  if (length === 0 || at + length > bytes.length) return 0;
  try {
    strictUtf8.decode(bytes.subarray(at, at + length));
    return length;
  } catch {
    return 0; // a bad continuation byte, an overlong form or a surrogate
  }
}

/** The bytes as text, each byte outside valid UTF-8 written as \xNN. */
export function displayPath(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    let text = '';
    for (let at = 0; at < bytes.length; ) {
      const length = utf8SequenceLength(bytes, at);
      if (length === 0) {
        text += `\\x${bytes[at].toString(16).toUpperCase().padStart(2, '0')}`;
        at++;
      } else {
        text += strictUtf8.decode(bytes.subarray(at, at + length));
        at += length;
      }
    }
    return text;
  }
}

/** A path given as bytes: a plain string when they are valid UTF-8, else the bytes themselves. */
export function filePathFromBytes(bytes: Buffer): FilePath {
  const path = displayPath(bytes);
  return { path, fsPath: Buffer.from(path, 'utf8').equals(bytes) ? path : bytes };
}

/** `dir` joined with one entry name read as bytes. */
export function joinFilePath(dir: string | Buffer, name: Buffer): string | Buffer {
  if (typeof dir === 'string') {
    const text = displayPath(name);
    if (Buffer.from(text, 'utf8').equals(name)) return join(dir, text);
    dir = Buffer.from(dir, 'utf8');
  }
  const slash = dir[dir.length - 1] === 0x2f ? Buffer.alloc(0) : Buffer.from('/');
  return Buffer.concat([dir, slash, name]);
}

/** The path to show for a string or byte path. */
export function showPath(fsPath: string | Buffer): string {
  return typeof fsPath === 'string' ? fsPath : displayPath(fsPath);
}
