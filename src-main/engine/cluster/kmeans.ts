// K-means with several seeded k-means++ restarts (ml-kmeans does one run per call); the run with
// the lowest inertia wins, and clusters are renumbered by size so colours and CSVs repeat.
// Above MINIBATCH_MIN_POINTS each restart is fitted on mini-batches (minibatch-kmeans.ts).
import { kmeansGenerator } from 'ml-kmeans';
import { Random } from 'ml-random';
import { ShelfmapError } from '../../../src-shared/errors';
import { deriveSeed } from './random';
import { BATCH_SIZE, MINIBATCH_MIN_POINTS, miniBatchKmeansSteps, typedLloydSteps } from './minibatch-kmeans';
import { runSteps, runStepsAsync, type Steps } from './steps';

export interface KMeansOptions {
  seed: number;
  /** Independent k-means++ starts; the one with the lowest inertia is kept. */
  restarts: number;
  /** Lloyd iterations per start (default 100). */
  maxIterations?: number;
  /** Mini-batches from this many points on (default MINIBATCH_MIN_POINTS + 1; tests and benchmarks move it). */
  miniBatchFrom?: number;
  /** Full Lloyd iterations by minibatch-kmeans.ts's typed-array version rather than ml-kmeans (the sampled k sweep's: faster, other numbers). */
  typedLloyd?: boolean;
  signal?: AbortSignal;
}

export interface KMeansBestResult {
  /** Cluster of each point, 0..k-1; cluster 0 is the largest. */
  labels: number[];
  /** Mean of each cluster's points, in label order. */
  centroids: number[][];
  /** Sum of squared Euclidean distances from each point to its cluster's centroid. */
  inertia: number;
  /** Which restart (0-based) produced this result. */
  restart: number;
  /** Set when fewer clusters than asked for were made, saying why. */
  note?: string;
}

const DEFAULT_MAX_ITERATIONS = 100;

/** Best of `restarts` seeded k-means++ runs. Synchronous: the signal is checked between iterations. */
export function kmeansBest(data: number[][], k: number, options: KMeansOptions): KMeansBestResult {
  return runSteps(kmeansSteps(data, k, options), options.signal);
}

/** As kmeansBest, but gives the event loop a turn now and then so a cancel message can arrive. */
export function kmeansBestAsync(data: number[][], k: number, options: KMeansOptions): Promise<KMeansBestResult> {
  return runStepsAsync(kmeansSteps(data, k, options), options.signal);
}

export function* kmeansSteps(data: number[][], k: number, options: KMeansOptions): Steps<KMeansBestResult> {
  const { seed, restarts } = options;
  const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  validateArguments(data, k, options, maxIterations);

  const n = data.length;
  const notes: string[] = [];
  let clusters = k;
  if (clusters > n) {
    notes.push(`Asked for ${k} clusters but there are only ${n} books, so ${n} clusters were made.`);
    clusters = n;
  }
  // k-means++ cannot seed more clusters than there are distinct points (the rest would be empty).
  const distinct = countDistinctRows(data, clusters);
  if (distinct < clusters) {
    notes.push(
      `Only ${distinct} of the ${n} books differ in their features, so ${distinct} cluster${distinct === 1 ? ' was' : 's were'} made instead of ${clusters}.`,
    );
    clusters = distinct;
  }

  const miniBatch = n >= (options.miniBatchFrom ?? MINIBATCH_MIN_POINTS + 1);
  if (miniBatch) notes.push(`K-means was fitted on mini-batches of ${BATCH_SIZE} books (above ${MINIBATCH_MIN_POINTS.toLocaleString('en')} books), then every book assigned.`);
  let best: { labels: number[]; centroids: number[][]; inertia: number; restart: number } | undefined;
  for (let restart = 0; restart < restarts; restart++) {
    const labels = miniBatch
      ? yield* miniBatchKmeansSteps(data, clusters, deriveSeed(seed, restart))
      : options.typedLloyd
        ? yield* typedLloydSteps(data, clusters, deriveSeed(seed, restart), maxIterations)
        : yield* lloydSteps(data, clusters, deriveSeed(seed, restart), maxIterations);
    fillEmptyClusters(data, labels, clusters);
    const centroids = clusterMeans(data, labels, clusters);
    const inertia = computeInertia(data, labels, centroids);
    if (!best || inertia < best.inertia) best = { labels, centroids, inertia, restart };
  }
  if (!best) throw new ShelfmapError('internal', 'K-means made no run.');

  const { labels, centroids } = relabelBySize(best.labels, best.centroids);
  const result: KMeansBestResult = { labels, centroids, inertia: best.inertia, restart: best.restart };
  if (notes.length > 0) result.note = notes.join(' ');
  return result;
}

