// An approximate k-nearest-neighbour graph for large maps: a seeded forest of random-projection
// trees proposes neighbours (the points sharing a leaf), and rounds of NN-descent (Dong, Moses &
// Li 2011: a neighbour of a neighbour is likely a neighbour) refine them. It is the construction
// umap-learn's pynndescent and umap-js use; written here over flat typed arrays because umap-js's
// own (nested arrays, string-keyed heaps) takes minutes at 70,000 points. No npm ANN library
// served: hnswlib-node is a native addon (a rebuild per Electron version) and the pure-JS ones
// seen were unmaintained or unseeded. Every choice is drawn from the seed, so the graph repeats.
import { ShelfmapError } from '../../../src-shared/errors';
import { mulberry32 } from './random';
import type { Steps } from './steps';

export type KnnMetric = 'cosine' | 'euclidean';

export interface KnnOptions {
  /** Neighbours per point, the point itself first (as umap-js expects). */
  k: number;
  seed: number;
  metric: KnnMetric;
  /** Random-projection trees (default by size: 3 + n^0.5 / 100, at most 8). */
  trees?: number;
  /** NN-descent rounds at most (default 8); it stops earlier once few neighbours change. */
  rounds?: number;
}

export interface KnnGraph {
  /** indices[i]: point i's k neighbours, nearest first (i itself at distance 0 first). */
  indices: number[][];
  /** distances[i][j]: distance (in the metric) from i to indices[i][j]. */
  distances: number[][];
}

/** Points in a leaf of a random-projection tree, at most. */
const LEAF_SIZE = 32;
/** NN-descent stops when a round changes fewer than this share of the n*k neighbour slots. */
const DELTA = 0.001;
/** Neighbours (new, and old) joined around a point in a round, at most: bounds a round's cost. */
const MAX_CANDIDATES = 16;
/** The k-NN graph of `points` (n x d, n > k), approximately; synchronous steps yield per tree and round. */
export function* knnGraphSteps(points: readonly (readonly number[])[], options: KnnOptions): Steps<KnnGraph> {
  const n = points.length;
  const { k, metric } = options;
  if (!Number.isInteger(k) || k < 2 || k > n) {
    throw new ShelfmapError('invalid-argument', `Neighbours per point must be a whole number from 2 to the ${n} points (got ${k}).`);
  }
  const d = points[0].length;
  const { data, distance } = pointDistances(points, metric);

  const heaps = new NeighbourHeaps(n, k);
  for (let i = 0; i < n; i++) heaps.push(i, i, 0, false);

  const random = mulberry32(options.seed);
  const trees = options.trees ?? Math.min(8, 3 + Math.round(Math.sqrt(n) / 100));
  for (let t = 0; t < trees; t++) {
    for (const leaf of randomProjectionLeaves(data, n, d, random)) {
      for (let a = 0; a < leaf.length; a++) {
        for (let b = a + 1; b < leaf.length; b++) {
          const p = leaf[a];
          const q = leaf[b];
          const dist = distance(p, q);
          heaps.push(p, q, dist, true);
          heaps.push(q, p, dist, true);
        }
      }
    }
    yield;
  }

  const rounds = options.rounds ?? 8;
  for (let round = 0; round < rounds; round++) {
    const changed = nnDescentRound(heaps, n, k, distance);
    yield;
    if (changed < DELTA * n * k) break;
  }
  return heaps.sorted(metric === 'euclidean' ? Math.sqrt : (x) => x);
}

/** The points flattened as the metric reads them, and the distance between two of them by index. */
function pointDistances(points: readonly (readonly number[])[], metric: KnnMetric): { data: Float64Array; distance: (p: number, q: number) => number } {
  const n = points.length;
  const d = points[0].length;
  const data = flatten(points, metric);
  const zero = new Uint8Array(n);
  if (metric === 'cosine') for (let i = 0; i < n; i++) zero[i] = isZeroRow(data, i, d) ? 1 : 0;
  return { data, distance: metric === 'cosine' ? cosineOnUnit(data, zero, d) : squaredEuclidean(data, d) };
}

function flatten(points: readonly (readonly number[])[], metric: KnnMetric): Float64Array {
  const n = points.length;
  const d = points[0].length;
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const row = points[i];
    let norm = 0;
    for (let j = 0; j < d; j++) norm += row[j] * row[j];
    // cosine distance is 1 - the dot product of unit vectors; zero vectors stay zero
    const scale = metric === 'cosine' && norm > 0 ? 1 / Math.sqrt(norm) : 1;
    for (let j = 0; j < d; j++) data[i * d + j] = row[j] * scale;
  }
  return data;
}

