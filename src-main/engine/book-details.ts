// The book panel (issue 8, part 2): one book of a finished run with the words that set it apart
// from the library, an excerpt from the start of its text, and its nearest books in the run's
// embedding. The pure parts (distinctiveBookTerms, bookExcerpt, nearestBooks) are tested alone;
// BookDetailsReader puts them together over the Store for the engine.
import type { BookDetailsResult, BookPoint, BookTextResult, DistinctiveTerm, RunSummary } from '../../src-shared/domain';
import { ShelfmapError } from '../../src-shared/errors';
import { cosineDistance } from './cluster/layout';
import { nameWorthy, PROPER_NOUN_SHARE } from './cluster/terms';
import { compareCodePoints, type TermCounts } from './features';
import { countBookWords } from './features/phrases';
import { documentKey } from './features/sample';
import { bodyFromDisk, bookWindows } from './book-text';
import { bookDocuments } from './pipeline';
import type { Store } from './store/store';

/** Terms the panel shows. */
export const DISTINCTIVE_TERMS = 12;
/** A term must occur this often in the book to set it apart (one slip of the typesetter does not). */
export const DISTINCTIVE_MIN_COUNT = 2;
/** Nearest books listed under "Similar books". */
export const SIMILAR_BOOKS = 10;
/** Paragraphs of the excerpt, and the most characters it holds. */
export const EXCERPT_PARAGRAPHS = 3;
export const EXCERPT_MAX_CHARS = 1200;
/** The most characters bookText returns (about 1 MB: the longest novels fit; the Bible does not). */
export const BOOK_TEXT_MAX_CHARS = 1_000_000;

/** What is read of a whole book (features.sampling null) to tell its names by their capitals: as cluster naming does. */
const CAPITALS_SAMPLES = { samples: 20, words: 1000 };

/** A book's term counts as the library's document frequencies see them. */
export interface LibraryTerms {
  /** Term -> books of the library that use it. */
  docFreq: ReadonlyMap<string, number>;
  /** Books counted. */
  docs: number;
}

export interface DistinctiveBookTermOptions {
  topN?: number;
  minCount?: number;
  /** Whether a term may set a book apart at all (default nameWorthy: no contraction, dialogue word or number). */
  keep?: (term: string) => boolean;
  /** A proper noun (a character's or a place's name): left out, as cluster naming leaves them out. */
  properNoun?: (term: string) => boolean;
  /** How to show a term (the word a stem most often stood for). */
  shown?: (term: string) => string;
}

/**
 * The terms that set one book apart from a library, best first: each term the book uses at
 * least `minCount` times weighs (its count / the book's tokens) * ln((1 + N) / (1 + df)), with N
 * the library's books and df those that use it (the book itself among them, or not: a term only
 * this book uses weighs most, one every book uses weighs 0). Terms `keep` refuses and proper
 * nouns are left out; ties go to the term first in code-point order.
 */
export function distinctiveBookTerms(counts: ReadonlyMap<string, number>, library: LibraryTerms, options: DistinctiveBookTermOptions = {}): DistinctiveTerm[] {
  const topN = options.topN ?? DISTINCTIVE_TERMS;
  const minCount = options.minCount ?? DISTINCTIVE_MIN_COUNT;
  const keep = options.keep ?? nameWorthy;
  let tokens = 0;
  for (const count of counts.values()) tokens += count;
  if (tokens === 0 || library.docs === 0) return [];
  const ranked: DistinctiveTerm[] = [];
  for (const [term, count] of counts) {
    if (count < minCount || !keep(term) || options.properNoun?.(term)) continue;
    const df = Math.min(library.docs, library.docFreq.get(term) ?? 0);
    const score = (count / tokens) * Math.log((1 + library.docs) / (1 + df));
    if (score > 0) ranked.push({ term, score });
  }
  ranked.sort((a, b) => b.score - a.score || compareCodePoints(a.term, b.term));
  return ranked.slice(0, topN).map((t) => ({ term: options.shown ? options.shown(t.term) : t.term, score: t.score }));
}

/** Document frequencies over these books' term counts (one map per book). */
export function libraryTerms(books: Iterable<ReadonlyMap<string, number>>): LibraryTerms {
  const docFreq = new Map<string, number>();
  let docs = 0;
  for (const counts of books) {
    docs++;
    for (const [term, count] of counts) if (count > 0) docFreq.set(term, (docFreq.get(term) ?? 0) + 1);
  }
  return { docFreq, docs };
}

