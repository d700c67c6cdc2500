// The features stage: book text -> term counts (cached per book) -> TF-IDF rows, and LSA.
export { countTerms, decodeCounts, encodeCounts, tokenizerKey } from './tokenize';
export type { CountResult, TermCounts, TokenizeOptions } from './tokenize';
export { compareCodePoints, fitTfidf, fitTransformTfidf, toDenseMatrix } from './tfidf';
export type { FittedTfidf, SparseVector, TfidfOptions } from './tfidf';
export { l2NormalizeRows, truncatedSvd } from './lsa';