function validateArguments(data: number[][], k: number, options: KMeansOptions, maxIterations: number): void {
  if (!Array.isArray(data) || data.length === 0) {
    throw new ShelfmapError('no-books', 'There are no books to cluster.');
  }
  if (!Number.isInteger(k) || k < 1) {
    throw new ShelfmapError('invalid-argument', `The number of clusters must be a whole number of at least 1 (got ${k}).`);
  }
  if (!Number.isInteger(options.restarts) || options.restarts < 1) {
    throw new ShelfmapError('invalid-argument', `K-means restarts must be a whole number of at least 1 (got ${options.restarts}).`);
  }
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new ShelfmapError('invalid-argument', `K-means iterations must be a whole number of at least 1 (got ${maxIterations}).`);
  }
  if (!Number.isInteger(options.seed)) {
    throw new ShelfmapError('invalid-argument', `The seed must be a whole number (got ${options.seed}).`);
  }
  const dims = data[0]?.length ?? 0;
  if (dims === 0) throw new ShelfmapError('invalid-argument', 'The points to cluster have no features.');
  data.forEach((row, i) => {
    if (row.length !== dims) {
      throw new ShelfmapError('invalid-argument', `Point ${i} has ${row.length} values; the first point has ${dims}.`);
    }
    for (const value of row) {
      if (!Number.isFinite(value)) throw new ShelfmapError('invalid-argument', `Point ${i} holds a value that is not a finite number.`);
    }
  });
}

/** One k-means++ start followed by Lloyd iterations, yielding after each; returns a copy of the final labels. */
function* lloydSteps(data: number[][], k: number, seed: number, maxIterations: number): Steps<number[]> {
  let labels: number[] | undefined;
  // ml-kmeans' own k-means++ start, made by kmeansPlusPlusStart: the same centres for less time
  const initialization = kmeansPlusPlusStart(data, k, seed);
  for (const step of kmeansGenerator(data, k, { seed, maxIterations, initialization })) {
    labels = step.clusters;
    yield;
  }
  if (!labels) throw new ShelfmapError('internal', 'K-means made no iteration.');
  return labels.slice();
}

/**
 * The centres ml-kmeans' k-means++ start (its initialization.js kmeanspp, with its defaults)
 * picks for `data`, `k` and `seed`, number for number: the same draws from the same ml-random
 * generator, the same sums in the same order. ml-kmeans makes each candidate's distances to
 * every point through ml-matrix rows copied into new arrays: 44% of the consensus stage's time at
 * 10,000 books (50 runs on 2,000), where this takes a few typed-array passes.
 */
export function kmeansPlusPlusStart(data: number[][], k: number, seed: number): number[][] {
  const n = data.length;
  const random = new Random(seed);
  const trials = 2 + Math.floor(Math.log(k));
  const first = random.randInt(n);
  const centres = [data[first].slice()];
  // each point's squared distance to its nearest centre so far
  let closest = new Float64Array(n);
  for (let i = 0; i < n; i++) closest[i] = squaredDistance(data[i], centres[0]);
  let tried = new Float64Array(n);
  let kept = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    const candidates = random.choice(n, { replace: true, size: trials, probabilities: probabilitiesOf(closest) });
    let best = -1;
    let bestPotential = Infinity;
    for (const candidate of candidates) {
      const centre = data[candidate];
      let potential = 0;
      for (let i = 0; i < n; i++) {
        const nearest = Math.min(closest[i], squaredDistance(centre, data[i]));
        tried[i] = nearest;
        potential += nearest;
      }
      if (potential < bestPotential) {
        best = candidate;
        bestPotential = potential;
        [kept, tried] = [tried, kept];
      }
    }
    // ml-kmeans fails here too (a row index out of range): no candidate lowered the potential from Infinity
    if (best < 0) throw new ShelfmapError('internal', 'The k-means++ start found no centre.');
    centres.push(data[best].slice());
    [closest, kept] = [kept, closest];
  }
  return centres;
}

