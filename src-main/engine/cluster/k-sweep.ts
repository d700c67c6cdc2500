// Choosing k when a run's k is "auto": K-means with every k of a range on the book embeddings
// (the points the clustering itself sees), each k scored three ways, and one k proposed by a rule
// a user can check against the scores:
// - inertia: the sum of squared distances to the cluster means. It always falls as k grows; where
//   the curve bends (its "elbow") more clusters stop paying for themselves.
// - silhouette: how much nearer each book is to its own cluster than to the next (-1..1).
// - stability: whether the same groups come back from other books and other starts: K-means on
//   random 80% subsamples, the mean adjusted Rand index between every two of them over the books
//   they share (Ben-Hur, Elisseeff & Guyon 2002). 1: the same grouping every time.
// The rule: the bend of the inertia curve says roughly how many clusters the books hold; among
// the k near it, the one whose clusters are best separated and most reproducible (silhouette ×
// stability) is proposed. docs/benchmarks.md ("Choosing k") shows the scores on the corpus.
import type { KSweep, KSweepScore } from '../../../src-shared/domain';
import { ShelfmapError } from '../../../src-shared/errors';
import { checkpoint } from '../cancel';
import { adjustedRandIndex } from '../evaluate/metrics';
import { silhouetteScore } from '../evaluate/silhouette';
import { kmeansBest } from './kmeans';
import { shuffleInPlace } from '../random';
import { deriveSeed, mulberry32 } from './random';

export interface KSweepOptions {
  /** The range asked for; it is clamped to 2..books - 1. */
  min: number;
  max: number;
  seed: number;
  /** K-means restarts for each k's inertia and silhouette (the run's kmeansRestarts). */
  restarts: number;
  signal?: AbortSignal;
  /** Called before each k is tried: its place in the range (0-based) and how many there are. */
  onK?: (k: number, index: number, count: number, range: { min: number; max: number }) => void;
}

/** Random subsamples whose clusterings are compared for stability, and their share of the books. */
export const STABILITY_SUBSAMPLES = 10;
export const STABILITY_SHARE = 0.8;
/** K-means restarts on each subsample. */
const SUBSAMPLE_RESTARTS = 3;
/** Above this many books the silhouette is taken on a seeded sample of them (it costs n² distances). */
export const SILHOUETTE_MAX_POINTS = 3000;
/**
 * Above this many books the whole sweep (inertia, silhouette, stability) is scored on a seeded
 * sample of this many: 29 k values x (restarts + 30 stability fits) over every book of a large
 * library would take many minutes, and the choice of k rests on the shape of the scores, which a
 * sample of thousands already shows (docs/benchmarks.md, "Layout and clustering at scale"). The
 * sampled sweep's K-means is minibatch-kmeans.ts's typed-array Lloyd, several times ml-kmeans' speed.
 */
export const SWEEP_MAX_POINTS = 2000;
/** How far from the inertia curve's bend the proposal may move to a better-scoring k. */
export const ELBOW_WINDOW = 2;
/** The normalised inertia curve must dip this far below its chord to count as bending. */
export const MIN_BEND = 0.05;

/** Seed streams of the sweep, apart from the clustering's own. */
const SUBSAMPLE_STREAM = 3 << 20;
const SILHOUETTE_STREAM = 5 << 20;
const SWEEP_SAMPLE_STREAM = 9 << 20;

export const K_SWEEP_RULE =
  `the k with the highest silhouette × stability within ${ELBOW_WINDOW} of where the inertia curve bends ` +
  '(the k farthest below the straight line from the first k to the last); where the curve does not bend, ' +
  'the highest silhouette × stability over the whole range';

/** The range a library of `books` books can be swept over, or why it cannot. */
export function sweepRange(asked: { min: number; max: number }, books: number): { min: number; max: number } {
  if (books < 3) {
    throw new ShelfmapError(
      'invalid-argument',
      `k = "auto" needs at least 3 books to compare groupings by (the library has ${books}); set k to a number instead.`,
    );
  }
  const max = Math.min(asked.max, books - 1);
  return { min: Math.min(asked.min, max), max };
}

