import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeText } from './decode';
import { normaliseForFingerprint } from './fingerprint';
import { stripGutenberg } from './gutenberg';

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
    }
  });

  it.skipIf(!existsSync(CORPUS))('equals its definition on corpus books (skipped without ../shared/corpus/gutenberg)', () => {
    for (const name of readdirSync(CORPUS).slice(0, 25)) {
      const body = stripGutenberg(decodeText(readFileSync(join(CORPUS, name))).text).body;
      expect(normaliseForFingerprint(body) === definition(body)).toBe(true);
    }
  });
});
