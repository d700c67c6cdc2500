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
