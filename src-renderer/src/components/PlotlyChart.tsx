// A thin React wrapper over Plotly: Plotly.react on every change of data/layout/config (it
// diffs internally), Plotly.purge on unmount, and Plotly.Plots.resize whenever the container's
// size changes (a box appearing above it, a tab shown again), so the plot always fills its panel.
// Point clicks, selections, zoom and pan, and each finished drawing are passed back out;
// `plotRef` gives the drawn div to callers that read the view.
import Plotly, { type Config, type Layout, type PlotData, type PlotlyEvent, type PlotlyHTMLElement, type PlotlyRelayoutEvent } from 'plotly.js/dist/plotly-strict.min.js';
import { useEffect, useEffectEvent, useRef, type RefObject } from 'react';

interface PlotlyChartProps {
  data: PlotData[];
  layout: Layout;
  config: Config;
  onPointClick?: (event: PlotlyEvent) => void;
  /** A box or lasso selection ended (event undefined: it selected nothing). */
  onSelected?: (event: PlotlyEvent | undefined) => void;
  /** A double-click cleared the selection. */
  onDeselect?: () => void;
  /** Zoom or pan ended. */
  onRelayout?: (event: PlotlyRelayoutEvent, plot: PlotlyHTMLElement) => void;
  /** A drawing finished. */
  onAfterPlot?: (plot: PlotlyHTMLElement) => void;
  plotRef?: RefObject<PlotlyHTMLElement | null>;
  className?: string;
  testId?: string;
}

export function PlotlyChart({ data, layout, config, onPointClick, onSelected, onDeselect, onRelayout, onAfterPlot, plotRef, className, testId }: PlotlyChartProps) {
  const divRef = useRef<HTMLDivElement>(null);
  const handleClick = useEffectEvent((event: PlotlyEvent) => onPointClick?.(event));
  const handleSelected = useEffectEvent((event: PlotlyEvent | undefined) => onSelected?.(event));
  const handleDeselect = useEffectEvent(() => onDeselect?.());
  const handleRelayout = useEffectEvent((event: PlotlyRelayoutEvent, plot: PlotlyHTMLElement) => onRelayout?.(event, plot));
  const handleAfterPlot = useEffectEvent((plot: PlotlyHTMLElement) => onAfterPlot?.(plot));

  useEffect(() => {
    const div = divRef.current;
    if (!div) return;
    let current = true;
    void Plotly.react(div, data, layout, config).then((plot) => {
      if (!current) return;
      if (plotRef) plotRef.current = plot;
      for (const name of ['plotly_click', 'plotly_selected', 'plotly_deselect', 'plotly_relayout', 'plotly_afterplot']) plot.removeAllListeners(name);
      plot.on('plotly_click', (event) => handleClick(event));
      plot.on('plotly_selected', (event) => handleSelected(event));
      plot.on('plotly_deselect', () => handleDeselect());
      plot.on('plotly_relayout', (event) => handleRelayout(event, plot));
      plot.on('plotly_afterplot', () => handleAfterPlot(plot));
      // the drawing this call made has finished by now; later ones report through the listener
      handleAfterPlot(plot);
    });
    return () => {
      current = false;
    };
  }, [data, layout, config, plotRef]);

  useEffect(() => {
    const div = divRef.current;
    if (!div || typeof ResizeObserver === 'undefined') return;
    let frame = 0;
    let last = '';
    const observer = new ResizeObserver(([entry]) => {
      const { width, height } = entry.contentRect;
      const size = `${Math.round(width)}x${Math.round(height)}`;
      // hidden (a tab not shown): nothing to fit now, but fit again once shown (a redraw meanwhile
      // would have drawn at Plotly's default size); an unchanged size: nothing to do
      if (width === 0 || height === 0) {
        last = '';
        return;
      }
      if (size === last) return;
      last = size;
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        // only a plot Plotly has drawn (it marks the div) can be resized
        if (div.isConnected && div.classList.contains('js-plotly-plot')) void Plotly.Plots.resize(div);
      });
    });
    observer.observe(div);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
    };
  }, []);

  useEffect(() => {
    const div = divRef.current;
    return () => {
      if (div) Plotly.purge(div);
    };
  }, []);

  return <div ref={divRef} className={className} data-testid={testId} />;
}
