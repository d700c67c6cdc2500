import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../random';
import { decodeText } from './decode';
import { stripGutenberg } from './gutenberg';
import { createWasmWordScanner, INITIAL_TEXT_UNITS, STARTS_PER_CALL } from './word-scan';
import { assembleWordScan, WORD_SCAN_MODULE, wordScanModuleText } from './word-scan-assemble';
import { scanWords, scanWordsInJs, scanWordsInWasm, type WordScan } from './words';

const CORPUS = resolve(__dirname, '..', '..', '..', '..', 'shared', 'corpus', 'gutenberg', 'books');

/** The wasm scan, which must be there under Node (a null would hide every comparison below). */
function wasmScan(text: string): WordScan {
  const scan = scanWordsInWasm(text);
  if (scan === null) throw new Error('WebAssembly word scan unavailable');
  return scan;
}

/** The wasm scan equals the JS reference: words, every start and both hints. */
function expectSameScan(text: string, label = ''): void {
  const wasm = wasmScan(text);
  const js = scanWordsInJs(text);
  const where = `${label} (length ${text.length})`;
  expect(wasm.words, `words ${where}`).toBe(js.words);
  expect(wasm.hints, `hints ${where}`).toEqual(js.hints);
  expect(wasm.starts.length, `starts ${where}`).toBe(js.starts.length);
  // compared as bytes first: toEqual on millions of numbers is slow, and the first difference is what helps
  if (!Buffer.from(wasm.starts.buffer, wasm.starts.byteOffset, wasm.starts.byteLength).equals(Buffer.from(js.starts.buffer, js.starts.byteOffset, js.starts.byteLength))) {
    const at = wasm.starts.findIndex((start, i) => start !== js.starts[i]);
    expect(wasm.starts[at], `start ${at} ${where}`).toBe(js.starts[at]);
  }
}

// every kind of code unit the scan tells apart, some more than once to weight them
const PIECES = [
  'a', 'Z', 'q', '0', '9', ' ', ' ', '\n', '\t', '\r', '\r\n', ' \n', '\t\n', '\n\n',
  "'", "'", '’', '’', "'9", '’9', "n'", "'t", '@', '[', '`', '{', '/', ':', '-', '.', ',', '"', '~', '\x7f',
  '\x00', '\x01', '\x0b', '\x0c', '\x1f', '\u0085', '\u00a0', '\u2028', '\u2029', '\u2000', '\u3000',
  'é', 'Å', 'ß', '½', '²', '\u00ad', '\u0301', 'e\u0301', '\u02ff', '\u0300', 'ω', 'Ж', '中', '文', '١', 'Ⅻ', '\u2014', '\u201c', '\u2027', '\u2030', '\uffff', '\ufeff',
  '\ud835\udc9c', '\ud835\udfd9', '\ud83d\ude00', '\ud800', '\udc00', '\udbff', '\udfff', '\ud800\ud800', '\udc00\ud800',
];

/** Seeded text: runs of ASCII letters (so the 8-unit blocks are taken) between random pieces. */
function generatedText(random: () => number, length: number, plainShare: number): string {
  const parts: string[] = [];
  let size = 0;
  while (size < length) {
    let part: string;
    if (random() < plainShare) {
      const letters = 1 + Math.floor(random() * 12);
      part = '';
      for (let i = 0; i < letters; i++) part += String.fromCharCode((random() < 0.1 ? 65 : 97) + Math.floor(random() * 26));
      part += random() < 0.8 ? ' ' : random() < 0.5 ? '\n' : '.';
    } else part = PIECES[Math.floor(random() * PIECES.length)];
    parts.push(part);
    size += part.length;
  }
  return parts.join('').slice(0, length);
}

