// TF-IDF over cached term counts, matching scikit-learn's TfidfVectorizer fed the same counts.
// Fitted at every run over the whole library (~800k document-term pairs for 197 books), so the
// hot loops work on typed arrays indexed by term number rather than on per-term objects.
import { ShelfmapError } from '../../../src-shared/errors';
import type { TermCounts } from './tokenize';

/** A sparse row: `indices` ascending, `values` the weights at those columns. */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

export interface TfidfOptions {
  /** Drop terms found in fewer documents than this (sklearn's integer min_df). */
  minDocs: number;
  /** Drop terms found in more than this fraction of documents (sklearn's float max_df). */
  maxDocFraction: number;
  /** Then keep only this many terms, those with the highest total count (sklearn's max_features). */
  maxFeatures: number;
  /** Use 1 + ln(count) instead of the raw count (sklearn's sublinear_tf). */
  sublinearTf: boolean;
  /** Default true: idf as if one extra document held every term once (sklearn's smooth_idf). */
  smoothIdf?: boolean;
  /** Default 'l2': scale each row to unit length. */
  norm?: 'l2' | 'none';
  /** Default 0: leave out this many of the terms within the document-frequency bounds with the highest total count, before maxFeatures. */
  dropMostFrequent?: number;
}

export interface FittedTfidf {
  /** Kept terms in code-point order; a term's position is its column. */
  vocabulary: string[];
  /** Inverse document frequency of each column. */
  idf: Float64Array;
  /** The options it was fitted with; a fitted model fills in the defaults. */
  options: TfidfOptions;
  /** Weighs documents by the fitted vocabulary and idf; terms outside the vocabulary are ignored. */
  transform(docs: TermCounts[]): SparseVector[];
}

/**
 * Orders strings by Unicode code point, as Python (and so scikit-learn) sorts its vocabulary.
 * Plain `<` compares UTF-16 code units, which differs for characters above U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Move surrogates (D800-DFFF) above E000-FFFF so astral characters sort last, as code points do.
    if (x >= 0xd800 && y >= 0xd800) {
      x += x >= 0xe000 ? -0x800 : 0x2000;
      y += y >= 0xe000 ? -0x800 : 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

export function resolveOptions(options: TfidfOptions): Required<TfidfOptions> {
  const { minDocs, maxDocFraction, maxFeatures, sublinearTf } = options;
  const invalid = (message: string): never => {
    throw new ShelfmapError('invalid-argument', message);
  };
  if (!Number.isInteger(minDocs) || minDocs < 1) invalid(`minDocs must be a whole number of at least 1, got ${minDocs}.`);
  if (!(maxDocFraction > 0 && maxDocFraction <= 1)) invalid(`maxDocFraction must be above 0 and at most 1, got ${maxDocFraction}.`);
  if (!Number.isInteger(maxFeatures) || maxFeatures < 1) invalid(`maxFeatures must be a whole number of at least 1, got ${maxFeatures}.`);
  return {
    minDocs,
    maxDocFraction,
    maxFeatures,
    sublinearTf,
    smoothIdf: options.smoothIdf ?? true,
    norm: options.norm ?? 'l2',
    dropMostFrequent: options.dropMostFrequent ?? 0,
  };
}

/**
 * Every distinct term of the corpus numbered in order of first sight, with its document
 * frequency and total count, and each document re-expressed as term numbers and counts.
 */
interface CorpusTerms {
  terms: string[];
  docFreq: Int32Array;
  totalCount: Float64Array;
  docTermIds: Int32Array[];
  docCounts: Float64Array[];
}

/** Every distinct term met, numbered in the order met, with the documents holding it and its total count. */
class TermTally {
  private readonly ids = new Map<string, number>();
  readonly terms: string[] = [];
  docFreq = new Int32Array(1 << 16);
  totalCount = new Float64Array(1 << 16);

  /** Counts `count` occurrences of `term` in one more document; gives the term's number. */
  add(term: string, count: number): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.ids.set(term, id);
      this.terms.push(term);
      if (id === this.docFreq.length) {
        const grownFreq = new Int32Array(id * 2);
        grownFreq.set(this.docFreq);
        this.docFreq = grownFreq;
        const grownTotal = new Float64Array(id * 2);
        grownTotal.set(this.totalCount);
        this.totalCount = grownTotal;
      }
    }
    this.docFreq[id]++;
    this.totalCount[id] += count;
    return id;
  }

  /** Lets the term-to-number map go once no more terms will be met. */
  forgetNumbers(): void {
    this.ids.clear();
  }
}

