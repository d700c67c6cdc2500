// Where the time of adding one book goes, phase by phase, on one thread (no workers, no SQLite):
// `npx tsx bench/add-phases.ts [--folder DIR] [--books N]`. Prints seconds and share per phase.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { decodeText, looksBinary } from '../src-main/engine/library/decode';
import { readMetadata, stripGutenberg } from '../src-main/engine/library/gutenberg';
import { looksLikeHtml } from '../src-main/engine/library/read-book';
import { scanWords } from '../src-main/engine/library/words';
import { bookFingerprint } from '../src-main/engine/library/fingerprint';
import { encodeWindowTerms, sampleWindows } from '../src-main/engine/features/sample';
import { IMPORT_FEATURES } from '../src-main/engine/import-work';
import { packTerms } from '../src-main/engine/store/packed';

const { values } = parseArgs({ options: { folder: { type: 'string', default: '/work/scale/books-1k' }, books: { type: 'string', default: '300' } } });
const folder = values.folder;
const limit = Number(values.books);
const files = (readdirSync(folder, { recursive: true }) as string[]).filter((f) => f.endsWith('.txt')).sort().slice(0, limit);
const times = new Map<string, number>();
const time = <T>(name: string, work: () => T): T => {
  const t = performance.now();
  const out = work();
  times.set(name, (times.get(name) ?? 0) + performance.now() - t);
  return out;
};
let bytesTotal = 0;
const all = performance.now();
for (const name of files) {
  const bytes = time('read', () => readFileSync(join(folder, name)));
  bytesTotal += bytes.length;
  if (time('binary sniff', () => looksBinary(bytes))) continue;
  const { text } = time('decode', () => decodeText(bytes));
  if (time('html sniff', () => looksLikeHtml(text))) continue;
  const { header, body } = time('header cut', () => stripGutenberg(text));
  const { starts, hints } = time('word scan', () => scanWords(body));
  time('metadata', () => readMetadata(header, name));
  time('sha256', () => createHash('sha256').update(bytes).digest('hex'));
  time('fingerprint', () => bookFingerprint(body, hints));
  const windows = time('sample cut', () => sampleWindows(body, IMPORT_FEATURES.sampling, starts));
  const { blob } = time('term count', () => encodeWindowTerms(windows, IMPORT_FEATURES));
  time('pack terms', () => packTerms(blob));
}
const total = performance.now() - all;
console.log(`${files.length} files, ${(bytesTotal / 1e6).toFixed(1)} MB in ${(total / 1000).toFixed(2)} s: ${(bytesTotal / 1e6 / (total / 1000)).toFixed(1)} MB/s on one thread`);
for (const [name, ms] of [...times].sort((a, b) => b[1] - a[1])) {
  console.log(`${name.padEnd(14)} ${(ms / 1000).toFixed(3).padStart(7)} s  ${((100 * ms) / total).toFixed(1).padStart(5)}%`);
}