/** A seeded subset of `share` of the indices 0..n-1 (at least `least` of them), in order. */
function subsample(n: number, share: number, least: number, seed: number): number[] {
  const size = Math.min(n, Math.max(least, Math.round(share * n)));
  const order = Int32Array.from({ length: n }, (_, i) => i);
  shuffleInPlace(order, mulberry32(seed));
  return Array.from(order.subarray(0, size)).sort((a, b) => a - b);
}

/** Mean ARI between every two subsample clusterings, each pair over the books both hold. */
export function subsampleStability(points: number[][], k: number, seed: number, subsamples = STABILITY_SUBSAMPLES, typedLloyd = false): number {
  const n = points.length;
  const runs = Array.from({ length: subsamples }, (_, r) => {
    // one more book than clusters, so a subsample can always hold k groups
    const books = subsample(n, STABILITY_SHARE, k + 1, deriveSeed(seed, SUBSAMPLE_STREAM + 2 * r));
    const { labels } = kmeansBest(
      books.map((i) => points[i]),
      k,
      { seed: deriveSeed(seed, SUBSAMPLE_STREAM + 2 * r + 1), restarts: SUBSAMPLE_RESTARTS, typedLloyd },
    );
    const labelOf = new Int32Array(n).fill(-1);
    books.forEach((book, j) => (labelOf[book] = labels[j]));
    return labelOf;
  });
  let sum = 0;
  let pairs = 0;
  for (let a = 0; a < runs.length; a++) {
    for (let b = a + 1; b < runs.length; b++) {
      const left: number[] = [];
      const right: number[] = [];
      for (let i = 0; i < n; i++) {
        if (runs[a][i] >= 0 && runs[b][i] >= 0) {
          left.push(runs[a][i]);
          right.push(runs[b][i]);
        }
      }
      sum += adjustedRandIndex(left, right);
      pairs++;
    }
  }
  return pairs > 0 ? sum / pairs : 1;
}

/** The silhouette of `labels`, on a seeded sample of the points when there are very many. */
function sampledSilhouette(points: number[][], labels: number[], seed: number): number {
  if (points.length <= SILHOUETTE_MAX_POINTS) return silhouetteScore(points, labels);
  const books = subsample(points.length, SILHOUETTE_MAX_POINTS / points.length, 0, deriveSeed(seed, SILHOUETTE_STREAM));
  const sampled = books.map((i) => labels[i]);
  // the sample may miss a small cluster: renumber to 0..k'-1
  const ids = new Map<number, number>();
  const dense = sampled.map((l) => (ids.has(l) ? ids.get(l)! : (ids.set(l, ids.size), ids.size - 1)));
  return ids.size < 2 ? 0 : silhouetteScore(books.map((i) => points[i]), dense);
}

/** One k's inertia, silhouette and stability (K-means by the typed-array Lloyd when `typedLloyd`). */
export function scoreK(points: number[][], k: number, options: { seed: number; restarts: number; typedLloyd?: boolean }): KSweepScore {
  const typedLloyd = options.typedLloyd ?? false;
  const best = kmeansBest(points, k, { seed: options.seed, restarts: options.restarts, typedLloyd });
  return {
    k,
    inertia: best.inertia,
    silhouette: sampledSilhouette(points, best.labels, options.seed),
    stability: subsampleStability(points, k, deriveSeed(options.seed, k), STABILITY_SUBSAMPLES, typedLloyd),
  };
}

/**
 * Where the inertia curve bends: with k and inertia both scaled to 0..1 over the range, the k
 * whose point lies farthest below the straight line from the first k to the last (the knee of
 * Satopää et al. 2011). Null with fewer than 3 k, or when no point dips MIN_BEND below the line.
 */
export function inertiaElbow(scores: readonly KSweepScore[]): number | null {
  if (scores.length < 3) return null;
  const first = scores[0];
  const last = scores[scores.length - 1];
  const spread = first.inertia - last.inertia;
  if (!(spread > 0)) return null;
  let best: { k: number; below: number } | null = null;
  for (const s of scores) {
    const x = (s.k - first.k) / (last.k - first.k);
    const y = (s.inertia - last.inertia) / spread;
    const below = 1 - x - y;
    if (below >= MIN_BEND && (!best || below > best.below)) best = { k: s.k, below };
  }
  return best?.k ?? null;
}

