// Mini-batch K-means (Sculley 2010, "Web-scale k-means clustering"), for large libraries: each
// step assigns a seeded random batch of points to their nearest centres and moves each centre
// toward its batch points with a per-centre learning rate 1 / (points it has seen); at the end
// every point is assigned to its nearest centre. ml-kmeans (used below this size) has no
// mini-batch mode, so it is written here, over one flat typed array.
import { mulberry32 } from './random';
import type { Steps } from './steps';

/** Above this many points kmeans.ts fits each start on mini-batches instead of full Lloyd iterations. */
export const MINIBATCH_MIN_POINTS = 20_000;
/** Points per batch (scikit-learn's MiniBatchKMeans default). */
export const BATCH_SIZE = 1024;
/** k-means++ seeds the centres from a sample of this many batches' worth of points (scikit-learn: 3). */
const INIT_BATCHES = 3;
/** Batches per start: ten passes' worth of the points, within these bounds. */
const MIN_STEPS = 100;
const MAX_STEPS = 600;
/** Full Lloyd iterations over every point after the batches (each costs one assignment of all points). */
const FINAL_LLOYD = 2;

/** One seeded mini-batch K-means start: every point's cluster (0..k-1, some possibly empty). */
export function* miniBatchKmeansSteps(data: readonly (readonly number[])[], k: number, seed: number): Steps<number[]> {
  const n = data.length;
  const d = data[0].length;
  const flat = new Float64Array(n * d);
  data.forEach((row, i) => flat.set(row, i * d));
  const random = mulberry32(seed);

  const initSize = Math.min(n, Math.max(k, INIT_BATCHES * BATCH_SIZE));
  const centres = kmeansPlusPlus(flat, d, sampleIndices(n, initSize, random), k, random);
  const seen = new Float64Array(k);
  const steps = Math.min(MAX_STEPS, Math.max(MIN_STEPS, Math.ceil((10 * n) / BATCH_SIZE)));
  const batch = new Int32Array(Math.min(BATCH_SIZE, n));
  const nearest = new Int32Array(batch.length);
  for (let step = 0; step < steps; step++) {
    for (let b = 0; b < batch.length; b++) batch[b] = Math.floor(random() * n);
    // assign the whole batch first, then move the centres (Sculley's algorithm 1)
    for (let b = 0; b < batch.length; b++) nearest[b] = nearestCentre(flat, batch[b] * d, centres, k, d);
    for (let b = 0; b < batch.length; b++) {
      const c = nearest[b];
      seen[c]++;
      const rate = 1 / seen[c];
      const base = batch[b] * d;
      for (let j = 0; j < d; j++) centres[c * d + j] += rate * (flat[base + j] - centres[c * d + j]);
    }
    if (step % 16 === 15) yield;
  }
  const labels = new Array<number>(n);
  for (let round = 0; round <= FINAL_LLOYD; round++) {
    for (let i = 0; i < n; i++) labels[i] = nearestCentre(flat, i * d, centres, k, d);
    yield;
    if (round === FINAL_LLOYD) break;
    // move each centre to the mean of its points (an empty one stays)
    const sums = new Float64Array(k * d);
    const counts = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const c = labels[i];
      counts[c]++;
      for (let j = 0; j < d; j++) sums[c * d + j] += flat[i * d + j];
    }
    for (let c = 0; c < k; c++) if (counts[c] > 0) for (let j = 0; j < d; j++) centres[c * d + j] = sums[c * d + j] / counts[c];
  }
  return labels;
}

/**
 * One seeded k-means++ start and Lloyd iterations over one flat typed array, until no point
 * changes cluster or `maxIterations`: the same algorithm as ml-kmeans, several times faster
 * (ml-kmeans keeps rows as arrays of arrays). The sampled k sweep fits with it.
 */
export function* typedLloydSteps(data: readonly (readonly number[])[], k: number, seed: number, maxIterations: number): Steps<number[]> {
  const n = data.length;
  const d = data[0].length;
  const flat = new Float64Array(n * d);
  data.forEach((row, i) => flat.set(row, i * d));
  const random = mulberry32(seed);
  const centres = kmeansPlusPlus(flat, d, Int32Array.from({ length: n }, (_, i) => i), k, random);
  return yield* lloydFromSteps(flat, d, centres, maxIterations);
}

