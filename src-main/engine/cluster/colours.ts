// Colours that stay with a cluster: a new run's cluster takes the colour (a palette index) of its
// match in the closest earlier run, matched one to one by overlap as compareRuns matches them
// (match.ts); the clusters left unmatched take the lowest indices no carried colour holds.
import { matchClusters } from './match';

export interface ColouredRun {
  /** Book id -> cluster in that run. */
  assignments: ReadonlyMap<number, number>;
  /** Cluster -> its palette index in that run. */
  colours: ReadonlyMap<number, number>;
}

/**
 * Each cluster of the new run (book id -> cluster; `clusterIds` every cluster, books or not)
 * with its palette index. Without an earlier run every cluster keeps its own number, so a
 * first run looks as it always did.
 */
export function carriedColours(earlier: ColouredRun | undefined, current: ReadonlyMap<number, number>, clusterIds: readonly number[]): Map<number, number> {
  const colours = new Map<number, number>();
  if (!earlier) {
    for (const id of clusterIds) colours.set(id, id);
    return colours;
  }
  const taken = new Set<number>();
  for (const pair of matchClusters(earlier.assignments, current).pairs) {
    const colour = earlier.colours.get(pair.from) ?? pair.from;
    if (taken.has(colour) || !clusterIds.includes(pair.to)) continue;
    colours.set(pair.to, colour);
    taken.add(colour);
  }
  let next = 0;
  for (const id of [...clusterIds].sort((a, b) => a - b)) {
    if (colours.has(id)) continue;
    while (taken.has(next)) next++;
    colours.set(id, next);
    taken.add(next);
  }
  return colours;
}
