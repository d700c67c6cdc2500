// Naming clusters: the terms whose TF-IDF weight is much higher inside a cluster than outside it.
import { ShelfmapError } from '../../../src-shared/errors';

/** One book's TF-IDF row: weights of the terms it holds, by vocabulary index. */
export interface SparseRow {
  indices: Int32Array;
  values: Float32Array;
}

/**
 * For each cluster 0..k-1, up to `topN` terms ranked by (mean weight inside the cluster) minus
 * (mean weight outside it), best first. A term must appear in at least 2 of the cluster's books
 * when the cluster has 3 or more (so one odd book cannot name its cluster), else in 1; only
 * terms that score above zero are kept. Ties go to the lower vocabulary index.
 */
export interface DistinctiveTermOptions {
  /** Whether a term may name a cluster at all (see nameWorthy). */
  keep?: (term: string) => boolean;
  /** Share of a cluster's rows a term must appear in (besides the 2-row floor), so one book's character names cannot name it. */
  minShare?: number;
}

export function distinctiveTerms(
  rows: SparseRow[],
  labels: number[],
  vocabulary: string[],
  k: number,
  topN = 8,
  options: DistinctiveTermOptions = {},
): string[][] {
  validate(rows, labels, vocabulary, k, topN);
  const n = rows.length;
  const termCount = vocabulary.length;

  const totalWeight = new Float64Array(termCount);
  for (const row of rows) {
    for (let j = 0; j < row.indices.length; j++) totalWeight[row.indices[j]] += row.values[j];
  }
  const members: number[][] = Array.from({ length: k }, () => []);
  labels.forEach((label, i) => members[label].push(i));

  // One pair of buffers reused across clusters keeps memory at O(vocabulary), whatever k is.
  const insideWeight = new Float64Array(termCount);
  const insideBooks = new Int32Array(termCount);
  return members.map((books) => {
    if (books.length === 0) return [];
    insideWeight.fill(0);
    insideBooks.fill(0);
    for (const book of books) {
      const row = rows[book];
      for (let j = 0; j < row.indices.length; j++) {
        if (row.values[j] === 0) continue;
        insideWeight[row.indices[j]] += row.values[j];
        insideBooks[row.indices[j]]++;
      }
    }
    const minBooks = Math.max(books.length >= 3 ? 2 : 1, Math.ceil((options.minShare ?? 0) * books.length));
    const outsideCount = n - books.length;
    const candidates: { term: number; score: number }[] = [];
    for (let t = 0; t < termCount; t++) {
      if (insideBooks[t] < minBooks || (options.keep && !options.keep(vocabulary[t]))) continue;
      const outsideMean = outsideCount > 0 ? (totalWeight[t] - insideWeight[t]) / outsideCount : 0;
      const score = insideWeight[t] / books.length - outsideMean;
      if (score > 0) candidates.push({ term: t, score });
    }
    candidates.sort((a, b) => b.score - a.score || a.term - b.term);
    return candidates.slice(0, topN).map((c) => vocabulary[c.term]);
  });
}

/**
 * Words of speech and address that fill dialogue in every kind of novel: they tell a cluster of
 * novels from one of essays, not one genre from another, so they never name a cluster.
 */
const DIALOGUE_WORDS = new Set([
  'said', 'says', 'say', 'saying', 'asked', 'replied', 'answered', 'cried', 'exclaimed', 'shouted', 'whispered', 'muttered',
  'yes', 'no', 'oh', 'ah', 'eh', 'ha', 'hey', 'hello', 'alas', 'aye', 'nay', 'hm', 'hmm', 'um', 'well', 'okay', 'ok',
  'dear', 'sir', 'madam', 'mr', 'mrs', 'miss', 'ms', 'thank', 'thanks', 'please', 'sorry',
]);

/**
 * Whether a term can name a cluster: not a contraction ("don't", "i've", "you're": an
 * apostrophe inside marks dialogue, not a subject), not a word of dialogue, not a number.
 */
export function nameWorthy(term: string): boolean {
  return !/['\u2019]/.test(term) && !DIALOGUE_WORDS.has(term) && !/^\d+$/.test(term) && term.length > 1;
}

/** A short cluster name from its three best terms, e.g. "sea · ship · captain". */
export function clusterLabel(terms: string[]): string {
  return terms.length > 0 ? terms.slice(0, 3).join(' · ') : '(no distinctive terms)';
}

/**
 * Readable words for (possibly stemmed) terms: each stem becomes its most frequent surface word
 * when the features stage supplies that map ("voyag" -> "voyage"); unknown stems stay as they are.
 */
export function displayTerms(stems: string[], surface?: Map<string, string>): string[] {
  if (!surface) return stems.slice();
  return stems.map((stem) => surface.get(stem) ?? stem);
}

function validate(rows: SparseRow[], labels: number[], vocabulary: string[], k: number, topN: number): void {
  if (!Number.isInteger(k) || k < 1) {
    throw new ShelfmapError('invalid-argument', `The number of clusters must be a whole number of at least 1 (got ${k}).`);
  }
  if (!Number.isInteger(topN) || topN < 0) {
    throw new ShelfmapError('invalid-argument', `The number of terms per cluster must be a whole number (got ${topN}).`);
  }
  if (rows.length !== labels.length) {
    throw new ShelfmapError('invalid-argument', `There are ${rows.length} rows but ${labels.length} cluster labels.`);
  }
  labels.forEach((label, i) => {
    if (!Number.isInteger(label) || label < 0 || label >= k) {
      throw new ShelfmapError('invalid-argument', `Book ${i} has cluster ${label}, outside 0..${k - 1}.`);
    }
  });
  rows.forEach((row, i) => {
    if (row.indices.length !== row.values.length) {
      throw new ShelfmapError('invalid-argument', `Row ${i} has ${row.indices.length} indices but ${row.values.length} values.`);
    }
    for (const index of row.indices) {
      if (index < 0 || index >= vocabulary.length) {
        throw new ShelfmapError('invalid-argument', `Row ${i} refers to term ${index}, outside a vocabulary of ${vocabulary.length}.`);
      }
    }
  });
}
