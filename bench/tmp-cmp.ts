import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeText } from '../src-main/engine/library/decode';
import { stripGutenberg } from '../src-main/engine/library/gutenberg';
import { scanWords } from '../src-main/engine/library/words';
import { countWords } from '../src-main/engine/library/read-book';
import { wordStarts } from '../src-main/engine/features/sample';
const dir = '/work/shared/corpus/gutenberg/books';
const bodies = readdirSync(dir).slice(0, 80).map((n) => stripGutenberg(decodeText(readFileSync(join(dir, n))).text).body);
for (let round = 0; round < 2; round++) {
  let s = performance.now(); for (const b of bodies) { countWords(b); wordStarts(b); } const old = performance.now() - s;
  s = performance.now(); for (const b of bodies) scanWords(b); const neu = performance.now() - s;
  s = performance.now(); for (const b of bodies) countWords(b); const re = performance.now() - s;
  console.log({ old: old.toFixed(0), regexOnly: re.toFixed(0), scanWords: neu.toFixed(0) });
}
