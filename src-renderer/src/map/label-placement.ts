// Which cluster names fit on the map as it is drawn now: greedy placement by priority (the
// cluster's size), each name in a box centred on its cluster's centre, moved inside the plot
// where it would cross an edge; a name whose box would touch one already placed is left out.
// Zoomed in, the centres spread apart in pixels, so more names fit.

export interface LabelCandidate<Id> {
  id: Id;
  /** Centre of the label, in pixels from the plot area's left and top. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Larger first; ties go to the smaller id's order as given. */
  priority: number;
}

export interface PlacedLabel<Id> {
  id: Id;
  /** The box's top-left corner and size, in pixels; inside the plot area. */
  left: number;
  top: number;
  width: number;
  height: number;
  /** How far the box was moved from its centre to stay inside the plot (pixels, +x right, +y down). */
  dx: number;
  dy: number;
}

export interface PlotArea {
  width: number;
  height: number;
}

/** Pixels kept free between two labels. */
export const LABEL_GAP = 4;

function overlaps(a: PlacedLabel<unknown>, b: PlacedLabel<unknown>, gap: number): boolean {
  return a.left < b.left + b.width + gap && b.left < a.left + a.width + gap && a.top < b.top + b.height + gap && b.top < a.top + a.height + gap;
}

/**
 * The labels to draw, highest priority first. A candidate whose centre is outside the plot (its
 * cluster is panned out of view) is not drawn; nor is one too large for the plot.
 */
export function placeLabels<Id>(candidates: readonly LabelCandidate<Id>[], area: PlotArea, gap = LABEL_GAP): PlacedLabel<Id>[] {
  const order = candidates.map((c, i) => ({ c, i })).sort((a, b) => b.c.priority - a.c.priority || a.i - b.i);
  const placed: PlacedLabel<Id>[] = [];
  for (const { c } of order) {
    if (!(c.x >= 0 && c.x <= area.width && c.y >= 0 && c.y <= area.height)) continue;
    if (c.width > area.width || c.height > area.height) continue;
    const left = Math.min(Math.max(c.x - c.width / 2, 0), area.width - c.width);
    const top = Math.min(Math.max(c.y - c.height / 2, 0), area.height - c.height);
    const box: PlacedLabel<Id> = { id: c.id, left, top, width: c.width, height: c.height, dx: left - (c.x - c.width / 2), dy: top - (c.y - c.height / 2) };
    if (placed.some((p) => overlaps(p, box, gap))) continue;
    placed.push(box);
  }
  return placed;
}
