// The map: the books of a run drawn by Plotly (WebGL for large maps), coloured by cluster or by
// author, language, a labels column or placed books, with a legend that shows and hides each
// colour, cluster names that never overlap (more of them when zoomed in), box and lasso
// selection with shift-click, and the selection's panel (export, named groups). Hovering shows
// title and author, clicking a book chooses it. A visually hidden summary states what is drawn,
// for screen readers and for tests.
import type { Config, Layout, PlotlyEvent, PlotlyHTMLElement } from 'plotly.js/dist/plotly-strict.min.js';
import { useEffect, useEffectEvent, useMemo, useRef, useState } from 'react';
import type { ShelfmapClient } from '../../../src-shared/contract';
import type { BookGroup, BookPoint, ClusterInfo } from '../../../src-shared/domain';
import { clusterLabelsCsv } from '../../../src-shared/csv';
import { saveTextFile } from '../download';
import { plural } from '../format';
import { clusterSwatch, colourByLabels, colourPoints, type ColourBy, type MapColouring } from '../map/colouring';
import { clusterCentres, visibleLabels, type MapView } from '../map/cluster-labels';
import { buildTraces, escapeHoverText, prepareCategories, WEBGL_MIN_POINTS, type TraceType } from '../map/traces';
import { errorMessage } from '../state/events';
import { MapColourBy, type LabelsColouring } from './MapColourBy';
import { MapLegend } from './MapLegend';
import { MapSelection } from './MapSelection';
import { PlotlyChart } from './PlotlyChart';

interface ClusterMapProps {
  /** Zoom and pan survive redraws (highlighting, selecting) until the run changes. */
  runId: number;
  points: BookPoint[];
  clusters: ClusterInfo[];
  highlightedCluster: number | null;
  selectedBookId: number | null;
  onSelectBook(bookId: number): void;
  /** Books drawn at full strength (search matches), every other book dimmed; null or absent: none dimmed. */
  emphasis?: ReadonlySet<number> | null;
  /** Pans the map so this book is in the middle (zooming in if the map is far out); a new nonce centres again. */
  centreOn?: { bookId: number; nonce: number } | null;
  /** For the run's named groups; without it the selection cannot be named. */
  client?: ShelfmapClient;
}

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const LABEL_FONT_SIZE = 12;

const AXIS = { visible: true, showgrid: true, gridcolor: '#eeebe4', zeroline: false, showticklabels: false, ticks: '', showline: false };

const BASE_LAYOUT: Layout = {
  margin: { l: 8, r: 8, t: 8, b: 8 },
  paper_bgcolor: 'rgba(0,0,0,0)',
  plot_bgcolor: '#fcfbf8',
  showlegend: false,
  hovermode: 'closest',
  font: { family: FONT, size: 13, color: '#1d232b' },
  hoverlabel: { bgcolor: '#ffffff', bordercolor: '#d9d5cc', font: { family: FONT, size: 13, color: '#1d232b' }, align: 'left' },
  // the selection shows as rings round its books; Plotly's own outline of the last box goes
  selections: [],
};

/** The data's extent with a margin, so no point sits on the plot's edge. */
function paddedRange(values: number[], pad: number): [number, number] {
  if (values.length === 0) return [-1, 1];
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const span = max > min ? max - min : 1;
  return [min - span * pad, max + span * pad];
}

const CONFIG: Config = {
  responsive: true,
  displaylogo: false,
  scrollZoom: true,
  modeBarButtonsToRemove: ['select2d', 'lasso2d', 'autoScale2d', 'toggleSpikelines', 'hoverClosestCartesian', 'hoverCompareCartesian'],
  toImageButtonOptions: { filename: 'shelfmap', format: 'png', scale: 2 },
};

type Tool = 'pan' | 'select' | 'lasso';
const TOOLS: { tool: Tool; name: string; hint: string }[] = [
  { tool: 'pan', name: 'Pan', hint: 'Drag to move the map; scroll to zoom' },
  { tool: 'select', name: 'Box select', hint: 'Drag a box round books to select them; hold Shift to add to the selection' },
  { tool: 'lasso', name: 'Lasso select', hint: 'Draw round books to select them; hold Shift to add to the selection' },
];

