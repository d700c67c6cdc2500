import { describe, expect, it } from 'vitest';
import { ShelfmapError } from '../../../src-shared/errors';
import { neighbourPurity } from './neighbour-purity';

/** The same measure by comparing every pair. */
function bruteForce(coords: number[][], labels: number[], k: number): number {
  let total = 0;
  coords.forEach((p, i) => {
    const order = coords
      .map((q, j) => ({ j, d: (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2 }))
      .filter(({ j }) => j !== i)
      .sort((a, b) => a.d - b.d || a.j - b.j)
      .slice(0, k);
    total += order.filter(({ j }) => labels[j] === labels[i]).length / k;
  });
  return total / coords.length;
}

describe('neighbourPurity', () => {
  it('is 1 for groups far apart and matches a brute-force count on mixed ones', () => {
    const apart = [...Array.from({ length: 10 }, (_, i) => [i * 0.01, 0]), ...Array.from({ length: 10 }, (_, i) => [100 + i * 0.01, 5])];
    expect(neighbourPurity(apart, apart.map((_, i) => (i < 10 ? 0 : 1)))).toBe(1);
    let state = 7;
    const random = () => ((state = (state * 16807) % 2147483647) / 2147483647);
    const mixed = Array.from({ length: 400 }, () => [random() * 3, random()]);
    const labels = mixed.map(([x]) => (x + random() > 2 ? 1 : 0));
    expect(neighbourPurity(mixed, labels, 5)).toBeCloseTo(bruteForce(mixed, labels, 5), 12);
    expect(neighbourPurity(mixed, labels, 1)).toBeCloseTo(bruteForce(mixed, labels, 1), 12);
  });

  it('refuses too few points or mismatched labels', () => {
    expect(() => neighbourPurity([[0, 0], [1, 1]], [0, 1])).toThrow(ShelfmapError);
    expect(() => neighbourPurity([[0, 0], [1, 1]], [0], 1)).toThrow(ShelfmapError);
  });
});
