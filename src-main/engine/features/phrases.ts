// What naming a cluster needs from a book's words beyond its TF-IDF row: how often each word
// occurs, how often each pair of adjacent words occurs ("sea captain"), and how often a word is
// written with a capital inside a sentence (a proper noun: a hero's name, a town). One pass over
// the text the features read (the book's samples), so naming stays fast on a large library.
// Stop words are always left out here, whatever the run's features do: "the" names nothing.
import porterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import { words as englishStopWords } from 'natural/lib/natural/util/stopwords.js';
import type { TokenizeOptions } from './tokenize';
import type { NamingSource } from '../cluster/terms';

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

/**
 * The scan both countBookWords and readNamingTexts make of a text: `word` for each word (the
 * text's letters lowercased, not yet normalised: see normalWord), with whether it starts a
 * sentence or line and whether it was written with a capital; `pairBreak` where anything but
 * spaces and line ends stands between two words (punctuation, a digit, a symbol), so no pair
 * spans it.
 */
function scanWords(text: string, word: (lowered: string, atStart: boolean, capitalised: boolean) => void, pairBreak: () => void): void {
  const table = classes();
  // lowercasing the whole text at once is much faster; where it changes the length (a rare
  // letter such as U+0130), each word is lowercased alone
  const whole = text.toLowerCase();
  const lower = whole.length === text.length ? whole : null;
  const length = text.length;
  let sentenceStart = true;
  let i = 0;
  while (i < length) {
    const kind = table[text.charCodeAt(i)];
    if (kind !== LETTER) {
      if (kind === NEWLINE || kind === SENTENCE_END) sentenceStart = true;
      // punctuation, a digit or a symbol: no pair across it
      if (kind !== SPACE && kind !== NEWLINE) pairBreak();
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
    const first = text.charCodeAt(start);
    const capitalised = lower ? lower.charCodeAt(start) !== first : text[start].toLowerCase() !== text[start];
    word(lower ? lower.slice(start, i) : text.slice(start, i).toLowerCase(), atStart, capitalised);
  }
}

/** A lowercased word as naming counts it: curly apostrophes straight, NFC, a possessive "'s" cut. */
function normalWord(lowered: string): string {
  let word = lowered;
  if (/[^a-z']/.test(word)) word = word.replaceAll('\u2019', "'").normalize('NFC');
  if (word.endsWith("'s")) word = word.slice(0, -2);
  return word;
}

/** Whether naming leaves a (normalised) word out: a stop word or a one-letter word. */
function leftOut(word: string): boolean {
  return word.length < 2 || STOP_WORDS.has(word);
}

/** Counts the words, adjacent pairs and inner capitals of one text (see BookWords). */
export function countBookWords(text: string, options: Pick<TokenizeOptions, 'stem'>): BookWords {
  const terms = new Map<string, number>();
  const pairs = new Map<string, Map<string, number>>();
  const inner = new Map<string, { seen: number; capitalised: number }>();
  const surface = options.stem ? new Map<string, Map<string, number>>() : undefined;
  let previous: string | null = null;
  scanWords(
    text,
    (lowered, atStart, capitalised) => {
      const word = normalWord(lowered);
      if (leftOut(word)) {
        previous = null;
        return;
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
        if (capitalised) seen.capitalised++;
      }
      if (previous !== null) {
        let after = pairs.get(previous);
        if (!after) pairs.set(previous, (after = new Map<string, number>()));
        after.set(term, (after.get(term) ?? 0) + 1);
      }
      previous = term;
    },
    () => (previous = null),
  );
  return surface ? { terms, pairs, inner, surface } : { terms, pairs, inner };
}

/**
 * The words of the books naming reads, each text scanned once (readNamingTexts): every word
 * becomes a number (the same word always the same one) and each book its sequence of word
 * numbers, BREAK where no pair can span (a stop word, punctuation), so naming's two readings
 * (cluster/terms.ts classTfidfTermsFrom) go over small arrays of numbers instead of counting the
 * text twice into Maps of strings. The same counts as countBookWords gives, book by book.
 */
export interface NamingTexts {
  /** Term (stemmed when the run stems) of each term number. */
  terms: string[];
  /** Word (lowercase, as written) of each word number, and its term's number. */
  words: string[];
  termOfWord: Int32Array;
  /** Per term number, over all books: occurrences inside sentences, and how many were capitalised. */
  seen: Float64Array;
  capitalised: Float64Array;
  /** Each book's word numbers in order, BREAK between words no pair joins. */
  sequences: Int32Array[];
  /** Whether surfaces (the words each term stood for) mean anything: only when stemming. */
  stem: boolean;
}

export const BREAK = -1;

/**
 * The words naming has met, by their lowercased letters as scanned: an open-addressing hash table
 * over the text's own characters, so a word already met costs no new string and no Map lookup
 * (those were most of naming's time: 10 million words for 1,000 books). Each slot keeps its
 * word's hash, where its characters start in `chars`, how many, and its word number (or BREAK)
 * side by side in one Int32Array, so a lookup reads one place in memory, not five arrays.
 */
class ScannedWords {
  /** Per slot: hash, start, length (-1: empty), number. */
  private slots = new Int32Array(4 << 17).fill(-1);
  private count = 0;
  private chars = new Uint16Array(1 << 18);
  private used = 0;

  /** The word number (or BREAK) of source[from, to), whose hashOf is `hash`, or MISSING. */
  numberOf(source: string, from: number, to: number, hash: number): number {
    const slots = this.slots;
    const mask = (slots.length >> 2) - 1;
    const length = to - from;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const at = slot << 2;
      const held = slots[at + 2];
      if (held < 0) return MISSING;
      if (slots[at] !== hash || held !== length) continue;
      const start = slots[at + 1];
      let same = true;
      for (let c = 0; c < length; c++) {
        if (this.chars[start + c] !== source.charCodeAt(from + c)) {
          same = false;
          break;
        }
      }
      if (same) return slots[at + 3];
    }
  }

  /** Adds source[from, to) (not there yet, its hashOf `hash`) with its word number. */
  add(source: string, from: number, to: number, hash: number, number: number): void {
    const length = to - from;
    if (this.used + length > this.chars.length) {
      const larger = new Uint16Array(2 * Math.max(this.chars.length, this.used + length));
      larger.set(this.chars);
      this.chars = larger;
    }
    for (let c = 0; c < length; c++) this.chars[this.used + c] = source.charCodeAt(from + c);
    ScannedWords.place(this.slots, hash, this.used, length, number);
    this.used += length;
    if (2 * ++this.count > this.slots.length >> 2) this.grow();
  }

  private static place(slots: Int32Array, hash: number, start: number, length: number, number: number): void {
    const mask = (slots.length >> 2) - 1;
    let slot = hash & mask;
    while (slots[(slot << 2) + 2] >= 0) slot = (slot + 1) & mask;
    const at = slot << 2;
    slots[at] = hash;
    slots[at + 1] = start;
    slots[at + 2] = length;
    slots[at + 3] = number;
  }

  private grow(): void {
    const old = this.slots;
    const slots = new Int32Array(2 * old.length).fill(-1);
    for (let at = 0; at < old.length; at += 4) if (old[at + 2] >= 0) ScannedWords.place(slots, old[at], old[at + 1], old[at + 2], old[at + 3]);
    this.slots = slots;
  }
}

/** ScannedWords.numberOf's answer for a word not met yet. */
const MISSING = -2;

/** FNV-1a over UTF-16 code units. */
function hashOf(source: string, from: number, to: number): number {
  let hash = 0x811c9dc5 | 0;
  for (let c = from; c < to; c++) hash = Math.imul(hash ^ source.charCodeAt(c), 16777619);
  return hash;
}

/**
 * Scans each text once into NamingTexts; `textOf(j)` gives book j's text (its samples joined
 * by line ends). The scan is countBookWords' (scanWords), written out here with the words
 * looked up in a ScannedWords table; naming-same.test.ts holds both to the same counts.
 */
export function readNamingTexts(count: number, textOf: (j: number) => string, options: Pick<TokenizeOptions, 'stem'>): NamingTexts {
  const stem = options.stem;
  const table = classes();
  const scanned = new ScannedWords();
  const numberOfWord = new Map<string, number>();
  const numberOfTerm = new Map<string, number>();
  const terms: string[] = [];
  const words: string[] = [];
  const termOfWord: number[] = [];
  const seen: number[] = [];
  const capitalised: number[] = [];
  const sequences: Int32Array[] = [];
  /** The word number of a word naming has not met in this form yet, or BREAK for one it leaves out. */
  const numberOf = (lowered: string): number => {
    const word = normalWord(lowered);
    if (leftOut(word)) return BREAK;
    let number = numberOfWord.get(word);
    if (number === undefined) {
      const term = stem ? stemOf(word) : word;
      let t = numberOfTerm.get(term);
      if (t === undefined) {
        t = terms.length;
        numberOfTerm.set(term, t);
        terms.push(term);
        seen.push(0);
        capitalised.push(0);
      }
      number = words.length;
      numberOfWord.set(word, number);
      words.push(word);
      termOfWord.push(t);
    }
    return number;
  };
  let buffer = new Int32Array(1 << 16);
  for (let j = 0; j < count; j++) {
    const text = textOf(j);
    const whole = text.toLowerCase();
    const lower = whole.length === text.length ? whole : null;
    const length = text.length;
    // a word's number per scanned word, BREAK between words no pair joins; at most one a character
    if (buffer.length < length) buffer = new Int32Array(length);
    // the lowercased text holds every character's class where it is as long as the text (see
    // naming-same.test.ts), so the scan reads it alone; else the text, each word lowercased alone
    const scan = lower ?? text;
    let held = 0;
    let sentenceStart = true;
    let i = 0;
    while (i < length) {
      const kind = table[scan.charCodeAt(i)];
      if (kind !== LETTER) {
        if (kind === NEWLINE || kind === SENTENCE_END) sentenceStart = true;
        // punctuation, a digit or a symbol: no pair across it
        if (kind !== SPACE && kind !== NEWLINE && held > 0 && buffer[held - 1] !== BREAK) buffer[held++] = BREAK;
        i++;
        continue;
      }
      const start = i;
      // the word's hashOf, over its letters as scanned
      let hash = 0x811c9dc5 | 0;
      for (;;) {
        let code = 0;
        while (i < length) {
          code = scan.charCodeAt(i);
          const letter = table[code];
          if (letter !== LETTER && letter !== MARK) break;
          hash = Math.imul(hash ^ code, 16777619);
          i++;
        }
        if (i >= length) break;
        if ((code === APOSTROPHE || code === RIGHT_SINGLE_QUOTE) && i + 1 < length && table[scan.charCodeAt(i + 1)] === LETTER) {
          hash = Math.imul(hash ^ code, 16777619);
          i++;
          continue;
        }
        break;
      }
      const atStart = sentenceStart;
      sentenceStart = false;
      let number: number;
      if (lower) {
        number = scanned.numberOf(lower, start, i, hash);
        if (number === MISSING) scanned.add(lower, start, i, hash, (number = numberOf(lower.slice(start, i))));
      } else {
        const lowered = text.slice(start, i).toLowerCase();
        const loweredHash = hashOf(lowered, 0, lowered.length);
        number = scanned.numberOf(lowered, 0, lowered.length, loweredHash);
        if (number === MISSING) scanned.add(lowered, 0, lowered.length, loweredHash, (number = numberOf(lowered)));
      }
      if (number === BREAK) {
        if (held > 0 && buffer[held - 1] !== BREAK) buffer[held++] = BREAK;
        continue;
      }
      buffer[held++] = number;
      if (!atStart) {
        const t = termOfWord[number];
        seen[t]++;
        const first = text.charCodeAt(start);
        if (lower ? lower.charCodeAt(start) !== first : text[start].toLowerCase() !== text[start]) capitalised[t]++;
      }
    }
    sequences.push(buffer.slice(0, held));
  }
  return {
    terms,
    words,
    termOfWord: Int32Array.from(termOfWord),
    seen: Float64Array.from(seen),
    capitalised: Float64Array.from(capitalised),
    sequences,
    stem,
  };
}

/** NamingTexts as naming's NamingSource (cluster/terms.ts classTfidfTermsFrom). */
export function namingSourceOfTexts(texts: NamingTexts): NamingSource {
  const { terms, words, termOfWord, sequences } = texts;
  // scratch, by term and by word number, cleared after each book
  const termCounts = new Float64Array(terms.length);
  const wordCounts = new Float64Array(words.length);
  const touched: number[] = [];
  // each book's terms and counts as eachTerm first gave them, [term, count, term, count...]:
  // naming reads every book twice (classTfidfTermsFrom), and the second reading replays the
  // first instead of counting the book's words again (about 20 KB a book)
  const counted: (Int32Array | undefined)[] = new Array(sequences.length);
  return {
    count: sequences.length,
    terms,
    seen: texts.seen,
    capitalised: texts.capitalised,
    eachTerm: (j, add) => {
      let pairs = counted[j];
      if (!pairs) {
        for (const word of sequences[j]) {
          if (word === BREAK) continue;
          const term = termOfWord[word];
          if (termCounts[term]++ === 0) touched.push(term);
        }
        pairs = new Int32Array(2 * touched.length);
        touched.forEach((term, at) => {
          pairs![2 * at] = term;
          pairs![2 * at + 1] = termCounts[term];
          termCounts[term] = 0;
        });
        touched.length = 0;
        counted[j] = pairs;
      }
      for (let at = 0; at < pairs.length; at += 2) add(pairs[at], pairs[at + 1]);
    },
    addHeads: (j, rankOf, width, pairs, surfaces) => {
      const tally = surfaces && texts.stem ? surfaces : null;
      let previous = -1;
      for (const word of sequences[j]) {
        if (word === BREAK) {
          previous = -1;
          continue;
        }
        const rank = rankOf[termOfWord[word]];
        if (previous >= 0 && rank >= 0 && previous !== rank) pairs[previous * width + rank]++;
        previous = rank;
        if (tally && rank >= 0 && wordCounts[word]++ === 0) touched.push(word);
      }
      if (!tally) return;
      for (const word of touched) {
        const forms = tally[rankOf[termOfWord[word]]];
        forms.set(words[word], (forms.get(words[word]) ?? 0) + wordCounts[word]);
        wordCounts[word] = 0;
      }
      touched.length = 0;
    },
  };
}