function isZeroRow(data: Float64Array, i: number, d: number): boolean {
  for (let j = 0; j < d; j++) if (data[i * d + j] !== 0) return false;
  return true;
}

/** As layout's cosineDistance: 0 between two zero vectors, 1 from a zero vector to any other. */
function cosineOnUnit(data: Float64Array, zero: Uint8Array, d: number): (p: number, q: number) => number {
  return (p, q) => {
    if (zero[p] || zero[q]) return zero[p] && zero[q] ? 0 : 1;
    let dot = 0;
    const a = p * d;
    const b = q * d;
    for (let j = 0; j < d; j++) dot += data[a + j] * data[b + j];
    return Math.max(0, 1 - dot);
  };
}

function squaredEuclidean(data: Float64Array, d: number): (p: number, q: number) => number {
  return (p, q) => {
    let sum = 0;
    const a = p * d;
    const b = q * d;
    for (let j = 0; j < d; j++) {
      const diff = data[a + j] - data[b + j];
      sum += diff * diff;
    }
    return sum;
  };
}

/**
 * The leaves of one random-projection tree: each node splits its points by the hyperplane
 * halfway between two of them drawn at random; a split that leaves one side empty (duplicates)
 * halves the points at random instead.
 */
function randomProjectionLeaves(data: Float64Array, n: number, d: number, random: () => number): Int32Array[] {
  const leaves: Int32Array[] = [];
  const stack: Int32Array[] = [Int32Array.from({ length: n }, (_, i) => i)];
  const normal = new Float64Array(d);
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.length <= LEAF_SIZE) {
      leaves.push(node);
      continue;
    }
    const left = node[Math.floor(random() * node.length)];
    let right = node[Math.floor(random() * (node.length - 1))];
    if (right === left) right = node[node.length - 1];
    let offset = 0;
    for (let j = 0; j < d; j++) {
      const l = data[left * d + j];
      const r = data[right * d + j];
      normal[j] = l - r;
      offset -= (normal[j] * (l + r)) / 2;
    }
    const side = new Uint8Array(node.length);
    let leftCount = 0;
    for (let m = 0; m < node.length; m++) {
      const base = node[m] * d;
      let margin = offset;
      for (let j = 0; j < d; j++) margin += normal[j] * data[base + j];
      const goesLeft = margin > 0 || (margin === 0 && random() < 0.5);
      side[m] = goesLeft ? 1 : 0;
      if (goesLeft) leftCount++;
    }
    if (leftCount === 0 || leftCount === node.length) {
      leftCount = 0;
      for (let m = 0; m < node.length; m++) {
        side[m] = random() < 0.5 ? 1 : 0;
        leftCount += side[m];
      }
      if (leftCount === 0 || leftCount === node.length) {
        side.fill(0, 0, node.length >> 1);
        side.fill(1, node.length >> 1);
        leftCount = node.length - (node.length >> 1);
      }
    }
    const a = new Int32Array(leftCount);
    const b = new Int32Array(node.length - leftCount);
    let ia = 0;
    let ib = 0;
    for (let m = 0; m < node.length; m++) {
      if (side[m]) a[ia++] = node[m];
      else b[ib++] = node[m];
    }
    stack.push(b, a);
  }
  return leaves;
}

/**
 * One round of NN-descent's local join: around each point, every two of its neighbours (forward,
 * and as many reverse ones) at least one of which is new since the last round are offered to
 * each other. Returns how many neighbour slots changed.
 */
