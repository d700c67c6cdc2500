import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src-shared/settings';
import { tfidfOptionsFor } from './options';

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
