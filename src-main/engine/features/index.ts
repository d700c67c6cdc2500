// The features stage: book text -> term counts (cached per book) -> TF-IDF rows, and LSA.
export { countTerms, decodeCounts, decodeCountsList, encodeCounts, encodeCountsList, tokenizerKey } from './tokenize';
export type { CountResult, TermCounts, TokenizeOptions } from './tokenize';
export { compareCodePoints, csrRowViews, fitTfidf, fitTransformTfidf, fitTransformTfidfInPasses, tfidfFromFitted, toDenseMatrix } from './tfidf';
export type { CsrRows, DocumentPasses, FittedTfidf, SparseVector, TfidfOptions } from './tfidf';
export { fitLsa, l2NormalizeRows, projectRows, truncatedSvd } from './lsa';
export type { LsaFit } from './lsa';
