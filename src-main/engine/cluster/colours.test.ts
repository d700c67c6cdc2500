import { describe, expect, it } from 'vitest';
import { carriedColours } from './colours';

const assign = (clusters: number[]) => new Map(clusters.map((c, i) => [i + 1, c]));

describe('carriedColours', () => {
  it('gives each cluster its own number when there is no earlier run', () => {
    expect([...carriedColours(undefined, assign([0, 1, 2]), [0, 1, 2])]).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
    ]);
  });

  it('carries the colour of the matched cluster when the same books are numbered differently', () => {
    // earlier: books 1-3 in 0, 4-6 in 1, 7-9 in 2, coloured 5, 0, 3 (carried there from before)
    const earlier = { assignments: assign([0, 0, 0, 1, 1, 1, 2, 2, 2]), colours: new Map([[0, 5], [1, 0], [2, 3]]) };
    // now the same groups come out as 2, 0, 1
    const now = carriedColours(earlier, assign([2, 2, 2, 0, 0, 0, 1, 1, 1]), [0, 1, 2]);
    expect(now.get(2)).toBe(5);
    expect(now.get(0)).toBe(0);
    expect(now.get(1)).toBe(3);
  });

  it('gives new clusters the lowest colours no match holds, and a split cluster its colour on the larger part', () => {
    // earlier: two clusters of 4; now cluster 0 splits into 1 (3 books) and 2 (1 book)
    const earlier = { assignments: assign([0, 0, 0, 0, 1, 1, 1, 1]), colours: new Map([[0, 0], [1, 1]]) };
    const now = carriedColours(earlier, assign([1, 1, 1, 2, 0, 0, 0, 0]), [0, 1, 2, 3]);
    expect(now.get(1)).toBe(0); // the larger part of old 0
    expect(now.get(0)).toBe(1); // old 1, renumbered
    expect(now.get(2)).toBe(2); // new: lowest free
    expect(now.get(3)).toBe(3); // a cluster without books still gets a colour of its own
    expect(new Set(now.values()).size).toBe(4);
  });

  it('reads an earlier run without stored colours as coloured by cluster number', () => {
    const earlier = { assignments: assign([0, 0, 1, 1]), colours: new Map<number, number>() };
    const now = carriedColours(earlier, assign([1, 1, 0, 0]), [0, 1]);
    expect(now.get(1)).toBe(0);
    expect(now.get(0)).toBe(1);
  });
});
