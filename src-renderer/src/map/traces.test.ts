import { describe, expect, it } from 'vitest';
import type { BookPoint, ClusterInfo } from '../../../src-shared/domain';
import { colourPoints } from './colouring';
import { buildTraces, prepareCategories, type TraceState } from './traces';

const point = (bookId: number, cluster: number, placed = false): BookPoint => ({
  bookId,
  path: `/b/${bookId}.txt`,
  title: `<b>${bookId}</b>`,
  author: '',
  language: 'English',
  ebookId: null,
  cluster,
  x: bookId,
  y: -bookId,
  distanceToCentre: null,
  placed,
});
const clusters: ClusterInfo[] = [0, 1].map((id) => ({ id, label: `C${id}`, terms: [], size: 2, representatives: [] }));
const points = [point(1, 0), point(2, 0), point(3, 1), point(4, 1, true)];
const categories = prepareCategories(points, clusters, colourPoints(points, clusters, 'cluster'));
const state = (change: Partial<TraceState> = {}): TraceState => ({
  type: 'scattergl',
  byCluster: true,
  hidden: new Set(),
  highlightedCluster: null,
  emphasis: null,
  selection: new Set(),
  selectedBookId: null,
  ...change,
});
type Trace = { type: string; meta: { category?: string; placed?: boolean; overlay?: string }; visible?: boolean; x: number[]; customdata?: unknown[][]; marker: { opacity: number | number[] } };

describe('buildTraces', () => {
  it('draws each cluster\'s own books and its placed ones apart, with escaped hover text, in the renderer asked for', () => {
    const traces = buildTraces(points, categories, state()) as Trace[];
    expect(traces.map((t) => [t.meta.category, t.meta.placed, t.x])).toEqual([
      ['cluster:0', false, [1, 2]],
      ['cluster:1', false, [3]],
      ['cluster:1', true, [4]],
    ]);
    expect(traces.every((t) => t.type === 'scattergl' && t.visible === true && t.marker.opacity === (t.meta.placed ? 1 : 0.9))).toBe(true);
    expect(traces[0].customdata?.[0]).toEqual(['&lt;b&gt;1&lt;/b&gt;', 'Unknown author', 1, 'C0']);
  });

  it('hides a hidden category, dims all but the emphasis, and rings the selection and the chosen book', () => {
    const traces = buildTraces(points, categories, state({ hidden: new Set(['cluster:1']), emphasis: new Set([2]), selection: new Set([1, 2, 3]), selectedBookId: 1 })) as Trace[];
    expect(traces.filter((t) => t.meta.category).map((t) => t.visible)).toEqual([true, false, false]);
    // book 1: selected, not a match: faint; book 2: both, at full strength
    expect(traces[0].marker.opacity).toEqual([0.12, 1]);
    // the rings leave out book 3, hidden with its cluster
    expect(traces.find((t) => t.meta.overlay === 'selection')?.x).toEqual([1, 2]);
    expect(traces.find((t) => t.meta.overlay === 'chosen')?.x).toEqual([1]);
  });

  it('dims the books outside the highlighted cluster and outside a selection', () => {
    const traces = buildTraces(points, categories, state({ highlightedCluster: 1, selection: new Set([3]) })) as Trace[];
    const [first, second] = [traces[0].marker.opacity as number[], traces[1].marker.opacity as number[]];
    expect(first.map((o) => Number(o.toFixed(3)))).toEqual([0.072, 0.072]);
    expect(second).toEqual([0.9]);
  });
});