/** Silhouette × stability, each counted from 0 (a negative one is no better than none). */
export function separationScore(s: KSweepScore): number {
  return Math.max(0, s.silhouette) * Math.max(0, s.stability);
}

/** The best-scoring of these (ties: the smaller k). */
function bestOf(scores: readonly KSweepScore[]): KSweepScore {
  return scores.reduce((best, s) => (separationScore(s) > separationScore(best) + 1e-12 ? s : best));
}

const f3 = (x: number) => x.toFixed(3);
const product = (s: KSweepScore) => `silhouette ${f3(s.silhouette)} × stability ${f3(s.stability)} = ${f3(separationScore(s))}`;

/** The proposed k by K_SWEEP_RULE, and why, in words that name the numbers. */
export function proposeK(scores: readonly KSweepScore[]): Pick<KSweep, 'proposed' | 'elbow' | 'rule' | 'reason'> {
  if (scores.length === 0) throw new ShelfmapError('internal', 'The k sweep tried no k.');
  if (scores.length === 1) {
    const only = scores[0];
    return { proposed: only.k, elbow: null, rule: K_SWEEP_RULE, reason: `it is the only k the range allows (${product(only)}).` };
  }
  const elbow = inertiaElbow(scores);
  const overall = bestOf(scores);
  if (elbow === null) {
    return {
      proposed: overall.k,
      elbow,
      rule: K_SWEEP_RULE,
      reason: `the inertia curve does not bend over ${scores[0].k}..${scores[scores.length - 1].k}, and ${product(overall)} is the highest of the range.`,
    };
  }
  const near = scores.filter((s) => Math.abs(s.k - elbow) <= ELBOW_WINDOW);
  const chosen = bestOf(near);
  const window = `k = ${near[0].k}..${near[near.length - 1].k}`;
  const aside =
    overall.k === chosen.k
      ? ' It is also the highest of the whole range.'
      : ` Over the whole range k = ${overall.k} scores higher (${f3(separationScore(overall))}), ${overall.k < chosen.k ? 'a coarser' : 'a finer'} grouping far from the bend.`;
  return {
    proposed: chosen.k,
    elbow,
    rule: K_SWEEP_RULE,
    reason: `the inertia curve bends at k = ${elbow}, and ${product(chosen)} is the highest of ${window}.${aside}`,
  };
}

/**
 * Scores every k of the range (clamped to the books) on `points` and proposes one. Checks for a
 * cancel between k values; `onK` reports each k before it is tried.
 */
export async function sweepK(allPoints: number[][], options: KSweepOptions): Promise<KSweep> {
  const start = performance.now();
  const asked = { min: options.min, max: options.max };
  const range = sweepRange(asked, allPoints.length);
  const sampled = allPoints.length > SWEEP_MAX_POINTS;
  const points = sampled
    ? subsample(allPoints.length, SWEEP_MAX_POINTS / allPoints.length, 0, deriveSeed(options.seed, SWEEP_SAMPLE_STREAM)).map((i) => allPoints[i])
    : allPoints;
  const count = range.max - range.min + 1;
  const scores: KSweepScore[] = [];
  for (let k = range.min; k <= range.max; k++) {
    options.onK?.(k, k - range.min, count, range);
    await checkpoint(options.signal);
    scores.push(scoreK(points, k, { seed: options.seed, restarts: options.restarts, typedLloyd: sampled }));
  }
  await checkpoint(options.signal);
  const proposal = proposeK(scores);
  if (sampled) {
    proposal.reason += ` The scores were taken on a seeded sample of ${points.length.toLocaleString('en')} of the ${allPoints.length.toLocaleString('en')} books (above ${SWEEP_MAX_POINTS.toLocaleString('en')} the sweep is sampled).`;
  }
  return { asked, ...range, scores, ...proposal, ms: Math.round(performance.now() - start) };
}
