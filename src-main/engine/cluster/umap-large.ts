// UMAP (McInnes, Healy & Melville 2018) for large libraries, over flat typed arrays: the same
// steps as umap-learn and umap-js (fuzzy simplicial set of a k-NN graph, then stochastic
// gradient descent with negative sampling), fed by the approximate k-NN graph of knn.ts and
// started from the data's first two principal components (umap-learn's init='pca') rather than
// at random, so that the few epochs a large map gets start from its global shape. umap-js as is
// took 113 s at 10,000 points here (its sparse matrices are string-keyed maps), and grows
// faster than linearly; this grows linearly in points x neighbours x epochs.
import type { KnnGraph } from './knn';
import type { Steps } from './steps';

export interface LargeUmapOptions {
  seed: number;
  /** Where the points start: their first two principal components (principalStart). */
  start: number[][];
  /** Optimisation epochs (umap-learn: 200 above 10,000 points). */
  epochs: number;
}

/**
 * a and b of the low-dimensional similarity 1 / (1 + a d^2b), fitted by umap-js for spread 1 and
 * min_dist 0.1 (layout.ts's MIN_DIST); umap-learn fits the same curve to 1.577, 0.895.
 */
const CURVE_A = 1.5769434603113077;
const CURVE_B = 0.8950608779109733;
const NEGATIVE_SAMPLE_RATE = 5;
const CLIP = 4;
const SMOOTH_K_TOLERANCE = 1e-5;
const MIN_K_DIST_SCALE = 1e-3;

/** The 2-D embedding (not rescaled), one epoch per step. */
export function* largeUmapSteps(graph: KnnGraph, options: LargeUmapOptions): Steps<number[][]> {
  const n = graph.indices.length;
  const { head, tail, weights } = fuzzySimplicialSet(graph, n);
  yield;
  const embedding = scaledStart(options.start, options.seed);
  const optimiser = new Optimiser(head, tail, weights, n, options.epochs, options.seed);
  yield;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    optimiser.epoch(embedding, epoch);
    yield;
  }
  return Array.from({ length: n }, (_, i) => [embedding[2 * i], embedding[2 * i + 1]]);
}

/** umap-learn's optimize_layout_euclidean (move_other on), one epoch per call, kept out of the generator so V8 optimises it. */
class Optimiser {
  private readonly from: Int32Array;
  private readonly to: Int32Array;
  private readonly epochsPerSample: Float64Array;
  private readonly epochOfNextSample: Float64Array;
  private readonly epochsPerNegative: Float64Array;
  private readonly epochOfNextNegative: Float64Array;
  private state: number;

  constructor(
    head: Int32Array,
    tail: Int32Array,
    weights: Float64Array,
    private readonly n: number,
    private readonly epochs: number,
    seed: number,
  ) {
    let maxWeight = 0;
    for (const w of weights) maxWeight = Math.max(maxWeight, w);
    // edges too weak to be sampled once in the run are dropped, as in umap-learn
    let m = 0;
    for (let e = 0; e < weights.length; e++) if (weights[e] >= maxWeight / epochs) m++;
    this.from = new Int32Array(m);
    this.to = new Int32Array(m);
    this.epochsPerSample = new Float64Array(m);
    for (let e = 0, i = 0; e < weights.length; e++) {
      if (weights[e] < maxWeight / epochs) continue;
      this.from[i] = head[e];
      this.to[i] = tail[e];
      this.epochsPerSample[i] = maxWeight / weights[e];
      i++;
    }
    this.epochOfNextSample = Float64Array.from(this.epochsPerSample);
    this.epochsPerNegative = this.epochsPerSample.map((x) => x / NEGATIVE_SAMPLE_RATE);
    this.epochOfNextNegative = Float64Array.from(this.epochsPerNegative);
    this.state = (seed ^ 0x5bd1e995) >>> 0 || 1;
  }

