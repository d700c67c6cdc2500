// Quality and end-to-end time on the real corpus: NMI and ARI against the manifest's genre
// column over several seeds, side by side for linear baselines (K-means on TF-IDF and on LSA,
// per book and with samples as rows), the autoencoder as it was (the `classic` preset) and each
// variant tried for issue 11, alone and together; and the time of every stage of the default
// pipeline from adding the folder to the saved map.
//   npm run bench:quality [-- --backend wasm --seeds 5 --from 1 --k 12 --only 'LSA|default' --settings '{...}' --no-stages]
// --half A|B --split N: only one half of each genre's books (a seeded split), as a stand-in for
// books the settings were not chosen on.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { StageName } from '../src-shared/domain';
import { resolveSettings, RUN_PRESETS, type SettingsInput } from '../src-shared/settings';
import { libraryFeatures, type LibraryFeatures } from '../src-main/engine/pipeline';
import { l2NormalizeRows, toDenseMatrix, truncatedSvd } from '../src-main/engine/features';
import { poolByBook } from '../src-main/engine/embed/books';
import { consensusOfViewsAsync, kmeansBestAsync } from '../src-main/engine/cluster';
import { adjustedRandIndex, normalizedMutualInfo } from '../src-main/engine/evaluate';
import { createRandom, shuffleInPlace } from '../src-main/engine/random';
import { CORPUS, loadGenres, openLibraryEngine, requireCorpus } from './bench-library';

interface Score {
  nmi: number;
  ari: number;
  seconds: number;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fmt = (x: number) => x.toFixed(3);
const secs = (ms: number | undefined) => (ms === undefined ? '-' : (ms / 1000).toFixed(2));
const NAME_WIDTH = 58;

function summary(name: string, scores: Score[]): string {
  const nmi = scores.map((s) => s.nmi);
  const ari = scores.map((s) => s.ari);
  return `${name.padEnd(NAME_WIDTH)} ${fmt(mean(nmi))}  ${fmt(Math.min(...nmi))}  ${fmt(mean(ari))}  ${fmt(Math.min(...ari))}  ${mean(scores.map((s) => s.seconds)).toFixed(2).padStart(7)}`;
}

/** Today's per-book features, and the same words read as sample rows. */
const BOOK_FEATURES = RUN_PRESETS.classic.features!;

/** Linear baselines scored without the engine: book vectors from features, K-means or consensus on them. */
type Baseline = {
  name: string;
  features: 'book' | 'rows';
  vectors: (f: LibraryFeatures, seed: number, joined?: LibraryFeatures) => number[][] | number[][][];
  consensus?: number;
  /** Feature settings over the rows' (issue 11's views); `join`: a second feature set whose view `vectors` joins to the first. */
  view?: FeatureInput;
  join?: FeatureInput;
};
type FeatureInput = NonNullable<SettingsInput['features']>;

/** Each view's LSA 20 pooled per book, side by side in one vector (unit length): both views weigh the same. */
function joinedLsa(f: LibraryFeatures, g: LibraryFeatures, seed: number, books: number): number[][] {
  const a = lsaPooled(f, 20, seed, books);
  const b = lsaPooled(g, 20, seed, books);
  return l2NormalizeRows(a.map((row, i) => [...row, ...b[i]]));
}

/** Issue 11's feature views, each scored by K-means on the rows' LSA 20 pooled per book. */
const VIEW_ROWS: { name: string; view: FeatureInput }[] = [
  { name: 'function words', view: { views: ['functionWords'] } },
  { name: 'function words, relative frequencies (raw counts)', view: { views: ['functionWords'], sublinearTf: false } },
  { name: 'function words, the commonest kept too (maxDf 1)', view: { views: ['functionWords'], maxDf: { fraction: 1 } } },
  { name: 'character 3-5-grams', view: { views: ['charNgrams'] } },
  { name: 'names dropped', view: { dropNames: true } },
  { name: 'top 100 terms dropped', view: { dropMostFrequent: 100 } },
  { name: 'names and top 100 terms dropped', view: { dropNames: true, dropMostFrequent: 100 } },
  { name: 'words + function words, one row', view: { views: ['words', 'functionWords'] } },
  { name: 'words + character 3-5-grams, one row', view: { views: ['words', 'charNgrams'] } },
];

function lsaPooled(f: LibraryFeatures, components: number, seed: number, books: number): number[][] {
  const rows = l2NormalizeRows(truncatedSvd(f.rows, f.vocabulary.length, components, seed));
  return l2NormalizeRows(f.rows.length === books ? rows : poolByBook(rows, f.bookOfRow, books));
}

/**
 * One half of each genre's books, split by a seeded shuffle within the genre (half A gets the
 * odd one out): both halves keep every genre, each with about half its books.
 */
export function genreHalf(genres: Map<string, string>, half: 'A' | 'B', split: number): string[] {
  const byGenre = new Map<string, string[]>();
  for (const [path, genre] of [...genres].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!byGenre.has(genre)) byGenre.set(genre, []);
    byGenre.get(genre)!.push(path);
  }
  const random = createRandom(split);
  const chosen: string[] = [];
  for (const genre of [...byGenre.keys()].sort()) {
    const paths = byGenre.get(genre)!;
    const order = Int32Array.from(paths.keys());
    shuffleInPlace(order, random);
    const cut = Math.ceil(paths.length / 2);
    const picked = half === 'A' ? order.subarray(0, cut) : order.subarray(cut);
    for (const i of picked) chosen.push(paths[i]);
  }
  return chosen;
}

