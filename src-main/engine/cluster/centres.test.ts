import { describe, expect, it } from 'vitest';
import { clusterCentres } from './centres';

describe('clusterCentres', () => {
  it('measures each book against its own cluster mean and lists the nearest first', () => {
    const points = [
      [0, 0],
      [2, 0],
      [1, 0],
      [10, 10],
      [10, 12],
    ];
    const { distances, representatives } = clusterCentres(points, [0, 0, 0, 1, 1], 2, 2);
    // cluster 0's mean is (1, 0); cluster 1's is (10, 11)
    expect(distances).toEqual([1, 1, 0, 1, 1]);
    expect(representatives).toEqual([
      [2, 0],
      [3, 4],
    ]);
  });

  it('gives an empty list for a cluster with no books', () => {
    expect(clusterCentres([[1], [2]], [0, 0], 2).representatives).toEqual([[0, 1], []]);
  });
});