/** One book's documents (its samples, when they are rows) as one set of counts. */
export function mergeCounts(docs: readonly TermCounts[]): TermCounts {
  if (docs.length === 1) return docs[0];
  const merged: TermCounts = new Map();
  for (const doc of docs) for (const [term, count] of doc) merged.set(term, (merged.get(term) ?? 0) + count);
  return merged;
}

const FRONT_MATTER = /^(produced by|transcriber|transcribed by|e-?text prepared|this e-?book|prepared by|scanned by|updated editions|illustrated by|copyright|all rights reserved|\[illustration)/i;

/** Whether a paragraph reads as prose: words enough, mostly lower case, not a credit line, not a list of short lines. */
function isProse(lines: string[], text: string): boolean {
  const words = text.split(' ').length;
  if (words < 20 || FRONT_MATTER.test(text)) return false;
  const letters = text.replace(/[^\p{L}]/gu, '');
  const upper = letters.replace(/[^\p{Lu}]/gu, '').length;
  if (letters.length === 0 || upper > 0.5 * letters.length) return false;
  // a table of contents or an index: many short lines
  const meanLine = lines.reduce((sum, l) => sum + l.length, 0) / lines.length;
  return lines.length < 4 || meanLine >= 30;
}

/**
 * A few paragraphs from the start of a book's body (the Gutenberg header already cut): the first
 * EXCERPT_PARAGRAPHS that read as prose, past title pages, credits and contents, each with its
 * line breaks undone, EXCERPT_MAX_CHARS in all (the last cut at a word, with "…"). A body with no
 * prose near its start (verse, a dictionary) gives its first paragraphs as they are.
 */
export function bookExcerpt(body: string, paragraphs = EXCERPT_PARAGRAPHS, maxChars = EXCERPT_MAX_CHARS): string[] {
  const blocks = body
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t\u00a0]*\n/)
    .slice(0, 600)
    .map((block) => {
      const lines = block.split('\n').map((l) => l.trim()).filter((l) => l !== '');
      return { lines, text: lines.join(' ').replace(/\s+/g, ' ') };
    })
    .filter((b) => b.text !== '');
  let chosen = blocks.filter((b) => isProse(b.lines, b.text)).slice(0, paragraphs);
  if (chosen.length === 0) chosen = blocks.slice(0, paragraphs);
  const excerpt: string[] = [];
  let left = maxChars;
  for (const { text } of chosen) {
    if (left <= 0) break;
    if ([...text].length <= left) {
      excerpt.push(text);
      left -= [...text].length;
      continue;
    }
    const cut = [...text].slice(0, left).join('');
    const atWord = cut.replace(/\s+\S*$/, '');
    excerpt.push(`${atWord.length > 0 ? atWord : cut}…`);
    break;
  }
  return excerpt;
}

/** The `n` books nearest `target` by cosine distance (nearest first, ties by book id), leaving out `exceptId`. */
export function nearestBooks(target: ArrayLike<number>, embeddings: ReadonlyMap<number, ArrayLike<number>>, exceptId: number, n = SIMILAR_BOOKS): { bookId: number; distance: number }[] {
  const from = Array.from(target);
  const near: { bookId: number; distance: number }[] = [];
  for (const [bookId, embedding] of embeddings) {
    if (bookId === exceptId) continue;
    near.push({ bookId, distance: cosineDistance(from, Array.from(embedding)) });
  }
  near.sort((a, b) => a.distance - b.distance || a.bookId - b.bookId);
  return near.slice(0, n);
}

/** A text cut to at most `max` characters without splitting a surrogate pair. */
export function capText(text: string, max = BOOK_TEXT_MAX_CHARS): { text: string; capped: boolean } {
  if (text.length <= max) return { text, capped: false };
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return { text: text.slice(0, end), capped: true };
}

/** The book panel's data over a Store; keeps one run's document frequencies between calls. */
export class BookDetailsReader {
  private library: { runId: number; terms: LibraryTerms } | null = null;

  constructor(private readonly store: Store) {}

