// Quality and end-to-end time on the real corpus: NMI and ARI against the manifest's genre
// column over several seeds for K-means on TF-IDF, on an LSA reduction, and on the autoencoder
// embeddings with and without DEC refinement; and the time of every stage of the default
// pipeline from adding the folder to the saved map.
//   npm run bench:quality [-- --backend wasm --seeds 5 --k 12 --settings '{"autoencoder":{"epochs":30}}' --no-baselines]
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseCsv } from '../src-shared/csv';
import type { ApiEvents } from '../src-shared/contract';
import type { StageName } from '../src-shared/domain';
import { resolveSettings, type SettingsInput } from '../src-shared/settings';
import { Engine } from '../src-main/engine/engine';
import { Store } from '../src-main/engine/store/store';
import { libraryFeatures } from '../src-main/engine/pipeline';
import { l2NormalizeRows, toDenseMatrix, truncatedSvd } from '../src-main/engine/features';
import { kmeansBestAsync } from '../src-main/engine/cluster';
import { adjustedRandIndex, normalizedMutualInfo } from '../src-main/engine/evaluate';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CORPUS = resolve(root, '..', 'shared', 'corpus', 'gutenberg');

export function loadGenres(): Map<string, string> {
  const [header, ...rows] = parseCsv(readFileSync(join(CORPUS, 'manifest.csv'), 'utf8'));
  const file = header.indexOf('file');
  const genre = header.indexOf('genre');
  return new Map(rows.filter((r) => r.length === header.length).map((r) => [resolve(CORPUS, r[file]), r[genre]]));
}

