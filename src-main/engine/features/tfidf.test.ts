import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ShelfmapError } from '../../../src-shared/errors';
import { compareCodePoints, csrRowViews, fitTfidf, fitTransformTfidf, fitTransformTfidfInPasses, toDenseMatrix, type TfidfOptions } from './tfidf';
import type { TermCounts } from './tokenize';

// Reference values from scikit-learn, made by __fixtures__/make-sklearn-tfidf.py.
interface SklearnCase {
  options: {
    minDocs: number;
    maxDocFraction: number;
    maxFeatures: number | null;
    sublinearTf: boolean;
    smoothIdf: boolean;
    norm: 'l2' | 'none';
  };
  vocabulary: string[];
  idf: number[];
  dense: number[][];
}
const fixture = JSON.parse(
  readFileSync(fileURLToPath(new URL('./__fixtures__/sklearn-tfidf.json', import.meta.url)), 'utf8'),
) as { docs: Record<string, number>[]; cases: Record<string, SklearnCase> };
const fixtureDocs: TermCounts[] = fixture.docs.map((doc) => new Map(Object.entries(doc)));

function expectClose(actual: ArrayLike<number>, expected: number[], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (Math.abs(actual[i] - expected[i]) > tolerance) {
      throw new Error(`Element ${i}: ${actual[i]} differs from ${expected[i]} by more than ${tolerance}.`);
    }
  }
}

const BASE: TfidfOptions = { minDocs: 1, maxDocFraction: 1, maxFeatures: 1000, sublinearTf: false };

describe('fitTransformTfidf against scikit-learn', () => {
  const cases = Object.entries(fixture.cases);

  it('covers at least three option combinations', () => {
    expect(cases.length).toBeGreaterThanOrEqual(3);
  });

  for (const [name, expected] of cases) {
    it(name, () => {
      const o = expected.options;
      const { model, rows } = fitTransformTfidf(fixtureDocs, {
        minDocs: o.minDocs,
        maxDocFraction: o.maxDocFraction,
        maxFeatures: o.maxFeatures ?? 1_000_000,
        sublinearTf: o.sublinearTf,
        smoothIdf: o.smoothIdf,
        norm: o.norm,
      });
      expect(model.vocabulary).toEqual(expected.vocabulary);
      expectClose(model.idf, expected.idf, 1e-6);
      expect(rows).toHaveLength(fixtureDocs.length);
      expectClose(toDenseMatrix(rows, model.vocabulary.length), expected.dense.flat(), 1e-6);
    });
  }
});

