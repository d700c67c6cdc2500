// Mean silhouette (Rousseeuw 1987) of a clustering, as scikit-learn's silhouette_score computes
// it with metric='euclidean': for each point, a = mean distance to the other points of its
// cluster, b = the lowest mean distance to the points of another cluster, s = (b - a) / max(a, b),
// and s = 0 for a point alone in its cluster. 1: tight, well-apart clusters; near 0: overlapping.
import { ShelfmapError } from '../../../src-shared/errors';

/** Each point's silhouette; labels are 0..k-1 (empty labels are allowed and ignored). */
export function silhouetteSamples(points: readonly (readonly number[])[], labels: readonly number[]): Float64Array {
  const n = points.length;
  if (labels.length !== n) throw new ShelfmapError('invalid-argument', `There are ${n} points but ${labels.length} labels.`);
  const k = labels.reduce((max, l) => Math.max(max, l + 1), 0);
  const sizes = new Array<number>(k).fill(0);
  for (const l of labels) {
    if (!Number.isInteger(l) || l < 0) throw new ShelfmapError('invalid-argument', `A cluster label must be a whole number from 0 (got ${l}).`);
    sizes[l]++;
  }
  const used = sizes.filter((s) => s > 0).length;
  if (used < 2 || used > n - 1) {
    throw new ShelfmapError('invalid-argument', `The silhouette needs 2 to ${n - 1} clusters of ${n} points (got ${used}).`);
  }
  // distance sums from each point to each cluster, over the upper triangle once
  const sums = new Float64Array(n * k);
  const dims = points[0].length;
  for (let i = 0; i < n; i++) {
    const p = points[i];
    for (let j = i + 1; j < n; j++) {
      const q = points[j];
      let s = 0;
      for (let d = 0; d < dims; d++) {
        const diff = p[d] - q[d];
        s += diff * diff;
      }
      const distance = Math.sqrt(s);
      sums[i * k + labels[j]] += distance;
      sums[j * k + labels[i]] += distance;
    }
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const own = labels[i];
    if (sizes[own] < 2) continue; // alone in its cluster: 0, as scikit-learn has it
    const a = sums[i * k + own] / (sizes[own] - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c] > 0) b = Math.min(b, sums[i * k + c] / sizes[c]);
    const larger = Math.max(a, b);
    out[i] = larger > 0 ? (b - a) / larger : 0;
  }
  return out;
}

/** The mean silhouette over all points (scikit-learn's silhouette_score, Euclidean). */
export function silhouetteScore(points: readonly (readonly number[])[], labels: readonly number[]): number {
  const samples = silhouetteSamples(points, labels);
  let sum = 0;
  for (const s of samples) sum += s;
  return sum / samples.length;
}
