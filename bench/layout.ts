// Layout and clustering at scale, stage by stage, on seeded synthetic clustered 16-D points
// (bench/layout-data.ts: 12 Gaussian blobs of unequal size standing in for book embeddings of
// 12 genres). Prints each stage's time and quality: 5-NN label purity on the map for the layout,
// NMI against the blobs and inertia for the clusterings.
//   npm run bench:layout [-- --points 10000,30000,70000 --stages layout,kmeans,consensus,ksweep --umap-js]
//   npm run bench:layout -- --corpus [--seed 1]
// --corpus: the real corpus's embeddings (a default run) laid out by umap-js and by the large path.
// --umap-js also times umap-js as is (slow: minutes at 10,000 points); --epochs overrides the
// large map's epochs; --restarts the K-means restarts (default 10, the run's default).
// Times are wall clock and this process's CPU time (on a shared machine the CPU time is the
// nearer to what one quiet core takes).
import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORPUS, loadGenres, openLibraryEngine, requireCorpus } from './bench-library';
import { UMAP } from 'umap-js';
import { cpus } from 'node:os';
import { seededBlobs } from './layout-data';
import { cosineDistance, LARGE_LAYOUT_POINTS, largeLayoutEpochs, layout2d, rescaleAxes } from '../src-main/engine/cluster/layout';
import { knnGraphSteps, exactKnnGraph, knnRecall } from '../src-main/engine/cluster/knn';
import { largeUmapSteps, principalStart } from '../src-main/engine/cluster/umap-large';
import { mulberry32 } from '../src-main/engine/cluster/random';
import { runSteps } from '../src-main/engine/cluster/steps';
import { neighbourPurity } from '../src-main/engine/evaluate/neighbour-purity';
import { normalizedMutualInfo } from '../src-main/engine/evaluate/metrics';
import { kmeansBest } from '../src-main/engine/cluster/kmeans';
import { BATCH_SIZE, MINIBATCH_MIN_POINTS } from '../src-main/engine/cluster/minibatch-kmeans';
import { consensusKmeans, CONSENSUS_MAX_POINTS, CONSENSUS_SAMPLE_POINTS } from '../src-main/engine/cluster/consensus';
import { sweepK, SWEEP_MAX_POINTS } from '../src-main/engine/cluster/k-sweep';

const secs = (ms: number) => (ms / 1000).toFixed(2);

/** Wall time, and the CPU time this process spent (on a shared machine, the nearer to a quiet core's time). */
function time<T>(work: () => T): { value: T; ms: number; cpuMs: number } {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const value = work();
  const used = process.cpuUsage(cpu);
  return { value, ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}
const both = (t: { ms: number; cpuMs: number }) => `${secs(t.ms)} s (cpu ${secs(t.cpuMs)} s)`;

function benchLayout(points: number[][], labels: number[], seed: number, epochsAsked?: number): void {
  const n = points.length;
  const knn = time(() => runSteps(knnGraphSteps(points, { k: 15, seed, metric: 'cosine' }), undefined));
  let recall = '';
  if (n <= 10_000) {
    // exact neighbours of a seeded sample of 500 points, by brute force
    const sample = Array.from({ length: 500 }, (_, i) => Math.floor((i * n) / 500));
    let found = 0;
    let total = 0;
    for (const i of sample) {
      const d = points.map((p, j) => ({ j, d: cosineDistance(points[i], p) })).sort((a, b) => a.d - b.d || a.j - b.j);
      const got = new Set(knn.value.indices[i]);
      for (const { j } of d.slice(0, 15)) {
        if (j === i) continue;
        total++;
        if (got.has(j)) found++;
      }
    }
    recall = `, recall vs exact (500 points) ${(found / total).toFixed(3)}`;
  }
  console.log(`  knn graph (rp-forest + nn-descent): ${both(knn)}${recall}`);
  const start = time(() => principalStart(points, seed));
  console.log(`  principal-component start: ${both(start)}`);
  const epochs = epochsAsked ?? largeLayoutEpochs(n);
  const steps = largeUmapSteps(knn.value, { seed, epochs, start: start.value });
  const fuzzy = time(() => steps.next());
  steps.next(); // the start
  const optimise = time(() => {
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
    }
  });
  const coords = rescaleAxes(optimise.value);
  console.log(`  fuzzy set: ${both(fuzzy)}; ${epochs} epochs: ${both(optimise)}`);
  const parts = [knn, start, fuzzy, optimise];
  const total = { ms: parts.reduce((s, p) => s + p.ms, 0), cpuMs: parts.reduce((s, p) => s + p.cpuMs, 0) };
  console.log(`  layout total ${both(total)}; 5-NN purity on the map ${neighbourPurity(coords, labels).toFixed(3)}`);
}