/** Each genre's books by the cluster they were put in, largest share first: which genres a run merges or splits. */
export function confusionTable(truth: string[], labels: number[], seed: number): string {
  const genres = [...new Set(truth)].sort();
  const lines = genres.map((genre) => {
    const counts = new Map<number, number>();
    truth.forEach((g, i) => g === genre && counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1));
    const shares = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([cluster, n]) => `c${cluster} ${n}`);
    return `${genre.padEnd(20)} ${shares.join(', ')}`;
  });
  return [`Where each genre's books went (the default, seed ${seed}; cN = cluster N):`, ...lines].join('\n');
}

function baselines(books: number): Baseline[] {
  const tfidf = (f: LibraryFeatures) => {
    const dim = f.vocabulary.length;
    const dense = toDenseMatrix(f.rows, dim);
    return Array.from({ length: f.rows.length }, (_, i) => Array.from(dense.subarray(i * dim, (i + 1) * dim)));
  };
  return [
    { name: 'K-means on TF-IDF (per book)', features: 'book', vectors: tfidf },
    { name: 'K-means on LSA 20 (per book)', features: 'book', vectors: (f, seed) => lsaPooled(f, 20, seed, books) },
    { name: 'K-means on LSA 50 (per book)', features: 'book', vectors: (f, seed) => lsaPooled(f, 50, seed, books) },
    { name: 'K-means on LSA 20 (sample rows, pooled)', features: 'rows', vectors: (f, seed) => lsaPooled(f, 20, seed, books) },
    { name: 'K-means on LSA 30 (sample rows, pooled)', features: 'rows', vectors: (f, seed) => lsaPooled(f, 30, seed, books) },
    { name: 'K-means on LSA 50 (sample rows, pooled)', features: 'rows', vectors: (f, seed) => lsaPooled(f, 50, seed, books) },
    { name: 'consensus on LSA 20 (sample rows, pooled)', features: 'rows', vectors: (f, seed) => lsaPooled(f, 20, seed, books), consensus: 50 },
    { name: 'consensus on LSA 30 (sample rows, pooled)', features: 'rows', vectors: (f, seed) => lsaPooled(f, 30, seed, books), consensus: 50 },
    {
      name: 'consensus over 9 LSA views (20/30/50 x 3 SVD seeds, rows)',
      features: 'rows',
      vectors: (f, seed) => [20, 30, 50].flatMap((c) => [0, 1, 2].map((s) => lsaPooled(f, c, seed * 10 + s, books))),
      consensus: 54,
    },
    ...VIEW_ROWS.map(({ name, view }): Baseline => ({
      name: `K-means on LSA 20, ${name} (rows)`,
      features: 'rows',
      view,
      vectors: (f, seed) => lsaPooled(f, 20, seed, books),
    })),
    {
      name: 'K-means on LSA 20 of words joined to LSA 20 of function words (rows)',
      features: 'rows',
      join: { views: ['functionWords'] },
      vectors: (f, seed, g) => joinedLsa(f, g!, seed, books),
    },
    {
      name: 'K-means on LSA 20 of words joined to LSA 20 of character 3-5-grams (rows)',
      features: 'rows',
      join: { views: ['charNgrams'] },
      vectors: (f, seed, g) => joinedLsa(f, g!, seed, books),
    },
    {
      name: 'consensus on LSA 20 of words joined to LSA 20 of character 3-5-grams (rows)',
      features: 'rows',
      join: { views: ['charNgrams'] },
      vectors: (f, seed, g) => joinedLsa(f, g!, seed, books),
      consensus: 50,
    },
  ];
}

