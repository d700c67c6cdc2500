// kmeansPlusPlusStart must pick the centres ml-kmeans' own k-means++ start picks, number for
// number, so K-means (and the consensus, the k sweep) give what they gave: held to ml-kmeans run
// with initialization 'kmeans++' on clustered points, repeated points, few points and one
// dimension, every step of the iterations compared.
import { describe, expect, it } from 'vitest';
import { kmeansGenerator } from 'ml-kmeans';
// the start itself, which ml-kmeans does not export: its file, to compare the centres bit for bit
import { kmeanspp } from '../../../node_modules/ml-kmeans/lib/initialization.js';
import { seededBlobs } from '../../../bench/layout-data';
import { kmeansPlusPlusStart } from './kmeans';
import { mulberry32 } from './random';

/** Every iteration's labels and centres (as bits) of ml-kmeans from its own start or from the given one. */
function iterations(data: number[][], k: number, seed: number, initialization: 'kmeans++' | number[][]): string[] {
  const steps: string[] = [];
  for (const step of kmeansGenerator(data, k, { seed, maxIterations: 100, initialization })) {
    steps.push(`${step.clusters.join(',')}|${Buffer.from(Float64Array.from(step.centroids.flat()).buffer).toString('base64')}`);
  }
  return steps;
}

const bits = (rows: number[][]) => Buffer.from(Float64Array.from(rows.flat()).buffer).toString('base64');

function expectSameAsMlKmeans(data: number[][], k: number, seed: number): void {
  expect(bits(kmeansPlusPlusStart(data, k, seed))).toBe(bits(kmeanspp(data, k, { seed })));
  const expected = iterations(data, k, seed, 'kmeans++');
  expect(expected.length).toBeGreaterThan(0);
  expect(iterations(data, k, seed, kmeansPlusPlusStart(data, k, seed))).toEqual(expected);
}

describe('kmeansPlusPlusStart', () => {
  it('starts where ml-kmeans starts on clustered points, for many seeds and k', () => {
    const { points } = seededBlobs(2000, { seed: 3, dims: 16, groups: 12, separation: 2 });
    for (const k of [2, 5, 12, 30]) for (const seed of [0, 1, 7, 123456]) expectSameAsMlKmeans(points, k, seed);
  });

  it('starts where ml-kmeans starts on repeated points, few points and one dimension', () => {
    const random = mulberry32(11);
    const base = Array.from({ length: 6 }, () => [random(), random(), random()]);
    const repeated = Array.from({ length: 300 }, (_, i) => [...base[i % base.length]]);
    for (const k of [1, 2, 6]) for (const seed of [2, 3]) expectSameAsMlKmeans(repeated, k, seed);
    const few = Array.from({ length: 5 }, () => [random() * 10 - 5, random()]);
    for (const k of [1, 3, 5]) expectSameAsMlKmeans(few, k, 4);
    const line = Array.from({ length: 500 }, () => [Math.round(random() * 20) / 4]);
    for (const k of [3, 8]) expectSameAsMlKmeans(line, k, 5);
  });
});