interface Score {
  nmi: number;
  ari: number;
  seconds: number;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fmt = (x: number) => x.toFixed(3);
const secs = (ms: number | undefined) => (ms === undefined ? '-' : (ms / 1000).toFixed(2));

function summary(name: string, scores: Score[]): string {
  const nmi = scores.map((s) => s.nmi);
  const ari = scores.map((s) => s.ari);
  return `${name.padEnd(34)} ${fmt(mean(nmi))}  ${fmt(Math.min(...nmi))}  ${fmt(mean(ari))}  ${fmt(Math.min(...ari))}  ${mean(scores.map((s) => s.seconds)).toFixed(2).padStart(7)}`;
}

async function main() {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string', default: 'auto' },
      seeds: { type: 'string', default: '5' },
      k: { type: 'string', default: '12' },
      // JSON merged over the defaults, to compare settings
      settings: { type: 'string', default: '{}' },
      'no-baselines': { type: 'boolean', default: false },
    },
  });
  if (!existsSync(join(CORPUS, 'manifest.csv'))) {
    console.error(`The corpus is not at ${CORPUS}: this benchmark needs ../shared/corpus/gutenberg beside the project.`);
    process.exit(1);
  }
  const k = Number(values.k);
  const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => i + 1);
  const overrides = JSON.parse(values.settings!) as SettingsInput;
  const genres = loadGenres();
  const dir = mkdtempSync(join(tmpdir(), 'shelfmap-bench-'));
  const store = new Store(join(dir, 'library.sqlite'));
  const finished: ApiEvents['runFinished'][] = [];
  const engine = new Engine(store, (name, payload) => {
    if (name === 'runFinished') finished.push(payload as ApiEvents['runFinished']);
  });
  console.log(
    `Shelfmap quality benchmark: ${genres.size} books, ${new Set(genres.values()).size} genres, k = ${k}, seeds ${seeds.join(',')}, ${cpus().length} cores, node ${process.version}`,
  );

  const importStart = performance.now();
  const report = await engine.call('addFolder', { folder: join(CORPUS, 'books') });
  const importMs = performance.now() - importStart;
  console.log(`add folder: ${report.added} books in ${secs(importMs)} s (scan, read, decode, strip, tokenise, store); ${report.rejected.length} left out`);
  const books = store.listBooks();
  const truth = books.map((b) => genres.get(b.path) ?? 'unknown');
  const score = (labels: number[], ms: number, order = truth): Score => ({
    nmi: normalizedMutualInfo(order, labels),
    ari: adjustedRandIndex(order, labels),
    seconds: ms / 1000,
  });

  const results: [string, Score[]][] = [];
  if (!values['no-baselines']) {
    const settings = resolveSettings({ ...overrides, k });
    const features = await libraryFeatures(store, books, settings.features);
    const dim = features.vocabulary.length;
    const dense = toDenseMatrix(features.rows, dim);
    const tfidfRows = books.map((_, i) => Array.from(dense.subarray(i * dim, (i + 1) * dim)));
    console.log(`features: ${dim} terms (defaults: ${JSON.stringify(settings.features)})`);
    for (const [name, points] of [
      ['K-means on TF-IDF', async () => tfidfRows],
      ['K-means on LSA 20 (unit rows)', async (seed: number) => l2NormalizeRows(truncatedSvd(features.rows, dim, 20, seed))],
      ['K-means on LSA 50 (unit rows)', async (seed: number) => l2NormalizeRows(truncatedSvd(features.rows, dim, 50, seed))],
    ] as const) {
      const scores: Score[] = [];
      for (const seed of seeds) {
        const start = performance.now();
        const data = await points(seed);
        const best = await kmeansBestAsync(data, k, { seed, restarts: settings.kmeansRestarts });
        scores.push(score(best.labels, performance.now() - start));
      }
      console.log(summary(name, scores));
      results.push([name, scores]);
    }
  }

  const runPipeline = async (name: string, input: SettingsInput) => {
    const scores: Score[] = [];
    const stageTimes: Partial<Record<StageName, number>>[] = [];
    let backend = '';
    for (const seed of seeds) {
      const settings: SettingsInput = { ...input, k, seed, backend: values.backend as SettingsInput['backend'] };
      const { runId } = await engine.call('startRun', { settings });
      await engine.idle();
      const end = finished.find((f) => f.runId === runId)!;
      if (end.status !== 'done') throw new Error(`run ${runId} ${end.status}: ${end.error}`);
      const { run, points } = await engine.call('getRun', { runId });
      const byPath = new Map(points.map((p) => [p.path, p.cluster]));
      const total = Object.values(run.timings).reduce((a, b) => a + (b ?? 0), 0);
      scores.push(score(books.map((b) => byPath.get(b.path)!), total));
      stageTimes.push(run.timings);
      backend = run.backend;
    }
    console.log(summary(`${name} [${backend}]`, scores));
    results.push([name, scores]);
    return { scores, stageTimes, backend };
  };

  const defaults = resolveSettings(overrides);
  const other = !defaults.refine.enabled;
  const def = await runPipeline(`Autoencoder${defaults.refine.enabled ? ' + DEC refinement' : ''} (default)`, overrides);
  if (!values['no-baselines']) {
    await runPipeline(`Autoencoder${other ? ' + DEC refinement' : ' without refinement'}`, {
      ...overrides,
      refine: { ...overrides.refine, enabled: other },
    });
  }

  console.log(`\n${'method'.padEnd(34)} NMI    (min)  ARI    (min)  seconds`);
  for (const [name, scores] of results) console.log(summary(name, scores));

  console.log(`\nThe default pipeline by seed (backend ${def.backend}), seconds:`);
  const stages: StageName[] = ['features', 'embed', 'cluster', 'refine', 'layout', 'save'];
  console.log(`seed  NMI    ARI    ${stages.map((s) => s.padStart(8)).join(' ')}  run total`);
  def.scores.forEach((s, i) => {
    const t = def.stageTimes[i];
    console.log(`${String(seeds[i]).padEnd(5)} ${fmt(s.nmi)}  ${fmt(s.ari)}  ${stages.map((st) => secs(t[st]).padStart(8)).join(' ')}  ${s.seconds.toFixed(2).padStart(9)}`);
  });
  const meanStage = (st: StageName) => mean(def.stageTimes.map((t) => t[st] ?? 0));
  console.log(
    `\nend to end, add folder + one default run (mean): ${secs(importMs + mean(def.scores.map((s) => s.seconds * 1000)))} s ` +
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
