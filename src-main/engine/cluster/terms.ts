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

/** Words of a book's make-up and of its edition, not of its subject. */
const BOOK_WORDS = new Set([
  'chapter', 'chapters', 'volume', 'volumes', 'vol', 'page', 'pages', 'contents', 'preface', 'appendix', 'index',
  'illustration', 'illustrations', 'footnote', 'footnotes', 'transcriber', 'gutenberg', 'ebook', 'etext', 'ibid',
]);

/**
 * Whether a term can name a cluster: not a contraction ("don't", "i've", "you're": an
 * apostrophe inside marks dialogue, not a subject), not a word of dialogue, not a word of the
 * book's make-up ("chapter", "illustration"), not a number.
 */
export function nameWorthy(term: string): boolean {
  return !/['\u2019]/.test(term) && !DIALOGUE_WORDS.has(term) && !BOOK_WORDS.has(term) && !/^\d+$/.test(term) && term.length > 1;
}

/** A short cluster name from its three best terms, e.g. "sea · ship · captain". */
export function clusterLabel(terms: string[]): string {
  return terms.length > 0 ? terms.slice(0, 3).join(' · ') : '(no distinctive terms)';
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

// ---- class-based TF-IDF (BERTopic's c-TF-IDF) ---------------------------------------------

/** A book's words as naming reads them (see features/phrases.ts countBookWords). */
export interface NamingBook {
  terms: ReadonlyMap<string, number>;
  /** First term -> second term -> times they stood side by side. */
  pairs?: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Occurrences inside sentences, and how many of those were capitalised. */
  inner?: ReadonlyMap<string, { seen: number; capitalised: number }>;
  /** Term -> the words it stood for (when the run stems), with counts. */
  surface?: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

export interface ClassTfidfOptions {
  /** Whether a term may name a cluster at all (see nameWorthy). */
  keep?: (term: string) => boolean;
  /** Terms kept per cluster (a phrase counts as one). */
  topN?: number;
  /** Share of a cluster's books a term must appear in (besides the 2-book floor for clusters of 3 or more). */
  minShare?: number;
  /** How many times more often (per word) a term must occur in the cluster than in all books together (default MIN_LIFT). */
  minLift?: number;
}

/** Ranked terms of one cluster: `terms` as readers see them (phrases as "sea captain"), `scores` their c-TF-IDF weights. */
export interface ClusterTerms {
  terms: string[];
  scores: number[];
}

/**
 * A term one or two books of a cluster hold nearly all of is those books' own (a hero's name,
 * a ship's): with 3 or more books, the book that uses it most may hold at most this share of
 * its occurrences in the cluster, and with 4 or more the two that use it most at most TOP_TWO_SHARE.
 */
export const TOP_BOOK_SHARE = 0.5;
export const TOP_TWO_SHARE = 0.75;
/** A word capitalised in at least this share of its uses inside sentences is a proper noun. */
export const PROPER_NOUN_SHARE = 0.7;
/** A proper noun names a cluster only when at least this share of its books use it, and no book holds more than PROPER_TOP_BOOK_SHARE of it. */
export const PROPER_MIN_BOOK_SHARE = 0.5;
export const PROPER_TOP_BOOK_SHARE = 0.35;
/**
 * Two adjacent words become one phrase in a name when both rank among the cluster's best
 * 2 x topN terms and they stand together in at least PHRASE_SHARE of the rarer word's uses and
 * PHRASE_SHARE_OF_COMMONER of the other's ("jesus christ": 65% and 22% on the corpus; "thou
 * hast", 69% and 11%, stays two words).
 */
export const PHRASE_SHARE = 0.3;
export const PHRASE_SHARE_OF_COMMONER = 0.15;
/**
 * c-TF-IDF alone lets the commonest words of a language ("not", "one", "man") name every large
 * cluster: their count outweighs their small idf. A term must be at least this many times more
 * frequent in the cluster than over the whole library to name it (docs/benchmarks.md shows both).
 */
export const MIN_LIFT = 3;
/** In a cluster that holds much of the library the floor is lower: this share of the most lift any term could have there. */
export const LIFT_OF_MOST = 0.5;

/**
 * For each cluster 0..k-1 its most distinctive terms by class-based TF-IDF (Grootendorst 2022,
 * BERTopic's c-TF-IDF): all of a cluster's books read as one document, a term weighs
 *   (its count in the cluster / the cluster's words) * log(1 + A / f_t)
 * with A the mean words per cluster and f_t the term's count over all clusters. Terms less than
 * MIN_LIFT times as frequent in the cluster as in the whole library (the language's common
 * words, which c-TF-IDF alone lets through), terms that `keep` refuses (contractions, dialogue, numbers), that too few of the cluster's books use,
 * that one or two books hold nearly all of (TOP_BOOK_SHARE, TOP_TWO_SHARE), and proper nouns
 * not shared across the cluster (character names) are left out; two adjacent words that mostly
 * stand together and both rank high become one phrase (PHRASE_SHARE). Ties go to the term
 * first in code-point order, so the same books always get the same names.
 */
export function classTfidfTerms(books: readonly NamingBook[], labels: readonly number[], k: number, options: ClassTfidfOptions = {}): ClusterTerms[] {
  return classTfidfTermsFrom(sourceOfBooks(books), labels, k, options);
}

/**
 * What naming reads of its books, by term number (0 .. terms.length - 1): each book's term
 * counts, and for one cluster's best terms their pairs and surfaces. Naming reads the counts of
 * every book twice (the whole library's, then its cluster's) and the pairs once, book by book;
 * features/phrases.ts namingSourceOfTexts gives it from the books' texts scanned once.
 */
export interface NamingSource {
  /** Number of books. */
  count: number;
  /** Term of each number. */
  terms: readonly string[];
  /** Per term number, over all books: occurrences inside sentences, and how many were capitalised. */
  seen: ArrayLike<number>;
  capitalised: ArrayLike<number>;
  /** Calls add once for each term book j holds, with its count there. */
  eachTerm(j: number, add: (term: number, count: number) => void): void;
  /**
   * For book j, with rankOf[term] the term's place among its cluster's best terms (-1 for the
   * others): adds to pairs[a * width + b] the times best terms a and b (a != b) stood side by
   * side, and, when `surfaces` is given, to surfaces[a] the words best term a stood for.
   */
  addHeads(j: number, rankOf: Int32Array, width: number, pairs: Float64Array, surfaces: Map<string, number>[] | null): void;
}

/** classTfidfTerms over a NamingSource: the same terms, in the same order, as over the same books' NamingBooks. */
export function classTfidfTermsFrom(source: NamingSource, labels: readonly number[], k: number, options: ClassTfidfOptions = {}): ClusterTerms[] {
  const topN = options.topN ?? 8;
  validateLabels(source.count, labels, k, topN);
  const keep = options.keep ?? (() => true);
  const { terms } = source;
  const termCount = terms.length;
  const sizes = new Array<number>(k).fill(0);
  labels.forEach((label) => sizes[label]++);
  const members: number[][] = Array.from({ length: k }, () => []);
  labels.forEach((label, i) => members[label].push(i));

  // first reading: f_t over all books and each cluster's words
  const total = new Float64Array(termCount);
  const clusterWords = new Float64Array(k);
  for (let i = 0; i < source.count; i++) {
    const cluster = labels[i];
    let words = 0;
    source.eachTerm(i, (term, n) => {
      total[term] += n;
      words += n;
    });
    clusterWords[cluster] += words;
  }
  const allWords = clusterWords.reduce((a, b) => a + b, 0);
  const meanWords = allWords / k;
  const properNoun = (term: number) => {
    const seen = source.seen[term];
    return seen >= 3 && source.capitalised[term] >= PROPER_NOUN_SHARE * seen;
  };
  const sharedIn = (cluster: number) => {
    const n = sizes[cluster];
    const minBooks = Math.max(n >= 3 ? 2 : 1, Math.ceil((options.minShare ?? 0) * n));
    return (s: Spread, proper: boolean) => {
      if (s.books < minBooks) return false;
      if (proper) {
        // a name of a person or place names a cluster only when the cluster shares it
        if (n < 3 || s.books < Math.ceil(PROPER_MIN_BOOK_SHARE * n) || s.top1 > PROPER_TOP_BOOK_SHARE * s.count) return false;
      }
      if (n >= 3 && s.top1 > TOP_BOOK_SHARE * s.count) return false;
      if (n >= 4 && s.top1 + s.top2 > TOP_TWO_SHARE * s.count) return false;
      return true;
    };
  };
  const keepTerm = Uint8Array.from(terms, (term) => (keep(term) ? 1 : 0));

  // each cluster in turn: the spread of every term over its books (one set of arrays reused),
  // its best 2 x topN terms, then how often two of them stand side by side, and the words each stood for
  const spread = new SpreadTable(termCount);
  const rankOf = new Int32Array(termCount).fill(-1);
  return members.map((books, cluster) => {
    if (sizes[cluster] === 0 || clusterWords[cluster] === 0) return { terms: [], scores: [] };
    for (const i of books) source.eachTerm(i, (term, n) => spread.add(term, n));
    const shared = sharedIn(cluster);
    const weigh = (n: number, overall: number) => (n / clusterWords[cluster]) * Math.log(1 + meanWords / overall);
    const ranked: { term: string; id: number; score: number; count: number }[] = [];
    // a cluster holding a third of the library's words can be at most 3 times as frequent in anything
    const minLift = Math.min(options.minLift ?? MIN_LIFT, LIFT_OF_MOST * (allWords / clusterWords[cluster]));
    const lift = (n: number, overall: number) => (n / clusterWords[cluster]) / (overall / allWords);
    const held = new Spread();
    for (const id of spread.touched) {
      spread.read(id, held);
      if (!keepTerm[id] || lift(held.count, total[id]) < minLift || !shared(held, properNoun(id))) continue;
      ranked.push({ term: terms[id], id, score: weigh(held.count, total[id]), count: held.count });
    }
    spread.clear();
    ranked.sort((a, b) => b.score - a.score || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
    const head = ranked.slice(0, 2 * topN);
    if (head.length === 0) return { terms: [], scores: [] };
    return nameFromHead(source, books, head, shared, rankOf, topN);
  });
}

/** A cluster's name from its best 2 x topN terms: phrases among them, then the words they stood for. */
function nameFromHead(
  source: NamingSource,
  books: readonly number[],
  head: { term: string; id: number; score: number; count: number }[],
  shared: (s: Spread, proper: boolean) => boolean,
  rankOf: Int32Array,
  topN: number,
): ClusterTerms {
  const width = head.length;
  head.forEach((r, at) => (rankOf[r.id] = at));
  // pairs of best terms in the order a book first shows them, each book's in rank order, as a
  // Map of their "a b" keys would hold them (the order phrases of equal count are taken in)
  const pairSpread = Array.from({ length: width * width }, () => new Spread());
  const pairOrder: number[] = [];
  const counts = new Float64Array(width * width);
  const surfaces = head.map(() => new Map<string, number>());
  for (const i of books) {
    counts.fill(0);
    source.addHeads(i, rankOf, width, counts, surfaces);
    for (let p = 0; p < counts.length; p++) {
      const n = counts[p];
      if (n <= 0) continue;
      if (pairSpread[p].books === 0) pairOrder.push(p);
      pairSpread[p].add(n);
    }
  }
  head.forEach((r) => (rankOf[r.id] = -1));

  // phrases: two of the best terms that mostly stand side by side
  const phrases: { a: string; b: string; s: Spread }[] = [];
  for (const p of pairOrder) {
    const s = pairSpread[p];
    const [ra, rb] = [Math.floor(p / width), p % width];
    const [a, b] = [head[ra].term, head[rb].term];
    const [countA, countB] = [head[ra].count, head[rb].count];
    const often = s.count >= PHRASE_SHARE * Math.min(countA, countB) && s.count >= PHRASE_SHARE_OF_COMMONER * Math.max(countA, countB);
    if (often && shared(s, false)) phrases.push({ a, b, s });
  }
  phrases.sort((x, y) => y.s.count - x.s.count || (x.a + x.b < y.a + y.b ? -1 : 1));
  const rank = new Map(head.map((r, i) => [r.term, i]));
  const used = new Set<string>();
  const entries: { text: string[]; score: number; at: number }[] = [];
  for (const { a, b } of phrases) {
    if (used.has(a) || used.has(b)) continue;
    used.add(a);
    used.add(b);
    const at = Math.min(rank.get(a)!, rank.get(b)!);
    entries.push({ text: [a, b], score: head[at].score, at });
  }
  head.forEach((r, at) => {
    if (!used.has(r.term)) entries.push({ text: [r.term], score: r.score, at });
  });
  entries.sort((x, y) => x.at - y.at);
  const chosen = entries.slice(0, topN);
  const shown = (term: string) => mostUsed(surfaces[rank.get(term)!], term);
  return { terms: chosen.map((e) => e.text.map(shown).join(' ')), scores: chosen.map((e) => e.score) };
}

/** NamingBooks (Maps of strings) as a NamingSource: each term given a number in the order first met. */
function sourceOfBooks(books: readonly NamingBook[]): NamingSource {
  const numbers = new Map<string, number>();
  const terms: string[] = [];
  const numberOf = (term: string) => {
    let n = numbers.get(term);
    if (n === undefined) {
      n = terms.length;
      numbers.set(term, n);
      terms.push(term);
    }
    return n;
  };
  const bookTerms = books.map((book) => Array.from(book.terms, ([term, n]) => [numberOf(term), n] as const));
  const seen = new Float64Array(terms.length);
  const capitalised = new Float64Array(terms.length);
  for (const book of books) {
    for (const [term, s] of book.inner ?? []) {
      const n = numbers.get(term);
      // a word seen inside sentences but never counted cannot name a cluster
      if (n === undefined) continue;
      seen[n] += s.seen;
      capitalised[n] += s.capitalised;
    }
  }
  return {
    count: books.length,
    terms,
    seen,
    capitalised,
    eachTerm: (j, add) => {
      for (const [term, n] of bookTerms[j]) add(term, n);
    },
    addHeads: (j, rankOf, width, pairs, surfaces) => {
      const book = books[j];
      const head: string[] = [];
      for (const [term, n] of numbers) if (rankOf[n] >= 0) head[rankOf[n]] = term;
      if (book.pairs) {
        head.forEach((a, ra) => {
          const after = book.pairs!.get(a);
          if (!after) return;
          head.forEach((b, rb) => {
            const n = ra === rb ? undefined : after.get(b);
            if (n) pairs[ra * width + rb] += n;
          });
        });
      }
      if (surfaces && book.surface) {
        head.forEach((term, r) => {
          for (const [word, n] of book.surface!.get(term) ?? []) surfaces[r].set(word, (surfaces[r].get(word) ?? 0) + n);
        });
      }
    },
  };
}

/** How one term (or pair) spreads over a cluster's books. */
class Spread {
  /** Occurrences over the cluster's books. */
  count = 0;
  /** Books that use it. */
  books = 0;
  /** Occurrences in the book that uses it most, and in the next one. */
  top1 = 0;
  top2 = 0;

  /** Adds one book's count (above zero). */
  add(count: number): void {
    this.count += count;
    this.books++;
    if (count > this.top1) [this.top1, this.top2] = [count, this.top1];
    else if (count > this.top2) this.top2 = count;
  }
}

/**
 * Spreads of every term over one cluster's books, by term number, in arrays reused cluster
 * after cluster: each book's counts are summed first (a book may give a term in parts), then
 * added as that book's count.
 */
class SpreadTable {
  readonly touched: number[] = [];
  private readonly count: Float64Array;
  private readonly books: Int32Array;
  private readonly top1: Float64Array;
  private readonly top2: Float64Array;

  constructor(terms: number) {
    this.count = new Float64Array(terms);
    this.books = new Int32Array(terms);
    this.top1 = new Float64Array(terms);
    this.top2 = new Float64Array(terms);
  }

  /** Adds one book's count of a term (each term at most once a book). */
  add(term: number, count: number): void {
    if (count <= 0) return;
    if (this.books[term] === 0) {
      this.touched.push(term);
      this.count[term] = count;
      this.books[term] = 1;
      this.top1[term] = count;
      this.top2[term] = 0;
      return;
    }
    this.count[term] += count;
    this.books[term]++;
    if (count > this.top1[term]) {
      this.top2[term] = this.top1[term];
      this.top1[term] = count;
    } else if (count > this.top2[term]) this.top2[term] = count;
  }

  read(term: number, into: Spread): void {
    into.count = this.count[term];
    into.books = this.books[term];
    into.top1 = this.top1[term];
    into.top2 = this.top2[term];
  }

  clear(): void {
    for (const term of this.touched) this.books[term] = 0;
    this.touched.length = 0;
  }
}

/** The word a (stemmed) term most often stood for in these books; the term itself without them. */
function mostUsed(tally: ReadonlyMap<string, number> | undefined, term: string): string {
  let best = term;
  let bestCount = 0;
  for (const [word, count] of tally ?? []) {
    if (count > bestCount || (count === bestCount && word < best)) [best, bestCount] = [word, count];
  }
  return best;
}

function validateLabels(books: number, labels: readonly number[], k: number, topN: number): void {
  if (!Number.isInteger(k) || k < 1) {
    throw new ShelfmapError('invalid-argument', `The number of clusters must be a whole number of at least 1 (got ${k}).`);
  }
  if (!Number.isInteger(topN) || topN < 0) {
    throw new ShelfmapError('invalid-argument', `The number of terms per cluster must be a whole number (got ${topN}).`);
  }
  if (books !== labels.length) throw new ShelfmapError('invalid-argument', `There are ${books} books but ${labels.length} cluster labels.`);
  labels.forEach((label, i) => {
    if (!Number.isInteger(label) || label < 0 || label >= k) {
      throw new ShelfmapError('invalid-argument', `Book ${i} has cluster ${label}, outside 0..${k - 1}.`);
    }
  });
}
