// Run settings -> the vectoriser's options for a library of a given size.
import { docLimitCount, type FeatureSettings } from '../../../src-shared/settings';
import type { TfidfOptions } from './tfidf';

export function tfidfOptionsFor(features: FeatureSettings, books: number): TfidfOptions {
  // a term must be in at least one book, and a tiny library must not lose every term
  const minDocs = Math.max(1, Math.min(docLimitCount(features.minDf, books, 'up'), books));
  const maxDocs = Math.max(minDocs, docLimitCount(features.maxDf, books, 'down'));
  return {
    minDocs,
    maxDocFraction: Math.min(1, maxDocs / books),
    maxFeatures: features.maxFeatures,
    sublinearTf: features.sublinearTf,
    smoothIdf: features.smoothIdf,
    norm: features.norm,
    // runs stored before this setting lack it
    dropMostFrequent: features.dropMostFrequent ?? 0,
  };
}
