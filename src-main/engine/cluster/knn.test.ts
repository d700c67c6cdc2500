import { describe, expect, it } from 'vitest';
import { seededBlobs } from '../../../bench/layout-data';
import { ShelfmapError } from '../../../src-shared/errors';
import { exactKnnGraph, knnGraphSteps, knnRecall, type KnnOptions } from './knn';
import { cosineDistance, euclideanDistance } from './layout';
import { runSteps } from './steps';

const graph = (points: number[][], options: KnnOptions) => runSteps(knnGraphSteps(points, options), undefined);

describe('approximate k-NN graph', () => {
  const { points } = seededBlobs(1500, { seed: 3, dims: 16 });

  it('finds at least 90% of the exact neighbours, for both metrics', () => {
    for (const metric of ['cosine', 'euclidean'] as const) {
      const approximate = graph(points, { k: 15, seed: 1, metric });
      const recall = knnRecall(approximate, exactKnnGraph(points, 15, metric));
      expect(recall).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('repeats exactly with the same seed, and a different seed draws different trees', () => {
    const a = graph(points, { k: 15, seed: 7, metric: 'cosine', rounds: 0 });
    expect(graph(points, { k: 15, seed: 7, metric: 'cosine', rounds: 0 })).toEqual(a);
    expect(graph(points, { k: 15, seed: 8, metric: 'cosine', rounds: 0 })).not.toEqual(a);
    const full = graph(points, { k: 15, seed: 7, metric: 'cosine' });
    expect(graph(points, { k: 15, seed: 7, metric: 'cosine' })).toEqual(full);
  });

  it('puts each point first, then its neighbours nearest first, at their true distances', () => {
    const small = points.slice(0, 300);
    for (const [metric, distance] of [['cosine', cosineDistance], ['euclidean', euclideanDistance]] as const) {
      const g = graph(small, { k: 10, seed: 2, metric });
      g.indices.forEach((row, i) => {
        expect(row[0]).toBe(i);
        expect(new Set(row).size).toBe(10);
        row.forEach((j, s) => expect(g.distances[i][s]).toBeCloseTo(distance(small[i], small[j]), 9));
        for (let s = 1; s < row.length; s++) expect(g.distances[i][s]).toBeGreaterThanOrEqual(g.distances[i][s - 1]);
      });
    }
  });

  it('copes with duplicated and zero points', () => {
    const awkward = [...Array.from({ length: 40 }, () => [1, 2, 3]), ...Array.from({ length: 10 }, () => [0, 0, 0]), ...points.slice(0, 50).map((p) => p.slice(0, 3))];
    const g = graph(awkward, { k: 5, seed: 1, metric: 'cosine' });
    expect(g.indices.every((row) => row.length === 5 && row.every((j) => j >= 0))).toBe(true);
    expect(g.distances.flat().every((d) => Number.isFinite(d) && d >= 0)).toBe(true);
  });

  it('refuses more neighbours than points', () => {
    expect(() => graph(points.slice(0, 5), { k: 6, seed: 1, metric: 'cosine' })).toThrow(ShelfmapError);
  });
});