/** Pipelines run through the engine, as a user would: the presets, then each idea alone and together. */
function pipelines(): { name: string; settings: SettingsInput }[] {
  const rows = { features: { sampleRows: true } };
  const classic = RUN_PRESETS.classic;
  return [
    { name: 'Autoencoder as it was (preset classic)', settings: classic },
    { name: 'classic + DEC refinement', settings: { ...classic, refine: { enabled: true } } },
    { name: 'classic + consensus', settings: { ...classic, consensusRuns: 50 } },
    { name: 'classic on sample rows (3000 terms)', settings: { ...classic, features: { ...classic.features, sampleRows: true } } },
    { name: 'AE on sample-row LSA 20, reconstruct self', settings: { ...rows, autoencoder: { inputComponents: 20, target: 'self' }, consensusRuns: 0 } },
    { name: 'AE on sample-row LSA 20, book mean (denoise)', settings: { ...rows, autoencoder: { inputComponents: 20 }, consensusRuns: 0 } },
    { name: 'AE on sample-row LSA 20, reconstruct self + consensus', settings: { ...rows, autoencoder: { inputComponents: 20, target: 'self' } } },
    { name: 'AE on sample-row LSA 20, book mean + consensus', settings: { ...rows, autoencoder: { inputComponents: 20 } } },
    { name: 'AE on sample-row LSA 30, reconstruct self + consensus', settings: { ...rows, autoencoder: { target: 'self' } } },
    { name: 'AE on sample-row LSA 30, book mean (denoise)', settings: { ...rows, consensusRuns: 0 } },
    { name: 'default', settings: {} },
    // no network at all: the rows' LSA 20 pooled per book, then the same consensus (the engine's "embedding": "lsa")
    { name: 'consensus on LSA 20, no network (preset lsa)', settings: { preset: 'lsa' } },
    { name: 'AE on sample-row LSA 50, book mean + consensus', settings: { ...rows, autoencoder: { inputComponents: 50 } } },
    { name: 'AE on sample-row LSA 20, 5-neighbour mean + consensus', settings: { ...rows, autoencoder: { inputComponents: 20, target: 'neighbourMean' } } },
    { name: 'AE on sample-row LSA 20, book mean + self-labelling + consensus', settings: { ...rows, autoencoder: { inputComponents: 20, selfLabelRounds: 3 } } },
    { name: 'AE on sample-row LSA 20, book mean, ensemble of 3 + consensus', settings: { ...rows, autoencoder: { inputComponents: 20, ensemble: 3 } } },
    { name: 'default, ensemble of 3', settings: { autoencoder: { ensemble: 3 } } },
    { name: 'default with input dropout 0.2', settings: { autoencoder: { dropout: 0.2 } } },
    { name: 'default with bottleneck 8', settings: { autoencoder: { embeddingSize: 8 } } },
    { name: 'default with hidden layer 64', settings: { autoencoder: { hiddenLayers: [64] } } },
    { name: 'default with 60 epochs', settings: { autoencoder: { epochs: 60 } } },
    { name: 'default with 20 samples of 500 words', settings: { features: { sampling: { samples: 20, words: 500 } } } },
    { name: 'default, maxDf 0.5 (most common words dropped)', settings: { features: { maxDf: { fraction: 0.5 } } } },
    { name: 'default + DEC refinement (IDEC, in the LSA view)', settings: { refine: { enabled: true } } },
    { name: 'default + light stems (Porter)', settings: { features: { stem: true } } },
    { name: 'default, raw counts (no sublinear tf)', settings: { features: { sublinearTf: false } } },
    // issue 11, the "same book" contrastive term (embed/contrastive.ts): alone, beside the book mean, and their settings
    { name: 'contrastive alone (T 0.1) + consensus', settings: { autoencoder: { reconstructionWeight: 0, contrastiveWeight: 1 } } },
    { name: 'contrastive alone (T 0.5) + consensus', settings: { autoencoder: { reconstructionWeight: 0, contrastiveWeight: 1, temperature: 0.5 } } },
    { name: 'default + contrastive (T 0.1, weight 1)', settings: { autoencoder: { contrastiveWeight: 1 } } },
    { name: 'default + contrastive (T 0.1, weight 0.1)', settings: { autoencoder: { contrastiveWeight: 0.1 } } },
    { name: 'default + contrastive (T 0.5, weight 1)', settings: { autoencoder: { contrastiveWeight: 1, temperature: 0.5 } } },
    { name: 'contrastive alone (T 0.5), 5 samples per book', settings: { autoencoder: { reconstructionWeight: 0, contrastiveWeight: 1, temperature: 0.5, samplesPerBook: 5, batchSize: 40 } } },
    { name: 'contrastive alone (T 0.5) + input dropout 0.2', settings: { autoencoder: { reconstructionWeight: 0, contrastiveWeight: 1, temperature: 0.5, dropout: 0.2 } } },
    { name: 'default, books as the encoding of their mean row', settings: { autoencoder: { pooling: 'meanRow' } } },
    { name: 'contrastive alone (T 1) + consensus', settings: { autoencoder: { reconstructionWeight: 0, contrastiveWeight: 1, temperature: 1 } } },
    { name: 'default + contrastive (T 1, weight 1)', settings: { autoencoder: { contrastiveWeight: 1, temperature: 1 } } },
    ...VIEW_ROWS.map(({ name, view }) => ({ name: `default on ${name}`, settings: { features: view } })),
  ];
}

