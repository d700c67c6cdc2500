import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ShelfmapError } from '../../../src-shared/errors';
import { adjustedRandIndex, confusionTable, homogeneityCompleteness, normalizedMutualInfo } from './metrics';

interface Case {
  name: string;
  a: (number | string)[];
  b: (number | string)[];
  nmi: number;
  ari: number;
  /** homogeneity, completeness, V-measure with a as the classes and b as the clusters */
  hcv: [number, number, number];
}

// Computed once by scikit-learn (see __fixtures__/make-sklearn-metrics.py).
const fixture = JSON.parse(readFileSync(new URL('./__fixtures__/sklearn-metrics.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};

describe('metrics against scikit-learn', () => {
  it('has the cases it was made with', () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(5);
  });

  for (const c of fixture.cases) {
    it(`matches on "${c.name}"`, () => {
      expect(Math.abs(normalizedMutualInfo(c.a, c.b) - c.nmi)).toBeLessThan(1e-9);
      expect(Math.abs(adjustedRandIndex(c.a, c.b) - c.ari)).toBeLessThan(1e-9);
      const { homogeneity, completeness, vMeasure } = homogeneityCompleteness(c.a, c.b);
      expect([homogeneity, completeness, vMeasure].map((x, i) => Math.abs(x - c.hcv[i]))).toEqual([0, 0, 0].map(() => expect.closeTo(0, 9)));
    });
  }
});

describe('metrics', () => {
  it('is symmetric in its two labelings', () => {
    const c = fixture.cases.find((x) => x.name.startsWith('197'))!;
    expect(normalizedMutualInfo(c.b, c.a)).toBeCloseTo(normalizedMutualInfo(c.a, c.b), 12);
    expect(adjustedRandIndex(c.b, c.a)).toBeCloseTo(adjustedRandIndex(c.a, c.b), 12);
  });

  it('accepts typed arrays', () => {
    const a = Int32Array.from([0, 0, 1, 1, 2]);
    expect(normalizedMutualInfo(a, [7, 7, 8, 8, 9])).toBe(1);
    expect(adjustedRandIndex(a, Float64Array.from([1, 1, 0, 0, 2]))).toBe(1);
  });

  it('scores two empty labelings as a perfect match, as scikit-learn does', () => {
    expect(normalizedMutualInfo([], [])).toBe(1);
    expect(adjustedRandIndex([], [])).toBe(1);
  });

  it('makes a confusion table with sorted rows and columns', () => {
    const table = confusionTable([2, 0, 0, 10, 2], ['poetry', 'drama', 'drama', 'poetry', 'drama']);
    expect(table).toEqual({ rows: [0, 2, 10], columns: ['drama', 'poetry'], counts: [[2, 0], [1, 1], [0, 1]] });
  });

  it('refuses labelings of different lengths', () => {
    expect(() => normalizedMutualInfo([0, 1], [0])).toThrow(ShelfmapError);
    expect(() => adjustedRandIndex([0], [0, 1])).toThrow(/differ in length/);
  });
});
