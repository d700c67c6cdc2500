import { describe, expect, it } from 'vitest';
import { ShelfmapError } from '../../../src-shared/errors';
import { countDistinctRows, fillEmptyClusters, kmeansBest, kmeansBestAsync, relabelBySize } from './kmeans';
import { mulberry32 } from './random';

/** Standard normal samples from a seeded uniform source (Box-Muller). */
function gaussian(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Blobs of the given sizes around well-separated centres; returns the points and their blob. */
function blobs(sizes: number[], centres: number[][], spread: number, seed: number) {
  const random = mulberry32(seed);
  const points: number[][] = [];
  const truth: number[] = [];
  sizes.forEach((size, blob) => {
    for (let i = 0; i < size; i++) {
      points.push(centres[blob].map((c) => c + spread * gaussian(random)));
      truth.push(blob);
    }
  });
  // Interleave so blob membership is not simply the point order.
  const order = points.map((_, i) => i).sort((a, b) => ((a * 7919) % 97) - ((b * 7919) % 97) || a - b);
  return { points: order.map((i) => points[i]), truth: order.map((i) => truth[i]) };
}

function uniformPoints(n: number, dims: number, seed: number): number[][] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => Array.from({ length: dims }, () => random()));
}

function expectKind(fn: () => unknown, kind: string): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ShelfmapError);
    expect((error as ShelfmapError).kind).toBe(kind);
    return;
  }
  throw new Error(`expected a ShelfmapError of kind ${kind}`);
}