  epoch(embedding: Float64Array, epoch: number): void {
    const { from, to, epochsPerSample, epochOfNextSample, epochsPerNegative, epochOfNextNegative } = this;
    // unsigned, so that (state >>> 0) % n below compiles to an integer remainder, not a
    // floating-point one (the same number: both are whole numbers below 2^32)
    const n = this.n >>> 0;
    const a = CURVE_A;
    const b = CURVE_B;
    const alpha = 1 - epoch / this.epochs;
    let state = this.state;
    const m = from.length;
    for (let i = 0; i < m; i++) {
      if (epochOfNextSample[i] > epoch) continue;
      const jx = 2 * from[i];
      const kx = 2 * to[i];
      let dx = embedding[jx] - embedding[kx];
      let dy = embedding[jx + 1] - embedding[kx + 1];
      let d2 = dx * dx + dy * dy;
      if (d2 > 0) {
        const power = Math.pow(d2, b - 1);
        const coefficient = (-2 * a * b * power) / (a * power * d2 + 1);
        const gx = clip(coefficient * dx) * alpha;
        const gy = clip(coefficient * dy) * alpha;
        embedding[jx] += gx;
        embedding[jx + 1] += gy;
        embedding[kx] -= gx;
        embedding[kx + 1] -= gy;
      }
      epochOfNextSample[i] += epochsPerSample[i];
      const negatives = Math.floor((epoch - epochOfNextNegative[i]) / epochsPerNegative[i]);
      // only point j moves while its negative samples push it: its place is held here and
      // written back after them (the same sums in the same order; ox is never j)
      let x = embedding[jx];
      let y = embedding[jx + 1];
      for (let p = 0; p < negatives; p++) {
        // xorshift32, inline: a seeded draw per negative sample, so the map repeats
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        const ox = 2 * ((state >>> 0) % n);
        if (ox === jx) continue;
        dx = x - embedding[ox];
        dy = y - embedding[ox + 1];
        d2 = dx * dx + dy * dy;
        // coincident points get no push (umap-learn); the start's jitter keeps them rare
        if (d2 > 0) {
          const coefficient = (2 * b) / ((0.001 + d2) * (a * Math.pow(d2, b) + 1));
          x += clip(coefficient * dx) * alpha;
          y += clip(coefficient * dy) * alpha;
        }
      }
      embedding[jx] = x;
      embedding[jx + 1] = y;
      epochOfNextNegative[i] += negatives * epochsPerNegative[i];
    }
    this.state = state;
  }
}

function clip(x: number): number {
  return x > CLIP ? CLIP : x < -CLIP ? -CLIP : x;
}

/**
 * The fuzzy union of each point's fuzzy neighbourhood (umap-learn's fuzzy_simplicial_set with
 * local_connectivity 1, set_op_mix_ratio 1): w_ij = exp(-(d_ij - rho_i) / sigma_i), then
 * w + wᵀ - w∘wᵀ. Returns each undirected edge twice (i->j and j->i), as umap-learn samples them.
 */
export function fuzzySimplicialSet(graph: KnnGraph, n: number): { head: Int32Array; tail: Int32Array; weights: Float64Array } {
  const k = graph.indices[0].length;
  const target = Math.log2(k);
  let meanOfAll = 0;
  let count = 0;
  for (const row of graph.distances) {
    for (const d of row) meanOfAll += d;
    count += row.length;
  }
  meanOfAll /= Math.max(1, count);
  // each point's directed edges with a weight above 0, in the order its neighbours come (a
  // neighbour listed twice keeps its first place and its last weight): rows of flat arrays
  // rather than a Map keyed by i * n + j (a third of the map's time outside the epochs at 10,000 points)
  const rowStart = new Int32Array(n + 1);
  const to = new Int32Array(n * k);
  const weightTo = new Float64Array(n * k);
  let used = 0;
  for (let i = 0; i < n; i++) {
    const distances = graph.distances[i];
    const indices = graph.indices[i];
    // rho: the distance to the nearest other point (local connectivity 1)
    let rho = 0;
    for (let s = 0; s < k; s++) {
      if (indices[s] !== i && distances[s] > 0) {
        rho = distances[s];
        break;
      }
    }
    let lo = 0;
    let hi = Infinity;
    let sigma = 1;
    for (let iteration = 0; iteration < 64; iteration++) {
      let sum = 0;
      for (let s = 1; s < k; s++) {
        const d = distances[s] - rho;
        sum += d > 0 ? Math.exp(-d / sigma) : 1;
      }
      if (Math.abs(sum - target) < SMOOTH_K_TOLERANCE) break;
      if (sum > target) {
        hi = sigma;
        sigma = (lo + hi) / 2;
      } else {
        lo = sigma;
        sigma = hi === Infinity ? sigma * 2 : (lo + hi) / 2;
      }
    }
    let meanOfRow = 0;
    for (const d of distances) meanOfRow += d / k;
    if (rho > 0) sigma = Math.max(sigma, MIN_K_DIST_SCALE * meanOfRow);
    else sigma = Math.max(sigma, MIN_K_DIST_SCALE * meanOfAll);
    rowStart[i] = used;
    for (let s = 0; s < k; s++) {
      const j = indices[s];
      if (j === i || j < 0) continue;
      const d = distances[s] - rho;
      const w = d <= 0 || sigma === 0 ? 1 : Math.exp(-d / sigma);
      if (!(w > 0)) continue;
      const at = edgeIn(to, rowStart[i], used, j);
      if (at >= 0) weightTo[at] = w;
      else {
        to[used] = j;
        weightTo[used++] = w;
      }
    }
  }
  rowStart[n] = used;
  const head: number[] = [];
  const tail: number[] = [];
  const weights: number[] = [];
  // in order of first appearance (point by point, neighbour by neighbour), so the edge list (and
  // the map) repeats: an edge i->j whose j->i came before (j < i) was listed with it
  for (let i = 0; i < n; i++) {
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
      const j = to[e];
      const backAt = edgeIn(to, rowStart[j], rowStart[j + 1], i);
      if (j < i && backAt >= 0) continue;
      const w = weightTo[e];
      const back = backAt >= 0 ? weightTo[backAt] : 0;
      const union = w + back - w * back;
      head.push(i, j);
      tail.push(j, i);
      weights.push(union, union);
    }
  }
  return { head: Int32Array.from(head), tail: Int32Array.from(tail), weights: Float64Array.from(weights) };
}

