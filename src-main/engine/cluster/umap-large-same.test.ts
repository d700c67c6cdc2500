// The large map's UMAP (umap-large.ts) made cheaper must lay out the same map bit for bit: its
// fuzzy set and its epochs are held here to the way they were before (a Map of the directed edges,
// each negative sample read from and written to the embedding), on seeded clustered points and on
// neighbour graphs with what real ones rarely hold (a neighbour twice, a missing one, ties at 0).
import { describe, expect, it } from 'vitest';
import { seededBlobs } from '../../../bench/layout-data';
import { knnGraphSteps, type KnnGraph } from './knn';
import { mulberry32 } from './random';
import { runSteps, type Steps } from './steps';
import { fuzzySimplicialSet, largeUmapSteps, principalStart } from './umap-large';

const bits = (values: ArrayLike<number>) => Buffer.from(Float64Array.from(values).buffer).toString('base64');

describe('the large map as before', () => {
  for (const metric of ['cosine', 'euclidean'] as const) {
    it(`gives the fuzzy set and the map the reference gives (${metric})`, () => {
      for (const seed of [1, 2]) {
        const { points } = seededBlobs(1200, { seed, dims: 8, groups: 5, separation: 3 });
        // repeated points: neighbours at distance 0, ties
        for (let i = 0; i < 40; i++) points[600 + i] = [...points[i]];
        const graph = runSteps(knnGraphSteps(points, { k: 15, seed, metric }), undefined);
        const fast = fuzzySimplicialSet(graph, points.length);
        const reference = referenceFuzzySimplicialSet(graph, points.length);
        expect(Array.from(fast.head)).toEqual(Array.from(reference.head));
        expect(Array.from(fast.tail)).toEqual(Array.from(reference.tail));
        expect(bits(fast.weights)).toBe(bits(reference.weights));
        const options = { seed, epochs: 40, start: principalStart(points, seed) };
        const map = runSteps(largeUmapSteps(graph, options), undefined);
        const referenceMap = runSteps(referenceLargeUmapSteps(graph, options), undefined);
        expect(bits(map.flat())).toBe(bits(referenceMap.flat()));
      }
    });
  }

  it('gives the reference fuzzy set on graphs with a neighbour twice, none (-1), or without the point itself', () => {
    const random = mulberry32(5);
    for (let trial = 0; trial < 20; trial++) {
      const n = 30 + Math.floor(random() * 30);
      const k = 4 + Math.floor(random() * 6);
      const graph: KnnGraph = { indices: [], distances: [] };
      for (let i = 0; i < n; i++) {
        const row = Array.from({ length: k }, (_, s) => (s === 0 && random() < 0.8 ? i : random() < 0.1 ? -1 : Math.floor(random() * n)));
        // a few neighbours listed twice, with other distances
        if (random() < 0.3) row[k - 1] = row[1];
        let d = 0;
        const distances = row.map((_, s) => (s === 0 ? 0 : (d += random() < 0.2 ? 0 : random())));
        graph.indices.push(row);
        graph.distances.push(distances);
      }
      const fast = fuzzySimplicialSet(graph, n);
      const reference = referenceFuzzySimplicialSet(graph, n);
      expect(Array.from(fast.head)).toEqual(Array.from(reference.head));
      expect(Array.from(fast.tail)).toEqual(Array.from(reference.tail));
      expect(bits(fast.weights)).toBe(bits(reference.weights));
      const start = Array.from({ length: n }, () => [random(), random()]);
      const options = { seed: trial, epochs: 25, start };
      expect(bits(runSteps(largeUmapSteps(graph, options), undefined).flat())).toBe(bits(runSteps(referenceLargeUmapSteps(graph, options), undefined).flat()));
    }
  });
});

// umap-large.ts as it was (commit 3d5a09f), the reference

const CURVE_A = 1.5769434603113077;
const CURVE_B = 0.8950608779109733;
const NEGATIVE_SAMPLE_RATE = 5;
const CLIP = 4;
const SMOOTH_K_TOLERANCE = 1e-5;
const MIN_K_DIST_SCALE = 1e-3;

/** The 2-D embedding (not rescaled), one epoch per step. */
function* referenceLargeUmapSteps(graph: KnnGraph, options: { seed: number; start: number[][]; epochs: number }): Steps<number[][]> {
  const n = graph.indices.length;
  const { head, tail, weights } = referenceFuzzySimplicialSet(graph, n);
  yield;
  const embedding = scaledStart(options.start, options.seed);
  const optimiser = new ReferenceOptimiser(head, tail, weights, n, options.epochs, options.seed);
  yield;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    optimiser.epoch(embedding, epoch);
    yield;
  }
  return Array.from({ length: n }, (_, i) => [embedding[2 * i], embedding[2 * i + 1]]);
}

/** umap-learn's optimize_layout_euclidean (move_other on), one epoch per call, kept out of the generator so V8 optimises it. */
class ReferenceOptimiser {
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
    const { from, to, epochsPerSample, epochOfNextSample, epochsPerNegative, epochOfNextNegative, n } = this;
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
      for (let p = 0; p < negatives; p++) {
        // xorshift32, inline: a seeded draw per negative sample, so the map repeats
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        const ox = 2 * ((state >>> 0) % n);
        if (ox === jx) continue;
        dx = embedding[jx] - embedding[ox];
        dy = embedding[jx + 1] - embedding[ox + 1];
        d2 = dx * dx + dy * dy;
        // coincident points get no push (umap-learn); the start's jitter keeps them rare
        if (d2 > 0) {
          const coefficient = (2 * b) / ((0.001 + d2) * (a * Math.pow(d2, b) + 1));
          embedding[jx] += clip(coefficient * dx) * alpha;
          embedding[jx + 1] += clip(coefficient * dy) * alpha;
        }
      }
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
function referenceFuzzySimplicialSet(graph: KnnGraph, n: number): { head: Int32Array; tail: Int32Array; weights: Float64Array } {
  const k = graph.indices[0].length;
  const target = Math.log2(k);
  let meanOfAll = 0;
  let count = 0;
  for (const row of graph.distances) {
    for (const d of row) meanOfAll += d;
    count += row.length;
  }
  meanOfAll /= Math.max(1, count);
  const directed = new Map<number, number>();
  const key = (i: number, j: number) => i * n + j;
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
    for (let s = 0; s < k; s++) {
      const j = indices[s];
      if (j === i || j < 0) continue;
      const d = distances[s] - rho;
      const w = d <= 0 || sigma === 0 ? 1 : Math.exp(-d / sigma);
      if (w > 0) directed.set(key(i, j), w);
    }
  }
  const head: number[] = [];
  const tail: number[] = [];
  const weights: number[] = [];
  const seen = new Set<number>();
  // in order of first appearance, so the edge list (and the map) repeats
  for (const [edge, w] of directed) {
    const i = Math.floor(edge / n);
    const j = edge - i * n;
    const lower = Math.min(i, j) * n + Math.max(i, j);
    if (seen.has(lower)) continue;
    seen.add(lower);
    const back = directed.get(key(j, i)) ?? 0;
    const union = w + back - w * back;
    head.push(i, j);
    tail.push(j, i);
    weights.push(union, union);
  }
  return { head: Int32Array.from(head), tail: Int32Array.from(tail), weights: Float64Array.from(weights) };
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

