import { describe, expect, it } from 'vitest';
import { ShelfmapError } from '../../../src-shared/errors';
import { seededBlobs } from '../../../bench/layout-data';
import { neighbourPurity } from '../evaluate/neighbour-purity';
import { cosineDistance, LARGE_LAYOUT_POINTS, largeLayoutEpochs, layout2d, layout2dAsync, pca2d, rescaleAxes } from './layout';
import { mulberry32 } from './random';

/** Points around `groups` random centres in `dims` dimensions; returns points and their group. */
function groupedPoints(groups: number, perGroup: number, dims: number, seed: number) {
  const random = mulberry32(seed);
  const centres = Array.from({ length: groups }, () => Array.from({ length: dims }, () => random() * 10));
  const points: number[][] = [];
  const group: number[] = [];
  for (let i = 0; i < groups * perGroup; i++) {
    const g = i % groups;
    points.push(centres[g].map((c) => c + (random() - 0.5) * 0.5));
    group.push(g);
  }
  return { points, group };
}

function expectInUnitBox(coords: number[][]): void {
  for (const axis of [0, 1]) {
    const values = coords.map((p) => p[axis]);
    expect(values.every((v) => Number.isFinite(v) && v >= -1 && v <= 1)).toBe(true);
    expect(Math.min(...values)).toBe(-1);
    expect(Math.max(...values)).toBe(1);
  }
}

