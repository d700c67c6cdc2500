// The map: one scatter trace per cluster, coloured by cluster; hovering shows title and
// author, clicking a point selects the book. A visually hidden summary states what is drawn,
// for screen readers and for tests.
import type { Config, Layout, PlotData, PlotlyEvent } from 'plotly.js/dist/plotly-basic.min.js';
import { useMemo } from 'react';
import type { BookPoint, ClusterInfo } from '../../../src-shared/domain';
import { plural } from '../format';
import { clusterColor } from '../palette';
import { PlotlyChart } from './PlotlyChart';

interface ClusterMapProps {
  /** Zoom and pan survive redraws (highlighting, selecting) until the run changes. */
  runId: number;
  points: BookPoint[];
  clusters: ClusterInfo[];
  highlightedCluster: number | null;
  selectedBookId: number | null;
  onSelectBook(bookId: number): void;
  /** Book ids drawn at full strength (search matches), the others dimmed; null: all as usual. */
  emphasis?: ReadonlySet<number> | null;
  /** Pan the map to this book (a new nonce pans again). */
  centreOn?: { bookId: number; nonce: number } | null;
}

/** Plotly reads hover text as a small HTML subset: titles must not open tags. */
function escapeHoverText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

const AXIS = { visible: true, showgrid: true, gridcolor: '#eeebe4', zeroline: false, showticklabels: false, ticks: '', showline: false };

const BASE_LAYOUT: Layout = {
  margin: { l: 8, r: 8, t: 8, b: 8 },
  paper_bgcolor: 'rgba(0,0,0,0)',
  plot_bgcolor: '#fcfbf8',
  showlegend: false,
  hovermode: 'closest',
  dragmode: 'pan',
  font: { family: FONT, size: 13, color: '#1d232b' },
  hoverlabel: { bgcolor: '#ffffff', bordercolor: '#d9d5cc', font: { family: FONT, size: 13, color: '#1d232b' }, align: 'left' },
};

/** The data's extent with a margin, so no point sits on the plot's edge (more above, for labels). */
function paddedRange(values: number[], below: number, above: number): [number, number] {
  if (values.length === 0) return [-1, 1];
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max > min ? max - min : 1;
  return [min - span * below, max + span * above];
}

/** Up to this many clusters every label is written on the map; beyond it only the highlighted one. */
const MAX_LABELLED_CLUSTERS = 8;

/** The books nearest the cluster's centre (90% of them), so one stray book cannot move its label. */
function clusterCore(members: BookPoint[]): BookPoint[] {
  const cx = members.reduce((sum, p) => sum + p.x, 0) / members.length;
  const cy = members.reduce((sum, p) => sum + p.y, 0) / members.length;
  const byDistance = [...members].sort((a, b) => Math.hypot(a.x - cx, a.y - cy) - Math.hypot(b.x - cx, b.y - cy));
  return byDistance.slice(0, Math.max(1, Math.ceil(members.length * 0.9)));
}

/**
 * Each cluster's label just above the top of its core, centred on it, and anchored towards the
 * middle of the map near the sides so it stays inside the plot.
 */
function clusterAnnotations(points: BookPoint[], clusters: ClusterInfo[], highlighted: number | null) {
  const xs = points.map((p) => p.x);
  const [left, right] = [Math.min(...xs), Math.max(...xs)];
  const labelled = clusters.length <= MAX_LABELLED_CLUSTERS ? clusters : clusters.filter((c) => c.id === highlighted);
  return labelled.flatMap((cluster) => {
    const members = points.filter((p) => p.cluster === cluster.id);
    if (members.length === 0) return [];
    const core = clusterCore(members);
    const dimmed = highlighted !== null && highlighted !== cluster.id;
    const x = core.reduce((sum, p) => sum + p.x, 0) / core.length;
    const across = right > left ? (x - left) / (right - left) : 0.5;
    return [
      {
        x,
        y: Math.max(...core.map((p) => p.y)),
        yshift: 10,
        yanchor: 'bottom',
        xanchor: across < 0.25 ? 'left' : across > 0.75 ? 'right' : 'center',
        text: `<span style="color:${clusterColor(cluster.id)}">●</span> ${escapeHoverText(cluster.label)}`,
        showarrow: false,
        font: { family: FONT, size: 12, color: dimmed ? '#b5b0a6' : '#1d232b' },
        bgcolor: dimmed ? 'rgba(255,255,255,0.5)' : 'rgba(255,255,255,0.88)',
        borderpad: 4,
        opacity: dimmed ? 0.6 : 1,
      },
    ];
  });
}

