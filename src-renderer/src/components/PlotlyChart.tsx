// A thin React wrapper over Plotly: Plotly.react on every change of data/layout/config (it
// diffs internally), Plotly.purge on unmount. Only point clicks are passed back out.
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
    return () => {
      if (div) Plotly.purge(div);
    };
  }, []);

  return <div ref={divRef} className={className} data-testid={testId} />;
}
