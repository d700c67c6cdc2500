import { describe, expect, it } from 'vitest';
import type { BookPoint, ClusterInfo } from '../../../src-shared/domain';
import { CLUSTER_PALETTE, clusterColor } from '../palette';
import { MAX_CATEGORIES, OTHER_COLOUR, colourByLabels, colourPoints } from './colouring';

const point = (bookId: number, cluster: number, extra: Partial<BookPoint> = {}): BookPoint => ({
  bookId,
  path: `/b/${bookId}.txt`,
  title: `T${bookId}`,
  author: '',
  language: 'English',
  ebookId: null,
  cluster,
  x: 0,
  y: 0,
  distanceToCentre: null,
  ...extra,
});
const cluster = (id: number, size: number, colour?: number): ClusterInfo => ({ id, label: `C${id}`, terms: [], size, representatives: [], colour });

describe('colourPoints', () => {
  it('by cluster: every cluster, largest first, in the colour it carries', () => {
    const points = [point(1, 0), point(2, 1), point(3, 1), point(4, 2)];
    const c = colourPoints(points, [cluster(0, 1, 4), cluster(1, 2, 0), cluster(2, 1)], 'cluster');
    expect(c.categories.map((k) => [k.key, k.count, k.colour])).toEqual([
      ['cluster:1', 2, clusterColor(0)],
      ['cluster:0', 1, clusterColor(4)],
      ['cluster:2', 1, clusterColor(2)],
    ]);
    expect([...c.pointCategory]).toEqual([1, 0, 0, 2]);
    expect(c.note).toBeNull();
  });

  it('by author: the most frequent first, beyond the limit the rest under Other with a note, no author as unknown', () => {
    const points = Array.from({ length: 40 }, (_, i) => point(i + 1, 0, { author: i < 5 ? 'Austen' : i < 8 ? '' : `Author ${String(i).padStart(2, '0')}` }));
    const c = colourPoints(points, [cluster(0, 40)], 'author');
    expect(c.categories).toHaveLength(MAX_CATEGORIES + 1);
    expect(c.categories[0]).toMatchObject({ key: 'value:Austen', count: 5, colour: CLUSTER_PALETTE[0] });
    const other = c.categories[MAX_CATEGORIES - 1];
    expect(other).toMatchObject({ key: 'other', colour: OTHER_COLOUR, count: 32 - 10, name: 'Other (22 authors)' });
    expect(c.categories.at(-1)).toMatchObject({ key: 'unknown', name: 'Unknown author', count: 3 });
    expect(c.note).toBe('11 of 33 authors have a colour of their own; the other 22 authors (22 books) are under Other.');
    expect(c.categories.reduce((n, k) => n + k.count, 0)).toBe(40);
    expect(c.pointCategory[0]).toBe(0);
    expect(c.pointCategory[5]).toBe(MAX_CATEGORIES);
  });

  it('by language and placed: one category per value, no fold below the limit', () => {
    const points = [point(1, 0, { language: 'French' }), point(2, 0), point(3, 0, { placed: true }), point(4, 0)];
    expect(colourPoints(points, [], 'language').categories.map((k) => [k.name, k.count])).toEqual([
      ['English', 3],
      ['French', 1],
    ]);
    const placed = colourPoints(points, [], 'placed');
    expect(placed.categories.map((k) => [k.name, k.count])).toEqual([
      ['Made with the run', 3],
      ['Placed later', 1],
    ]);
    expect([...placed.pointCategory]).toEqual([0, 0, 1, 0]);
  });

  it('by labels: books without a label are "No label"', () => {
    const c = colourByLabels([point(1, 0), point(2, 0), point(3, 0)], new Map([[1, 'sea'], [3, 'sea']]));
    expect(c.categories.map((k) => [k.name, k.count])).toEqual([
      ['sea', 2],
      ['No label', 1],
    ]);
  });
});