let webglChecked: boolean | null = null;
/** Whether this window can draw WebGL (headless or GPU-less machines may not). */
function webglAvailable(): boolean {
  if (webglChecked === null) {
    try {
      const canvas = document.createElement('canvas');
      webglChecked = Boolean(canvas.getContext('webgl') ?? canvas.getContext('experimental-webgl'));
    } catch {
      webglChecked = false;
    }
  }
  return webglChecked;
}

let measureContext: CanvasRenderingContext2D | null | undefined;
function textWidth(text: string): number {
  if (measureContext === undefined) measureContext = document.createElement('canvas').getContext('2d');
  if (!measureContext) return text.length * LABEL_FONT_SIZE * 0.6;
  measureContext.font = `${LABEL_FONT_SIZE}px ${FONT}`;
  return measureContext.measureText(text).width;
}

function readView(plot: PlotlyHTMLElement): MapView | null {
  const full = plot._fullLayout;
  if (!full?.xaxis || !full.yaxis || !full._size) return null;
  return { x: [full.xaxis.range[0], full.xaxis.range[1]], y: [full.yaxis.range[0], full.yaxis.range[1]], width: full._size.w, height: full._size.h };
}

const sameView = (a: MapView | null, b: MapView | null) =>
  a !== null && b !== null && a.width === b.width && a.height === b.height && a.x.every((v, i) => v === b.x[i]) && a.y.every((v, i) => v === b.y[i]);

/** State that belongs to one run's map: another run on show starts it afresh. */
interface ForRun<T> {
  runId: number;
  value: T;
}

const EMPTY: ReadonlySet<never> = new Set();