function buildLayout(runId: number, points: BookPoint[], clusters: ClusterInfo[], highlighted: number | null, centreOn: ClusterMapProps['centreOn']): Layout {
  const x = paddedRange(points.map((p) => p.x), 0.06, 0.06);
  const y = paddedRange(points.map((p) => p.y), 0.06, 0.14);
  const centre = centreOn ? points.find((p) => p.bookId === centreOn.bookId) : undefined;
  // centring: the whole map's span around the book, as a new ui revision so Plotly takes the range
  const around = (range: [number, number], at: number): [number, number] => [at - (range[1] - range[0]) / 2, at + (range[1] - range[0]) / 2];
  return {
    ...BASE_LAYOUT,
    uirevision: centre ? `${runId}:${centreOn!.nonce}` : runId,
    xaxis: { ...AXIS, range: centre ? around(x, centre.x) : x },
    yaxis: { ...AXIS, range: centre ? around(y, centre.y) : y },
    annotations: clusterAnnotations(points, clusters, highlighted),
  };
}

const CONFIG: Config = {
  responsive: true,
  displaylogo: false,
  scrollZoom: true,
  modeBarButtonsToRemove: ['select2d', 'lasso2d', 'autoScale2d', 'toggleSpikelines', 'hoverClosestCartesian', 'hoverCompareCartesian'],
  toImageButtonOptions: { filename: 'shelfmap', format: 'png', scale: 2 },
};

function buildTraces(points: BookPoint[], clusters: ClusterInfo[], highlighted: number | null, selectedBookId: number | null, emphasis: ReadonlySet<number> | null): PlotData[] {
  // with search matches: each point its own opacity, the others faint
  const emphasised = (members: BookPoint[], usual: number): number | number[] => (emphasis ? members.map((p) => (emphasis.has(p.bookId) ? 1 : 0.08)) : usual);
  // per cluster, its own books, then (drawn on top, as outlined diamonds) books placed on the run later
  const traces: PlotData[] = clusters.flatMap((cluster) => {
    const dimmed = highlighted !== null && highlighted !== cluster.id;
    const color = clusterColor(cluster.id);
    const size = highlighted === cluster.id ? 14 : 11;
    const trace = (members: BookPoint[], placed: boolean): PlotData => ({
      type: 'scatter',
      mode: 'markers',
      name: placed ? `${cluster.label} (placed)` : cluster.label,
      x: members.map((p) => p.x),
      y: members.map((p) => p.y),
      customdata: members.map((p) => [escapeHoverText(p.title), escapeHoverText(p.author || 'Unknown author'), p.bookId]),
      hovertemplate: `<b>%{customdata[0]}</b><br>%{customdata[1]}${placed ? '<br><i>placed after the run</i>' : ''}<extra>${escapeHoverText(cluster.label)}</extra>`,
      hoverlabel: { bordercolor: color },
      marker: placed
        ? { color, symbol: 'diamond', size: size + 3, opacity: emphasised(members, dimmed ? 0.25 : 1), line: { color: '#1d232b', width: 1.5 } }
        : { color, size, opacity: emphasised(members, dimmed ? 0.18 : 0.9), line: { color: '#ffffff', width: 1 } },
    });
    const members = points.filter((p) => p.cluster === cluster.id);
    const placed = members.filter((p) => p.placed);
    const own = trace(members.filter((p) => !p.placed), false);
    return placed.length > 0 ? [own, trace(placed, true)] : [own];
  });
  const selected = points.find((p) => p.bookId === selectedBookId);
  if (selected) {
    traces.push({
      type: 'scatter',
      mode: 'markers',
      x: [selected.x],
      y: [selected.y],
      hoverinfo: 'skip',
      marker: { size: 22, color: 'rgba(0,0,0,0)', line: { color: '#1d232b', width: 2 } },
    });
  }
  return traces;
}

export function ClusterMap({ runId, points, clusters, highlightedCluster, selectedBookId, onSelectBook, emphasis = null, centreOn = null }: ClusterMapProps) {
  const data = useMemo(
    () => buildTraces(points, clusters, highlightedCluster, selectedBookId, emphasis),
    [points, clusters, highlightedCluster, selectedBookId, emphasis],
  );
  const layout = useMemo(
    () => buildLayout(runId, points, clusters, highlightedCluster, centreOn),
    [runId, points, clusters, highlightedCluster, centreOn],
  );
  const drawnClusters = new Set(points.map((p) => p.cluster)).size;
  const placed = points.filter((p) => p.placed).length;

  function handleClick(event: PlotlyEvent) {
    const bookId = (event.points[0]?.customdata as [string, string, number] | undefined)?.[2];
    if (typeof bookId === 'number') onSelectBook(bookId);
  }

  return (
    <>
      <PlotlyChart className="plot" testId="cluster-map" data={data} layout={layout} config={CONFIG} onPointClick={handleClick} />
      <p className="visually-hidden" data-testid="map-summary" data-points={points.length} data-clusters={drawnClusters} data-placed={placed}>
        {`The map shows ${plural(points.length, 'book')} in ${plural(drawnClusters, 'cluster')}` +
          (placed > 0 ? `, ${placed} of them placed on the run after it was made (drawn as outlined diamonds).` : '.')}
      </p>
    </>
  );
}