/** Where `target` is among to[from, end), or -1. */
function edgeIn(to: Int32Array, from: number, end: number, target: number): number {
  for (let e = from; e < end; e++) if (to[e] === target) return e;
  return -1;
}

/** The start scaled so the largest coordinate is 10 (umap-learn's pca init), as [x0, y0, x1, y1, ...]. */
function scaledStart(scores: number[][], seed: number): Float64Array {
  let largest = 0;
  for (const [x, y] of scores) largest = Math.max(largest, Math.abs(x), Math.abs(y));
  const scale = largest > 0 ? 10 / largest : 1;
  const out = new Float64Array(2 * scores.length);
  // a little seeded jitter so that identical points can be pulled apart
  let state = (seed * 2654435761) >>> 0 || 1;
  const jitter = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 4294967296 - 0.5) * 1e-4 * 10;
  };
  scores.forEach(([x, y], i) => {
    out[2 * i] = x * scale + jitter();
    out[2 * i + 1] = y * scale + jitter();
  });
  return out;
}

/**
 * Each point's scores on the first two principal components, from the d x d covariance matrix
 * (power iteration from a seeded start, with deflation for the second): one pass over the points
 * to form it and one to project, where layout.ts's pca2d iterates over every point (3.9 CPU-s
 * at 70,000 points, measured).
 */
export function principalStart(points: readonly (readonly number[])[], seed: number): number[][] {
  const n = points.length;
  const d = points[0].length;
  const mean = new Float64Array(d);
  for (const row of points) for (let j = 0; j < d; j++) mean[j] += row[j] / n;
  const covariance = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (const row of points) {
    for (let j = 0; j < d; j++) centred[j] = row[j] - mean[j];
    for (let a = 0; a < d; a++) {
      const x = centred[a];
      if (x === 0) continue;
      for (let b = a; b < d; b++) covariance[a * d + b] += x * centred[b];
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) covariance[a * d + b] = covariance[b * d + a];
  let state = (seed * 2246822519) >>> 0 || 1;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296 - 0.5;
  };
  const axes: Float64Array[] = [];
  for (let c = 0; c < 2; c++) {
    let v = Float64Array.from({ length: d }, random);
    for (let iteration = 0; iteration < 1000; iteration++) {
      const next = new Float64Array(d);
      for (let a = 0; a < d; a++) {
        let sum = 0;
        for (let b = 0; b < d; b++) sum += covariance[a * d + b] * v[b];
        next[a] = sum;
      }
      for (const axis of axes) {
        let along = 0;
        for (let j = 0; j < d; j++) along += next[j] * axis[j];
        for (let j = 0; j < d; j++) next[j] -= along * axis[j];
      }
      let norm = 0;
      for (let j = 0; j < d; j++) norm += next[j] * next[j];
      norm = Math.sqrt(norm);
      if (!(norm > 0)) break;
      let change = 0;
      for (let j = 0; j < d; j++) {
        next[j] /= norm;
        change += (next[j] - v[j]) ** 2;
      }
      v = next;
      if (change < 1e-20) break;
    }
    axes.push(v);
  }
  return points.map((row) => {
    let x = 0;
    let y = 0;
    for (let j = 0; j < d; j++) {
      const c = row[j] - mean[j];
      x += c * axes[0][j];
      y += c * axes[1][j];
    }
    return [x, y];
  });
}