/** ml-kmeans' probabilities of each point as the next centre: its distance times 1 / the sum of all (ml-spectra-processing's xSum, from the first). */
function probabilitiesOf(closest: Float64Array): number[] {
  let sum = closest[0];
  for (let i = 1; i < closest.length; i++) sum += closest[i];
  const scale = 1 / sum;
  return Array.from(closest, (distance) => distance * scale);
}

/** Distinct rows, counting only up to `limit` (enough to know whether `limit` clusters can be seeded). */
export function countDistinctRows(data: number[][], limit: number): number {
  const representatives: number[][] = [];
  for (const row of data) {
    if (!representatives.some((rep) => sameRow(rep, row))) {
      representatives.push(row);
      if (representatives.length >= limit) break;
    }
  }
  return representatives.length;
}

function sameRow(a: number[], b: number[]): boolean {
  for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return false;
  return true;
}

/**
 * Squared Euclidean distance, summed in index order: the same bits as ml-distance-euclidean's
 * squaredEuclidean, which ml-kmeans' start uses ((p - q) * (p - q) is d * d of the same d).
 */
function squaredDistance(a: number[], b: number[]): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) {
    const d = a[j] - b[j];
    sum += d * d;
  }
  return sum;
}

/** Mean of each cluster's points; an empty cluster gets the zero vector (callers fill clusters first). */
export function clusterMeans(data: number[][], labels: number[], k: number): number[][] {
  const dims = data[0].length;
  const sums = Array.from({ length: k }, () => new Array<number>(dims).fill(0));
  const counts = new Array<number>(k).fill(0);
  data.forEach((row, i) => {
    const sum = sums[labels[i]];
    counts[labels[i]]++;
    for (let j = 0; j < dims; j++) sum[j] += row[j];
  });
  return sums.map((sum, c) => (counts[c] > 0 ? sum.map((v) => v / counts[c]) : sum));
}

export function computeInertia(data: number[][], labels: number[], centroids: number[][]): number {
  let inertia = 0;
  data.forEach((row, i) => {
    inertia += squaredDistance(row, centroids[labels[i]]);
  });
  return inertia;
}

/**
 * Lloyd iterations can leave a cluster empty (ml-kmeans then keeps its old centre). Give each
 * empty cluster the point farthest from its own centroid, taken from a cluster of two or more,
 * as scikit-learn does; this only lowers the inertia. Mutates `labels`.
 */
export function fillEmptyClusters(data: number[][], labels: number[], k: number): void {
  for (;;) {
    const sizes = new Array<number>(k).fill(0);
    for (const label of labels) sizes[label]++;
    const empty = sizes.indexOf(0);
    if (empty < 0) return;
    const centroids = clusterMeans(data, labels, k);
    let farthest = -1;
    let farthestDistance = -1;
    data.forEach((row, i) => {
      if (sizes[labels[i]] < 2) return;
      const distance = squaredDistance(row, centroids[labels[i]]);
      if (distance > farthestDistance) {
        farthest = i;
        farthestDistance = distance;
      }
    });
    // No cluster has two points: more clusters than points, which callers prevent.
    if (farthest < 0) throw new ShelfmapError('internal', 'Cannot fill an empty cluster: too few points.');
    labels[farthest] = empty;
  }
}

/**
 * Renumbers clusters by size, largest first; equal sizes are ordered by the first point each
 * holds, so the numbering depends only on the partition, not on ml-kmeans' internal order.
 */
export function relabelBySize(labels: number[], centroids: number[][]): { labels: number[]; centroids: number[][] } {
  const k = centroids.length;
  const sizes = new Array<number>(k).fill(0);
  const firstPoint = new Array<number>(k).fill(Number.POSITIVE_INFINITY);
  labels.forEach((label, i) => {
    sizes[label]++;
    if (i < firstPoint[label]) firstPoint[label] = i;
  });
  const order = Array.from({ length: k }, (_, c) => c).sort(
    (a, b) => sizes[b] - sizes[a] || firstPoint[a] - firstPoint[b] || a - b,
  );
  const newId = new Array<number>(k);
  order.forEach((oldId, rank) => {
    newId[oldId] = rank;
  });
  return { labels: labels.map((label) => newId[label]), centroids: order.map((oldId) => centroids[oldId]) };
}