function collectTerms(docs: TermCounts[]): CorpusTerms {
  const tally = new TermTally();
  const docTermIds: Int32Array[] = [];
  const docCounts: Float64Array[] = [];
  for (const doc of docs) {
    const termIds = new Int32Array(doc.size);
    const counts = new Float64Array(doc.size);
    let used = 0;
    for (const [term, count] of doc) {
      if (!(count > 0)) continue; // a zero count is an absent term, as in a sparse count matrix
      termIds[used] = tally.add(term, count);
      counts[used] = count;
      used++;
    }
    docTermIds.push(termIds.subarray(0, used));
    docCounts.push(counts.subarray(0, used));
  }
  return { terms: tally.terms, docFreq: tally.docFreq, totalCount: tally.totalCount, docTermIds, docCounts };
}

/** Term numbers kept by the document-frequency bounds and then by maxFeatures, in vocabulary order. */
function selectTerms(corpus: Pick<CorpusTerms, 'terms' | 'docFreq' | 'totalCount'>, docCount: number, options: Required<TfidfOptions>): Int32Array {
  const { terms, docFreq, totalCount } = corpus;
  // sklearn compares df with max_df * n as a float, without rounding.
  const maxDocs = options.maxDocFraction * docCount;
  let kept = new Int32Array(terms.length);
  let keptCount = 0;
  for (let id = 0; id < terms.length; id++) {
    if (docFreq[id] >= options.minDocs && docFreq[id] <= maxDocs) kept[keptCount++] = id;
  }
  kept = kept.slice(0, keptCount);
  const skip = Math.min(options.dropMostFrequent, keptCount);
  if (keptCount - skip > options.maxFeatures || skip > 0) {
    // Highest total count first, equal totals by term. sklearn argsorts its alphabetical vocabulary
    // with numpy's unstable quicksort, so it agrees on ties only up to 16 candidates; beyond that
    // its choice among equal totals at the cut-off is arbitrary, and this one is deterministic.
    kept.sort((a, b) => totalCount[b] - totalCount[a] || compareCodePoints(terms[a], terms[b]));
    kept = kept.slice(skip, skip + options.maxFeatures);
  }
  return kept.sort((a, b) => compareCodePoints(terms[a], terms[b]));
}

/**
 * idf(t) = ln((1 + n) / (1 + df(t))) + 1   with smoothIdf (default)
 * idf(t) = ln(n / df(t)) + 1               without
 * where n is the number of documents and df(t) how many of them contain t.
 */
function inverseDocFrequency(docFreq: ArrayLike<number>, docCount: number, smooth: boolean): Float64Array {
  const idf = new Float64Array(docFreq.length);
  const s = smooth ? 1 : 0;
  for (let col = 0; col < idf.length; col++) idf[col] = Math.log((docCount + s) / (docFreq[col] + s)) + 1;
  return idf;
}

/**
 * Weighs one document given as (column, count) pairs, columns in any order and each at most once:
 * w(t) = tf(t) * idf(t) with tf = count, or 1 + ln(count) when sublinear; then, with norm 'l2',
 * w(t) / sqrt(sum of w^2). `weights` is a scratch array of the vocabulary's size.
 */
function weighRow(
  columns: Int32Array,
  counts: Float64Array,
  used: number,
  idf: Float64Array,
  options: Required<TfidfOptions>,
  weights: Float64Array,
): SparseVector {
  const { indices, scale } = weighInto(columns.slice(0, used), counts, used, idf, options, weights);
  const values = new Float32Array(used);
  for (let k = 0; k < used; k++) values[k] = weights[indices[k]] * scale;
  return { indices, values };
}

/**
 * weighRow's arithmetic without its allocations: writes each column's weight into `weights`,
 * sorts the first `used` entries of `columns` in place (they are then the row's indices) and
 * returns the scale that makes the row unit length (sums taken in column order, as weighRow does).
 */
