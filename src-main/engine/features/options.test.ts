import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src-shared/settings';
import { tfidfOptionsFor } from './options';
import { fitTfidf } from './tfidf';

const base = DEFAULT_SETTINGS.features;

describe('tfidfOptionsFor', () => {
  it('turns counts and fractions into the vectoriser limits', () => {
    expect(tfidfOptionsFor({ ...base, minDf: { docs: 2 }, maxDf: { fraction: 0.5 } }, 200)).toMatchObject({
      minDocs: 2,
      maxDocFraction: 0.5,
    });
    expect(tfidfOptionsFor({ ...base, minDf: { fraction: 0.01 }, maxDf: { docs: 150 } }, 200)).toMatchObject({
      minDocs: 2,
      maxDocFraction: 0.75,
    });
  });

  it('keeps a tiny library from losing every term', () => {
    const options = tfidfOptionsFor({ ...base, minDf: { docs: 5 }, maxDf: { fraction: 0.1 } }, 3);
    expect(options.minDocs).toBe(3);
    expect(options.maxDocFraction).toBe(1);
  });

  it('passes smoothing and the norm through', () => {
    expect(tfidfOptionsFor({ ...base, smoothIdf: false, norm: 'none' }, 10)).toMatchObject({ smoothIdf: false, norm: 'none' });
  });
});

describe('dropMostFrequent', () => {
  it('leaves out the most frequent terms of the library before maxFeatures keeps the next ones', () => {
    const docs = [
      new Map([['the', 9], ['sea', 5], ['ship', 2], ['gull', 1]]),
      new Map([['the', 8], ['sea', 4], ['ship', 1], ['gull', 1]]),
    ];
    const features = { ...base, minDf: { docs: 1 }, maxDf: { fraction: 1 }, maxFeatures: 2 };
    expect(fitTfidf(docs, tfidfOptionsFor(features, 2)).vocabulary).toEqual(['sea', 'the']);
    expect(fitTfidf(docs, tfidfOptionsFor({ ...features, dropMostFrequent: 1 }, 2)).vocabulary).toEqual(['sea', 'ship']);
    expect(fitTfidf(docs, tfidfOptionsFor({ ...features, dropMostFrequent: 2, maxFeatures: 10 }, 2)).vocabulary).toEqual(['gull', 'ship']);
  });
});
