// The parts of Plotly's prebuilt "basic" bundle (scatter, bar, pie) that Shelfmap uses.
declare module 'plotly.js/dist/plotly-basic.min.js' {
  export interface PlotlyPoint {
    curveNumber: number;
    pointNumber: number;
    pointIndex: number;
    customdata?: unknown;
  }

  export interface PlotlyEvent {
    points: PlotlyPoint[];
  }

  /** The plot div once Plotly has drawn into it. */
  export interface PlotlyHTMLElement extends HTMLDivElement {
    on(event: 'plotly_click' | 'plotly_hover' | 'plotly_unhover', handler: (event: PlotlyEvent) => void): void;
    removeAllListeners(event: string): void;
  }

  export type PlotData = Record<string, unknown>;
  export type Layout = Record<string, unknown>;
  export type Config = Record<string, unknown>;

  interface PlotlyStatic {
    react(root: HTMLElement, data: PlotData[], layout?: Layout, config?: Config): Promise<PlotlyHTMLElement>;
    purge(root: HTMLElement): void;
    Plots: { resize(root: HTMLElement): void };
  }

  const Plotly: PlotlyStatic;
  export default Plotly;
}