async function main() {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string', default: 'auto' },
      seeds: { type: 'string', default: '5' },
      // the first seed; seeds run from it upwards (6 with --seeds 5: a check on seeds the defaults were not chosen on)
      from: { type: 'string', default: '1' },
      k: { type: 'string', default: '12' },
      // only the rows whose name matches this regular expression (the default always runs for the stage table)
      only: { type: 'string', default: '' },
      // JSON merged over every pipeline row's settings
      settings: { type: 'string', default: '{}' },
      // with --only: leave out the default's runs and the stage table (the default's figures are known)
      'no-stages': { type: 'boolean', default: false },
      // after the stage table: where each genre's books went in the default's run on the first seed
      confusion: { type: 'boolean', default: false },
      // only half of each genre's books: A or B of the seeded split --split
      half: { type: 'string' },
      split: { type: 'string', default: '1' },
    },
  });
  if (values.half !== undefined && values.half !== 'A' && values.half !== 'B') throw new Error(`--half takes A or B, not ${values.half}`);
  requireCorpus();
  const k = Number(values.k);
  const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => i + Number(values.from));
  const only = values.only ? new RegExp(values.only, 'i') : null;
  const overrides = JSON.parse(values.settings!) as SettingsInput;
  const dir = mkdtempSync(join(tmpdir(), 'shelfmap-bench-'));
  let genres = loadGenres();
  let folder = join(CORPUS, 'books');
  if (values.half) {
    // the half's books copied to a temporary folder (never into the project), their genres keyed by the copy's path
    folder = join(dir, `half-${values.half}`);
    mkdirSync(folder);
    const half = new Map<string, string>();
    for (const path of genreHalf(genres, values.half as 'A' | 'B', Number(values.split))) {
      const copy = join(folder, basename(path));
      copyFileSync(path, copy);
      half.set(copy, genres.get(path)!);
    }
    genres = half;
  }
  const { store, engine, finishedRun } = openLibraryEngine(join(dir, 'library.sqlite'));
  console.log(
    `Shelfmap quality benchmark: ${genres.size} books, ${new Set(genres.values()).size} genres, k = ${k}, seeds ${seeds.join(',')}, ${cpus().length} cores, node ${process.version}` +
      (values.half ? `, half ${values.half} of split ${values.split}` : ''),
  );

  const importStart = performance.now();
  const report = await engine.call('addFolder', { folder });
  const importMs = performance.now() - importStart;
  console.log(`add folder: ${report.added} books in ${secs(importMs)} s (scan, read, decode, strip, tokenise, store); ${report.rejected.length} left out`);
  const books = store.listBooks();
  const truth = books.map((b) => genres.get(b.path) ?? 'unknown');
  const score = (labels: number[], ms: number): Score => ({
    nmi: normalizedMutualInfo(truth, labels),
    ari: adjustedRandIndex(truth, labels),
    seconds: ms / 1000,
  });
  console.log(`default settings: ${JSON.stringify(resolveSettings({}))}`);
  console.log(`\n${'method'.padEnd(NAME_WIDTH)} NMI    (min)  ARI    (min)  seconds`);

  const results: [string, Score[]][] = [];
  const featureSets = new Map<string, LibraryFeatures>();
  const featuresFor = async (kind: Baseline['features'], view: FeatureInput | undefined) => {
    const key = `${kind} ${JSON.stringify(view ?? {})}`;
    let f = featureSets.get(key);
    if (!f) {
      // sample rows read the default features, with --settings and then the row's view over them
      const features = kind === 'book' ? { ...BOOK_FEATURES, ...overrides.features, sampleRows: false } : { ...overrides.features, ...view };
      const start = performance.now();
      f = await libraryFeatures(store, books, resolveSettings({ features }).features);
      featureSets.set(key, f);
      console.log(`  (${key} features: ${f.rows.length} rows, ${f.vocabulary.length} terms, ${secs(performance.now() - start)} s to count and weigh)`);
    }
    return f;
  };
  for (const baseline of baselines(books.length)) {
    if (only && !only.test(baseline.name)) continue;
    const f = await featuresFor(baseline.features, baseline.view);
    const joined = baseline.join ? await featuresFor(baseline.features, baseline.join) : undefined;
    const scores: Score[] = [];
    for (const seed of seeds) {
      const start = performance.now();
      const data = baseline.vectors(f, seed, joined);
      const views = (Array.isArray(data[0][0]) ? data : [data]) as number[][][];
      const best = baseline.consensus
        ? await consensusOfViewsAsync(views, k, { seed, runs: baseline.consensus })
        : await kmeansBestAsync(views[0], k, { seed, restarts: 10 });
      scores.push(score(best.labels, performance.now() - start));
    }
    console.log(summary(baseline.name, scores));
    results.push([baseline.name, scores]);
  }

  const runPipeline = async (name: string, input: SettingsInput) => {
    const scores: Score[] = [];
    const stageTimes: Partial<Record<StageName, number>>[] = [];
    const labelsBySeed: number[][] = [];
    let backend = '';
    for (const seed of seeds) {
      const settings: SettingsInput = { ...input, ...overrides, k, seed, backend: values.backend as SettingsInput['backend'] };
      const runId = await finishedRun({ settings });
      const { run, points } = await engine.call('getRun', { runId });
      const byPath = new Map(points.map((p) => [p.path, p.cluster]));
      const total = Object.values(run.timings).reduce((a, b) => a + (b ?? 0), 0);
      const labels = books.map((b) => byPath.get(b.path)!);
      scores.push(score(labels, total));
      labelsBySeed.push(labels);
      stageTimes.push(run.timings);
      backend = run.backend;
    }
    console.log(summary(`${name} [${backend || 'no network'}]`, scores));
    results.push([name, scores]);
    return { scores, stageTimes, labelsBySeed, backend };
  };

  let def: Awaited<ReturnType<typeof runPipeline>> | undefined;
  for (const { name, settings } of pipelines()) {
    if (only && !only.test(name) && (name !== 'default' || values['no-stages'])) continue;
    const run = await runPipeline(name, settings);
    if (name === 'default') def = run;
  }

  console.log(`\n${'method'.padEnd(NAME_WIDTH)} NMI    (min)  ARI    (min)  seconds`);
  for (const [name, scores] of results) console.log(summary(name, scores));

  if (!def) {
    store.close();
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  console.log(`\nThe default pipeline by seed (backend ${def!.backend || 'none: no network'}), seconds:`);
  const stages: StageName[] = ['features', 'embed', 'cluster', 'refine', 'layout', 'save'];
  console.log(`seed  NMI    ARI    ${stages.map((s) => s.padStart(8)).join(' ')}  run total`);
  def!.scores.forEach((s, i) => {
    const t = def!.stageTimes[i];
    console.log(`${String(seeds[i]).padEnd(5)} ${fmt(s.nmi)}  ${fmt(s.ari)}  ${stages.map((st) => secs(t[st]).padStart(8)).join(' ')}  ${s.seconds.toFixed(2).padStart(9)}`);
  });
  if (values.confusion) console.log(`\n${confusionTable(truth, def!.labelsBySeed[0], seeds[0])}`);
  const meanStage = (st: StageName) => mean(def!.stageTimes.map((t) => t[st] ?? 0));
  console.log(
    `\nend to end, add folder + one default run (mean): ${secs(importMs + mean(def!.scores.map((s) => s.seconds * 1000)))} s ` +
      `= add folder ${secs(importMs)} + ${stages.map((st) => `${st} ${secs(meanStage(st))}`).join(' + ')}`,
  );
  store.close();
  rmSync(dir, { recursive: true, force: true });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
