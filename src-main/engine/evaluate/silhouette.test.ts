import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { silhouetteSamples, silhouetteScore } from './silhouette';

interface Case {
  name: string;
  points: number[][];
  labels: number[];
  score: number;
  samples: number[];
}

// Computed once by scikit-learn (see __fixtures__/make-sklearn-silhouette.py).
const fixture = JSON.parse(readFileSync(new URL('./__fixtures__/sklearn-silhouette.json', import.meta.url), 'utf8')) as { cases: Case[] };

describe('silhouette against scikit-learn', () => {
  it('has the cases it was made with', () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(5);
  });

  for (const c of fixture.cases) {
    it(`matches on "${c.name}"`, () => {
      expect(silhouetteScore(c.points, c.labels)).toBeCloseTo(c.score, 10);
      const samples = Array.from(silhouetteSamples(c.points, c.labels));
      samples.forEach((s, i) => expect(s).toBeCloseTo(c.samples[i], 10));
    });
  }
});

describe('silhouette', () => {
  it('is worked out by hand on five points', () => {
    // 0,1 | 2,10,11 on a line: point 0 has a = 1, b = (2 + 10 + 11) / 3, so s = 1 - 3 / 23
    const points = [[0], [1], [2], [10], [11]];
    const samples = silhouetteSamples(points, [0, 0, 1, 1, 1]);
    expect(samples[0]).toBeCloseTo(1 - 3 / 23, 12);
    // point 2: a = (8 + 9) / 2 = 8.5, b = (2 + 1) / 2 = 1.5: s = (1.5 - 8.5) / 8.5
    expect(samples[2]).toBeCloseTo(-7 / 8.5, 12);
  });

  it('refuses one cluster, or as many clusters as points', () => {
    expect(() => silhouetteScore([[0], [1], [2]], [0, 0, 0])).toThrow(/2 to 2 clusters/);
    expect(() => silhouetteScore([[0], [1], [2]], [0, 1, 2])).toThrow(/2 to 2 clusters/);
    expect(() => silhouetteScore([[0], [1]], [0])).toThrow(/2 points but 1 labels/);
  });
});
