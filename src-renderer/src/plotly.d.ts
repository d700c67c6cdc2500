// The parts of Plotly's prebuilt "strict" bundle that Shelfmap uses: every trace type, with the
// WebGL ones (scattergl) built without function constructors, so they run under the app's CSP
// (script-src 'self', no 'unsafe-eval'). See docs/architecture.md.
declare module 'plotly.js/dist/plotly-strict.min.js' {
  export interface PlotlyPoint {
    curveNumber: number;
    pointNumber: number;
    pointIndex: number;
    customdata?: unknown;
  }

  export interface PlotlyEvent {
    points: PlotlyPoint[];
    /** The mouse event behind a click. */
    event?: MouseEvent;
    /** For plotly_selected: the box dragged, or the lasso drawn. */
    range?: unknown;
    lassoPoints?: unknown;
  }

  /** What plotly_relayout reports: the attributes that changed ("xaxis.range[0]", "xaxis.autorange", …). */
  export type PlotlyRelayoutEvent = Record<string, unknown>;

  interface PlotlyAxis {
    range: [number, number];
    /** Length of the axis in pixels. */
    _length: number;
  }

  /** The plot div once Plotly has drawn into it. */
  export interface PlotlyHTMLElement extends HTMLDivElement {
    on(event: 'plotly_click' | 'plotly_hover' | 'plotly_unhover' | 'plotly_selected', handler: (event: PlotlyEvent) => void): void;
    on(event: 'plotly_relayout', handler: (event: PlotlyRelayoutEvent) => void): void;
    on(event: 'plotly_afterplot' | 'plotly_deselect', handler: () => void): void;
    removeAllListeners(event: string): void;
    data: Record<string, unknown>[];
    _fullLayout: { xaxis: PlotlyAxis; yaxis: PlotlyAxis; _size: { w: number; h: number; l: number; t: number } };
  }

  export type PlotData = Record<string, unknown>;
  export type Layout = Record<string, unknown>;
  export type Config = Record<string, unknown>;

  interface PlotlyStatic {
    react(root: HTMLElement, data: PlotData[], layout?: Layout, config?: Config): Promise<PlotlyHTMLElement>;
    relayout(root: HTMLElement, update: Layout): Promise<PlotlyHTMLElement>;
    purge(root: HTMLElement): void;
    Plots: { resize(root: HTMLElement): void };
  }

  const Plotly: PlotlyStatic;
  export default Plotly;
}
