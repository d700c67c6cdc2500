// Names people gave clusters stay put: a later run over mostly the same books gives each renamed
// cluster's name to its matching cluster (matched one to one by overlap, see match.ts), when that
// cluster holds more than half of the renamed one's books.
import type { CarriedName, ClusterInfo } from '../../../src-shared/domain';
import { matchClusters } from './match';

/** A new cluster takes an earlier cluster's name when it holds more than this share of that cluster's books. */
export const CARRY_MIN_SHARE = 0.5;

export interface EarlierRun {
  runId: number;
  /** Book id -> cluster in that run. */
  assignments: ReadonlyMap<number, number>;
  clusters: readonly ClusterInfo[];
}

/** For each cluster of the new run (book id -> cluster) that inherits a name: the name and where it came from. */
export function carriedNames(earlier: EarlierRun, current: ReadonlyMap<number, number>): Map<number, { name: string; carried: CarriedName }> {
  const sizes = new Map<number, number>();
  for (const cluster of earlier.assignments.values()) sizes.set(cluster, (sizes.get(cluster) ?? 0) + 1);
  const named = new Map(earlier.clusters.filter((c) => c.customLabel).map((c) => [c.id, c.customLabel!]));
  const carried = new Map<number, { name: string; carried: CarriedName }>();
  if (named.size === 0) return carried;
  for (const pair of matchClusters(earlier.assignments, current).pairs) {
    const name = named.get(pair.from);
    const of = sizes.get(pair.from) ?? 0;
    if (name === undefined || pair.shared <= CARRY_MIN_SHARE * of) continue;
    carried.set(pair.to, { name, carried: { fromRun: earlier.runId, fromCluster: pair.from, shared: pair.shared, of } });
  }
  return carried;
}
