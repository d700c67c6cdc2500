// A 2-D map of the books for the scatter plot: UMAP (umap-js) with a seeded random source, and a
// seeded PCA for inputs UMAP cannot handle (fewer than 5 points, no spread). Both axes are
// rescaled to [-1, 1].
import { Worker } from 'node:worker_threads';
import { UMAP } from 'umap-js';
import { ShelfmapError, type ErrorKind } from '../../../src-shared/errors';
import { workerSource } from '../worker-source';
import { mulberry32 } from './random';
import { knnGraphSteps } from './knn';
import { largeUmapSteps, principalStart } from './umap-large';
import { runSteps, runStepsAsync, type Steps } from './steps';

export type LayoutMetric = 'cosine' | 'euclidean';

export interface LayoutOptions {
  seed: number;
  signal?: AbortSignal;
  /**
   * Distance between input points for UMAP's neighbour graph. Default cosine: on the Gutenberg
   * corpus it kept genres together better than Euclidean (5-NN genre purity on the map 0.51 vs
   * 0.49 from TF-IDF rows, 0.31 vs 0.27 from unnormalised 32-D vectors).
   */
  metric?: LayoutMetric;
  /** The large-map path from this many points on (default LARGE_LAYOUT_POINTS + 1; tests and benchmarks move it). */
  largeFrom?: number;
}

/** Below this many points UMAP's neighbour graph is too thin to mean anything: PCA instead. */
const MIN_POINTS_FOR_UMAP = 5;
const MAX_NEIGHBOURS = 15;
/** Also umap-large.ts's CURVE_A and CURVE_B are fitted for this. */
const MIN_DIST = 0.1;
/**
 * Above this many points the map is made by umap-large.ts on an approximate neighbour graph
 * (knn.ts): umap-js took 113 s at 10,000 points here. At or below it, umap-js as before, so a
 * small library's map (the 197-book corpus's) is unchanged.
 */
export const LARGE_LAYOUT_POINTS = 3000;
/**
 * Optimisation epochs of a large map: at most LARGE_LAYOUT_MAX_EPOCHS, then a fixed budget of
 * points x epochs (20,000 x 200) from 40,000 points on, at least 50 epochs: an epoch's cost grows
 * with the points, and the start from principal components leaves less to do. umap-learn runs
 * 200 above 10,000 points; here 100 reach the same 5-NN purity on the 12-blob benchmark (10,000
 * points: 0.669 with 100, 0.667 with 200, 0.661 with 60; 4,000: 0.651 against 0.654) in half the
 * time (docs/benchmarks.md, "Layout and clustering at scale" and "The cluster command at 10,000
 * books"). Maps of at most LARGE_LAYOUT_POINTS (the corpus's) do not take this path.
 */
export const LARGE_LAYOUT_BUDGET = 20_000 * 200;
export const LARGE_LAYOUT_MAX_EPOCHS = 100;
export function largeLayoutEpochs(n: number): number {
  return Math.max(50, Math.min(LARGE_LAYOUT_MAX_EPOCHS, Math.round(LARGE_LAYOUT_BUDGET / n)));
}

/** 2-D coordinates, one [x, y] per point, each axis in [-1, 1]. Synchronous; checks the signal between epochs. */
export function layout2d(points: number[][], options: LayoutOptions): number[][] {
  return runSteps(layoutSteps(points, options), options.signal);
}

/** As layout2d, but gives the event loop a turn now and then so a cancel message can arrive. */
export function layout2dAsync(points: number[][], options: LayoutOptions): Promise<number[][]> {
  return runStepsAsync(layoutSteps(points, options), options.signal);
}

/** What the layout's worker thread (layout-worker.ts) is given: the points as one array of doubles, row after row. */
export interface LayoutWorkerData {
  values: Float64Array;
  count: number;
  dims: number;
  options: Omit<LayoutOptions, 'signal'>;
  crash?: 'exit' | 'throw';
}

/** `finishedAt`: when the map was done, in ms since the epoch (performance.timeOrigin + now(), comparable across threads). */
export type LayoutWorkerReply = { ok: true; xy: Float64Array; finishedAt: number } | { ok: false; kind: ErrorKind; message: string };

/** Now, in ms since the epoch, to the microsecond where the platform gives it: the same clock in every thread. */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Tests only: make the layout workers started from now on fail, by exiting or by throwing. */
export const layoutWorkerFaults: { crash: 'exit' | 'throw' | null } = { crash: null };

export interface LayoutJob {
  /** layout2d's coordinates for the points, bit for bit, and the layout's milliseconds: from the thread's start to the map done in it. */
  result: Promise<{ xy: number[][]; ms: number }>;
  /** Stops the worker if it still runs; its result is then a cancel. */
  stop(): void;
  /** Once the worker thread has ended: 'finished' when it had sent its answer, 'stopped' when it ended without (a cancel, a crash, none started). */
  ended: Promise<'finished' | 'stopped'>;
}

