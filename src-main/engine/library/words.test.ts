import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wordStarts } from '../features/sample';
import { createRandom } from '../random';
import { decodeText } from './decode';
import { stripGutenberg } from './gutenberg';
import { countWords } from './read-book';
import { scanWords } from './words';

const CORPUS = resolve(__dirname, '..', '..', '..', '..', 'shared', 'corpus', 'gutenberg', 'books');

function expectSame(text: string): void {
  const scan = scanWords(text);
  expect(scan.words).toBe(countWords(text));
  expect(Array.from(scan.starts)).toEqual(Array.from(wordStarts(text)));
}

describe('scanWords', () => {
  it('counts words as the Unicode regex does, and cuts sample words where wordStarts does', () => {
    for (const text of [
      '',
      '  \n\t ',
      "Don't stop — it's 1851, Ishmael's year; café au lait!",
      "o'clock9 ab'3 x'' 'tis rock'n'roll l’été ’quoted’ 12'ab a'b'c",
      'e\u0301te\u0301 (combining marks split words) \u00a0nbsp\u2028line\u2029para',
      '𝒜𝒷𝒸 astral letters, 𝟙𝟚 astral digits, 😀 an emoji, a lone \ud800 surrogate and \udc00 its low half',
      "trailing apostrophe' and one at the very end '",
      'ÅNGSTRÖM Привет мир 中文字 ١٢٣ Ⅻ ½',
    ]) {
      expectSame(text);
    }
  });

  it('agrees with both on random strings of letters, digits, apostrophes, marks, spaces and surrogates', () => {
    const random = createRandom(7);
    const alphabet = ['a', 'Z', 'é', '9', '½', "'", '’', ' ', '\n', '\u00a0', '\u0301', '-', '.', '𝒜', '𝟙', '\ud800', '\udc00', '中'];
    for (let n = 0; n < 500; n++) {
      let text = '';
      const length = Math.floor(random() * 40);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      expectSame(text);
    }
  });

  it.skipIf(!existsSync(CORPUS))('agrees with both on every corpus book (skipped without ../shared/corpus/gutenberg)', () => {
    for (const name of readdirSync(CORPUS).slice(0, 12)) {
      expectSame(stripGutenberg(decodeText(readFileSync(join(CORPUS, name))).text).body);
    }
  });
});
