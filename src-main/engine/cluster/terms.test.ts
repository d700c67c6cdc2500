import { describe, expect, it } from 'vitest';
import { ShelfmapError } from '../../../src-shared/errors';
import { clusterLabel, distinctiveTerms, nameWorthy, type SparseRow } from './terms';

const vocabulary = ['sea', 'ship', 'captain', 'love', 'heart', 'the', 'murder', 'whale'];

function row(weights: Record<string, number>): SparseRow {
  const entries = Object.entries(weights).map(([term, w]) => [vocabulary.indexOf(term), w] as const);
  entries.sort((a, b) => a[0] - b[0]);
  return { indices: Int32Array.from(entries.map((e) => e[0])), values: Float32Array.from(entries.map((e) => e[1])) };
}

// Three sea books, two love stories, one murder; "the" is everywhere at the same weight.
const rows = [
  row({ sea: 0.6, ship: 0.5, captain: 0.4, the: 0.2, whale: 0.9 }),
  row({ sea: 0.5, ship: 0.6, captain: 0.3, the: 0.2 }),
  row({ sea: 0.7, ship: 0.4, the: 0.2 }),
  row({ love: 0.8, heart: 0.5, the: 0.2, sea: 0.1 }),
  row({ love: 0.7, heart: 0.6, the: 0.2 }),
  row({ murder: 0.9, the: 0.2, captain: 0.3 }),
];
const labels = [0, 0, 0, 1, 1, 2];

describe('nameWorthy', () => {
  it('keeps contractions, dialogue and numbers out of cluster names', () => {
    for (const term of ["don't", "i've", "you're", 'o\u2019er', 'said', 'yes', 'oh', 'mr', 'dear', '1914', 'x', 'chapter', 'illustration']) expect(nameWorthy(term), term).toBe(false);
    for (const term of ['sea', 'christ', 'thou', 'detective', 'planet', 'enters']) expect(nameWorthy(term), term).toBe(true);
  });
});

describe('distinctiveTerms', () => {
  it('ranks by mean inside minus mean outside', () => {
    // sea: 0.6 - 0.1/3; ship: 0.5 - 0; captain: 0.7/3 - 0.3/3. "whale" scores 0.3 but is in only
    // one of three sea books; "the" scores 0.
    // love: 0.75; heart: 0.55; sea: 0.05 - 1.8/4 < 0.
    // murder: 0.9; captain: 0.3 - 0.7/5 (a one-book cluster needs a term in one book only).
    expect(distinctiveTerms(rows, labels, vocabulary, 3)).toEqual([
      ['sea', 'ship', 'captain'],
      ['love', 'heart'],
      ['murder', 'captain'],
    ]);
  });

  it('keeps at most topN terms', () => {
    expect(distinctiveTerms(rows, labels, vocabulary, 3, 1)).toEqual([['sea'], ['love'], ['murder']]);
  });

  it('gives an empty list for an empty cluster and ranks every positive term when k = 1', () => {
    const terms = distinctiveTerms(rows, labels, vocabulary, 4);
    expect(terms[3]).toEqual([]);
    // One cluster: nothing outside, so the means over all 6 books rank the terms (sea 1.9/6,
    // ship 1.5/6, love 1.5/6, the 1.2/6, heart 1.1/6, captain 1.0/6); "murder" and "whale" are
    // each in one book only and are dropped.
    const one = distinctiveTerms(rows, [0, 0, 0, 0, 0, 0], vocabulary, 1, 10);
    expect(one).toEqual([['sea', 'ship', 'love', 'the', 'heart', 'captain']]);
  });

  it('skips terms that may not name a cluster, and those in too small a share of its rows', () => {
    // without "sea" the sea books are named by ship and captain; captain is in 2 of 3 sea rows,
    // so a share of 0.7 (at least 3 rows) leaves ship alone
    expect(distinctiveTerms(rows, labels, vocabulary, 3, 8, { keep: (t) => t !== 'sea' })[0]).toEqual(['ship', 'captain']);
    expect(distinctiveTerms(rows, labels, vocabulary, 3, 8, { keep: (t) => t !== 'sea', minShare: 0.7 })[0]).toEqual(['ship']);
  });

  it('breaks ties by vocabulary order', () => {
    const tied = [row({ ship: 0.5, sea: 0.5 }), row({ ship: 0.5, sea: 0.5 }), row({ love: 1 })];
    expect(distinctiveTerms(tied, [0, 0, 1], vocabulary, 2)).toEqual([['sea', 'ship'], ['love']]);
  });

  it('refuses labels or rows that do not fit', () => {
    const kinds = [
      () => distinctiveTerms(rows, labels.slice(1), vocabulary, 3),
      () => distinctiveTerms(rows, [0, 0, 0, 1, 1, 3], vocabulary, 3),
      () => distinctiveTerms(rows, labels, vocabulary.slice(0, 5), 3),
      () => distinctiveTerms(rows, labels, vocabulary, 0),
    ].map((fn) => {
      try {
        fn();
        return 'no error';
      } catch (error) {
        return error instanceof ShelfmapError ? error.kind : 'other error';
      }
    });
    expect(kinds).toEqual(['invalid-argument', 'invalid-argument', 'invalid-argument', 'invalid-argument']);
  });
});

describe('clusterLabel', () => {
  it('joins the top three terms', () => {
    expect(clusterLabel(['sea', 'ship', 'captain', 'whale'])).toBe('sea · ship · captain');
    expect(clusterLabel(['love'])).toBe('love');
    expect(clusterLabel([])).toBe('(no distinctive terms)');
  });
});

