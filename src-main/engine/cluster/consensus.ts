// Consensus clustering (evidence accumulation, Fred & Jain 2005): many single-start K-means runs
// vote on which books belong together, and average linkage cuts the vote matrix into k groups.
// One K-means start can land in a poor local minimum; the vote of many rarely does, so the worst
// seed of a benchmark rises more than the mean (see docs/benchmarks.md).
import { ShelfmapError } from '../../../src-shared/errors';
import { clusterMeans, computeInertia, fillEmptyClusters, kmeansSteps, relabelBySize, type KMeansBestResult } from './kmeans';
import { deriveSeed, mulberry32 } from './random';
import { shuffleInPlace } from '../random';
import { runStepsAsync, runSteps, type Steps } from './steps';
import { lloydFromSteps } from './minibatch-kmeans';

export interface ConsensusOptions {
  seed: number;
  /** Single-start K-means runs that vote. */
  runs: number;
  signal?: AbortSignal;
}

/**
 * Above this many books the n x n vote matrix and the O(n^2) linkage get slow (and 400 MB at
 * 5,000): the vote is then taken on a seeded sample of CONSENSUS_SAMPLE_POINTS books, and
 * K-means over every book starts from the centres of the sample's groups.
 */
export const CONSENSUS_MAX_POINTS = 5000;
export const CONSENSUS_SAMPLE_POINTS = 2000;
/** Lloyd iterations over every book after a sampled vote, at most. */
const FINAL_LLOYD_ITERATIONS = 100;
/** The sample's seed stream, apart from the runs'. */
const SAMPLE_STREAM = 7 << 20;

/** Seed streams of the voting runs, apart from kmeansBest's restart streams. */
const RUN_STREAM = 1 << 20;

export function consensusKmeans(data: number[][], k: number, options: ConsensusOptions): KMeansBestResult {
  return runSteps(consensusSteps([data], k, options), options.signal);
}

export function consensusKmeansAsync(data: number[][], k: number, options: ConsensusOptions): Promise<KMeansBestResult> {
  return runStepsAsync(consensusSteps([data], k, options), options.signal);
}

/**
 * Consensus over several views of the same books (embeddings from differently seeded networks,
 * say): the runs take the views in turn, and all vote in one matrix. Centroids and inertia are
 * reported in the first view.
 */
export function consensusOfViewsAsync(views: number[][][], k: number, options: ConsensusOptions): Promise<KMeansBestResult> {
  return runStepsAsync(consensusSteps(views, k, options), options.signal);
}

function* consensusSteps(views: number[][][], k: number, options: ConsensusOptions): Steps<KMeansBestResult> {
  const data = views[0];
  if (!data || views.some((view) => view.length !== data.length)) {
    throw new ShelfmapError('invalid-argument', 'Every view in a consensus must hold the same books.');
  }
  if (!Number.isInteger(options.runs) || options.runs < 1) {
    throw new ShelfmapError('invalid-argument', `Consensus runs must be a whole number of at least 1 (got ${options.runs}).`);
  }
  const n = data.length;
  if (n > CONSENSUS_MAX_POINTS) return yield* sampledConsensusSteps(views, k, options);
  // co-association: how many runs put books i and j together (upper triangle used)
  const votes = new Float64Array(n * n);
  let clusters = k;
  let note: string | undefined;
  for (let run = 0; run < options.runs; run++) {
    const result = yield* kmeansSteps(views[run % views.length], k, { seed: deriveSeed(options.seed, RUN_STREAM + run), restarts: 1 });
    clusters = result.centroids.length;
    note = result.note;
    const members = Array.from({ length: clusters }, () => [] as number[]);
    result.labels.forEach((label, i) => members[label].push(i));
    for (const group of members) {
      for (let a = 0; a < group.length; a++) for (let b = a + 1; b < group.length; b++) votes[group[a] * n + group[b]]++;
    }
    yield;
  }
  const labels = yield* averageLinkage(votes, n, clusters, options.runs);
  const centroids = clusterMeans(data, labels, clusters);
  const relabelled = relabelBySize(labels, centroids);
  const result: KMeansBestResult = { ...relabelled, inertia: computeInertia(data, relabelled.labels, relabelled.centroids), restart: 0 };
  if (note) result.note = note;
  return result;
}

/**
 * Consensus on a seeded sample of the books, then K-means over every book (sampled ones too) in
 * the first view, started from the centres of the sample's groups.
 */
