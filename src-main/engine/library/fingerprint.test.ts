import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeText } from './decode';
import { normaliseForFingerprint } from './fingerprint';
import { stripGutenberg } from './gutenberg';
import { scanWords } from './words';
import { createRandom } from '../random';

const CORPUS = resolve(__dirname, '..', '..', '..', '..', 'shared', 'corpus', 'gutenberg', 'books');

/** The definition the quicker normaliseForFingerprint must keep (what it was before it was made quicker). */
const definition = (body: string) => body.replace(/[ \t]+\n/g, '\n').replace(/[ \t]+$/, '').normalize('NFC');

describe('normaliseForFingerprint', () => {
  it('drops spaces and tabs at line ends and composes Unicode, as its definition says', () => {
    for (const body of [
      '',
      'plain text\nwith lines',
      'trailing spaces  \nand a tab\t\n \t \nand at the end  \t',
      'e\u0301 composed, \u212b the angstrom sign, \u2000 a singleton space, \u1100\u1161 jamo',
      '“quotes” — dashes … and café\u0301',
      '   \n\t',
      'a line separator \u2028 and a carriage return \r stay as they are ',
    ]) {
      expect(normaliseForFingerprint(body)).toBe(definition(body));
      expect(normaliseForFingerprint(body, scanWords(body).hints)).toBe(definition(body));
    }
  });

  it("keeps its definition with the word scan's hints, on random strings of spaces, line ends and letters that compose or not", () => {
    const random = createRandom(3);
    const alphabet = ['a', ' ', '\t', '\n', '\r', '\u00a0', '\u2028', '\u000b', '\u0301', 'é', '’', '\u2030', '\u02ff', '\u0300', 'ﬁ', '𝒜', '\u212b'];
    for (let n = 0; n < 2000; n++) {
      let body = '';
      const length = Math.floor(random() * 12);
      for (let i = 0; i < length; i++) body += alphabet[Math.floor(random() * alphabet.length)];
      const { hints } = scanWords(body);
      expect(hints.spacedLineEnds).toBe(body.includes(' \n') || body.includes('\t\n'));
      expect(normaliseForFingerprint(body, hints)).toBe(definition(body));
    }
  });

  it.skipIf(!existsSync(CORPUS))('equals its definition on corpus books (skipped without ../shared/corpus/gutenberg)', () => {
    for (const name of readdirSync(CORPUS).slice(0, 25)) {
      const body = stripGutenberg(decodeText(readFileSync(join(CORPUS, name))).text).body;
      expect(normaliseForFingerprint(body) === definition(body)).toBe(true);
      expect(normaliseForFingerprint(body, scanWords(body).hints) === definition(body)).toBe(true);
    }
  });
});