export function ClusterMap({ runId, points, clusters, highlightedCluster, selectedBookId, onSelectBook, emphasis = null, centreOn = null, client }: ClusterMapProps) {
  const plotRef = useRef<PlotlyHTMLElement | null>(null);
  const [tool, setTool] = useState<Tool>('pan');
  const [colourBy, setColourBy] = useState<ColourBy>('cluster');
  const [labels, setLabels] = useState<ForRun<LabelsColouring | null>>({ runId, value: null });
  const [hiddenState, setHidden] = useState<ForRun<{ colouring: string; keys: ReadonlySet<string> }>>({ runId, value: { colouring: 'cluster', keys: EMPTY } });
  const [selectionState, setSelection] = useState<ForRun<ReadonlySet<number>>>({ runId, value: EMPTY });
  const [groupsState, setGroups] = useState<ForRun<BookGroup[] | null>>({ runId, value: null });
  const [groupsError, setGroupsError] = useState<string | null>(null);
  const [view, setView] = useState<MapView | null>(null);
  // the axis ranges a person panned or zoomed to (or the map was centred on): passed back to
  // Plotly on every redraw, so no redraw undoes them; null: the whole map
  const [rangesState, setRanges] = useState<ForRun<{ x: [number, number]; y: [number, number] } | null>>({ runId, value: null });
  const shiftHeld = useRef(false);
  const pendingCentre = useRef<{ bookId: number; nonce: number } | null>(null);
  const drawnPoints = useRef<BookPoint[] | null>(null);

  const labelsColouring = labels.runId === runId ? labels.value : null;
  const effectiveBy: ColourBy = colourBy === 'labels' && !labelsColouring ? 'cluster' : colourBy;
  const colouringKey = effectiveBy === 'labels' ? `labels:${labelsColouring?.source}` : effectiveBy;
  const hidden = hiddenState.runId === runId && hiddenState.value.colouring === colouringKey ? hiddenState.value.keys : EMPTY;
  const selection = selectionState.runId === runId ? selectionState.value : EMPTY;
  const groups = groupsState.runId === runId ? groupsState.value : null;
  const shownRanges = rangesState.runId === runId ? rangesState.value : null;

  const colouring: MapColouring = useMemo(
    () => (effectiveBy === 'labels' && labelsColouring ? colourByLabels(points, labelsColouring.labels) : colourPoints(points, clusters, effectiveBy === 'labels' ? 'cluster' : effectiveBy)),
    [points, clusters, effectiveBy, labelsColouring],
  );
  const categories = useMemo(() => prepareCategories(points, clusters, colouring), [points, clusters, colouring]);
  const wantsWebgl = points.length >= WEBGL_MIN_POINTS;
  const traceType: TraceType = wantsWebgl && webglAvailable() ? 'scattergl' : 'scatter';
  const byCluster = colouring.by === 'cluster';

  const data = useMemo(
    () => buildTraces(points, categories, { type: traceType, byCluster, hidden, highlightedCluster, emphasis, selection, selectedBookId }),
    [points, categories, traceType, byCluster, hidden, highlightedCluster, emphasis, selection, selectedBookId],
  );

  const ranges = useMemo(() => ({ x: paddedRange(points.map((p) => p.x), 0.06), y: paddedRange(points.map((p) => p.y), 0.08) }), [points]);
  const centres = useMemo(() => clusterCentres(points), [points]);
  const clusterHidden = useMemo(() => {
    const hiddenClusters = new Set(colouring.categories.filter((c) => c.cluster !== undefined && hidden.has(c.key)).map((c) => c.cluster!));
    return (cluster: number) => hiddenClusters.has(cluster);
  }, [colouring, hidden]);
  const shownLabels = useMemo(
    () => (view ? visibleLabels(centres, clusters, view, { hidden: clusterHidden, highlighted: highlightedCluster, textWidth }) : []),
    [centres, clusters, view, clusterHidden, highlightedCluster],
  );

  const layout = useMemo((): Layout => {
    const byId = new Map(clusters.map((c) => [c.id, c]));
    return {
      ...BASE_LAYOUT,
      uirevision: runId,
      dragmode: tool,
      xaxis: { ...AXIS, range: shownRanges?.x ?? ranges.x },
      yaxis: { ...AXIS, range: shownRanges?.y ?? ranges.y },
      annotations: shownLabels.map((label) => {
        const cluster = byId.get(label.cluster)!;
        const dimmed = highlightedCluster !== null && highlightedCluster !== label.cluster;
        return {
          x: label.x,
          y: label.y,
          xshift: label.xshift,
          yshift: label.yshift,
          xanchor: 'center',
          yanchor: 'middle',
          text: `<span style="color:${clusterSwatch(cluster)}">●</span> ${escapeHoverText(cluster.label)}`,
          showarrow: false,
          captureevents: false,
          font: { family: FONT, size: LABEL_FONT_SIZE, color: dimmed ? '#b5b0a6' : '#1d232b' },
          bgcolor: dimmed ? 'rgba(255,255,255,0.5)' : 'rgba(255,255,255,0.85)',
          borderpad: 4,
          opacity: dimmed ? 0.6 : 1,
        };
      }),
    };
  }, [runId, tool, ranges, shownRanges, shownLabels, clusters, highlightedCluster]);

  // the run's named groups
  useEffect(() => {
    if (!client) return;
    let stale = false;
    client.call('listGroups', { runId }).then(
      (list) => {
        if (stale) return;
        setGroups({ runId, value: list });
        setGroupsError(null);
      },
      (failure: unknown) => {
        if (!stale) setGroupsError(`The groups of run ${runId} could not be read: ${errorMessage(failure)}`);
      },
    );
    return () => {
      stale = true;
    };
  }, [client, runId]);

  function select(ids: Iterable<number>, add: boolean) {
    const next = new Set(add ? selection : []);
    for (const id of ids) next.add(id);
    setSelection({ runId, value: next });
  }

  function clearAll() {
    setSelection({ runId, value: EMPTY });
    setHidden({ runId, value: { colouring: colouringKey, keys: EMPTY } });
  }

  // Escape clears the selection and shows every colour again, unless a field or an open
  // control of its own takes the key
  const onEscape = useEffectEvent((event: KeyboardEvent) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    const target = event.target as HTMLElement | null;
    if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
    if (selection.size === 0 && hidden.size === 0) return;
    clearAll();
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onEscape(event);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);

  function bookIdOf(point: { customdata?: unknown }): number | undefined {
    const id = (point.customdata as unknown[] | undefined)?.[2];
    return typeof id === 'number' ? id : undefined;
  }

  function handleClick(event: PlotlyEvent) {
    const bookId = event.points.map(bookIdOf).find((id) => id !== undefined);
    if (bookId === undefined) return;
    if (event.event?.shiftKey) {
      const next = new Set(selection);
      if (next.has(bookId)) next.delete(bookId);
      else next.add(bookId);
      setSelection({ runId, value: next });
    } else onSelectBook(bookId);
  }

  function handleSelected(event: PlotlyEvent | undefined) {
    // only a box or lasso drawn now; Plotly also reports an empty selection when the tool changes
    if (!event || tool === 'pan' || (event.range === undefined && event.lassoPoints === undefined)) return;
    const ids = event.points.map(bookIdOf).filter((id): id is number => id !== undefined);
    select(ids, shiftHeld.current);
  }

  /** Pans so the book is in the middle, keeping the zoom unless the map is far out. */
  function centre(plot: PlotlyHTMLElement, bookId: number) {
    const book = points.find((p) => p.bookId === bookId);
    const current = readView(plot);
    if (!book || !current) return;
    const fullX = ranges.x[1] - ranges.x[0];
    const fullY = ranges.y[1] - ranges.y[0];
    let spanX = current.x[1] - current.x[0];
    let spanY = current.y[1] - current.y[0];
    if (spanX > 0.6 * fullX) {
      spanX = 0.45 * fullX;
      spanY = 0.45 * fullY;
    }
    setRanges({ runId, value: { x: [book.x - spanX / 2, book.x + spanX / 2], y: [book.y - spanY / 2, book.y + spanY / 2] } });
  }

  function handleRelayout(plot: PlotlyHTMLElement) {
    const now = readView(plot);
    if (now) setRanges({ runId, value: { x: now.x, y: now.y } });
    handleAfterPlot(plot);
  }

  useEffect(() => {
    if (!centreOn) return;
    if (plotRef.current && drawnPoints.current === points) centre(plotRef.current, centreOn.bookId);
    else pendingCentre.current = centreOn;
    // a new nonce asks again for the same book
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [centreOn?.bookId, centreOn?.nonce]);

  function handleAfterPlot(plot: PlotlyHTMLElement) {
    if (drawnPoints.current !== points) {
      drawnPoints.current = points;
      // the first drawing of these books (the 10,000-book timing in e2e/map-scale.spec.ts reads it)
      performance.mark('shelfmap:map-drawn', { detail: { points: points.length } });
    }
    const next = readView(plot);
    if (next && !sameView(view, next)) setView(next);
    if (pendingCentre.current) {
      const wanted = pendingCentre.current;
      pendingCentre.current = null;
      centre(plot, wanted.bookId);
    }
  }

  const selectedBooks = useMemo(() => points.filter((p) => selection.has(p.bookId)), [points, selection]);

  function exportSelection() {
    const csv = clusterLabelsCsv(selectedBooks, clusters);
    saveTextFile(`shelfmap-run-${runId}-selection-${selectedBooks.length}-books.csv`, csv, 'text/csv');
  }

  function selectShown() {
    const shownKeys = new Set(colouring.categories.filter((c) => !hidden.has(c.key)).map((c) => c.key));
    const inView = (p: BookPoint) => !view || (p.x >= view.x[0] && p.x <= view.x[1] && p.y >= view.y[0] && p.y <= view.y[1]);
    select(
      points.filter((p, i) => shownKeys.has(colouring.categories[colouring.pointCategory[i]].key) && inView(p)).map((p) => p.bookId),
      false,
    );
  }

  function toggle(key: string) {
    const keys = new Set(hidden);
    if (keys.has(key)) keys.delete(key);
    else keys.add(key);
    setHidden({ runId, value: { colouring: colouringKey, keys } });
  }

  function isolate(key: string) {
    setHidden({ runId, value: { colouring: colouringKey, keys: new Set(colouring.categories.map((c) => c.key).filter((k) => k !== key)) } });
  }

  const drawnClusters = new Set(points.map((p) => p.cluster)).size;
  const placed = points.filter((p) => p.placed).length;
  const shownBooks = colouring.categories.filter((c) => !hidden.has(c.key)).reduce((sum, c) => sum + c.count, 0);

  return (
    <div className="map-view">
      <div className="map-tools">
        <div className="map-tool-group" role="group" aria-label="Map tool">
          {TOOLS.map((t) => (
            <button key={t.tool} type="button" className="tool-button" aria-pressed={tool === t.tool} title={t.hint} data-testid={`map-tool-${t.tool}`} onClick={() => setTool(t.tool)}>
              {t.name}
            </button>
          ))}
        </div>
        <MapColourBy
          by={effectiveBy === 'labels' || colourBy === 'labels' ? 'labels' : effectiveBy}
          books={points}
          placedCount={placed}
          onChange={(by, next) => {
            setColourBy(by);
            if (by === 'labels') setLabels({ runId, value: next });
          }}
        />
      </div>
      {wantsWebgl && traceType === 'scatter' && (
        <p className="map-notice" role="status" data-testid="webgl-unavailable">
          WebGL is not available in this window, so the map of {plural(points.length, 'book')} is drawn as SVG: panning and zooming may be slow.
        </p>
      )}
      <div className="map-stage">
        <div
          className="map-plot"
          onPointerDownCapture={(e) => {
            shiftHeld.current = e.shiftKey;
          }}
          // a double-click with a select tool clears the selection (Plotly's own deselect event
          // also comes on single clicks and tool changes, so it is not listened to)
          onDoubleClick={() => {
            if (tool !== 'pan') setSelection({ runId, value: EMPTY });
          }}
        >
          <PlotlyChart
            className="plot"
            testId="cluster-map"
            data={data}
            layout={layout}
            config={CONFIG}
            plotRef={plotRef}
            onPointClick={handleClick}
            onSelected={handleSelected}
            onRelayout={(_, plot) => handleRelayout(plot)}
            onAfterPlot={handleAfterPlot}
          />
        </div>
        <div className="map-side">
          <MapLegend colouring={colouring} hidden={hidden} onToggle={toggle} onIsolate={isolate} onShowAll={() => setHidden({ runId, value: { colouring: colouringKey, keys: EMPTY } })} />
          <MapSelection
            books={selectedBooks}
            clusters={clusters}
            groups={groups}
            groupsError={groupsError}
            onExport={exportSelection}
            onClear={() => setSelection({ runId, value: EMPTY })}
            onOpenBook={(bookId) => {
              onSelectBook(bookId);
              if (plotRef.current) centre(plotRef.current, bookId);
            }}
            onSelectShown={selectShown}
            onPickGroup={(group) => select(group.bookIds, false)}
            onSaveGroup={
              client &&
              (async (name) => {
                const group = await client.call('saveGroup', { runId, name, bookIds: selectedBooks.map((b) => b.bookId) });
                setGroups({ runId, value: [...(groups ?? []), group].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.id - b.id) });
              })
            }
            onDeleteGroup={
              client &&
              (async (group) => {
                await client.call('deleteGroup', { groupId: group.id });
                setGroups({ runId, value: (groups ?? []).filter((g) => g.id !== group.id) });
              })
            }
          />
        </div>
      </div>
      <p
        className="visually-hidden"
        data-testid="map-summary"
        data-points={points.length}
        data-clusters={drawnClusters}
        data-placed={placed}
        data-renderer={traceType}
        data-shown={shownBooks}
        data-labels={shownLabels.length}
        data-colour-by={colouring.by}
      >
        {`The map shows ${plural(points.length, 'book')} in ${plural(drawnClusters, 'cluster')}` +
          (placed > 0 ? `, ${placed} of them placed on the run after it was made (drawn as outlined diamonds).` : '.') +
          (shownBooks < points.length ? ` ${plural(shownBooks, 'book')} shown.` : '') +
          (selection.size > 0 ? ` ${plural(selection.size, 'book')} selected.` : '')}
      </p>
    </div>
  );
}
