// A thin React wrapper over Plotly: Plotly.react on every change of data/layout/config (it
// diffs internally), Plotly.purge on unmount, and Plotly.Plots.resize whenever the container's
// size changes (a box appearing above it, a tab shown again), so the plot always fills its panel.
// Only point clicks are passed back out.
import Plotly, { type Config, type Layout, type PlotData, type PlotlyEvent } from 'plotly.js/dist/plotly-basic.min.js';
import { useEffect, useEffectEvent, useRef } from 'react';

interface PlotlyChartProps {
  data: PlotData[];
  layout: Layout;
  config: Config;
  onPointClick?: (event: PlotlyEvent) => void;
  className?: string;
  testId?: string;
}

export function PlotlyChart({ data, layout, config, onPointClick, className, testId }: PlotlyChartProps) {
  const divRef = useRef<HTMLDivElement>(null);
  const handleClick = useEffectEvent((event: PlotlyEvent) => onPointClick?.(event));

  useEffect(() => {
    const div = divRef.current;
    if (!div) return;
    let current = true;
    void Plotly.react(div, data, layout, config).then((plot) => {
      if (!current) return;
      plot.removeAllListeners('plotly_click');
      plot.on('plotly_click', (event) => handleClick(event));
    });
    return () => {
      current = false;
    };
  }, [data, layout, config]);

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