function* sampledConsensusSteps(views: number[][][], k: number, options: ConsensusOptions): Steps<KMeansBestResult> {
  const data = views[0];
  const n = data.length;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  shuffleInPlace(order, mulberry32(deriveSeed(options.seed, SAMPLE_STREAM)));
  const sample = Array.from(order.subarray(0, CONSENSUS_SAMPLE_POINTS)).sort((a, b) => a - b);
  const onSample = yield* consensusSteps(
    views.map((view) => sample.map((i) => view[i])),
    k,
    options,
  );
  // every book to the nearest group's centre, then Lloyd iterations over all the books from
  // there: assigning alone measured lower NMI than plain K-means (docs/benchmarks.md)
  const k2 = onSample.centroids.length;
  const d = data[0].length;
  const flat = new Float64Array(n * d);
  data.forEach((row, i) => flat.set(row, i * d));
  const centres = new Float64Array(k2 * d);
  onSample.centroids.forEach((centre, c) => centres.set(centre, c * d));
  const labels = yield* lloydFromSteps(flat, d, centres, FINAL_LLOYD_ITERATIONS);
  fillEmptyClusters(data, labels, k2);
  const relabelled = relabelBySize(labels, clusterMeans(data, labels, k2));
  const sampled = `Consensus of ${options.runs} K-means runs on a sample of ${CONSENSUS_SAMPLE_POINTS.toLocaleString('en')} of the ${n.toLocaleString('en')} books (above ${CONSENSUS_MAX_POINTS.toLocaleString('en')} the vote is sampled), then K-means over every book from the groups' centres.`;
  return {
    ...relabelled,
    inertia: computeInertia(data, relabelled.labels, relabelled.centroids),
    restart: 0,
    note: onSample.note ? `${sampled} ${onSample.note}` : sampled,
  };
}

/**
 * Agglomerative clustering on the distance 1 - votes/runs with average linkage, merged until
 * `k` groups remain; labels 0..k-1 by the order groups are first met. Each step merges the
 * closest pair (ties: the lower indices), updating distances by Lance-Williams. O(n^2) memory,
 * O(n^2) per merge in the worst case, with each row's nearest neighbour cached.
 */
export function* averageLinkage(votes: Float64Array, n: number, k: number, runs: number): Steps<number[]> {
  const distance = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = 1 - votes[i * n + j] / runs;
      distance[i * n + j] = d;
      distance[j * n + i] = d;
    }
  }
  const size = new Int32Array(n).fill(1);
  const alive = new Uint8Array(n).fill(1);
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const nearest = new Int32Array(n).fill(-1);
  const nearestDistance = new Float64Array(n).fill(Infinity);
  const refresh = (i: number) => {
    nearest[i] = -1;
    nearestDistance[i] = Infinity;
    for (let j = 0; j < n; j++) {
      if (j !== i && alive[j] && distance[i * n + j] < nearestDistance[i]) {
        nearestDistance[i] = distance[i * n + j];
        nearest[i] = j;
      }
    }
  };
  for (let i = 0; i < n; i++) refresh(i);

  for (let groups = n; groups > k; groups--) {
    let a = -1;
    for (let i = 0; i < n; i++) if (alive[i] && nearest[i] >= 0 && (a < 0 || nearestDistance[i] < nearestDistance[a])) a = i;
    if (a < 0) break;
    const b = nearest[a];
    const [keep, gone] = a < b ? [a, b] : [b, a];
    for (let j = 0; j < n; j++) {
      if (!alive[j] || j === keep || j === gone) continue;
      const d = (size[keep] * distance[keep * n + j] + size[gone] * distance[gone * n + j]) / (size[keep] + size[gone]);
      distance[keep * n + j] = d;
      distance[j * n + keep] = d;
    }
    alive[gone] = 0;
    size[keep] += size[gone];
    parent[gone] = keep;
    // the distances to `keep` read along its row, not down its column (the same numbers: the
    // matrix is kept symmetric), so this pass reads memory in order
    const keepRow = keep * n;
    for (let i = 0; i < n; i++) {
      if (!alive[i]) continue;
      if (i === keep || nearest[i] === keep || nearest[i] === gone) refresh(i);
      else if (distance[keepRow + i] < nearestDistance[i]) {
        nearestDistance[i] = distance[keepRow + i];
        nearest[i] = keep;
      }
    }
    yield;
  }
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i];
    return i;
  };
  const labelOf = new Map<number, number>();
  return Array.from({ length: n }, (_, i) => {
    const r = root(i);
    if (!labelOf.has(r)) labelOf.set(r, labelOf.size);
    return labelOf.get(r)!;
  });
}