describe('the wasm word scan', () => {
  it('is the assembly of word-scan.wat (run word-scan-assemble.ts after editing the .wat)', async () => {
    expect(readFileSync(WORD_SCAN_MODULE, 'utf8')).toBe(wordScanModuleText(await assembleWordScan()));
  });

  it('is what scanWords uses under Node', () => {
    expect(scanWordsInWasm('a b')).not.toBeNull();
    expect(scanWords("Don't 𝒜 stop \ud800")).toEqual(wasmScan("Don't 𝒜 stop \ud800"));
  });

  it('is not made where WebAssembly is missing, nor on big-endian hosts (words.ts then scans in JS)', () => {
    const table = new Uint8Array(0x10000);
    expect(createWasmWordScanner(table, () => 0, false)).not.toBeNull();
    expect(createWasmWordScanner(table, () => 0, true)).toBeNull();
    const host = globalThis as Record<string, unknown>;
    const wasm = host.WebAssembly;
    host.WebAssembly = undefined;
    try {
      expect(createWasmWordScanner(table, () => 0, false)).toBeNull();
    } finally {
      host.WebAssembly = wasm;
    }
  });

  it('equals the JS scan on short and edge-case texts', () => {
    const texts = [
      '',
      ' ',
      'a',
      "'",
      '\n',
      ' \n',
      '\t\n',
      'a\n',
      "a'",
      "a'b",
      "a'9",
      "rock'n'roll9 x",
      'l’été ’quoted’',
      '\ud800',
      '\udc00',
      '\ud835\udc9c',
      'a\ud835\udc9c',
      "a'\ud835\udc9c",
      "a'\ud800",
      "a'\ud800\udc00",
      'x\ud835',
      '𝒜𝒷𝒸 astral letters, 𝟙𝟚 astral digits, 😀 an emoji',
      'ÅNGSTRÖM Привет мир 中文字 ١٢٣ Ⅻ ½',
    ];
    // each piece at every offset around an 8-unit block edge, inside plain text
    for (const piece of PIECES) {
      for (let offset = 0; offset < 20; offset++) {
        texts.push('abcdefghijklmnopqrstuvwx'.slice(0, offset) + piece + ' more words here, and more');
        texts.push('ab cd ef gh ij kl mn op '.slice(0, offset) + piece);
        texts.push(piece + 'abcdefgh ijklmnop'.slice(0, offset) + piece);
      }
    }
    for (const text of texts) expectSameScan(text, JSON.stringify(text.slice(0, 40)));
  });

  it('equals the JS scan on seeded random mixes of every class of code unit', () => {
    const random = createRandom(20261202);
    for (let n = 0; n < 3000; n++) {
      const length = Math.floor(random() * (n % 10 === 0 ? 2000 : 80));
      const text = generatedText(random, length, [0, 0.5, 0.9, 0.99][n % 4]);
      expectSameScan(text, `random text ${n}`);
    }
  });

  it('equals the JS scan on a text longer than its first memory, with more starts than one call hands back', () => {
    const random = createRandom(99);
    const text = generatedText(random, INITIAL_TEXT_UNITS + 300_001, 0.97);
    expect(scanWordsInJs(text).starts.length).toBeGreaterThan(STARTS_PER_CALL);
    expectSameScan(text, 'long generated text');
    // every start at a call's edge: a text that is only one-letter words
    expectSameScan('a '.repeat(STARTS_PER_CALL * 2 + 3), 'one-letter words');
    expectSameScan('a '.repeat(STARTS_PER_CALL), 'exactly one call of starts');
    expectSameScan(' a'.repeat(STARTS_PER_CALL - 1) + '  ab', 'one start short of a call');
    // a text so long its memory is let go afterwards, then short ones on the next memory
    expectSameScan(generatedText(random, 17_000_000, 0.99), 'very long generated text');
    expectSameScan("after the long one, don't", 'short text after');
    expectSameScan(generatedText(random, 5000, 0.5), 'generated text after');
  });

  it.skipIf(!existsSync(CORPUS))('equals the JS scan on every corpus book, body and whole text (skipped without ../shared/corpus/gutenberg)', () => {
    const names = readdirSync(CORPUS).sort();
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const { text } = decodeText(readFileSync(join(CORPUS, name)));
      expectSameScan(stripGutenberg(text).body, `${name} body`);
      expectSameScan(text, `${name} whole`);
    }
  });
});