/**
 * layout2d in a worker thread, so the map is laid out on another core while this thread goes on
 * (the pipeline's clustering and naming). A cancel (options.signal) or stop() ends the worker; a
 * worker that fails gives a ShelfmapError saying so. The result is marked handled at once: a
 * failure before anyone awaits it is not an unhandled rejection.
 */
export function startLayoutWorker(points: number[][], options: LayoutOptions): LayoutJob {
  validate(points, options);
  const { signal, ...rest } = options;
  const count = points.length;
  const dims = points[0]?.length ?? 0;
  const values = new Float64Array(count * dims);
  points.forEach((row, i) => values.set(row, i * dims));
  let worker: Worker | null = null;
  let cancel: () => void = () => {};
  let answered = false;
  let markEnded: () => void = () => {};
  const ended = new Promise<'finished' | 'stopped'>((resolve) => (markEnded = () => resolve(answered ? 'finished' : 'stopped')));
  const result = new Promise<{ xy: number[][]; ms: number }>((resolve, reject) => {
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', cancel);
      finish();
      void worker?.terminate();
    };
    cancel = () => settle(() => reject(new ShelfmapError('cancelled', 'Cancelled.')));
    if (signal?.aborted) {
      markEnded();
      return cancel();
    }
    signal?.addEventListener('abort', cancel, { once: true });
    const startedAt = wallClockMs();
    const data: LayoutWorkerData = { values, count, dims, options: rest, ...(layoutWorkerFaults.crash ? { crash: layoutWorkerFaults.crash } : {}) };
    worker = new Worker(workerSource(import.meta.url, 'layout-worker'), { workerData: data });
    const failed = (why: string) =>
      settle(() => reject(new ShelfmapError('internal', `The map could not be laid out: its worker thread ${why}. Nothing of this run was saved; run it again.`)));
    worker.on('message', (reply: LayoutWorkerReply) => {
      answered = true;
      if (!reply.ok) return settle(() => reject(new ShelfmapError(reply.kind, reply.message)));
      const xy = Array.from({ length: count }, (_, i) => [reply.xy[2 * i], reply.xy[2 * i + 1]]);
      settle(() => resolve({ xy, ms: reply.finishedAt - startedAt }));
    });
    worker.on('error', (error) => failed(`failed (${error.message})`));
    worker.on('exit', (code) => {
      markEnded();
      failed(`stopped with exit code ${code} before it finished`);
    });
  });
  result.catch(() => {});
  return { result, stop: () => cancel(), ended };
}

function* layoutSteps(points: number[][], options: LayoutOptions): Steps<number[][]> {
  validate(points, options);
  const n = points.length;
  if (n === 0) return [];
  if (n < MIN_POINTS_FOR_UMAP || !hasSpread(points)) return rescaleAxes(pca2d(points, options.seed));
  if (n >= (options.largeFrom ?? LARGE_LAYOUT_POINTS + 1) && n > MAX_NEIGHBOURS) {
    const metric = options.metric ?? 'cosine';
    const graph = yield* knnGraphSteps(points, { k: MAX_NEIGHBOURS, seed: options.seed, metric });
    const start = principalStart(points, options.seed);
    yield;
    const embedding = yield* largeUmapSteps(graph, { seed: options.seed, epochs: largeLayoutEpochs(n), start });
    if (embedding.some((p) => !Number.isFinite(p[0]) || !Number.isFinite(p[1]))) return rescaleAxes(pca2d(points, options.seed));
    return rescaleAxes(embedding);
  }

  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: Math.min(MAX_NEIGHBOURS, n - 1),
    minDist: MIN_DIST,
    random: mulberry32(options.seed),
    distanceFn: (options.metric ?? 'cosine') === 'cosine' ? cosineDistance : euclideanDistance,
  });
  const epochs = umap.initializeFit(points);
  for (let epoch = 0; epoch < epochs; epoch++) {
    umap.step();
    yield;
  }
  const embedding = umap.getEmbedding();
  // Heavily duplicated inputs can make UMAP's distance calibration degenerate: fall back rather
  // than let a NaN reach the plot.
  if (embedding.length !== n || embedding.some((p) => !Number.isFinite(p[0]) || !Number.isFinite(p[1]))) {
    return rescaleAxes(pca2d(points, options.seed));
  }
  return rescaleAxes(embedding.map((p) => [p[0], p[1]]));
}

function validate(points: number[][], options: LayoutOptions): void {
  if (!Array.isArray(points)) throw new ShelfmapError('invalid-argument', 'The points to lay out must be a list.');
  if (!Number.isInteger(options.seed)) {
    throw new ShelfmapError('invalid-argument', `The seed must be a whole number (got ${options.seed}).`);
  }
  if (options.metric !== undefined && options.metric !== 'cosine' && options.metric !== 'euclidean') {
    throw new ShelfmapError('invalid-argument', `The layout metric must be cosine or euclidean (got ${String(options.metric)}).`);
  }
  const dims = points[0]?.length ?? 0;
  points.forEach((row, i) => {
    if (row.length !== dims) {
      throw new ShelfmapError('invalid-argument', `Point ${i} has ${row.length} values; the first point has ${dims}.`);
    }
    for (const value of row) {
      if (!Number.isFinite(value)) throw new ShelfmapError('invalid-argument', `Point ${i} holds a value that is not a finite number.`);
    }
  });
}

