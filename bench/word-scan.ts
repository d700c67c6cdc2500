// The add's word scan, wasm (scanWords) against the JS reference (scanWordsInJs), in one process:
// `npx tsx bench/word-scan.ts [--folder DIR] [--books N] [--rounds R]`. Bodies are decoded and cut
// first (not timed); each round times both scans over all of them, alternating which goes first.
// Prints ns per UTF-16 code unit per round and the medians.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeText, looksBinary } from '../src-main/engine/library/decode';
import { stripGutenberg } from '../src-main/engine/library/gutenberg';
import { scanWords, scanWordsInJs, type WordScan } from '../src-main/engine/library/words';

const { values } = parseArgs({
  options: { folder: { type: 'string', default: '/work/scale/books-1k' }, books: { type: 'string', default: '300' }, rounds: { type: 'string', default: '5' } },
});
const folder = values.folder;
const limit = Number(values.books);
const rounds = Number(values.rounds);
const files = (readdirSync(folder, { recursive: true }) as string[]).filter((f) => f.endsWith('.txt')).sort().slice(0, limit);
const bodies: string[] = [];
for (const name of files) {
  const bytes = readFileSync(join(folder, name));
  if (!looksBinary(bytes)) bodies.push(stripGutenberg(decodeText(bytes).text).body);
}
const units = bodies.reduce((sum, body) => sum + body.length, 0);
console.log(`${bodies.length} bodies, ${(units / 1e6).toFixed(1)} M code units`);

let words = 0;
const timeScan = (scan: (text: string) => WordScan): number => {
  const start = performance.now();
  for (const body of bodies) words += scan(body).words;
  return ((performance.now() - start) * 1e6) / units;
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const js: number[] = [];
const wasm: number[] = [];
for (let round = 0; round < rounds; round++) {
  if (round % 2 === 0) {
    js.push(timeScan(scanWordsInJs));
    wasm.push(timeScan(scanWords));
  } else {
    wasm.push(timeScan(scanWords));
    js.push(timeScan(scanWordsInJs));
  }
  console.log(`round ${round + 1}: js ${js[round].toFixed(2)} ns/unit, wasm ${wasm[round].toFixed(2)} ns/unit`);
}
console.log(`median: js ${median(js).toFixed(2)} ns/unit, wasm ${median(wasm).toFixed(2)} ns/unit (${(median(js) / median(wasm)).toFixed(2)}x); ${words} words counted`);