  details(runId: number, bookId: number): BookDetailsResult {
    const run = this.store.getRun(runId);
    if (run.status !== 'done') {
      throw new ShelfmapError('not-found', `Run ${runId} has no map to show books of (it ${run.status === 'running' ? 'is still going' : run.status}).`);
    }
    const points = this.store.runPoints(runId);
    const point = points.find((p) => p.bookId === bookId);
    const book = this.store.book(bookId);
    if (!point) {
      throw new ShelfmapError('not-found', book ? `"${book.title}" (book ${bookId}) is not in run ${runId}.` : `There is no book ${bookId} in run ${runId}.`);
    }
    if (!book) {
      throw new ShelfmapError('not-found', `"${point.title}" (book ${bookId}) is no longer in the library: it was removed after run ${runId} was made, which keeps its place on the map.`);
    }
    const cluster = this.store.runClusters(runId).find((c) => c.id === point.cluster);
    // the excerpt is read from the book's file (the library keeps only samples): when the file
    // is gone or holds other text now, the panel says so instead of showing other text
    let excerpt: string[] = [];
    let excerptNote: string | undefined;
    try {
      excerpt = bookExcerpt(bodyFromDisk(this.store, bookId));
    } catch (error) {
      if (!(error instanceof ShelfmapError)) throw error;
      excerptNote = error.message;
    }
    return {
      runId,
      book,
      cluster: point.cluster,
      clusterLabel: cluster?.label ?? `Cluster ${point.cluster}`,
      placed: point.placed === true,
      distinctiveTerms: this.distinctive(run, points, book.id),
      excerpt,
      ...(excerptNote ? { excerptNote } : {}),
      ...this.similar(runId, point, points),
    };
  }

  text(bookId: number): BookTextResult {
    const book = this.store.book(bookId);
    if (!book) throw new ShelfmapError('not-found', `There is no book ${bookId} in the library.`);
    const body = bodyFromDisk(this.store, bookId);
    return { bookId, title: book.title, ...capText(body), totalChars: body.length };
  }

  /** The book's own terms (its cached counts under the run's features) against the run's books' document frequencies. */
  private distinctive(run: RunSummary, points: BookPoint[], bookId: number): DistinctiveTerm[] {
    const features = run.settings.features;
    const key = documentKey(features);
    const counts = mergeCounts(bookDocuments(this.store, this.store.book(bookId)!, features, key));
    const library = this.libraryOf(run, points, key);
    // capitals inside sentences tell names from words, as cluster naming reads them
    // from the samples the library keeps (or, for another plan, the file read again; without it, no names are told apart)
    const windows = (() => {
      try {
        return bookWindows(this.store, bookId, features.sampling ?? CAPITALS_SAMPLES);
      } catch (error) {
        if (error instanceof ShelfmapError) return [];
        throw error;
      }
    })();
    const words = countBookWords(windows.join('\n'), features);
    const properNoun = (term: string) => {
      const seen = words.inner.get(term);
      return seen !== undefined && seen.seen >= 3 && seen.capitalised >= PROPER_NOUN_SHARE * seen.seen;
    };
    const shown = (term: string) => {
      let best = term;
      let bestCount = 0;
      for (const [word, count] of words.surface?.get(term) ?? []) if (count > bestCount) [best, bestCount] = [word, count];
      return best;
    };
    return distinctiveBookTerms(counts, library, { properNoun, shown });
  }

  /** Document frequencies over the run's own books still in the library (kept for the last run asked). */
  private libraryOf(run: RunSummary, points: BookPoint[], key: string): LibraryTerms {
    if (this.library?.runId === run.id) return this.library.terms;
    const own = points.filter((p) => !p.placed);
    const counts = function* (store: Store) {
      for (const p of own) {
        const book = store.book(p.bookId);
        if (book) yield mergeCounts(bookDocuments(store, book, run.settings.features, key));
      }
    };
    const terms = libraryTerms(counts(this.store));
    this.library = { runId: run.id, terms };
    return terms;
  }

  private similar(runId: number, point: BookPoint, points: BookPoint[]): Pick<BookDetailsResult, 'similar' | 'similarNote'> {
    const placement = this.store.runPlacement(runId);
    if (!placement || placement.embeddings.size === 0) {
      return { similar: [], similarNote: `Run ${runId} was made before Shelfmap kept each book's embedding: make a new map to see similar books.` };
    }
    const target = placement.embeddings.get(point.bookId);
    if (!target) {
      return {
        similar: [],
        similarNote: point.placed
          ? 'This book was placed on the run after it was made: its embedding is not kept, so its nearest books are not known.'
          : `Run ${runId} kept no embedding for this book.`,
      };
    }
    const byId = new Map(points.map((p) => [p.bookId, p]));
    const similar = nearestBooks(target, placement.embeddings, point.bookId, SIMILAR_BOOKS + 1)
      .filter((n) => byId.has(n.bookId))
      .slice(0, SIMILAR_BOOKS)
      .map(({ bookId, distance }) => {
        const p = byId.get(bookId)!;
        return { bookId, title: p.title, author: p.author, cluster: p.cluster, distance };
      });
    return { similar, similarNote: null };
  }
}