function hasSpread(points: number[][]): boolean {
  const first = points[0];
  return points.some((row) => row.some((v, j) => v !== first[j]));
}

/** Cosine distance; a zero vector is at distance 0 from another zero vector and 1 from anything else. */
export function cosineDistance(x: number[], y: number[]): number {
  let dot = 0;
  let xx = 0;
  let yy = 0;
  for (let j = 0; j < x.length; j++) {
    dot += x[j] * y[j];
    xx += x[j] * x[j];
    yy += y[j] * y[j];
  }
  if (xx === 0 || yy === 0) return xx === yy ? 0 : 1;
  // Rounding can push the cosine a hair past 1; a negative distance would upset UMAP's calibration.
  return Math.max(0, 1 - dot / Math.sqrt(xx * yy));
}

export function euclideanDistance(x: number[], y: number[]): number {
  let sum = 0;
  for (let j = 0; j < x.length; j++) {
    const d = x[j] - y[j];
    sum += d * d;
  }
  return Math.sqrt(sum);
}

const POWER_ITERATIONS = 300;

/**
 * Scores on the first two principal components, found by power iteration from a seeded start
 * (with deflation for the second). A component with no variance gives all-zero scores.
 */
export function pca2d(points: number[][], seed: number): number[][] {
  const n = points.length;
  const dims = points[0]?.length ?? 0;
  const mean = new Float64Array(dims);
  for (const row of points) for (let j = 0; j < dims; j++) mean[j] += row[j] / n;
  const centred = points.map((row) => Float64Array.from(row, (v, j) => v - mean[j]));
  let totalVariance = 0;
  for (const row of centred) for (const v of row) totalVariance += v * v;

  const random = mulberry32(seed);
  const components: Float64Array[] = [];
  const scores: Float64Array[] = [];
  for (let c = 0; c < 2; c++) {
    const axis = totalVariance > 0 ? principalAxis(centred, components, random) : null;
    const score = new Float64Array(n);
    if (axis) {
      for (let i = 0; i < n; i++) score[i] = dot(centred[i], axis);
      let energy = 0;
      for (const s of score) energy += s * s;
      // What is left after removing the first axis may be rounding noise: rescaling it to
      // [-1, 1] would draw noise, so treat it as no variance.
      if (energy <= 1e-18 * totalVariance) score.fill(0);
      else orientBySign(score);
      components.push(axis);
    }
    scores.push(score);
  }
  return Array.from({ length: n }, (_, i) => [scores[0][i], scores[1][i]]);
}

function principalAxis(centred: Float64Array[], previous: Float64Array[], random: () => number): Float64Array | null {
  const dims = centred[0].length;
  let v = Float64Array.from({ length: dims }, () => random() - 0.5);
  if (!orthonormalise(v, previous)) return null;
  for (let iteration = 0; iteration < POWER_ITERATIONS; iteration++) {
    // v <- Xᵀ X v, without forming the covariance matrix (dims can be in the thousands).
    const next = new Float64Array(dims);
    for (const row of centred) {
      const w = dot(row, v);
      for (let j = 0; j < dims; j++) next[j] += w * row[j];
    }
    if (!orthonormalise(next, previous)) return null;
    // Compare directions, not cosines: 1 - cos shrinks with the square of the angle left.
    const sign = dot(next, v) < 0 ? -1 : 1;
    let change = 0;
    for (let j = 0; j < dims; j++) change += (next[j] - sign * v[j]) ** 2;
    v = next;
    if (change < 1e-26) break;
  }
  return v;
}

/** Removes the parts along `previous` (unit vectors) and normalises; false when nothing is left. */
function orthonormalise(v: Float64Array, previous: Float64Array[]): boolean {
  for (const p of previous) {
    const along = dot(v, p);
    for (let j = 0; j < v.length; j++) v[j] -= along * p[j];
  }
  const norm = Math.sqrt(dot(v, v));
  if (!(norm > 1e-300)) return false;
  for (let j = 0; j < v.length; j++) v[j] /= norm;
  return true;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) sum += a[j] * b[j];
  return sum;
}

/** A component's sign is arbitrary; make the point farthest from the centre lie on the positive side. */
function orientBySign(score: Float64Array): void {
  let extreme = 0;
  for (const s of score) if (Math.abs(s) > Math.abs(extreme)) extreme = s;
  if (extreme < 0) for (let i = 0; i < score.length; i++) score[i] = -score[i];
}

/** Maps each axis onto [-1, 1]; an axis with no spread maps to 0. */
export function rescaleAxes(coords: number[][]): number[][] {
  const ranges = [0, 1].map((axis) => {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const p of coords) {
      min = Math.min(min, p[axis]);
      max = Math.max(max, p[axis]);
    }
    return { min, span: max - min };
  });
  return coords.map((p) =>
    ranges.map(({ min, span }, axis) => (span > 0 && Number.isFinite(span) ? (2 * (p[axis] - min)) / span - 1 : 0)),
  );
}