function nnDescentRound(heaps: NeighbourHeaps, n: number, k: number, distance: (p: number, q: number) => number): number {
  // forward lists, split into new and old, and the new flags cleared
  const fresh: number[][] = Array.from({ length: n }, () => []);
  const old: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < k; s++) {
      const j = heaps.index[i * k + s];
      if (j < 0 || j === i) continue;
      if (heaps.isNew[i * k + s]) {
        fresh[i].push(j);
        heaps.isNew[i * k + s] = 0;
      } else old[i].push(j);
    }
  }
  // reverse lists, capped at k each (the first met, in point order: deterministic)
  const freshReverse: number[][] = Array.from({ length: n }, () => []);
  const oldReverse: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (const j of fresh[i]) if (freshReverse[j].length < k) freshReverse[j].push(i);
    for (const j of old[i]) if (oldReverse[j].length < k) oldReverse[j].push(i);
  }
  let changed = 0;
  for (let v = 0; v < n; v++) {
    const newOnes = union(fresh[v], freshReverse[v], MAX_CANDIDATES);
    const oldOnes = union(old[v], oldReverse[v], MAX_CANDIDATES);
    for (let a = 0; a < newOnes.length; a++) {
      const p = newOnes[a];
      for (let b = a + 1; b < newOnes.length; b++) {
        const q = newOnes[b];
        const dist = distance(p, q);
        changed += heaps.push(p, q, dist, true) + heaps.push(q, p, dist, true);
      }
      for (const q of oldOnes) {
        if (q === p) continue;
        const dist = distance(p, q);
        changed += heaps.push(p, q, dist, true) + heaps.push(q, p, dist, true);
      }
    }
  }
  return changed;
}

/** a then b without repeats, at most `limit` of them. */
function union(a: number[], b: number[], limit: number): number[] {
  const out = a.slice(0, limit);
  for (const x of b) {
    if (out.length >= limit) break;
    if (!out.includes(x)) out.push(x);
  }
  return out;
}

/** n bounded max-heaps of (distance, index), k each, farthest at the root; no index twice. */
class NeighbourHeaps {
  readonly index: Int32Array;
  readonly dist: Float64Array;
  readonly isNew: Uint8Array;
  constructor(
    private readonly n: number,
    private readonly k: number,
  ) {
    this.index = new Int32Array(n * k).fill(-1);
    this.dist = new Float64Array(n * k).fill(Infinity);
    this.isNew = new Uint8Array(n * k);
  }

  /** Offers q as a neighbour of p; 1 when it went in, else 0. */
  push(p: number, q: number, distance: number, isNew: boolean): number {
    const k = this.k;
    const base = p * k;
    const { index, dist } = this;
    if (!(distance < dist[base])) return 0;
    for (let s = 0; s < k; s++) if (index[base + s] === q) return 0;
    // replace the root and sift down
    let s = 0;
    for (;;) {
      const l = 2 * s + 1;
      const r = l + 1;
      if (l >= k) break;
      let c = l;
      if (r < k && (dist[base + r] > dist[base + l] || (dist[base + r] === dist[base + l] && index[base + r] > index[base + l]))) c = r;
      if (dist[base + c] < distance || (dist[base + c] === distance && index[base + c] < q)) break;
      index[base + s] = index[base + c];
      dist[base + s] = dist[base + c];
      this.isNew[base + s] = this.isNew[base + c];
      s = c;
    }
    index[base + s] = q;
    dist[base + s] = distance;
    this.isNew[base + s] = isNew ? 1 : 0;
    return 1;
  }

  /** Each point's neighbours nearest first (ties: lower index), distances mapped by `scale`. */
  sorted(scale: (x: number) => number): KnnGraph {
    const { n, k } = this;
    const indices: number[][] = new Array(n);
    const distances: number[][] = new Array(n);
    const order = Array.from({ length: k }, (_, s) => s);
    for (let i = 0; i < n; i++) {
      const base = i * k;
      order.sort((a, b) => this.dist[base + a] - this.dist[base + b] || this.index[base + a] - this.index[base + b]);
      indices[i] = order.map((s) => this.index[base + s]);
      distances[i] = order.map((s) => scale(this.dist[base + s]));
    }
    return { indices, distances };
  }
}

/** The exact k-NN graph by comparing every pair (O(n^2)): the yardstick the approximate graph is tested against. */
export function exactKnnGraph(points: readonly (readonly number[])[], k: number, metric: KnnMetric): KnnGraph {
  const n = points.length;
  const { distance } = pointDistances(points, metric);
  const heaps = new NeighbourHeaps(n, k);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) heaps.push(i, j, distance(i, j), false);
  return heaps.sorted(metric === 'euclidean' ? Math.sqrt : (x) => x);
}

/** Share of the exact graph's neighbours (self left out) the approximate graph found. */
export function knnRecall(approximate: KnnGraph, exact: KnnGraph): number {
  let found = 0;
  let total = 0;
  exact.indices.forEach((row, i) => {
    const got = new Set(approximate.indices[i]);
    for (const j of row) {
      if (j === i) continue;
      total++;
      if (got.has(j)) found++;
    }
  });
  return total > 0 ? found / total : 1;
}
