import { describe, expect, it } from 'vitest';
import { seededBlobs } from '../../../bench/layout-data';
import { normalizedMutualInfo } from '../evaluate/metrics';
import { kmeansBest, kmeansBestAsync } from './kmeans';
import { MINIBATCH_MIN_POINTS, nearestCentre } from './minibatch-kmeans';

/** An AbortSignal that reads as aborted from its `after`-th check on, counting the checks. */
function abortsAfter(after: number): AbortSignal & { checks: number } {
  const signal = { checks: 0 } as unknown as AbortSignal & { checks: number };
  Object.defineProperty(signal, 'aborted', { get: () => ++signal.checks >= after });
  return signal;
}

describe('mini-batch K-means', () => {
  const { points, labels } = seededBlobs(6000, { seed: 2, groups: 8, dims: 16, separation: 3 });

  it('recovers seeded blobs, with an inertia within 1% of full K-means', () => {
    const mini = kmeansBest(points, 8, { seed: 1, restarts: 3, miniBatchFrom: 0 });
    const full = kmeansBest(points, 8, { seed: 1, restarts: 3, miniBatchFrom: Infinity });
    expect(normalizedMutualInfo(labels, mini.labels)).toBeGreaterThan(0.95);
    expect(mini.inertia).toBeLessThan(full.inertia * 1.01);
    expect(mini.note).toMatch(/mini-batches of 1024 books/);
    expect(full.note).toBeUndefined();
    expect(new Set(mini.labels).size).toBe(8);
  });

  it('repeats exactly for the same seed, synchronously or not', async () => {
    const a = kmeansBest(points, 6, { seed: 4, restarts: 2, miniBatchFrom: 0 });
    expect(kmeansBest(points, 6, { seed: 4, restarts: 2, miniBatchFrom: 0 })).toEqual(a);
    expect(await kmeansBestAsync(points, 6, { seed: 4, restarts: 2, miniBatchFrom: 0 })).toEqual(a);
    expect(kmeansBest(points, 6, { seed: 5, restarts: 2, miniBatchFrom: 0 }).labels).not.toEqual(a.labels);
  });

  it(`takes over above ${MINIBATCH_MIN_POINTS} points`, () => {
    const line = (n: number) => Array.from({ length: n }, (_, i) => [i % 2 === 0 ? 0 : 10, (i % 7) / 7]);
    expect(kmeansBest(line(MINIBATCH_MIN_POINTS), 2, { seed: 1, restarts: 1 }).note).toBeUndefined();
    const above = kmeansBest(line(MINIBATCH_MIN_POINTS + 1), 2, { seed: 1, restarts: 1 });
    expect(above.note).toMatch(/mini-batches/);
    expect(above.labels.filter((l, i) => l !== above.labels[i % 2]).length).toBe(0);
  });

  it('fills clusters that come out empty and makes no more clusters than distinct points', () => {
    const duplicated = Array.from({ length: 3000 }, (_, i) => [i % 3, 0]);
    const result = kmeansBest(duplicated, 5, { seed: 1, restarts: 2, miniBatchFrom: 0 });
    expect(result.centroids).toHaveLength(3);
    expect(result.inertia).toBe(0);
  });

  it('stops between batches when cancelled', async () => {
    const signal = abortsAfter(10);
    expect(() => kmeansBest(points, 8, { seed: 1, restarts: 3, miniBatchFrom: 0, signal })).toThrow(expect.objectContaining({ kind: 'cancelled' }));
    expect(signal.checks).toBe(10);
    await expect(kmeansBestAsync(points, 8, { seed: 1, restarts: 3, miniBatchFrom: 0, signal: abortsAfter(12) })).rejects.toMatchObject({ kind: 'cancelled' });
  });
});

describe('nearestCentre', () => {
  it('gives the centre the full squared distances make nearest, the first of equals, in any dimension', () => {
    let state = 7;
    const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648) * 4 - 2;
    for (const d of [1, 3, 4, 7, 16, 17]) {
      const k = 9;
      const centres = Float64Array.from({ length: k * d }, () => Math.round(random() * 2) / 2);
      centres.copyWithin(5 * d, 2 * d, 3 * d); // centres 2 and 5 equal: ties go to 2
      const points = Float64Array.from({ length: 400 * d }, () => Math.round(random() * 4) / 4);
      points.set(centres.subarray(5 * d, 6 * d), 0);
      for (let i = 0; i < 400; i++) {
        let best = 0;
        let bestDistance = Infinity;
        for (let c = 0; c < k; c++) {
          let sum = 0;
          for (let j = 0; j < d; j++) sum += (points[i * d + j] - centres[c * d + j]) ** 2;
          if (sum < bestDistance) [best, bestDistance] = [c, sum];
        }
        expect(nearestCentre(points, i * d, centres, k, d)).toBe(best);
      }
      expect(nearestCentre(points, 0, centres, k, d)).toBe(2);
    }
  });
});
