import { describe, expect, it } from 'vitest';
import { seededBlobs } from '../../../bench/layout-data';
import { pca2d } from './layout';
import { principalStart } from './umap-large';

describe('principalStart', () => {
  it('gives the scores pca2d gives, up to the sign of each axis', () => {
    const { points } = seededBlobs(800, { seed: 6, dims: 8, groups: 3, separation: 3 });
    const fromCovariance = principalStart(points, 1);
    const iterated = pca2d(points, 1);
    for (const axis of [0, 1]) {
      const sign = Math.sign(fromCovariance[0][axis]) === Math.sign(iterated[0][axis]) ? 1 : -1;
      fromCovariance.forEach((p, i) => expect(sign * p[axis]).toBeCloseTo(iterated[i][axis], 6));
    }
    expect(principalStart(points, 1)).toEqual(fromCovariance);
  });
});