describe('layout2d with UMAP', () => {
  const { points, group } = groupedPoints(3, 20, 8, 5);

  it('repeats exactly for the same seed and differs for another', () => {
    const a = layout2d(points, { seed: 7 });
    const b = layout2d(points, { seed: 7 });
    const c = layout2d(points, { seed: 8 });
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('keeps separate groups apart, in [-1, 1] on both axes', () => {
    for (const metric of ['cosine', 'euclidean'] as const) {
      const coords = layout2d(points, { seed: 3, metric });
      expect(coords).toHaveLength(points.length);
      expectInUnitBox(coords);
      // Every point's nearest neighbour on the map is from its own group.
      coords.forEach((p, i) => {
        let nearest = -1;
        let best = Number.POSITIVE_INFINITY;
        coords.forEach((q, j) => {
          const d = (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2;
          if (j !== i && d < best) {
            best = d;
            nearest = j;
          }
        });
        expect(group[nearest]).toBe(group[i]);
      });
    }
  });

  it('handles the smallest input UMAP is used for, and heavy duplication, without NaN', () => {
    const five = groupedPoints(1, 5, 3, 2).points;
    expectInUnitBox(layout2d(five, { seed: 1 }));
    const duplicated = Array.from({ length: 30 }, (_, i) => [i % 3, (i % 3) * 2, 1]);
    expectInUnitBox(layout2d(duplicated, { seed: 1 }));
  });

  it('gives the same answer synchronously and asynchronously', async () => {
    expect(await layout2dAsync(points, { seed: 11 })).toEqual(layout2d(points, { seed: 11 }));
  });

  it('stops between epochs when cancelled', async () => {
    const big = groupedPoints(4, 50, 20, 9).points;
    const fullStart = performance.now();
    layout2d(big, { seed: 1 });
    const fullMs = performance.now() - fullStart;

    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), fullMs / 4);
    await expect(layout2dAsync(big, { seed: 1, signal: controller.signal })).rejects.toMatchObject({ kind: 'cancelled' });
    expect(performance.now() - started).toBeLessThan(fullMs * 0.8);

    expect(() => layout2d(big, { seed: 1, signal: controller.signal })).toThrow(ShelfmapError);
  });
});

describe('layout2d fallbacks', () => {
  it('lays out nothing, one point and two points', () => {
    expect(layout2d([], { seed: 1 })).toEqual([]);
    expect(layout2d([[3, 4]], { seed: 1 })).toEqual([[0, 0]]);
    const two = layout2d([[0, 0, 0], [1, 2, 3]], { seed: 1 });
    // Equally far from the centre: the first point found farthest goes on the positive side.
    expect(two).toEqual([[1, 0], [-1, 0]]);
  });

  it('uses PCA below five points: a line stays a line, in order', () => {
    const coords = layout2d([[0, 0, 0], [1, 1, 1], [3, 3, 3]], { seed: 4 });
    expect(coords[0][0]).toBeCloseTo(-1, 12);
    expect(coords[1][0]).toBeCloseTo(-1 / 3, 12);
    expect(coords[2][0]).toBeCloseTo(1, 12);
    expect(coords.map((p) => p[1])).toEqual([0, 0, 0]);
  });

  it('puts the wider direction of a rectangle on the first axis', () => {
    const coords = layout2d([[0, 0], [2, 0], [0, 1], [2, 1]], { seed: 4 });
    for (const p of coords) expect(Math.abs(p[0])).toBeCloseTo(1, 12);
    // Points 0 and 2 differ only in the short direction, so they share x.
    expect(coords[0][0]).toBeCloseTo(coords[2][0], 12);
    expect(coords[0][1]).toBeCloseTo(-coords[2][1], 12);
    expect(coords[0][0]).toBeCloseTo(-coords[1][0], 12);
  });

  it('maps identical points to the centre', () => {
    const same = Array.from({ length: 25 }, () => [0.3, 0.1, 0.7]);
    expect(layout2d(same, { seed: 2 })).toEqual(Array.from({ length: 25 }, () => [0, 0]));
  });

  it('refuses malformed input', () => {
    expect(() => layout2d([[1, 2], [1]], { seed: 1 })).toThrow(/has 1 values/);
    expect(() => layout2d([[1, Number.NaN]], { seed: 1 })).toThrow(ShelfmapError);
    expect(() => layout2d([[1]], { seed: 1.5 })).toThrow(ShelfmapError);
  });
});

describe('layout helpers', () => {
  it('pca2d finds the main direction of spread', () => {
    // Spread along (1, 1) with a little along (1, -1).
    const points = [[-2, -2], [2, 2], [-1, -1.2], [1, 1.2], [0.1, -0.1]];
    const scores = pca2d(points, 9);
    const first = scores.map((s) => s[0]);
    expect(Math.abs(first[1] - first[0])).toBeCloseTo(Math.hypot(4, 4), 1);
  });

  it('rescaleAxes maps each axis onto [-1, 1] and a flat axis to 0', () => {
    expect(rescaleAxes([[0, 5], [10, 5], [5, 5]])).toEqual([[-1, 0], [1, 0], [0, 0]]);
  });

  it('cosineDistance handles zero vectors', () => {
    expect(cosineDistance([0, 0], [0, 0])).toBe(0);
    expect(cosineDistance([0, 0], [1, 0])).toBe(1);
    expect(cosineDistance([1, 0], [0, 1])).toBeCloseTo(1, 12);
    expect(cosineDistance([1, 1], [2, 2])).toBe(0);
  });
});

/** An AbortSignal that reads as aborted from its `after`-th check on, counting the checks. */
function abortsAfter(after: number): AbortSignal & { checks: number } {
  const signal = { checks: 0 } as unknown as AbortSignal & { checks: number };
  Object.defineProperty(signal, 'aborted', { get: () => ++signal.checks >= after });
  return signal;
}

describe('layout2d on large maps (approximate neighbours, umap-large)', () => {
  const { points, labels } = seededBlobs(600, { seed: 4, groups: 4, separation: 4 });

  it('switches at LARGE_LAYOUT_POINTS, and spends fewer epochs per point on very large maps', () => {
    expect(LARGE_LAYOUT_POINTS).toBe(3000);
    // the same points through umap-js and through the large path give different maps
    const few = points.slice(0, 120);
    const umapJs = layout2d(few, { seed: 1 });
    expect(layout2d(few, { seed: 1, largeFrom: 120 })).not.toEqual(umapJs);
    expect(layout2d(few, { seed: 1, largeFrom: 121 })).toEqual(umapJs);
    expect(largeLayoutEpochs(3001)).toBe(100);
    expect(largeLayoutEpochs(20_000)).toBe(100);
    expect(largeLayoutEpochs(40_000)).toBe(100);
    expect(largeLayoutEpochs(70_000)).toBe(57);
    expect(largeLayoutEpochs(1_000_000)).toBe(50);
  });

  it('repeats exactly for the same seed, differs for another, and keeps groups together', () => {
    const a = layout2d(points, { seed: 3, largeFrom: 100 });
    expect(layout2d(points, { seed: 3, largeFrom: 100 })).toEqual(a);
    expect(layout2d(points, { seed: 4, largeFrom: 100 })).not.toEqual(a);
    expectInUnitBox(a);
    expect(neighbourPurity(a, labels)).toBeGreaterThan(0.95);
    const euclidean = layout2d(points, { seed: 3, largeFrom: 100, metric: 'euclidean' });
    expect(neighbourPurity(euclidean, labels)).toBeGreaterThan(0.95);
  });

  it('gives the same answer synchronously and asynchronously', async () => {
    expect(await layout2dAsync(points, { seed: 5, largeFrom: 100 })).toEqual(layout2d(points, { seed: 5, largeFrom: 100 }));
  });

  it('stops between trees, rounds and epochs when cancelled', async () => {
    const signal = abortsAfter(20);
    expect(() => layout2d(points, { seed: 1, largeFrom: 100, signal })).toThrow(expect.objectContaining({ kind: 'cancelled' }));
    expect(signal.checks).toBe(20);
    const later = abortsAfter(75);
    await expect(layout2dAsync(points, { seed: 1, largeFrom: 100, signal: later })).rejects.toMatchObject({ kind: 'cancelled' });
    expect(later.checks).toBe(75);
  });
});
