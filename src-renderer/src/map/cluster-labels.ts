// Cluster names on the map: each at the centre of its cluster's core (the 90% of its books
// nearest its mean, so one stray book cannot move it), placed by label-placement.ts in the
// pixels of the view on show, so zooming in shows more of them.
import type { BookPoint, ClusterInfo } from '../../../src-shared/domain';
import { placeLabels, type LabelCandidate } from './label-placement';

export interface ClusterCentre {
  cluster: number;
  x: number;
  y: number;
  /** Books in the cluster: the label's priority. */
  size: number;
}

/** The centre of each cluster's core, for every cluster with books. */
export function clusterCentres(points: readonly BookPoint[]): ClusterCentre[] {
  const members = new Map<number, BookPoint[]>();
  for (const p of points) {
    const list = members.get(p.cluster);
    if (list) list.push(p);
    else members.set(p.cluster, [p]);
  }
  return [...members].map(([cluster, books]) => {
    const cx = books.reduce((sum, p) => sum + p.x, 0) / books.length;
    const cy = books.reduce((sum, p) => sum + p.y, 0) / books.length;
    const core = books
      .map((p) => ({ p, d: (p.x - cx) ** 2 + (p.y - cy) ** 2 }))
      .sort((a, b) => a.d - b.d)
      .slice(0, Math.max(1, Math.ceil(books.length * 0.9)));
    return {
      cluster,
      x: core.reduce((sum, c) => sum + c.p.x, 0) / core.length,
      y: core.reduce((sum, c) => sum + c.p.y, 0) / core.length,
      size: books.length,
    };
  });
}

/** The plot area in data units and pixels, as Plotly last drew it. */
export interface MapView {
  x: [number, number];
  y: [number, number];
  width: number;
  height: number;
}

export interface ShownLabel {
  cluster: number;
  x: number;
  y: number;
  /** Pixels the label was moved to stay inside the plot (Plotly's yshift counts upwards). */
  xshift: number;
  yshift: number;
}

export const LABEL_HEIGHT = 24;

/**
 * The labels that fit the view without overlapping, largest cluster first (the highlighted one
 * before all). `textWidth` measures a label's text in pixels; hidden clusters get none.
 */
export function visibleLabels(
  centres: readonly ClusterCentre[],
  clusters: readonly ClusterInfo[],
  view: MapView,
  options: { hidden: (cluster: number) => boolean; highlighted: number | null; textWidth: (text: string) => number },
): ShownLabel[] {
  const names = new Map(clusters.map((c) => [c.id, c.label]));
  const [x0, x1] = view.x;
  const [y0, y1] = view.y;
  if (!(x1 > x0 && y1 > y0 && view.width > 0 && view.height > 0)) return [];
  const candidates: LabelCandidate<ClusterCentre>[] = centres
    .filter((c) => !options.hidden(c.cluster) && names.has(c.cluster))
    .map((c) => ({
      id: c,
      x: ((c.x - x0) / (x1 - x0)) * view.width,
      y: ((y1 - c.y) / (y1 - y0)) * view.height,
      // the swatch dot, a space, the name, and the box's padding
      width: Math.ceil(options.textWidth(`● ${names.get(c.cluster)}`)) + 10,
      height: LABEL_HEIGHT,
      priority: c.cluster === options.highlighted ? Number.MAX_SAFE_INTEGER : c.size,
    }));
  return placeLabels(candidates, view).map((placed) => ({ cluster: placed.id.cluster, x: placed.id.x, y: placed.id.y, xshift: placed.dx, yshift: -placed.dy }));
}
