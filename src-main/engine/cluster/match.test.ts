import { describe, expect, it } from 'vitest';
import { matchClusters } from './match';

const assign = (clusters: number[], firstId = 1) => new Map(clusters.map((c, i) => [firstId + i, c]));

describe('matchClusters', () => {
  it('finds the same partition under other cluster numbers, with no book changed', () => {
    const m = matchClusters(assign([0, 0, 1, 1, 2, 2]), assign([2, 2, 0, 0, 1, 1]));
    expect(m.pairs).toEqual([
      { from: 0, to: 2, shared: 2 },
      { from: 1, to: 0, shared: 2 },
      { from: 2, to: 1, shared: 2 },
    ]);
    expect([m.commonBooks, m.changedCluster]).toEqual([6, 0]);
  });

  it('counts the books that moved, over the books both runs hold', () => {
    // book 3 moved from cluster 0's match to cluster 1's; books 7 and 8 are in one run only
    const from = assign([0, 0, 0, 1, 1, 1, 0]);
    const to = new Map([...assign([5, 5, 6, 6, 6, 6]), [8, 5]]);
    const m = matchClusters(from, to);
    expect(m.pairs).toEqual([
      { from: 0, to: 5, shared: 2 },
      { from: 1, to: 6, shared: 3 },
    ]);
    expect([m.commonBooks, m.changedCluster]).toEqual([6, 1]);
  });

  it('matches one to one, leaving a cluster unmatched when the other run has fewer', () => {
    const m = matchClusters(assign([0, 1, 2, 2]), assign([0, 0, 1, 1]));
    expect(m.pairs.map((p) => [p.from, p.to])).toEqual([
      [0, 0],
      [2, 1],
    ]);
    expect(m.changedCluster).toBe(1);
  });
});
