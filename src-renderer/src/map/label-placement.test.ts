import { describe, expect, it } from 'vitest';
import { placeLabels, type LabelCandidate } from './label-placement';

const label = (id: number, x: number, y: number, priority: number, width = 100, height = 20): LabelCandidate<number> => ({ id, x, y, width, height, priority });
const AREA = { width: 800, height: 600 };

describe('placeLabels', () => {
  it('places every label when none collide', () => {
    const placed = placeLabels([label(0, 100, 100, 5), label(1, 400, 300, 3), label(2, 700, 500, 9)], AREA);
    expect(placed.map((p) => p.id)).toEqual([2, 0, 1]);
    expect(placed[1]).toMatchObject({ left: 50, top: 90, width: 100, height: 20, dx: 0, dy: 0 });
  });

  it('keeps the larger cluster\'s label where two collide, and never draws two overlapping boxes', () => {
    const placed = placeLabels([label(0, 300, 300, 10), label(1, 340, 305, 40), label(2, 600, 300, 1)], AREA);
    expect(placed.map((p) => p.id).sort()).toEqual([1, 2]);
    // many labels in a crowd: whatever is kept, no two boxes touch
    const crowd = Array.from({ length: 60 }, (_, i) => label(i, 200 + (i % 10) * 37, 200 + Math.floor(i / 10) * 13, (i * 7919) % 61));
    const kept = placeLabels(crowd, AREA);
    expect(kept.length).toBeGreaterThan(1);
    expect(kept.length).toBeLessThan(60);
    for (const a of kept) {
      for (const b of kept) {
        if (a === b) continue;
        const apart = a.left + a.width <= b.left || b.left + b.width <= a.left || a.top + a.height <= b.top || b.top + b.height <= a.top;
        expect(apart).toBe(true);
      }
    }
    // the highest priority of the crowd is always drawn
    const best = crowd.reduce((a, b) => (b.priority > a.priority ? b : a));
    expect(kept[0].id).toBe(best.id);
  });

  it('shows more labels when the map is zoomed in (the same centres, further apart in pixels)', () => {
    const centres = [
      [0.1, 0.1],
      [0.12, 0.11],
      [0.14, 0.1],
      [0.5, 0.5],
    ];
    const at = (zoom: number) =>
      placeLabels(
        centres.map(([x, y], i) => label(i, x * AREA.width * zoom, y * AREA.height * zoom, 10 - i, 60, 16)),
        AREA,
      );
    expect(at(1).length).toBe(2);
    expect(at(4).length).toBe(3); // the fourth centre is now outside the view
  });

  it('moves a label at the edge inside the plot, and leaves out labels of clusters out of view', () => {
    const placed = placeLabels([label(0, 10, 595, 1), label(1, -5, 300, 9), label(2, 400, 700, 9)], AREA);
    expect(placed).toEqual([{ id: 0, left: 0, top: 580, width: 100, height: 20, dx: 40, dy: -5 }]);
  });

  it('draws nothing for no candidates or a plot too small for a label', () => {
    expect(placeLabels([], AREA)).toEqual([]);
    expect(placeLabels([label(0, 20, 10, 1)], { width: 40, height: 40 })).toEqual([]);
  });
});
