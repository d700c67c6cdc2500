import { describe, expect, it } from 'vitest';
import type { BookPoint, ClusterInfo } from '../../../src-shared/domain';
import { clusterCentres, visibleLabels } from './cluster-labels';

const point = (bookId: number, cluster: number, x: number, y: number): BookPoint => ({
  bookId,
  path: `/b/${bookId}.txt`,
  title: 'T',
  author: 'A',
  language: '',
  ebookId: null,
  cluster,
  x,
  y,
  distanceToCentre: null,
});
const cluster = (id: number): ClusterInfo => ({ id, label: `Cluster number ${id}`, terms: [], size: 0, representatives: [] });

describe('cluster labels', () => {
  it('puts a label at the centre of its cluster\'s core, not pulled by one stray book', () => {
    const books = [...Array.from({ length: 10 }, (_, i) => point(i, 0, i % 2, Math.floor(i / 2) % 2)), point(99, 0, 100, 100)];
    const [centre] = clusterCentres(books);
    expect(centre.cluster).toBe(0);
    expect(centre.size).toBe(11);
    expect(centre.x).toBeCloseTo(0.5, 5);
    expect(centre.y).toBeLessThan(1);
  });

  it('shows a label for every cluster of a large k when zoomed in enough, and none overlap at any zoom', () => {
    // 30 clusters on a 6 x 5 grid, close together
    const books = Array.from({ length: 30 }, (_, c) => point(c, c, (c % 6) * 1, Math.floor(c / 6) * 1));
    const centres = clusterCentres(books);
    const clusters = Array.from({ length: 30 }, (_, c) => cluster(c));
    const options = { hidden: () => false, highlighted: null, textWidth: (t: string) => t.length * 7 };
    const wide = visibleLabels(centres, clusters, { x: [-1, 6], y: [-1, 5], width: 500, height: 300 }, options);
    const close = visibleLabels(centres, clusters, { x: [-0.5, 2.5], y: [-0.5, 2.5], width: 1000, height: 800 }, options);
    expect(wide.length).toBeGreaterThan(0);
    expect(wide.length).toBeLessThan(30);
    // zoomed onto 3 x 3 clusters: all nine shown
    expect(close.map((l) => l.cluster).sort((a, b) => a - b)).toEqual([0, 1, 2, 6, 7, 8, 12, 13, 14]);
  });

  it('gives the highlighted cluster its label first and hidden clusters none', () => {
    const books = [point(1, 0, 0, 0), point(2, 0, 0.01, 0), point(3, 1, 0.05, 0), point(4, 2, 5, 5)];
    const centres = clusterCentres(books);
    const view = { x: [-1, 6] as [number, number], y: [-1, 6] as [number, number], width: 400, height: 400 };
    const clusters = [cluster(0), cluster(1), cluster(2)];
    const textWidth = (t: string) => t.length * 7;
    expect(visibleLabels(centres, clusters, view, { hidden: () => false, highlighted: null, textWidth }).map((l) => l.cluster)).toEqual([0, 2]);
    expect(visibleLabels(centres, clusters, view, { hidden: () => false, highlighted: 1, textWidth }).map((l) => l.cluster)).toEqual([1, 2]);
    expect(visibleLabels(centres, clusters, view, { hidden: (c) => c === 2, highlighted: null, textWidth }).map((l) => l.cluster)).toEqual([0]);
  });
});