function benchUmapJs(points: number[][], labels: number[], seed: number): void {
  // umap-js as layout.ts calls it at or below LARGE_LAYOUT_POINTS, phase by phase
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const u: any = new UMAP({ nComponents: 2, nNeighbors: 15, minDist: 0.1, random: mulberry32(seed), distanceFn: cosineDistance });
  u.X = points;
  const knn = time(() => u.nearestNeighbors(points));
  u.knnIndices = knn.value.knnIndices;
  u.knnDistances = knn.value.knnDistances;
  const fuzzy = time(() => (u.graph = u.fuzzySimplicialSet(points, 15, 1)));
  const rest = time(() => {
    u.makeSearchFns();
    u.searchGraph = u.makeSearchGraph(points);
    Object.assign(u.optimizationState, u.initializeSimplicialSetEmbedding());
    u.initializeOptimization();
    u.prepareForOptimizationLoop();
  });
  const epochs = u.getNEpochs();
  const optimise = time(() => {
    for (let e = 0; e < epochs; e++) u.step();
  });
  const coords = rescaleAxes(u.getEmbedding());
  console.log(
    `  umap-js: knn ${both(knn)}, fuzzy set ${both(fuzzy)}, search graph + init ${both(rest)}, ${epochs} epochs ${both(optimise)}; ` +
      `total ${secs(knn.ms + fuzzy.ms + rest.ms + optimise.ms)} s (cpu ${secs(knn.cpuMs + fuzzy.cpuMs + rest.cpuMs + optimise.cpuMs)} s); 5-NN purity ${neighbourPurity(coords, labels).toFixed(3)}`,
  );
  if (points.length <= 3000) {
    const exact = exactKnnGraph(points, 15, 'cosine');
    console.log(`  umap-js knn recall vs exact ${knnRecall({ indices: u.knnIndices, distances: u.knnDistances }, exact).toFixed(3)}`);
  }
}

/**
 * Real embeddings: a default run (k = 12, this seed) on the corpus, then its books' embeddings
 * (what the layout is given) laid out by umap-js (the run's own map) and by the large-map path,
 * with the 5-NN genre purity of each.
 */
