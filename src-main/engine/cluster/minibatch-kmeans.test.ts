import { describe, expect, it } from 'vitest';
import { seededBlobs } from '../../../bench/layout-data';
import { normalizedMutualInfo } from '../evaluate/metrics';
import { kmeansBest, kmeansBestAsync } from './kmeans';
import { MINIBATCH_MIN_POINTS } from './minibatch-kmeans';

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
