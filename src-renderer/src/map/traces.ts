// The map's Plotly traces: per colour category its own books and (drawn on top, as outlined
// diamonds) books placed on the run later; then rings round the selected books and the chosen
// book. WebGL (scattergl) for large maps where the window has it, SVG otherwise.
import type { PlotData } from 'plotly.js/dist/plotly-strict.min.js';
import type { BookPoint, ClusterInfo } from '../../../src-shared/domain';
import type { MapColouring } from './colouring';

/** From this many books the map is drawn with WebGL (scattergl); SVG below, where every marker is a DOM node. */
export const WEBGL_MIN_POINTS = 1500;

export type TraceType = 'scatter' | 'scattergl';

/** Plotly reads hover text as a small HTML subset: titles must not open tags. */
export function escapeHoverText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** One category's books split into the run's own and those placed later, with what Plotly draws of them. */
export interface CategoryPoints {
  key: string;
  name: string;
  colour: string;
  own: number[];
  placed: number[];
}

/** The point indices of each category, own and placed apart; computed once per colouring. */
export function categoryPoints(points: readonly BookPoint[], colouring: MapColouring): CategoryPoints[] {
  const groups = colouring.categories.map((c) => ({ key: c.key, name: c.name, colour: c.colour, own: [] as number[], placed: [] as number[] }));
  points.forEach((p, i) => {
    const group = groups[colouring.pointCategory[i]];
    (p.placed ? group.placed : group.own).push(i);
  });
  return groups;
}

/** The columns Plotly reads for a set of points, built once per colouring and shared by every redraw. */
interface Columns {
  x: number[];
  y: number[];
  customdata: (string | number)[][];
}

export function columnsOf(points: readonly BookPoint[], indices: readonly number[], clusterNames: ReadonlyMap<number, string>): Columns {
  return {
    x: indices.map((i) => points[i].x),
    y: indices.map((i) => points[i].y),
    customdata: indices.map((i) => {
      const p = points[i];
      return [escapeHoverText(p.title), escapeHoverText(p.author || 'Unknown author'), p.bookId, escapeHoverText(clusterNames.get(p.cluster) ?? `Cluster ${p.cluster}`)];
    }),
  };
}

export interface PreparedCategory extends CategoryPoints {
  ownColumns: Columns;
  placedColumns: Columns;
}

export function prepareCategories(points: readonly BookPoint[], clusters: readonly ClusterInfo[], colouring: MapColouring): PreparedCategory[] {
  const names = new Map(clusters.map((c) => [c.id, c.label]));
  return categoryPoints(points, colouring).map((c) => ({ ...c, ownColumns: columnsOf(points, c.own, names), placedColumns: columnsOf(points, c.placed, names) }));
}

export interface TraceState {
  type: TraceType;
  byCluster: boolean;
  hidden: ReadonlySet<string>;
  highlightedCluster: number | null;
  emphasis: ReadonlySet<number> | null;
  selection: ReadonlySet<number>;
  selectedBookId: number | null;
}

/** Each point's opacity: dimmed outside the highlighted cluster, outside the emphasis (search matches) and outside the selection. */
function opacities(points: readonly BookPoint[], indices: readonly number[], base: number, state: TraceState): number | number[] {
  const { highlightedCluster, emphasis, selection } = state;
  if (highlightedCluster === null && !emphasis && selection.size === 0) return base;
  return indices.map((i) => {
    const p = points[i];
    // a search's matches at full strength, the rest faint
    let opacity = emphasis ? (emphasis.has(p.bookId) ? 1 : 0.12) : base;
    if (highlightedCluster !== null && p.cluster !== highlightedCluster) opacity *= 0.2;
    if (selection.size > 0 && !selection.has(p.bookId)) opacity *= 0.4;
    return opacity;
  });
}

function sizes(points: readonly BookPoint[], indices: readonly number[], base: number, highlightedCluster: number | null): number | number[] {
  if (highlightedCluster === null) return base;
  return indices.map((i) => (points[i].cluster === highlightedCluster ? base + 3 : base));
}

/** Markers get smaller as the map fills up, so clusters stay readable rather than one blot. */
export function markerSize(books: number): number {
  return books > 5000 ? 6 : books > 1500 ? 8 : 11;
}

export function buildTraces(points: readonly BookPoint[], categories: readonly PreparedCategory[], state: TraceState): PlotData[] {
  const { type } = state;
  const size = markerSize(points.length);
  const outline = points.length > 5000 ? 0 : 1;
  const traces: PlotData[] = [];
  for (const category of categories) {
    const visible = !state.hidden.has(category.key);
    const trace = (indices: number[], columns: Columns, placed: boolean): PlotData => ({
      type,
      mode: 'markers',
      name: placed ? `${category.name} (placed)` : category.name,
      meta: { category: category.key, placed },
      visible,
      ...columns,
      hovertemplate:
        '<b>%{customdata[0]}</b><br>%{customdata[1]}' +
        (state.byCluster ? '' : '<br>%{customdata[3]}') +
        (placed ? '<br><i>placed after the run</i>' : '') +
        `<extra>${state.byCluster ? '%{customdata[3]}' : escapeHoverText(category.name)}</extra>`,
      hoverlabel: { bordercolor: category.colour },
      marker: placed
        ? { color: category.colour, symbol: 'diamond', size: sizes(points, indices, size + 3, state.highlightedCluster), opacity: opacities(points, indices, 1, state), line: { color: '#1d232b', width: 1.5 } }
        : { color: category.colour, size: sizes(points, indices, size, state.highlightedCluster), opacity: opacities(points, indices, 0.9, state), line: { color: '#ffffff', width: outline } },
    });
    if (category.own.length > 0 || category.placed.length === 0) traces.push(trace(category.own, category.ownColumns, false));
    if (category.placed.length > 0) traces.push(trace(category.placed, category.placedColumns, true));
  }
  if (state.selection.size > 0 || state.selectedBookId !== null) {
    const visibleIndex = new Set(categories.filter((c) => !state.hidden.has(c.key)).flatMap((c) => [...c.own, ...c.placed]));
    if (state.selection.size > 0) {
      const ringed = points.filter((p, i) => state.selection.has(p.bookId) && visibleIndex.has(i));
      traces.push({
        type,
        mode: 'markers',
        name: 'selection',
        meta: { overlay: 'selection' },
        x: ringed.map((p) => p.x),
        y: ringed.map((p) => p.y),
        hoverinfo: 'skip',
        marker: { symbol: 'circle-open', size: size + 6, color: '#1d232b', opacity: 0.85, line: { color: '#1d232b', width: 1.5 } },
      });
    }
    const chosen = points.findIndex((p) => p.bookId === state.selectedBookId);
    if (chosen >= 0 && visibleIndex.has(chosen)) {
      traces.push({
        type,
        mode: 'markers',
        name: 'chosen book',
        meta: { overlay: 'chosen' },
        x: [points[chosen].x],
        y: [points[chosen].y],
        hoverinfo: 'skip',
        marker: { symbol: 'circle-open', size: 24, color: '#1d232b', line: { color: '#1d232b', width: 2.5 } },
      });
    }
  }
  return traces;
}
