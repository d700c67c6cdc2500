// Which cluster of one run is which cluster of another: matched one to one by how many books
// they share, the largest overlaps first. Runs over mostly the same books then compare cluster
// by cluster (how many books changed cluster), and later work can carry names and colours over.

export interface ClusterPair {
  from: number;
  to: number;
  /** Books in both. */
  shared: number;
}

export interface ClusterMatching {
  pairs: ClusterPair[];
  /** Books in both runs. */
  commonBooks: number;
  /** Books in both runs whose cluster in the second is not the match of their cluster in the first. */
  changedCluster: number;
}

/** Matches the clusters of `from` to those of `to` over the books both assign (bookId -> cluster). */
export function matchClusters(from: ReadonlyMap<number, number>, to: ReadonlyMap<number, number>): ClusterMatching {
  const overlap = new Map<string, ClusterPair>();
  let commonBooks = 0;
  for (const [bookId, a] of from) {
    const b = to.get(bookId);
    if (b === undefined) continue;
    commonBooks++;
    const key = `${a}:${b}`;
    const pair = overlap.get(key);
    if (pair) pair.shared++;
    else overlap.set(key, { from: a, to: b, shared: 1 });
  }
  // greedy by overlap (ties by cluster numbers, so the result does not depend on map order)
  const candidates = [...overlap.values()].sort((x, y) => y.shared - x.shared || x.from - y.from || x.to - y.to);
  const usedFrom = new Set<number>();
  const usedTo = new Set<number>();
  const pairs: ClusterPair[] = [];
  for (const pair of candidates) {
    if (usedFrom.has(pair.from) || usedTo.has(pair.to)) continue;
    usedFrom.add(pair.from);
    usedTo.add(pair.to);
    pairs.push(pair);
  }
  const kept = pairs.reduce((sum, p) => sum + p.shared, 0);
  return { pairs: pairs.sort((x, y) => x.from - y.from), commonBooks, changedCluster: commonBooks - kept };
}
