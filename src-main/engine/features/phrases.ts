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
  /** First term -> second term -> times the two stood next to each other with nothing but spaces between. */
  pairs: Map<string, Map<string, number>>;
  /** Term -> occurrences not at the start of a sentence or line, and how many of those were capitalised. */
  inner: Map<string, { seen: number; capitalised: number }>;
  /** Term -> the lowercase words it stood for, with counts (only when stemming). */
  surface?: Map<string, Map<string, number>>;
}

// class 0: anything else (punctuation, digits, symbols)
const LETTER = 1;
const MARK = 2;
const SPACE = 3;
const NEWLINE = 4;
const SENTENCE_END = 5;

/** Class of every UTF-16 code unit (letters outside the Basic Multilingual Plane are rare in books and split words). */
let charClass: Uint8Array | null = null;
function classes(): Uint8Array {
  if (charClass) return charClass;
  const table = new Uint8Array(0x10000);
  const letter = /\p{L}/u;
  const mark = /\p{M}/u;
  const space = /\s/u;
  for (let code = 0; code < 0x10000; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue;
    const char = String.fromCharCode(code);
    if (letter.test(char)) table[code] = LETTER;
    else if (mark.test(char)) table[code] = MARK;
    else if (space.test(char)) table[code] = SPACE;
  }
  table[0x0a] = NEWLINE;
  table[0x0d] = NEWLINE;
  for (const end of '.!?') table[end.charCodeAt(0)] = SENTENCE_END;
  charClass = table;
  return table;
}

const APOSTROPHE = 0x27;
const RIGHT_SINGLE_QUOTE = 0x2019;
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
  const table = classes();
  const terms = new Map<string, number>();
  const pairs = new Map<string, Map<string, number>>();
  const inner = new Map<string, { seen: number; capitalised: number }>();
  const surface = options.stem ? new Map<string, Map<string, number>>() : undefined;
  // lowercasing the whole text at once is much faster; where it changes the length (a rare
  // letter such as U+0130), each word is lowercased alone
  const whole = text.toLowerCase();
  const lower = whole.length === text.length ? whole : null;
  const length = text.length;
  let previous: string | null = null;
  let sentenceStart = true;
  let i = 0;
  while (i < length) {
    const kind = table[text.charCodeAt(i)];
    if (kind !== LETTER) {
      if (kind === NEWLINE || kind === SENTENCE_END) sentenceStart = true;
      // punctuation, a digit or a symbol: no pair across it
      if (kind !== SPACE && kind !== NEWLINE) previous = null;
      i++;
      continue;
    }
    const start = i;
    for (;;) {
      while (i < length && (table[text.charCodeAt(i)] === LETTER || table[text.charCodeAt(i)] === MARK)) i++;
      const code = i < length ? text.charCodeAt(i) : 0;
      if ((code === APOSTROPHE || code === RIGHT_SINGLE_QUOTE) && i + 1 < length && table[text.charCodeAt(i + 1)] === LETTER) {
        i++;
        continue;
      }
      break;
    }
    const atStart = sentenceStart;
    sentenceStart = false;
    let word = lower ? lower.slice(start, i) : text.slice(start, i).toLowerCase();
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
      let seen = inner.get(term);
      if (!seen) inner.set(term, (seen = { seen: 0, capitalised: 0 }));
      seen.seen++;
      const first = text.charCodeAt(start);
      if (lower ? lower.charCodeAt(start) !== first : text[start].toLowerCase() !== text[start]) seen.capitalised++;
    }
    if (previous !== null) {
      let after = pairs.get(previous);
      if (!after) pairs.set(previous, (after = new Map<string, number>()));
      after.set(term, (after.get(term) ?? 0) + 1);
    }
    previous = term;
  }
  return surface ? { terms, pairs, inner, surface } : { terms, pairs, inner };
}
