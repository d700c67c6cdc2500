import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src-shared/settings';
import { sampleSpans, windowsAt } from '../features/sample';
import { byteSpans, windowsFromBytes } from './byte-spans';
import { decodeText } from './decode';
import { stripGutenbergAt } from './gutenberg';

const CORPUS = resolve(__dirname, '..', '..', '..', '..', 'shared', 'corpus', 'gutenberg', 'books');

/** The windows cut from the decoded body, and those read from the bytes alone (null when the file has no byte spans). */
function both(bytes: Uint8Array, plan = DEFAULT_SETTINGS.features.sampling) {
  const { text, encoding } = decodeText(bytes);
  const { body, bodyOffset } = stripGutenbergAt(text);
  expect(text.slice(bodyOffset, bodyOffset + body.length)).toBe(body);
  const spans = sampleSpans(body, plan);
  const at = byteSpans(bytes, encoding, text, bodyOffset, spans);
  return { expected: windowsAt(body, spans), got: at && windowsFromBytes(bytes, at, spans) };
}

const book = (body: string, lineEnd = '\n') =>
  `Title: T${lineEnd}${lineEnd}*** START OF THE PROJECT GUTENBERG EBOOK T ***${lineEnd}${lineEnd}${body.replaceAll('\n', lineEnd)}${lineEnd}*** END OF THE PROJECT GUTENBERG EBOOK T ***${lineEnd}`;

describe('byteSpans', () => {
  const body = Array.from({ length: 4000 }, (_, i) => ['café', 'naïve', '“quoted”', 'plain', 'ship', '𝒜stral', 'don’t'][i % 7] + (i % 9 === 0 ? '\n' : ' ')).join('');
  const plan = { samples: 4, words: 300 };

  it('reads the same windows from the bytes as from the decoded body: UTF-8 with LF or CRLF line ends, with a BOM or none', () => {
    for (const bytes of [Buffer.from(book(body)), Buffer.from(book(body, '\r\n')), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(book(body, '\r\n'))])]) {
      const { expected, got } = both(bytes, plan);
      expect(expected).toHaveLength(4);
      expect(got).toEqual(expected);
    }
  });

  it('gives none for text that does not map simply onto its bytes: Latin-1, UTF-16, mixed line ends, a lone CR', () => {
    for (const bytes of [
      Buffer.from(book(body.replace(/[^ -\xff]/gu, (c) => (c === '\n' ? c : 'x'))), 'latin1'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(book(body), 'utf16le')]),
      Buffer.from(book(body, '\r\n').replace('\r\n', '\n')),
      Buffer.from(book(body).replace('\n', '\r')),
    ]) {
      const { expected, got } = both(bytes, plan);
      expect(expected).toHaveLength(4);
      expect(got).toBeNull();
    }
  });

  it('reads nothing from bytes that are not what they were', () => {
    const bytes = Buffer.from(book(body));
    const { text, encoding } = decodeText(bytes);
    const { body: cut, bodyOffset } = stripGutenbergAt(text);
    const spans = sampleSpans(cut, plan);
    const at = byteSpans(bytes, encoding, text, bodyOffset, spans)!;
    expect(windowsFromBytes(Buffer.from(book(`more ${body}`)), at, spans)).toBeNull();
    expect(windowsFromBytes(bytes.subarray(0, 100), at, spans)).toBeNull();
  });

  it.skipIf(!existsSync(CORPUS))('reads the same windows from the bytes on corpus books (skipped without ../shared/corpus/gutenberg)', () => {
    let mapped = 0;
    for (const name of readdirSync(CORPUS).slice(0, 40)) {
      const { expected, got } = both(readFileSync(join(CORPUS, name)));
      if (got) mapped++;
      if (got) expect(got).toEqual(expected);
    }
    expect(mapped).toBeGreaterThan(0);
  });
});
