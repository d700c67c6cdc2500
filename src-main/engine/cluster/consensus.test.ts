import { describe, expect, it } from 'vitest';
import { ShelfmapError } from '../../../src-shared/errors';
import { normalizedMutualInfo } from '../evaluate';
import { averageLinkage, CONSENSUS_MAX_POINTS, CONSENSUS_SAMPLE_POINTS, consensusKmeans, consensusKmeansAsync } from './consensus';
import { runSteps } from './steps';
import { mulberry32 } from './random';

/** Points around `centres`, interleaved so the blob is not the point order. */
function blobs(perBlob: number, centres: number[][], spread: number, seed: number) {
  const random = mulberry32(seed);
  const points: number[][] = [];
  const truth: number[] = [];
  for (let i = 0; i < perBlob; i++) {
    centres.forEach((centre, blob) => {
      points.push(centre.map((c) => c + spread * (random() - 0.5)));
      truth.push(blob);
    });
  }
  return { points, truth };
}

describe('averageLinkage', () => {
  it('cuts a vote matrix into its blocks, labelled in order of first appearance', () => {
    // books 0, 2, 4 always together, 1 and 3 together, 5 alone with 1 and 3 in half the runs
    const n = 6;
    const votes = new Float64Array(n * n);
    const together = (a: number, b: number, count: number) => {
      votes[Math.min(a, b) * n + Math.max(a, b)] = count;
    };
    together(0, 2, 10);
    together(0, 4, 10);
    together(2, 4, 10);
    together(1, 3, 10);
    together(1, 5, 5);
    together(3, 5, 5);
    expect(runSteps(averageLinkage(votes, n, 2, 10), undefined)).toEqual([0, 1, 0, 1, 0, 1]);
    expect(runSteps(averageLinkage(votes, n, 3, 10), undefined)).toEqual([0, 1, 0, 1, 0, 2]);
    expect(runSteps(averageLinkage(votes, n, 6, 10), undefined)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('averageLinkage as before', () => {
  it('merges as the column-reading way did, on random votes with many ties', () => {
    const random = mulberry32(17);
    for (let trial = 0; trial < 12; trial++) {
      const n = 20 + Math.floor(random() * 120);
      const runs = 1 + Math.floor(random() * 9);
      const votes = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) votes[i * n + j] = Math.floor(random() * (runs + 1));
      for (const k of [1, 2, 5, Math.min(n, 17), Math.floor(n / 3), Math.floor(n / 2)]) {
        expect(runSteps(averageLinkage(votes, n, k, runs), undefined)).toEqual(referenceAverageLinkage(votes, n, k, runs));
      }
    }
  });
});

/** averageLinkage as it was (commit 3d5a09f): the distances to the kept group read down its column. */
function referenceAverageLinkage(votes: Float64Array, n: number, k: number, runs: number): number[] {
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
    for (let i = 0; i < n; i++) {
      if (!alive[i]) continue;
      if (i === keep || nearest[i] === keep || nearest[i] === gone) refresh(i);
      else if (distance[i * n + keep] < nearestDistance[i]) {
        nearestDistance[i] = distance[i * n + keep];
        nearest[i] = keep;
      }
    }
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

describe('consensusKmeans', () => {
  const centres = [
    [0, 0],
    [10, 0],
    [0, 10],
    [10, 10],
  ];

  it('finds well-separated blobs, largest cluster first, with their centroids', () => {
    const { points, truth } = blobs(15, centres, 2, 3);
    const result = consensusKmeans(points, 4, { seed: 1, runs: 20 });
    expect(normalizedMutualInfo(truth, result.labels)).toBeCloseTo(1, 10);
    expect(result.centroids).toHaveLength(4);
    for (const centroid of result.centroids) {
      expect(centres.some((c) => Math.hypot(c[0] - centroid[0], c[1] - centroid[1]) < 1)).toBe(true);
    }
    expect(result.inertia).toBeGreaterThan(0);
  });

  it('repeats exactly for a seed, and the async form agrees with the plain one', async () => {
    const { points } = blobs(20, centres, 9, 5); // overlapping, so runs disagree and votes matter
    const a = consensusKmeans(points, 4, { seed: 11, runs: 15 });
    const b = await consensusKmeansAsync(points, 4, { seed: 11, runs: 15 });
    expect(b).toEqual(a);
    const other = consensusKmeans(points, 4, { seed: 12, runs: 15 });
    expect(other.labels).toHaveLength(points.length);
  });

  it('makes fewer clusters than asked for when there are fewer books, saying why', () => {
    const result = consensusKmeans([[0], [1], [5]], 5, { seed: 1, runs: 3 });
    expect(new Set(result.labels).size).toBe(3);
    expect(result.note).toMatch(/only 3 books/);
  });

  it('rejects a run count below one', () => {
    expect(() => consensusKmeans([[0], [1]], 2, { seed: 1, runs: 0 })).toThrow(ShelfmapError);
  });
});

describe('consensusKmeans above CONSENSUS_MAX_POINTS', () => {
  it('votes on a seeded sample, then runs K-means over every book from its groups', () => {
    expect(CONSENSUS_MAX_POINTS).toBe(5000);
    const centres = [[0, 0], [10, 0], [0, 10], [10, 10]];
    const { points, truth } = blobs(1251, centres, 3, 21); // 5004 points
    const result = consensusKmeans(points, 4, { seed: 3, runs: 4 });
    expect(result.labels).toHaveLength(points.length);
    expect(normalizedMutualInfo(truth, result.labels)).toBeGreaterThan(0.99);
    expect(result.note).toMatch(new RegExp(`sample of ${CONSENSUS_SAMPLE_POINTS.toLocaleString('en')} of the 5,004 books`));
    expect(consensusKmeans(points, 4, { seed: 3, runs: 4 })).toEqual(result);
  });
});
