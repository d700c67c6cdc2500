// NMI and ARI against the manifest's genre column of the CSVs that `shelfmap cluster` wrote for
// the Gutenberg corpus, e.g. one run per backend with the same seed:
//   npx shelfmap cluster ../shared/corpus/gutenberg --k 12 --seed 42 --backend webgpu --db /tmp/webgpu.sqlite --out /tmp/webgpu.csv
//   npx shelfmap cluster ../shared/corpus/gutenberg --k 12 --seed 42 --backend wasm --db /tmp/wasm.sqlite --out /tmp/wasm.csv
//   npx tsx bench/backend-nmi.ts /tmp/webgpu.csv /tmp/wasm.csv
// The first CSV is the reference: the others print their NMI difference from it, and how far
// their clusters agree with its clusters (NMI between the two labelings, 1 = the same partition).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCsv } from '../src-shared/csv';
import { adjustedRandIndex, normalizedMutualInfo } from '../src-main/engine/evaluate';
import { loadGenres } from './bench-library';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('Usage: npx tsx bench/backend-nmi.ts labels.csv [more.csv ...]');
  process.exit(2);
}

const genres = loadGenres();
let reference: { nmi: number; clusters: Map<string, number> } | undefined;
for (const file of files) {
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8')).filter((r) => r.length > 1);
  const pathColumn = header.indexOf('path');
  const clusterColumn = header.indexOf('cluster');
  if (pathColumn < 0 || clusterColumn < 0) throw new Error(`${file} has no path and cluster columns: is it a shelfmap CSV?`);
  const truth: string[] = [];
  const clusters = new Map<string, number>();
  for (const row of rows) {
    const book = resolve(row[pathColumn]);
    const genre = genres.get(book);
    if (genre === undefined) throw new Error(`${file}: ${row[pathColumn]} is not in the corpus manifest.`);
    truth.push(genre);
    clusters.set(book, Number(row[clusterColumn]));
  }
  const labels = [...clusters.values()];
  const nmi = normalizedMutualInfo(truth, labels);
  const ari = adjustedRandIndex(truth, labels);
  let comparison = '';
  if (reference) {
    const theirs = [...clusters.keys()].map((book) => reference!.clusters.get(book) ?? -1);
    const delta = nmi - reference.nmi;
    comparison = `  (NMI ${delta >= 0 ? '+' : ''}${delta.toFixed(3)} against ${files[0]}; clusters agree with its clusters at NMI ${normalizedMutualInfo(theirs, labels).toFixed(3)})`;
  } else {
    reference = { nmi, clusters };
  }
  console.log(`${file}: ${labels.length} books, NMI ${nmi.toFixed(3)}, ARI ${ari.toFixed(3)}${comparison}`);
}
