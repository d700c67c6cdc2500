// What naming a cluster needs from a book's words beyond its TF-IDF row: how often each word
// occurs, how often each pair of adjacent words occurs ("sea captain"), and how often a word is
// written with a capital inside a sentence (a proper noun: a hero's name, a town). One pass over
// the text the features read (the book's samples), so naming stays fast on a large library.
// Stop words are always left out here, whatever the run's features do: "the" names nothing.
import porterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import { words as englishStopWords } from 'natural/lib/natural/util/stopwords.js';
import type { TokenizeOptions } from './tokenize';

const STOP_WORDS: ReadonlySet<string> = new Set(englishStopWords);

export interface BookWords {
  /** Term (stemmed when the run stems) -> occurrences. Stop words and one-letter words left out, as in countTerms. */
  terms: Map<string, number>;
  /** "a b" (two terms, each as in `terms`) -> times the two stood next to each other, with nothing but spaces between. */
  pairs: Map<string, number>;
  /** Term -> occurrences not at the start of a sentence or line, and how many of those were capitalised. */
  inner: Map<string, { seen: number; capitalised: number }>;
  /** Term -> the lowercase words it stood for, with counts (only when stemming). */
  surface?: Map<string, Map<string, number>>;
}

// A word (letters and marks, apostrophes between letters) or one other visible character.
const TOKEN = /[\p{L}][\p{L}\p{M}]*(?:['\u2019][\p{L}][\p{L}\p{M}]*)*|[^\s\p{L}\p{M}]/gu;
const SENTENCE_END = new Set(['.', '!', '?']);
const stemCache = new Map<string, string>();

function stemOf(word: string): string {
  let stem = stemCache.get(word);
  if (stem === undefined) {
    stem = porterStemmer.stem(word);
    if (stemCache.size > 500_000) stemCache.clear();
    stemCache.set(word, stem);
  }
  return stem;
}

/** Counts the words, adjacent pairs and inner capitals of one text (see BookWords). */
export function countBookWords(text: string, options: Pick<TokenizeOptions, 'stem'>): BookWords {
  const terms = new Map<string, number>();
  const pairs = new Map<string, number>();
  const inner = new Map<string, { seen: number; capitalised: number }>();
  const surface = options.stem ? new Map<string, Map<string, number>>() : undefined;
  let previous: string | null = null;
  let sentenceStart = true;
  let lastEnd = 0;
  let nextNewline = text.indexOf('\n');
  for (const match of text.matchAll(TOKEN)) {
    const token = match[0];
    const at = match.index;
    // a line break before this token: verse and headings start lines with capitals
    if (nextNewline !== -1 && nextNewline < at) {
      if (nextNewline >= lastEnd) sentenceStart = true;
      nextNewline = text.indexOf('\n', at);
    }
    lastEnd = at + token.length;
    const first = token.codePointAt(0)!;
    if (!(first > 0x40 && /\p{L}/u.test(String.fromCodePoint(first)))) {
      // punctuation, a digit or a symbol: no pair across it
      previous = null;
      if (SENTENCE_END.has(token)) sentenceStart = true;
      continue;
    }
    const atStart = sentenceStart;
    sentenceStart = false;
    let word = token.toLowerCase();
    if (/[^a-z']/.test(word)) word = word.replaceAll('\u2019', "'").normalize('NFC');
    if (word.endsWith("'s")) word = word.slice(0, -2);
    if (word.length < 2 || STOP_WORDS.has(word)) {
      previous = null;
      continue;
    }
    const term = options.stem ? stemOf(word) : word;
    terms.set(term, (terms.get(term) ?? 0) + 1);
    if (surface) {
      const forms = surface.get(term) ?? new Map<string, number>();
      forms.set(word, (forms.get(word) ?? 0) + 1);
      surface.set(term, forms);
    }
    if (!atStart) {
      const seen = inner.get(term) ?? { seen: 0, capitalised: 0 };
      seen.seen++;
      if (token[0] !== token[0].toLowerCase()) seen.capitalised++;
      inner.set(term, seen);
    }
    if (previous !== null) {
      const pair = `${previous} ${term}`;
      pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
    }
    previous = term;
  }
  return surface ? { terms, pairs, inner, surface } : { terms, pairs, inner };
}