describe('kmeansBest', () => {
  it('separates three obvious blobs, numbering clusters by size', () => {
    const { points, truth } = blobs([40, 30, 20], [[0, 0], [10, 10], [-10, 10]], 1, 7);
    const result = kmeansBest(points, 3, { seed: 1, restarts: 5 });
    // Blob 0 is the largest, so it must be cluster 0, and so on.
    expect(result.labels).toEqual(truth);
    expect(result.centroids[0][0]).toBeCloseTo(0, 0);
    expect(result.centroids[1][1]).toBeCloseTo(10, 0);
    expect(result.centroids[2][0]).toBeCloseTo(-10, 0);
    expect(result.note).toBeUndefined();
  });

  it('repeats exactly for the same seed and reports the inertia it computed', () => {
    const data = uniformPoints(120, 4, 3);
    const a = kmeansBest(data, 6, { seed: 42, restarts: 4 });
    const b = kmeansBest(data, 6, { seed: 42, restarts: 4 });
    expect(b.labels).toEqual(a.labels);
    expect(b.inertia).toBe(a.inertia);
    expect(b.restart).toBe(a.restart);

    let inertia = 0;
    data.forEach((row, i) => {
      row.forEach((v, j) => {
        inertia += (v - a.centroids[a.labels[i]][j]) ** 2;
      });
    });
    expect(a.inertia).toBeCloseTo(inertia, 9);
  });

  it('gives different starts for different seeds', () => {
    const data = uniformPoints(200, 3, 11);
    const inertias = new Set([1, 2, 3, 4, 5].map((seed) => kmeansBest(data, 8, { seed, restarts: 1 }).inertia));
    expect(inertias.size).toBeGreaterThan(1);
  });

  it('never does worse with more restarts from the same base seed', () => {
    const data = uniformPoints(150, 3, 5);
    let strictlyBetter = 0;
    for (let seed = 0; seed < 8; seed++) {
      const one = kmeansBest(data, 7, { seed, restarts: 1 });
      const many = kmeansBest(data, 7, { seed, restarts: 10 });
      expect(many.inertia).toBeLessThanOrEqual(one.inertia);
      if (many.inertia < one.inertia - 1e-12) strictlyBetter++;
    }
    // Uniform data has many local minima: restarts must actually find better ones sometimes.
    expect(strictlyBetter).toBeGreaterThan(0);
  });

  it('orders clusters by size, largest first', () => {
    const data = uniformPoints(90, 2, 9);
    const { labels } = kmeansBest(data, 5, { seed: 3, restarts: 3 });
    const sizes = [0, 1, 2, 3, 4].map((c) => labels.filter((l) => l === c).length);
    expect(sizes.every((size, c) => c === 0 || size <= sizes[c - 1])).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(90);
    expect(Math.min(...sizes)).toBeGreaterThan(0);
  });

  it('puts everything in cluster 0 when k = 1', () => {
    const data = [[0, 0], [2, 0], [0, 4], [2, 4]];
    const result = kmeansBest(data, 1, { seed: 0, restarts: 3 });
    expect(result.labels).toEqual([0, 0, 0, 0]);
    expect(result.centroids).toEqual([[1, 2]]);
    expect(result.inertia).toBeCloseTo(4 * (1 + 4), 12);
  });

  it('clamps k to the number of points and says so', () => {
    const data = [[0], [5], [10]];
    const result = kmeansBest(data, 5, { seed: 0, restarts: 2 });
    expect(result.centroids).toHaveLength(3);
    expect([...result.labels].sort()).toEqual([0, 1, 2]);
    expect(result.inertia).toBe(0);
    expect(result.note).toMatch(/only 3 books/);
  });

  it('makes one cluster of identical points without NaN', () => {
    const data = Array.from({ length: 10 }, () => [0.5, 0.25, 0]);
    const result = kmeansBest(data, 3, { seed: 4, restarts: 3 });
    expect(result.labels).toEqual(new Array(10).fill(0));
    expect(result.centroids).toEqual([[0.5, 0.25, 0]]);
    expect(result.inertia).toBe(0);
    expect(result.note).toMatch(/Only 1 of the 10 books differ/);
  });

  it('makes only as many clusters as there are distinct points', () => {
    const distinct = [[0, 0], [1, 0], [0, 1]];
    const data = Array.from({ length: 12 }, (_, i) => distinct[i % 3]);
    const result = kmeansBest(data, 5, { seed: 2, restarts: 2 });
    expect(result.centroids).toHaveLength(3);
    expect(result.inertia).toBe(0);
    expect(result.labels.every((l) => Number.isInteger(l) && l >= 0 && l < 3)).toBe(true);
    // Equal sizes: numbered by first appearance.
    expect(result.labels.slice(0, 3)).toEqual([0, 1, 2]);
    expect(result.note).toMatch(/Only 3 of the 12 books differ/);
  });

  it('refuses bad arguments with clear errors', () => {
    expectKind(() => kmeansBest([], 3, { seed: 0, restarts: 1 }), 'no-books');
    expectKind(() => kmeansBest([[1], [2]], 0, { seed: 0, restarts: 1 }), 'invalid-argument');
    expectKind(() => kmeansBest([[1], [2]], 1.5, { seed: 0, restarts: 1 }), 'invalid-argument');
    expectKind(() => kmeansBest([[1], [2]], 1, { seed: 0, restarts: 0 }), 'invalid-argument');
    expectKind(() => kmeansBest([[1], [2]], 1, { seed: 0, restarts: 1, maxIterations: 0 }), 'invalid-argument');
    expectKind(() => kmeansBest([[1, 2], [2]], 1, { seed: 0, restarts: 1 }), 'invalid-argument');
    expectKind(() => kmeansBest([[1], [Number.NaN]], 1, { seed: 0, restarts: 1 }), 'invalid-argument');
    expectKind(() => kmeansBest([[], []], 1, { seed: 0, restarts: 1 }), 'invalid-argument');
  });

  it('stops with "cancelled" when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const data = uniformPoints(50, 2, 1);
    expectKind(() => kmeansBest(data, 3, { seed: 0, restarts: 2, signal: controller.signal }), 'cancelled');
    await expect(kmeansBestAsync(data, 3, { seed: 0, restarts: 2, signal: controller.signal })).rejects.toMatchObject({
      kind: 'cancelled',
    });
  });

  it('gives the same answer synchronously and asynchronously', async () => {
    const data = uniformPoints(80, 3, 21);
    const sync = kmeansBest(data, 4, { seed: 8, restarts: 3 });
    const async = await kmeansBestAsync(data, 4, { seed: 8, restarts: 3 });
    expect(async).toEqual(sync);
  });
});

describe('kmeans helpers', () => {
  it('fills an empty cluster with the point farthest from its centroid', () => {
    const data = [[0], [1], [2], [30]];
    const labels = [0, 0, 0, 0];
    fillEmptyClusters(data, labels, 2);
    expect(labels).toEqual([0, 0, 0, 1]);
  });

  it('renumbers by size, then by first point', () => {
    const { labels, centroids } = relabelBySize([2, 1, 1, 0, 2, 0, 1], [[0], [1], [2]]);
    // Sizes: cluster 1 has 3; clusters 2 and 0 have 2 each, and 2 appears first.
    expect(labels).toEqual([1, 0, 0, 2, 1, 2, 0]);
    expect(centroids).toEqual([[1], [2], [0]]);
  });

  it('counts distinct rows up to a limit', () => {
    expect(countDistinctRows([[1, 2], [1, 2], [3, 4], [1, 2]], 10)).toBe(2);
    expect(countDistinctRows([[1], [2], [3], [4]], 2)).toBe(2);
  });
});
