// Cluster colours: a fixed qualitative palette (Tableau 10 plus six that stay distinct from
// it), so cluster 0 has the same colour in every run. Past 16 clusters, hues continue around
// the colour wheel by the golden angle so neighbours still differ.
export const CLUSTER_PALETTE: readonly string[] = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#2f4b7c',
  '#8cd17d',
  '#d37295',
  '#a0cbe8',
  '#b6992d',
  '#499894',
];

export function clusterColor(cluster: number): string {
  if (cluster >= 0 && cluster < CLUSTER_PALETTE.length) return CLUSTER_PALETTE[cluster];
  const hue = Math.round((cluster * 137.508) % 360);
  return `hsl(${hue}, 52%, 52%)`;
}
