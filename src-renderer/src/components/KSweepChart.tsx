// How an "auto" run chose k: silhouette, stability and the inertia curve (scaled to 0..1 over the
// range) for every k tried, the proposed k marked, and the reason in words under the chart.
import type { Config, Layout, PlotData } from 'plotly.js/dist/plotly-strict.min.js';
import { useMemo } from 'react';
import type { KSweep } from '../../../src-shared/domain';
import { PlotlyChart } from './PlotlyChart';

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const CONFIG: Config = { displayModeBar: false, responsive: true, staticPlot: false } as Config;

const SERIES = [
  { name: 'silhouette', color: '#2f6db5' },
  { name: 'stability', color: '#c2772b' },
  { name: 'inertia, scaled', color: '#7b8590' },
] as const;

/** Inertia scaled to 1 at the first k and 0 at the last: the curve whose bend the rule looks for. */
function scaledInertia(sweep: KSweep): number[] {
  const values = sweep.scores.map((s) => s.inertia);
  const [first, last] = [values[0], values[values.length - 1]];
  return values.map((v) => (first > last ? (v - last) / (first - last) : 0));
}

export function KSweepChart({ sweep }: { sweep: KSweep }) {
  const { data, layout } = useMemo(() => {
    const ks = sweep.scores.map((s) => s.k);
    const columns = [sweep.scores.map((s) => s.silhouette), sweep.scores.map((s) => s.stability), scaledInertia(sweep)];
    const data = SERIES.map(
      (series, i) =>
        ({
          type: 'scatter',
          mode: 'lines',
          name: series.name,
          x: ks,
          y: columns[i],
          line: { color: series.color, width: 2, dash: i === 2 ? 'dot' : 'solid' },
          hovertemplate: `k = %{x}<br>${series.name} %{y:.3f}<extra></extra>`,
        }) as PlotData,
    );
    const layout = {
      height: 180,
      margin: { l: 30, r: 8, t: 22, b: 24 },
      paper_bgcolor: 'rgba(0,0,0,0)',
      plot_bgcolor: '#fcfbf8',
      font: { family: FONT, size: 11, color: '#1d232b' },
      showlegend: true,
      legend: { orientation: 'h', x: -0.1, y: 1, yanchor: 'bottom', font: { size: 10 }, itemwidth: 30, tracegroupgap: 0 },
      xaxis: { title: { text: '' }, dtick: ks.length > 15 ? 4 : 1, gridcolor: '#eeebe4', zeroline: false, fixedrange: true },
      yaxis: { range: [Math.min(0, ...columns.flat()) - 0.02, 1.05], gridcolor: '#eeebe4', zeroline: false, fixedrange: true, tickformat: '.1f' },
      shapes: [{ type: 'line', x0: sweep.proposed, x1: sweep.proposed, yref: 'paper', y0: 0, y1: 1, line: { color: '#1d232b', width: 1.5, dash: 'dash' } }],
      annotations: [
        {
          x: sweep.proposed,
          yref: 'paper',
          y: 0.04,
          yanchor: 'bottom',
          text: `k = ${sweep.proposed}`,
          showarrow: false,
          xanchor: 'left',
          xshift: 3,
          bgcolor: 'rgba(252, 251, 248, 0.9)',
          font: { size: 11 },
        },
      ],
      hovermode: 'x unified',
    } as unknown as Layout;
    return { data, layout };
  }, [sweep]);

  const clamped = sweep.asked.max !== sweep.max || sweep.asked.min !== sweep.min;
  return (
    <figure className="k-sweep" data-testid="k-sweep" data-proposed={sweep.proposed} data-ks={sweep.scores.length}>
      <PlotlyChart data={data} layout={layout} config={CONFIG} className="k-sweep-chart" testId="k-sweep-chart" />
      <figcaption className="k-sweep-reason" data-testid="k-sweep-reason" title={`Rule: ${sweep.rule}`}>
        Proposed k = {sweep.proposed} because {sweep.reason}
        {clamped && ` (k ${sweep.asked.min}..${sweep.asked.max} asked; ${sweep.min}..${sweep.max} fit the books.)`}
      </figcaption>
    </figure>
  );
}