/**
 * Lloyd iterations from the given centres (k x d, flat; moved in place) until no point changes
 * cluster or `maxIterations`; every point's cluster.
 */
export function* lloydFromSteps(flat: Float64Array, d: number, centres: Float64Array, maxIterations: number): Steps<number[]> {
  const n = flat.length / d;
  const k = centres.length / d;
  const labels = new Array<number>(n).fill(-1);
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const c = nearestCentre(flat, i * d, centres, k, d);
      if (c !== labels[i]) {
        labels[i] = c;
        changed++;
      }
    }
    if (changed === 0) break;
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = labels[i];
      counts[c]++;
      for (let j = 0; j < d; j++) sums[c * d + j] += flat[i * d + j];
    }
    for (let c = 0; c < k; c++) if (counts[c] > 0) for (let j = 0; j < d; j++) centres[c * d + j] = sums[c * d + j] / counts[c];
    yield;
  }
  return labels;
}

/**
 * The centre nearest the point at flat[base..base+d) (the first of equals). A centre's sum stops
 * once it reaches the best so far: the squares are never negative, so its full sum could not
 * be less and the answer is the one the full sums give, at about half the work (profiled: the
 * sampled k sweep spent 70% of its time here).
 */
export function nearestCentre(flat: Float64Array, base: number, centres: Float64Array, k: number, d: number): number {
  let best = 0;
  let bestDistance = Infinity;
  for (let c = 0; c < k; c++) {
    let sum = 0;
    const cb = c * d;
    let j = 0;
    for (; j + 4 <= d && sum < bestDistance; j += 4) {
      const d0 = flat[base + j] - centres[cb + j];
      const d1 = flat[base + j + 1] - centres[cb + j + 1];
      const d2 = flat[base + j + 2] - centres[cb + j + 2];
      const d3 = flat[base + j + 3] - centres[cb + j + 3];
      sum += d0 * d0;
      sum += d1 * d1;
      sum += d2 * d2;
      sum += d3 * d3;
    }
    if (sum >= bestDistance) continue;
    for (; j < d; j++) {
      const diff = flat[base + j] - centres[cb + j];
      sum += diff * diff;
    }
    if (sum < bestDistance) {
      bestDistance = sum;
      best = c;
    }
  }
  return best;
}

/** `size` distinct indices of 0..n-1 drawn at random (partial Fisher-Yates). */
function sampleIndices(n: number, size: number, random: () => number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (n - i));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order.slice(0, size);
}

/**
 * k-means++ (Arthur & Vassilvitskii 2007) over the sampled points: each next centre drawn with
 * probability proportional to its squared distance from the nearest centre so far. Where the
 * sample holds fewer distinct points than k, the rest repeat a point (and end up empty).
 */
function kmeansPlusPlus(flat: Float64Array, d: number, sample: Int32Array, k: number, random: () => number): Float64Array {
  const centres = new Float64Array(k * d);
  const m = sample.length;
  const closest = new Float64Array(m).fill(Infinity);
  let chosen = sample[Math.floor(random() * m)];
  for (let c = 0; c < k; c++) {
    centres.set(flat.subarray(chosen * d, chosen * d + d), c * d);
    if (c === k - 1) break;
    let total = 0;
    for (let s = 0; s < m; s++) {
      const base = sample[s] * d;
      let sum = 0;
      for (let j = 0; j < d; j++) {
        const diff = flat[base + j] - centres[c * d + j];
        sum += diff * diff;
      }
      if (sum < closest[s]) closest[s] = sum;
      total += closest[s];
    }
    if (!(total > 0)) continue; // every sampled point is a centre already: repeat the last
    let target = random() * total;
    let pick = m - 1;
    for (let s = 0; s < m; s++) {
      target -= closest[s];
      if (target < 0) {
        pick = s;
        break;
      }
    }
    chosen = sample[pick];
  }
  return centres;
}
