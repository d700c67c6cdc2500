// How central each book is to its cluster: its distance to the cluster's mean in the space the
// clusters were found in, and each cluster's most representative books (nearest that mean).
import { clusterMeans } from './kmeans';

export interface ClusterCentres {
  /** Each cluster's mean, 0..k-1. */
  centres: number[][];
  /** Each book's distance to the mean of its cluster. */
  distances: number[];
  /** For each cluster 0..k-1, the indices of its books nearest its mean, nearest first. */
  representatives: number[][];
}

export function clusterCentres(points: number[][], labels: number[], k: number, perCluster = 5): ClusterCentres {
  const centres = clusterMeans(points, labels, k);
  const distances = points.map((point, i) => Math.hypot(...point.map((v, d) => v - centres[labels[i]][d])));
  const members: number[][] = Array.from({ length: k }, () => []);
  labels.forEach((label, i) => members[label].push(i));
  // ties go to the earlier book, so the same run always lists the same books
  const representatives = members.map((books) => [...books].sort((a, b) => distances[a] - distances[b] || a - b).slice(0, perCluster));
  return { centres, distances, representatives };
}