export function weighInto(
  columns: Int32Array,
  counts: Float64Array,
  used: number,
  idf: Float64Array,
  options: Required<TfidfOptions>,
  weights: Float64Array,
): { indices: Int32Array; scale: number } {
  for (let k = 0; k < used; k++) {
    const count = counts[k];
    weights[columns[k]] = (options.sublinearTf ? 1 + Math.log(count) : count) * idf[columns[k]];
  }
  const indices = columns.subarray(0, used).sort();
  let sumSquares = 0;
  for (let k = 0; k < used; k++) sumSquares += weights[indices[k]] ** 2;
  const scale = options.norm === 'l2' && sumSquares > 0 ? 1 / Math.sqrt(sumSquares) : 1;
  return { indices, scale };
}

function makeModel(vocabulary: string[], idf: Float64Array, options: Required<TfidfOptions>): FittedTfidf {
  let columnOf: Map<string, number> | null = null;
  return {
    vocabulary,
    idf,
    options,
    transform(docs: TermCounts[]): SparseVector[] {
      columnOf ??= new Map(vocabulary.map((term, col) => [term, col]));
      const weights = new Float64Array(vocabulary.length);
      let columns = new Int32Array(1024);
      let counts = new Float64Array(1024);
      return docs.map((doc) => {
        if (doc.size > columns.length) {
          columns = new Int32Array(doc.size);
          counts = new Float64Array(doc.size);
        }
        let used = 0;
        for (const [term, count] of doc) {
          const col = columnOf!.get(term);
          if (col === undefined || !(count > 0)) continue;
          columns[used] = col;
          counts[used] = count;
          used++;
        }
        return weighRow(columns, counts, used, idf, options, weights);
      });
    },
  };
}

interface Fit {
  model: FittedTfidf;
  options: Required<TfidfOptions>;
  corpus: CorpusTerms;
  /** Column of each corpus term number, -1 for terms left out. */
  columnOfId: Int32Array;
}

function fit(docs: TermCounts[], options: TfidfOptions): Fit {
  const resolved = resolveOptions(options);
  const corpus = collectTerms(docs);
  const selected = selectTerms(corpus, docs.length, resolved);

  const columnOfId = new Int32Array(corpus.terms.length).fill(-1);
  const vocabulary: string[] = new Array(selected.length);
  const selectedDocFreq = new Int32Array(selected.length);
  for (let col = 0; col < selected.length; col++) {
    const id = selected[col];
    columnOfId[id] = col;
    vocabulary[col] = corpus.terms[id];
    selectedDocFreq[col] = corpus.docFreq[id];
  }
  const idf = inverseDocFrequency(selectedDocFreq, docs.length, resolved.smoothIdf);
  return { model: makeModel(vocabulary, idf, resolved), options: resolved, corpus, columnOfId };
}

/**
 * Fits the vocabulary and idf with scikit-learn's TfidfVectorizer semantics:
 *  1. drop terms with df < minDocs or df > maxDocFraction * n;
 *  2. if more than maxFeatures remain, keep those with the highest total count over the corpus,
 *     equal totals going to the term first in code-point order;
 *  3. vocabulary in code-point order, idf as in `inverseDocFrequency`, rows as in `weighRow`.
 * Unlike sklearn it does not throw when no term survives the bounds (too few books, or
 * maxDocFraction * n < minDocs): the vocabulary is then empty and the caller says what to change.
 * Throws ShelfmapError('invalid-argument') only for options out of range.
 */
export function fitTfidf(docs: TermCounts[], options: TfidfOptions): FittedTfidf {
  return fit(docs, options).model;
}

/**
 * A fitted model rebuilt from what a run stored (its vocabulary, idf and options), to weigh
 * books it never saw exactly as it weighed its own; terms outside the vocabulary are dropped.
 * Throws ShelfmapError('invalid-argument') when the parts do not fit together.
 */
export function tfidfFromFitted(vocabulary: string[], idf: Float64Array, options: TfidfOptions): FittedTfidf {
  if (idf.length !== vocabulary.length) {
    throw new ShelfmapError('invalid-argument', `The stored idf has ${idf.length} values for ${vocabulary.length} terms.`);
  }
  return makeModel(vocabulary, idf, resolveOptions(options));
}

