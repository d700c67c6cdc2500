// What the map's colours mean: by cluster (every cluster, in the colour it carries from run to
// run), by author, by language, by a column of a labels table, or placed books against the
// run's own. Beyond MAX_CATEGORIES values the rarest fold into "Other", said in a note.
import type { BookPoint, ClusterInfo } from '../../../src-shared/domain';
import { plural } from '../format';
import { CLUSTER_PALETTE, clusterColor } from '../palette';

export type ColourBy = 'cluster' | 'author' | 'language' | 'labels' | 'placed';

export interface MapCategory {
  /** Stable within one colouring ("cluster:3", "value:English", "other", "unknown"). */
  key: string;
  name: string;
  colour: string;
  /** Books of the map in it. */
  count: number;
  /** For colouring by cluster: the cluster's id. */
  cluster?: number;
}

export interface MapColouring {
  by: ColourBy;
  /** Largest first (by cluster: as the cluster list orders them); "Other" and "unknown" last. */
  categories: MapCategory[];
  /** Each point's category, as an index into `categories`, in the order of the points. */
  pointCategory: Int32Array;
  /** What was folded, in words; null when every value has its colour. */
  note: string | null;
}

/** Values given their own colour before the rest fold into "Other". */
export const MAX_CATEGORIES = 12;

export const OTHER_COLOUR = '#8a857c';
export const UNKNOWN_COLOUR = '#cdc8be';

/** The palette index a cluster is drawn in: carried from the matching cluster of an earlier run. */
export function clusterColourIndex(cluster: Pick<ClusterInfo, 'id' | 'colour'>): number {
  return cluster.colour ?? cluster.id;
}

export function clusterSwatch(cluster: Pick<ClusterInfo, 'id' | 'colour'>): string {
  return clusterColor(clusterColourIndex(cluster));
}

export function colourByCluster(points: readonly BookPoint[], clusters: readonly ClusterInfo[]): MapColouring {
  const counts = new Map<number, number>();
  for (const p of points) counts.set(p.cluster, (counts.get(p.cluster) ?? 0) + 1);
  const ordered = [...clusters].sort((a, b) => b.size - a.size || a.id - b.id);
  const categories: MapCategory[] = ordered.map((c) => ({ key: `cluster:${c.id}`, name: c.label, colour: clusterSwatch(c), count: counts.get(c.id) ?? 0, cluster: c.id }));
  const index = new Map(ordered.map((c, i) => [c.id, i]));
  // a book in a cluster the run does not list (not expected) still gets drawn, as unknown
  let unknown = -1;
  const pointCategory = Int32Array.from(points, (p) => {
    const at = index.get(p.cluster);
    if (at !== undefined) return at;
    if (unknown < 0) {
      unknown = categories.length;
      categories.push({ key: 'unknown', name: 'No cluster', colour: UNKNOWN_COLOUR, count: 0 });
    }
    categories[unknown].count++;
    return unknown;
  });
  return { by: 'cluster', categories, pointCategory, note: null };
}

export interface ValueColouring {
  by: Exclude<ColourBy, 'cluster'>;
  /** A book's value; "" when it has none. */
  valueOf(point: BookPoint): string;
  /** What a book without a value is listed as ("Unknown author"). */
  unknownName: string;
  /** The plural noun for the values, for the note ("authors"). */
  noun: string;
  /** Fixed colours for known values (placed: its two kinds), instead of the palette in order. */
  colours?: Readonly<Record<string, string>>;
}

export function colourByValue(points: readonly BookPoint[], spec: ValueColouring): MapColouring {
  const counts = new Map<string, number>();
  const values = points.map((p) => spec.valueOf(p).trim());
  for (const v of values) if (v !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
  const byCount = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const own = byCount.length <= MAX_CATEGORIES ? byCount : byCount.slice(0, MAX_CATEGORIES - 1);
  const folded = byCount.slice(own.length);
  const categories: MapCategory[] = own.map(([value, count], i) => ({
    key: `value:${value}`,
    name: value,
    colour: spec.colours?.[value] ?? CLUSTER_PALETTE[i % CLUSTER_PALETTE.length],
    count,
  }));
  const index = new Map(own.map(([value], i) => [value, i]));
  const foldedBooks = folded.reduce((sum, [, n]) => sum + n, 0);
  const otherAt = folded.length > 0 ? categories.push({ key: 'other', name: `Other (${plural(folded.length, spec.noun.replace(/s$/, ''))})`, colour: OTHER_COLOUR, count: foldedBooks }) - 1 : -1;
  const unknownBooks = values.filter((v) => v === '').length;
  const unknownAt = unknownBooks > 0 ? categories.push({ key: 'unknown', name: spec.unknownName, colour: UNKNOWN_COLOUR, count: unknownBooks }) - 1 : -1;
  const pointCategory = Int32Array.from(values, (v) => (v === '' ? unknownAt : (index.get(v) ?? otherAt)));
  const note =
    folded.length > 0
      ? `${own.length} of ${byCount.length} ${spec.noun} have a colour of their own; the other ${plural(folded.length, spec.noun.replace(/s$/, ''))} (${plural(foldedBooks, 'book')}) are under Other.`
      : null;
  return { by: spec.by, categories, pointCategory, note };
}

export const PLACED_NAMES = { own: 'Made with the run', placed: 'Placed later' } as const;

/** Every colouring but by a labels table, which needs the table's labels (colourByLabels). */
export function colourPoints(points: readonly BookPoint[], clusters: readonly ClusterInfo[], by: Exclude<ColourBy, 'labels'>): MapColouring {
  switch (by) {
    case 'cluster':
      return colourByCluster(points, clusters);
    case 'author':
      return colourByValue(points, { by, valueOf: (p) => p.author, unknownName: 'Unknown author', noun: 'authors' });
    case 'language':
      return colourByValue(points, { by, valueOf: (p) => p.language, unknownName: 'Unknown language', noun: 'languages' });
    case 'placed':
      return colourByValue(points, {
        by,
        valueOf: (p) => (p.placed ? PLACED_NAMES.placed : PLACED_NAMES.own),
        unknownName: '',
        noun: 'kinds',
        colours: { [PLACED_NAMES.own]: CLUSTER_PALETTE[0], [PLACED_NAMES.placed]: CLUSTER_PALETTE[2] },
      });
  }
}

/** Colour by a labels table's column: each book's label as matched (labels-match.ts); books without one are "No label". */
export function colourByLabels(points: readonly BookPoint[], labels: ReadonlyMap<number, string>): MapColouring {
  return colourByValue(points, { by: 'labels', valueOf: (p) => labels.get(p.bookId) ?? '', unknownName: 'No label', noun: 'labels' });
}
