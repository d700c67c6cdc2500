import { describe, expect, it } from 'vitest';
import type { ClusterInfo } from '../../../src-shared/domain';
import { carriedNames } from './carry';

const cluster = (id: number, customLabel: string | null): ClusterInfo => ({ id, label: customLabel ?? `auto ${id}`, automaticLabel: `auto ${id}`, customLabel, carried: null, terms: [], size: 0, representatives: [] });
const assign = (clusters: number[]) => new Map(clusters.map((c, i) => [i + 1, c]));

describe('carriedNames', () => {
  it('gives a renamed cluster\'s name to its match when the match holds more than half its books', () => {
    // earlier: books 1-4 in 0 ("Sea"), 5-8 in 1 ("Love"), 9-10 in 2 (not renamed)
    const earlier = { runId: 3, assignments: assign([0, 0, 0, 0, 1, 1, 1, 1, 2, 2]), clusters: [cluster(0, 'Sea'), cluster(1, 'Love'), cluster(2, null)] };
    // now: the sea books are cluster 2 (3 of 4 stay together), the love books split 2 and 2
    const now = assign([2, 2, 2, 0, 1, 1, 0, 0, 0, 0]);
    const names = carriedNames(earlier, now);
    expect([...names.keys()]).toEqual([2]);
    expect(names.get(2)).toEqual({ name: 'Sea', carried: { fromRun: 3, fromCluster: 0, shared: 3, of: 4 } });
  });

  it('carries nothing when nothing was renamed, or the books are others', () => {
    const earlier = { runId: 1, assignments: assign([0, 0, 1, 1]), clusters: [cluster(0, null), cluster(1, null)] };
    expect(carriedNames(earlier, assign([0, 0, 1, 1])).size).toBe(0);
    const renamed = { ...earlier, clusters: [cluster(0, 'Sea'), cluster(1, null)] };
    expect(carriedNames(renamed, new Map([[99, 0]])).size).toBe(0);
  });
});