/** `fitTfidf` and `transform` of the same documents in one pass over their terms. */
export function fitTransformTfidf(
  docs: TermCounts[],
  options: TfidfOptions,
): { model: FittedTfidf; rows: SparseVector[] } {
  const { model, options: resolved, corpus, columnOfId } = fit(docs, options);
  // Weigh from the term numbers fitting gave each document, saving a string lookup per pair.
  const weights = new Float64Array(model.vocabulary.length);
  const rows = corpus.docTermIds.map((termIds, d) => {
    const docCounts = corpus.docCounts[d];
    const columns = new Int32Array(termIds.length);
    const counts = new Float64Array(termIds.length);
    let used = 0;
    for (let k = 0; k < termIds.length; k++) {
      const col = columnOfId[termIds[k]];
      if (col < 0) continue;
      columns[used] = col;
      counts[used] = docCounts[k];
      used++;
    }
    return weighRow(columns, counts, used, model.idf, resolved, weights);
  });
  return { model, rows };
}

/** Rows as one row-major Float32Array of rows.length * dim. */
export function toDenseMatrix(rows: SparseVector[], dim: number): Float32Array {
  const dense = new Float32Array(rows.length * dim);
  rows.forEach((row, r) => {
    const offset = r * dim;
    for (let k = 0; k < row.indices.length; k++) {
      const col = row.indices[k];
      if (col < 0 || col >= dim) throw new RangeError(`Column ${col} of row ${r} is outside 0..${dim - 1}.`);
      dense[offset + col] = row.values[k];
    }
  });
  return dense;
}

/**
 * TF-IDF rows in compressed sparse row form: row r's columns are indices[rowStart[r]..rowStart[r+1])
 * (ascending) and its weights the same range of values. One typed array each, 8 bytes per stored
 * weight, instead of two small arrays per row.
 */
export interface CsrRows {
  rowStart: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/** Each row of `csr` as a SparseVector viewing its arrays (no copy). */
export function csrRowViews(csr: CsrRows): SparseVector[] {
  const rows = new Array<SparseVector>(csr.rowStart.length - 1);
  for (let r = 0; r < rows.length; r++) {
    const from = csr.rowStart[r];
    const to = csr.rowStart[r + 1];
    rows[r] = { indices: csr.indices.subarray(from, to), values: csr.values.subarray(from, to) };
  }
  return rows;
}

/**
 * One pass over the documents: calls `visit` with each document in the same order every time.
 * Each document may be dropped as soon as `visit` returns, so a caller can decode them one book
 * at a time from a store instead of holding them all.
 */
export type DocumentPasses = (visit: (doc: TermCounts) => void) => Promise<void> | void;

/** A growable typed array pair for CSR output. */
export class CsrBuilder {
  private indices = new Int32Array(1 << 16);
  private values = new Float32Array(1 << 16);
  private used = 0;
  private rowStart: number[] = [0];

  private reserve(count: number): void {
    if (this.used + count > this.indices.length) {
      let size = this.indices.length * 2;
      while (size < this.used + count) size *= 2;
      const indices = new Int32Array(size);
      indices.set(this.indices.subarray(0, this.used));
      this.indices = indices;
      const values = new Float32Array(size);
      values.set(this.values.subarray(0, this.used));
      this.values = values;
    }
  }

  /**
   * Room for `entries` in all, at once: with the rows' number of weights known beforehand (the
   * kept terms' document frequencies add up to it), the arrays never grow by doubling, which
   * held the old and the new arrays at once (the 10,000-book features stage: 134 MB and 268 MB).
   */
  expect(entries: number): void {
    if (entries <= this.indices.length) return;
    const indices = new Int32Array(entries);
    indices.set(this.indices.subarray(0, this.used));
    this.indices = indices;
    const values = new Float32Array(entries);
    values.set(this.values.subarray(0, this.used));
    this.values = values;
  }

  /** Rows another builder finished, after these (features/parallel.ts joins its threads' batches so). */
  append(rows: CsrRows): void {
    const count = rows.indices.length;
    this.reserve(count);
    this.indices.set(rows.indices, this.used);
    this.values.set(rows.values, this.used);
    for (let r = 1; r < rows.rowStart.length; r++) this.rowStart.push(this.used + rows.rowStart[r]);
    this.used += count;
  }