describe('fitTransformTfidf', () => {
  it('matches a hand-computed example', () => {
    const docs: TermCounts[] = [
      new Map([['a', 2], ['b', 1]]),
      new Map([['b', 3]]),
    ];
    const { model, rows } = fitTransformTfidf(docs, BASE);
    expect(model.vocabulary).toEqual(['a', 'b']);
    const idfA = Math.log(3 / 2) + 1;
    expectClose(model.idf, [idfA, 1], 1e-12);
    const norm = Math.hypot(2 * idfA, 1);
    expect([...rows[0].indices]).toEqual([0, 1]);
    expectClose(rows[0].values, [(2 * idfA) / norm, 1 / norm], 1e-7);
    expect([...rows[1].indices]).toEqual([1]);
    expectClose(rows[1].values, [1], 1e-7);
  });

  it('gives rows with ascending indices and unit length', () => {
    const { rows } = fitTransformTfidf(fixtureDocs, BASE);
    for (const row of rows) {
      for (let k = 1; k < row.indices.length; k++) expect(row.indices[k]).toBeGreaterThan(row.indices[k - 1]);
      const length = Math.hypot(...row.values);
      expect(length).toBeCloseTo(1, 6);
    }
  });

  it('leaves a document with no kept terms as an empty row', () => {
    const { rows } = fitTransformTfidf(fixtureDocs, { ...BASE, minDocs: 2 });
    expect(rows[7].indices).toHaveLength(0);
    expect(rows[7].values).toHaveLength(0);
  });

  it('breaks ties in total count by term, whatever the number of candidates', () => {
    const docs: TermCounts[] = [];
    const terms = Array.from({ length: 40 }, (_, i) => `t${String(i).padStart(2, '0')}`).reverse();
    for (let d = 0; d < 3; d++) docs.push(new Map(terms.map((t) => [t, 1])));
    docs[0].set('t39', 5);
    const model = fitTfidf(docs, { ...BASE, maxFeatures: 4 });
    expect(model.vocabulary).toEqual(['t00', 't01', 't02', 't39']);
  });

  it('returns an empty vocabulary, not an error, when the bounds leave no term', () => {
    const docs: TermCounts[] = [new Map([['a', 1]]), new Map([['b', 1]])];
    const { model, rows } = fitTransformTfidf(docs, { ...BASE, minDocs: 2 });
    expect(model.vocabulary).toEqual([]);
    expect(rows.map((r) => r.indices.length)).toEqual([0, 0]);
    expect(fitTfidf([], BASE).vocabulary).toEqual([]);
    // maxDocFraction * n below minDocs
    expect(fitTfidf([new Map([['a', 1]])], { ...BASE, maxDocFraction: 0.5 }).vocabulary).toEqual([]);
  });

  it('treats zero counts as absent terms', () => {
    const docs: TermCounts[] = [new Map([['a', 1], ['b', 0]]), new Map([['b', 2]])];
    const { model } = fitTransformTfidf(docs, { ...BASE, maxDocFraction: 0.5 });
    expect(model.vocabulary).toEqual(['a', 'b']);
  });

  it('fills in default options on the model', () => {
    const model = fitTfidf(fixtureDocs, BASE);
    expect(model.options).toEqual({ ...BASE, smoothIdf: true, norm: 'l2', dropMostFrequent: 0 });
  });

  it('rejects options out of range', () => {
    expect(() => fitTfidf(fixtureDocs, { ...BASE, minDocs: 0 })).toThrow(ShelfmapError);
    expect(() => fitTfidf(fixtureDocs, { ...BASE, minDocs: 1.5 })).toThrow(/minDocs/);
    expect(() => fitTfidf(fixtureDocs, { ...BASE, maxDocFraction: 0 })).toThrow(/maxDocFraction/);
    expect(() => fitTfidf(fixtureDocs, { ...BASE, maxDocFraction: 1.5 })).toThrow(/maxDocFraction/);
    expect(() => fitTfidf(fixtureDocs, { ...BASE, maxFeatures: 0 })).toThrow(/maxFeatures/);
  });
});

/** fitTransformTfidfInPasses over documents given as an array, with the number of passes made. */
async function inPasses(docs: TermCounts[], options: TfidfOptions | ((n: number) => TfidfOptions)) {
  let passes = 0;
  const fitted = await fitTransformTfidfInPasses((visit) => {
    passes++;
    docs.forEach(visit);
  }, options);
  return { ...fitted, rows: csrRowViews(fitted.csr), passes };
}

/** The rows as plain arrays, so toEqual compares values, not typed-array views of different buffers. */
const plain = (rows: { indices: Int32Array; values: Float32Array }[]) => rows.map((r) => ({ indices: [...r.indices], values: [...r.values] }));