async function benchCorpus(seed: number): Promise<void> {
  requireCorpus();
  const genres = loadGenres();
  const dir = mkdtempSync(join(tmpdir(), 'shelfmap-bench-layout-'));
  try {
    const { store, engine, finishedRun } = openLibraryEngine(join(dir, 'library.sqlite'));
    await engine.call('addFolder', { folder: join(CORPUS, 'books') });
    const runId = await finishedRun({ settings: { k: 12, seed } });
    // in the order the run laid them out (the library's: title as SQLite's NOCASE sorts, then id): UMAP's result depends on it
    const nocase = (t: string) => t.replace(/[A-Z]/g, (c) => c.toLowerCase());
    const byTitle = (a: { title: string; bookId: number }, b: { title: string; bookId: number }) => {
      const x = nocase(a.title);
      const y = nocase(b.title);
      return x < y ? -1 : x > y ? 1 : a.bookId - b.bookId;
    };
    const points = (await engine.call('getRun', { runId })).points.slice().sort(byTitle);
    const placement = store.runPlacement(runId)!;
    const embeddings = points.map((p) => Array.from(placement.embeddings.get(p.bookId)!));
    const genre = points.map((p) => genres.get(p.path) ?? '');
    const run = points.map((p) => [p.x, p.y]);
    console.log(`
corpus, ${points.length} books, seed ${seed} (${embeddings[0].length}-D embeddings of a default run)`);
    console.log(`  the run's map (umap-js): 5-NN genre purity ${neighbourPurity(run, genre).toFixed(3)}`);
    const small = time(() => layout2d(embeddings, { seed }));
    console.log(`  layout2d as is: ${both(small)}, 5-NN genre purity ${neighbourPurity(small.value, genre).toFixed(3)}, largest difference from the run's map ${Math.max(...small.value.flatMap((p, i) => [Math.abs(p[0] - run[i][0]), Math.abs(p[1] - run[i][1])])).toExponential(1)}`);
    const large = time(() => layout2d(embeddings, { seed, largeFrom: 0 }));
    console.log(`  the large-map path forced (largeFrom 0): ${both(large)}, 5-NN genre purity ${neighbourPurity(large.value, genre).toFixed(3)}`);
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      points: { type: 'string', default: '10000,30000,70000' },
      stages: { type: 'string', default: 'layout,kmeans,consensus,ksweep' },
      seed: { type: 'string', default: '1' },
      'umap-js': { type: 'boolean', default: false },
      corpus: { type: 'boolean', default: false },
      epochs: { type: 'string' },
      restarts: { type: 'string', default: '10' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('npm run bench:layout [-- --points 10000,30000,70000 --stages layout,kmeans,consensus,ksweep --seed 1 --restarts 10 --epochs N --umap-js]');
    console.log('npm run bench:layout -- --corpus [--seed 1]   (a default run on ../shared/corpus/gutenberg; its embeddings laid out both ways)');
    return;
  }
  if (values.corpus) {
    await benchCorpus(Number(values.seed));
    return;
  }
  const sizes = values.points.split(',').map(Number);
  const stages = new Set(values.stages.split(','));
  const seed = Number(values.seed);
  console.log(
    `Shelfmap layout/clustering benchmark: seeded 16-D blobs (12 groups), seed ${seed}, ${cpus().length} cores, node ${process.version}; ` +
      `large-map path above ${LARGE_LAYOUT_POINTS} points`,
  );
  for (const n of sizes) {
    const { points, labels } = seededBlobs(n, { seed });
    console.log(`\n${n} points`);
    if (stages.has('layout')) {
      if (values['umap-js']) benchUmapJs(points, labels, seed);
      benchLayout(points, labels, seed, values.epochs === undefined ? undefined : Number(values.epochs));
    }
    await benchClustering(points, labels, seed, stages, Number(values.restarts));
  }
}

async function benchClustering(points: number[][], labels: number[], seed: number, stages: Set<string>, restarts: number): Promise<void> {
  const n = points.length;
  const k = 12;
  const report = (name: string, t: { ms: number; cpuMs: number }, result: { labels: number[]; inertia: number }) =>
    console.log(`  ${name}: ${both(t)}, inertia ${result.inertia.toFixed(0)}, NMI vs blobs ${normalizedMutualInfo(labels, result.labels).toFixed(3)}`);
  if (stages.has('kmeans')) {
    const full = time(() => kmeansBest(points, k, { seed, restarts, miniBatchFrom: Infinity }));
    report(`K-means, full Lloyd (ml-kmeans), k ${k}, ${restarts} restarts`, full, full.value);
    const mini = time(() => kmeansBest(points, k, { seed, restarts, miniBatchFrom: 0 }));
    report(`K-means, mini-batch (${BATCH_SIZE}), k ${k}, ${restarts} restarts${n > MINIBATCH_MIN_POINTS ? ' [the default here]' : ''}`, mini, mini.value);
  }
  if (stages.has('consensus')) {
    const consensus = time(() => consensusKmeans(points, k, { seed, runs: 50 }));
    const how = n > CONSENSUS_MAX_POINTS ? `on a sample of ${CONSENSUS_SAMPLE_POINTS}, then K-means from its groups` : 'on every point';
    report(`consensus of 50 runs ${how}`, consensus, consensus.value);
  }
  if (stages.has('ksweep')) {
    const sweep = await timeAsync(() => sweepK(points, { min: 2, max: 30, seed, restarts }));
    console.log(`  k sweep 2..30 (${restarts} restarts${n > SWEEP_MAX_POINTS ? `, on a sample of ${SWEEP_MAX_POINTS}` : ''}): ${both(sweep)}, proposed k = ${sweep.value.proposed}, elbow ${sweep.value.elbow}`);
  }
}

async function timeAsync<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; cpuMs: number }> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const value = await work();
  const used = process.cpuUsage(cpu);
  return { value, ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