  push(columns: Int32Array, weights: Float64Array, count: number, scale: number): void {
    this.reserve(count);
    for (let k = 0; k < count; k++) {
      this.indices[this.used + k] = columns[k];
      this.values[this.used + k] = weights[columns[k]] * scale;
    }
    this.used += count;
    this.rowStart.push(this.used);
  }

  /** The rows so far as views of its arrays (no copy; good until the next push or clear). */
  view(): CsrRows {
    return { rowStart: Int32Array.from(this.rowStart), indices: this.indices.subarray(0, this.used), values: this.values.subarray(0, this.used) };
  }

  /** Starts again with no rows, keeping the arrays. */
  clear(): void {
    this.used = 0;
    this.rowStart = [0];
  }

  /**
   * The rows, as views of the builder's arrays (the builder is done with). Not trimmed by a copy:
   * at 70,000 books the copy made the features stage's peak (3.1 GB, the rows twice), while the
   * spare capacity past the rows was never written and so takes no memory.
   */
  finish(): CsrRows {
    return this.view();
  }
}

/**
 * The model a first pass's tally gives (terms numbered as met, their document frequencies and
 * totals over `documents`): the kept terms as selectTerms picks them, their idf, and each kept
 * term's number (selected[col]). `options` may depend on the number of documents.
 */
export function fitFromTally(
  tally: Pick<CorpusTerms, 'terms' | 'docFreq' | 'totalCount'>,
  documents: number,
  options: TfidfOptions | ((documents: number) => TfidfOptions),
): { model: FittedTfidf; resolved: Required<TfidfOptions>; selected: Int32Array } {
  const resolved = resolveOptions(typeof options === 'function' ? options(documents) : options);
  const selected = selectTerms(tally, documents, resolved);
  const vocabulary: string[] = new Array(selected.length);
  const selectedDocFreq = new Int32Array(selected.length);
  for (let col = 0; col < selected.length; col++) {
    vocabulary[col] = tally.terms[selected[col]];
    selectedDocFreq[col] = tally.docFreq[selected[col]];
  }
  const idf = inverseDocFrequency(selectedDocFreq, documents, resolved.smoothIdf);
  return { model: makeModel(vocabulary, idf, resolved), resolved, selected };
}

/**
 * fitTransformTfidf over documents read twice rather than held: the first pass counts each
 * term's document frequency and total (one entry per distinct term, not per document), the
 * second weighs each document over the kept vocabulary straight into CSR arrays. The vocabulary,
 * idf and every row's weights are those fitTransformTfidf gives the same documents. `options`
 * may depend on the number of documents (known after the first pass).
 */
export async function fitTransformTfidfInPasses(
  passes: DocumentPasses,
  options: TfidfOptions | ((documents: number) => TfidfOptions),
): Promise<{ model: FittedTfidf; csr: CsrRows; documents: number }> {
  if (typeof options !== 'function') resolveOptions(options); // refuse bad options before reading
  const tally = new TermTally();
  let documents = 0;
  await passes((doc) => {
    documents++;
    for (const [term, count] of doc) {
      if (count > 0) tally.add(term, count); // a zero count is an absent term, as in a sparse count matrix
    }
  });
  tally.forgetNumbers(); // the second pass looks terms up by the kept vocabulary only
  const { model, resolved } = fitFromTally(tally, documents, options);
  tally.terms.length = 0;
  const { vocabulary, idf } = model;

  const columnOf = new Map(vocabulary.map((term, col) => [term, col]));
  const weights = new Float64Array(vocabulary.length);
  const builder = new CsrBuilder();
  let columns = new Int32Array(1024);
  let counts = new Float64Array(1024);
  let seen = 0;
  await passes((doc) => {
    seen++;
    if (doc.size > columns.length) {
      columns = new Int32Array(doc.size);
      counts = new Float64Array(doc.size);
    }
    let used = 0;
    for (const [term, count] of doc) {
      const col = columnOf.get(term);
      if (col === undefined || !(count > 0)) continue;
      columns[used] = col;
      counts[used] = count;
      used++;
    }
    const { indices, scale } = weighInto(columns, counts, used, idf, resolved, weights);
    builder.push(indices, weights, used, scale);
  });
  if (seen !== documents) {
    throw new ShelfmapError('internal', `The second pass over the documents saw ${seen} of them, the first ${documents}.`);
  }
  return { model, csr: builder.finish(), documents };
}
