// Cluster names on the real corpus, for a reader to judge: runs the default pipeline on
// ../shared/corpus/gutenberg with seed 1 and prints each cluster's name, size, the share of its
// largest genre (manifest.csv) and its most representative books, then whether any name holds a
// contraction, and how long naming alone takes. For comparison, the same clusters as two other
// measures name them: c-TF-IDF alone (no lift floor) and the mean TF-IDF difference used before.
//   npm run bench:names [-- --seed 1 --k 12 --db FILE --run N --naming-only --repeat R]
// --db keeps the library in FILE (books already there are not read again); --run N names the
// clusters of run N of that library again with the naming code as it is now, without a new run.
// --naming-only prints the naming seconds (R times, default 1) and the names, without the other
// two measures (for a large library: bench:scale's, e.g. /work/scale/run-1k-s3 copied first).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { SettingsInput } from '../src-shared/settings';
import { libraryFeatures, nameClusters, namingWords } from '../src-main/engine/pipeline';
import { classTfidfTerms, clusterLabel, distinctiveTerms, nameWorthy } from '../src-main/engine/cluster/terms';
import { CORPUS, loadGenres, openLibraryEngine } from './bench-library';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    k: { type: 'string' },
    db: { type: 'string' },
    run: { type: 'string' },
    'naming-only': { type: 'boolean', default: false },
    repeat: { type: 'string', default: '1' },
  },
});

const genres = loadGenres();
const dbPath = values.db ?? join(mkdtempSync(join(tmpdir(), 'shelfmap-names-')), 'library.sqlite');
const { store, engine, finishedRun } = openLibraryEngine(dbPath);

let runId = values.run ? Number(values.run) : 0;
if (!runId) {
  const report = await engine.call('addFolder', { folder: join(CORPUS, 'books') });
  console.log(`library ${dbPath}: ${report.libraryBooks} books (${report.added} added now)`);
  const settings: SettingsInput = { seed: Number(values.seed), ...(values.k ? { k: Number(values.k) } : {}) };
  runId = await finishedRun({ settings });
}
const { run, points, clusters: stored } = await engine.call('getRun', { runId });
const total = Object.values(run.timings).reduce((a, b) => a + (b ?? 0), 0);
console.log(`run ${runId}: ${run.bookCount} books, k = ${run.settings.k}, seed ${run.settings.seed}, backend ${run.backend}, ${(total / 1000).toFixed(1)} s in its stages`);

// the names again, timed alone, from the same books and clusters (and, with --run, today's code)
const byId = new Map(store.listBooks().map((b) => [b.id, b]));
const books = points.map((p) => byId.get(p.bookId)!);
let named = nameClusters(store, books, run.settings, points.map((p) => p.cluster), stored.length);
let namingMs = Number.POSITIVE_INFINITY;
for (let r = 0; r < Math.max(1, Number(values.repeat)); r++) {
  const start = performance.now();
  const cpu = process.cpuUsage();
  named = nameClusters(store, books, run.settings, points.map((p) => p.cluster), stored.length);
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  namingMs = Math.min(namingMs, ms);
  // CPU seconds move less than wall seconds when other work shares the cores
  console.log(`naming, try ${r + 1}: ${(ms / 1000).toFixed(2)} s for ${books.length} books (CPU ${(used.user / 1e6).toFixed(2)} s user + ${(used.system / 1e6).toFixed(2)} s system)`);
}
if (values['naming-only']) {
  for (const info of named) console.log(`${info.id} (${info.size}): ${info.terms.join(', ')}`);
  console.log(`naming alone (fastest of ${values.repeat}, the first, warming, not counted): ${(namingMs / 1000).toFixed(2)} s for ${books.length} books`);
  store.close();
  process.exit(0);
}

// the other two measures, on the same books and clusters
const labels = points.map((p) => p.cluster);
const words = namingWords(store, books, run.settings);
const alone = classTfidfTerms(words, labels, stored.length, { keep: nameWorthy, minShare: 0.25, minLift: 0 });
const features = await libraryFeatures(store, books, run.settings.features);
const before = distinctiveTerms(features.rows, Array.from(features.bookOfRow, (b) => labels[b]), features.vocabulary, stored.length, 8, { keep: nameWorthy, minShare: 0.25 });

const titles = new Map(points.map((p) => [p.bookId, p.title]));
const contraction = /['\u2019]/;
let withContraction = 0;
console.log('\n| cluster | books | top genre | name | terms | representative books |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const info of named) {
  const members = points.filter((p) => p.cluster === info.id);
  const tally = new Map<string, number>();
  for (const p of members) {
    const genre = genres.get(p.path) ?? 'unknown';
    tally.set(genre, (tally.get(genre) ?? 0) + 1);
  }
  const [genre, count] = [...tally].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] ?? ['-', 0];
  const representatives = stored[info.id].representatives.map((id) => titles.get(id) ?? `book ${id}`);
  if (info.terms.some((t) => contraction.test(t))) withContraction++;
  console.log(
    `| ${info.id} | ${info.size} | ${genre} ${Math.round((100 * count) / Math.max(1, members.length))}% | ${info.label} | ${info.terms.join(', ')} | ${representatives.join('; ')} |`,
  );
}
console.log('\n| cluster | c-TF-IDF (shipped: with the lift floor) | c-TF-IDF alone | mean TF-IDF difference (before) |');
console.log('| --- | --- | --- | --- |');
for (const info of named) console.log(`| ${info.id} | ${info.label} | ${clusterLabel(alone[info.id].terms)} | ${clusterLabel(before[info.id])} |`);
console.log(`\nnames holding a contraction: ${withContraction} of ${named.length}${withContraction === 0 ? ' (none)' : ' (FAILS the rule: no name may hold one)'}`);
console.log(`naming alone: ${(namingMs / 1000).toFixed(2)} s for ${books.length} books`);
store.close();
// a library of the bench's own goes; one given with --db stays
if (!values.db) rmSync(dirname(dbPath), { recursive: true, force: true });