describe('fitTransformTfidfInPasses', () => {
  const tied: TermCounts[] = Array.from({ length: 3 }, () => new Map(Array.from({ length: 40 }, (_, i) => [`t${String(39 - i).padStart(2, '0')}`, 1])));
  tied[0].set('t39', 5);
  const cases: [string, TermCounts[], TfidfOptions][] = [
    ['fixture, base options', fixtureDocs, BASE],
    ['fixture, min 2 docs, sublinear', fixtureDocs, { ...BASE, minDocs: 2, sublinearTf: true }],
    ['fixture, max 60% and 8 features', fixtureDocs, { minDocs: 2, maxDocFraction: 0.6, maxFeatures: 8, sublinearTf: true }],
    ['fixture, no idf smoothing, no norm', fixtureDocs, { ...BASE, smoothIdf: false, norm: 'none' }],
    ['ties at the cut-off', tied, { ...BASE, maxFeatures: 4 }],
    ['zero counts', [new Map([['a', 1], ['b', 0]]), new Map([['b', 2]])], { ...BASE, maxDocFraction: 0.5 }],
  ];
  for (const [name, docs, options] of cases) {
    it(`gives fitTransformTfidf's vocabulary, idf and rows exactly: ${name}`, async () => {
      const old = fitTransformTfidf(docs, options);
      const streamed = await inPasses(docs, options);
      expect(streamed.passes).toBe(2);
      expect(streamed.documents).toBe(docs.length);
      expect(streamed.model.vocabulary).toEqual(old.model.vocabulary);
      expect([...streamed.model.idf]).toEqual([...old.model.idf]);
      expect(streamed.model.options).toEqual(old.model.options);
      expect(plain(streamed.rows)).toEqual(plain(old.rows));
      expect(streamed.csr.rowStart).toHaveLength(docs.length + 1);
    });
  }

  it('takes options from the number of documents the first pass counted', async () => {
    const seen: number[] = [];
    const { model } = await inPasses(fixtureDocs, (n) => {
      seen.push(n);
      return { ...BASE, minDocs: 2 };
    });
    expect(seen).toEqual([fixtureDocs.length]);
    expect(model.vocabulary).toEqual(fitTfidf(fixtureDocs, { ...BASE, minDocs: 2 }).vocabulary);
  });

  it('refuses a second pass that does not give the same documents', async () => {
    let pass = 0;
    await expect(fitTransformTfidfInPasses((visit) => fixtureDocs.slice(0, ++pass === 1 ? 5 : 4).forEach(visit), BASE)).rejects.toThrow(/second pass/);
  });

  it('refuses options out of range before reading any document', async () => {
    let read = 0;
    await expect(fitTransformTfidfInPasses(() => void read++, { ...BASE, minDocs: 0 })).rejects.toThrow(/minDocs/);
    expect(read).toBe(0);
  });
});

describe('FittedTfidf.transform', () => {
  it('weighs the fitted documents exactly as fitTransformTfidf does', () => {
    const options: TfidfOptions = { minDocs: 2, maxDocFraction: 0.6, maxFeatures: 8, sublinearTf: true };
    const { model, rows } = fitTransformTfidf(fixtureDocs, options);
    expect(model.transform(fixtureDocs)).toEqual(rows);
  });

  it('ignores terms outside the vocabulary', () => {
    const model = fitTfidf(fixtureDocs, { ...BASE, minDocs: 2 });
    const [row] = model.transform([new Map([['sea', 2], ['kraken', 9]])]);
    expect([...row.indices]).toEqual([model.vocabulary.indexOf('sea')]);
    expectClose(row.values, [1], 1e-7);
  });
});

describe('toDenseMatrix', () => {
  it('lays rows out row-major', () => {
    const dense = toDenseMatrix(
      [
        { indices: Int32Array.from([0, 2]), values: Float32Array.from([1, 2]) },
        { indices: Int32Array.from([1]), values: Float32Array.from([3]) },
      ],
      3,
    );
    expect([...dense]).toEqual([1, 0, 2, 0, 3, 0]);
  });

  it('refuses columns beyond the width', () => {
    expect(() => toDenseMatrix([{ indices: Int32Array.from([3]), values: Float32Array.from([1]) }], 3)).toThrow(RangeError);
  });
});

describe('compareCodePoints', () => {
  it('orders by code point, putting characters above U+FFFF after U+FFxx', () => {
    const terms = ['𐌰𐌱', 'ａtom', 'émile', 'zoo', 'apple', 'app'];
    expect([...terms].sort(compareCodePoints)).toEqual(['app', 'apple', 'zoo', 'émile', 'ａtom', '𐌰𐌱']);
    // Plain sort compares UTF-16 code units and gets the last two the other way round.
    expect([...terms].sort().slice(-2)).toEqual(['𐌰𐌱', 'ａtom']);
  });
});
