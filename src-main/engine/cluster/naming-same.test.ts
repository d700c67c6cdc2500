// Naming's fast path (features/phrases.ts readNamingTexts + namingSourceOfTexts, cluster/terms.ts
// classTfidfTermsFrom) against the code it replaced, kept here verbatim as the reference
// (countBookWords and classTfidfTermsOf as of db9ef41): the same terms, phrases, surfaces and
// scores, in the same order, on generated text and on the corpus, stemmed and not.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import porterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import { words as englishStopWords } from 'natural/lib/natural/util/stopwords.js';
import { parseCsv } from '../../../src-shared/csv';
import { countBookWords, namingSourceOfTexts, readNamingTexts } from '../features/phrases';
import { mulberry32 } from './random';
import {
  classTfidfTerms,
  classTfidfTermsFrom,
  nameWorthy,
  LIFT_OF_MOST,
  MIN_LIFT,
  PHRASE_SHARE,
  PHRASE_SHARE_OF_COMMONER,
  PROPER_MIN_BOOK_SHARE,
  PROPER_NOUN_SHARE,
  PROPER_TOP_BOOK_SHARE,
  TOP_BOOK_SHARE,
  TOP_TWO_SHARE,
  type ClassTfidfOptions,
  type ClusterTerms,
  type NamingBook,
} from './terms';

const STOP_WORDS: ReadonlySet<string> = new Set(englishStopWords);

interface ReferenceWords {
  terms: Map<string, number>;
  pairs: Map<string, Map<string, number>>;
  inner: Map<string, { seen: number; capitalised: number }>;
  surface?: Map<string, Map<string, number>>;
}

// ---- the reference: the code as it was ----------------------------------------------------

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
function referenceCountBookWords(text: string, options: { stem: boolean }): ReferenceWords {
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

function referenceClassTfidfTermsOf(eachBook: (visit: (book: NamingBook, index: number) => void) => void, count: number, labels: readonly number[], k: number, options: ClassTfidfOptions = {}): ClusterTerms[] {
  const topN = options.topN ?? 8;
  void count;
  const keep = options.keep ?? (() => true);
  const sizes = new Array<number>(k).fill(0);
  labels.forEach((label) => sizes[label]++);

  // first reading: f_t over all books, how each term is written inside sentences, and each
  // cluster's spread of every term over its books
  const total = new Map<string, number>();
  const capitals = new Map<string, { seen: number; capitalised: number }>();
  const clusterWords = new Float64Array(k);
  const spreads = Array.from({ length: k }, () => new Map<string, Spread>());
  eachBook((book, i) => {
    const cluster = labels[i];
    for (const [term, n] of book.terms) {
      total.set(term, (total.get(term) ?? 0) + n);
      clusterWords[cluster] += n;
    }
    addToSpread(spreads[cluster], book.terms);
    for (const [term, seen] of book.inner ?? []) {
      const sum = capitals.get(term) ?? { seen: 0, capitalised: 0 };
      sum.seen += seen.seen;
      sum.capitalised += seen.capitalised;
      capitals.set(term, sum);
    }
  });
  const allWords = clusterWords.reduce((a, b) => a + b, 0);
  const meanWords = allWords / k;
  const properNoun = (term: string) => {
    const c = capitals.get(term);
    return c !== undefined && c.seen >= 3 && c.capitalised >= PROPER_NOUN_SHARE * c.seen;
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

  const heads = spreads.map((spread, cluster) => {
    if (sizes[cluster] === 0 || clusterWords[cluster] === 0) return [];
    const shared = sharedIn(cluster);
    const weigh = (n: number, overall: number) => (n / clusterWords[cluster]) * Math.log(1 + meanWords / overall);
    const ranked: { term: string; score: number; count: number }[] = [];
    // a cluster holding a third of the library's words can be at most 3 times as frequent in anything
    const minLift = Math.min(options.minLift ?? MIN_LIFT, LIFT_OF_MOST * (allWords / clusterWords[cluster]));
    const lift = (n: number, overall: number) => (n / clusterWords[cluster]) / (overall / allWords);
    for (const [term, s] of spread) {
      if (!keep(term) || lift(s.count, total.get(term)!) < minLift || !shared(s, properNoun(term))) continue;
      ranked.push({ term, score: weigh(s.count, total.get(term)!), count: s.count });
    }
    ranked.sort((a, b) => b.score - a.score || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
    return ranked.slice(0, 2 * topN);
  });
  spreads.length = 0; // the first reading's spreads are done with: let them go before the second

  // second reading: how often two of a cluster's best terms stand side by side, and the words
  // each best term stood for
  const pairSpreads = Array.from({ length: k }, () => new Map<string, Spread>());
  const surfaces = heads.map((head) => new Map(head.map((r) => [r.term, new Map<string, number>()])));
  eachBook((book, i) => {
    const cluster = labels[i];
    const head = heads[cluster];
    if (head.length === 0) return;
    if (book.pairs) {
      const counts = new Map<string, number>();
      for (const a of head) {
        const after = book.pairs.get(a.term);
        if (!after) continue;
        for (const b of head) {
          const n = a.term === b.term ? undefined : after.get(b.term);
          if (n) counts.set(`${a.term} ${b.term}`, n);
        }
      }
      addToSpread(pairSpreads[cluster], counts);
    }
    for (const [term, tally] of surfaces[cluster]) {
      for (const [word, n] of book.surface?.get(term) ?? []) tally.set(word, (tally.get(word) ?? 0) + n);
    }
  });

  return heads.map((head, cluster) => {
    if (head.length === 0) return { terms: [], scores: [] };
    const shared = sharedIn(cluster);
    // phrases: two of the best terms that mostly stand side by side
    const rank = new Map(head.map((r, i) => [r.term, i]));
    const phrases: { a: string; b: string; s: Spread }[] = [];
    for (const [pair, s] of pairSpreads[cluster]) {
      const [a, b] = pair.split(' ');
      const [countA, countB] = [head[rank.get(a)!].count, head[rank.get(b)!].count];
      const often = s.count >= PHRASE_SHARE * Math.min(countA, countB) && s.count >= PHRASE_SHARE_OF_COMMONER * Math.max(countA, countB);
      if (often && shared(s, false)) phrases.push({ a, b, s });
    }
    phrases.sort((x, y) => y.s.count - x.s.count || (x.a + x.b < y.a + y.b ? -1 : 1));
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
    const shown = (term: string) => mostUsed(surfaces[cluster].get(term), term);
    return { terms: chosen.map((e) => e.text.map(shown).join(' ')), scores: chosen.map((e) => e.score) };
  });
}

interface Spread {
  /** Occurrences over the cluster's books. */
  count: number;
  /** Books that use it. */
  books: number;
  /** Occurrences in the book that uses it most, and in the next one. */
  top1: number;
  top2: number;
}

/** Adds one book's counts to a cluster's spread of each term over its books. */
function addToSpread(spread: Map<string, Spread>, counts: ReadonlyMap<string, number>): void {
  for (const [term, count] of counts) {
    if (count <= 0) continue;
    const s = spread.get(term);
    if (!s) {
      spread.set(term, { count, books: 1, top1: count, top2: 0 });
      continue;
    }
    s.count += count;
    s.books++;
    if (count > s.top1) [s.top1, s.top2] = [count, s.top1];
    else if (count > s.top2) s.top2 = count;
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


// ---- the comparison -----------------------------------------------------------------------

function fastWay(texts: string[], labels: number[], k: number, stem: boolean, options: ClassTfidfOptions): ClusterTerms[] {
  return classTfidfTermsFrom(namingSourceOfTexts(readNamingTexts(texts.length, (j) => texts[j], { stem })), labels, k, options);
}

function referenceWay(texts: string[], labels: number[], k: number, stem: boolean, options: ClassTfidfOptions): ClusterTerms[] {
  return referenceClassTfidfTermsOf((visit) => texts.forEach((text, j) => visit(referenceCountBookWords(text, { stem }), j)), texts.length, labels, k, options);
}

type SeenSums = Map<string, { seen: number; capitalised: number }>;

/** Book j's term counts as the reference counts them; the reference's capitals inside sentences added to `seen`. */
function expectBookTerms(read: ReturnType<typeof readNamingTexts>, source: ReturnType<typeof namingSourceOfTexts>, j: number, reference: ReferenceWords, seen: SeenSums): void {
  const counts = new Map<string, number>();
  source.eachTerm(j, (t, n) => counts.set(read.terms[t], n));
  expect(counts).toEqual(reference.terms);
  for (const [term, s] of reference.inner) {
    const sum = seen.get(term) ?? { seen: 0, capitalised: 0 };
    seen.set(term, { seen: sum.seen + s.seen, capitalised: sum.capitalised + s.capitalised });
  }
}

/** The read's seen and capitalised counts over every book, as the references summed them. */
function expectSeenSums(read: ReturnType<typeof readNamingTexts>, seen: SeenSums): void {
  const sums: SeenSums = new Map();
  read.terms.forEach((term, t) => read.seen[t] > 0 && sums.set(term, { seen: read.seen[t], capitalised: read.capitalised[t] }));
  expect(sums).toEqual(seen);
}

const OPTION_SETS: ClassTfidfOptions[] = [{}, { keep: nameWorthy, minShare: 0.25 }, { topN: 3, minLift: 0 }, { topN: 12, minLift: 0, minShare: 0.1 }];

/** Books of k topics: topic words and phrases, names, stop words, odd spellings, punctuation and line ends. */
function generatedBooks(seed: number, count: number, k: number): { texts: string[]; labels: number[] } {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const topics = [
    ['sea', 'ship', 'ships', 'shipping', 'captain', 'captains', 'deck', 'sail', 'sailing', 'voyage', 'voyages', 'voyaging', 'whale'],
    ['god', 'lord', 'church', 'churches', 'spirit', 'prayer', 'praying', 'prayed', 'jesus', 'christ', 'holy'],
    ['war', 'army', 'armies', 'battle', 'battles', 'soldier', 'soldiers', 'general', 'king', 'kings'],
    ['love', 'loved', 'loving', 'heart', 'hearts', 'kiss', 'marriage', 'married', 'lady', 'ladies'],
    ['planet', 'planets', 'rocket', 'rockets', 'space', 'star', 'stars', 'alien', 'aliens', 'orbit'],
  ];
  const phrases = [['sea', 'captain'], ['jesus', 'christ'], ['general', 'staff'], ['young', 'lady'], ['outer', 'space']];
  const common = ['man', 'men', 'time', 'day', 'days', 'house', 'hand', 'hands', 'eyes', 'old', 'good', 'great', 'little', 'thing', 'things', 'way', 'said', 'well'];
  const names = ['Ahab', 'Ishmael', 'Elizabeth', 'Darcy', 'Caesar', 'Brutus', 'Zorg', 'Starbuck', 'Mary', 'Paris', 'London'];
  const odd = ["don't", "Ahab's", 'captain\u2019s', "o'clock", 'café', 'cafe\u0301', 'naïve', '\u0130stanbul', 'Œuvre', 'x', 'I', 'señor', 'thou', 'thee', 'chapter'];
  const stops = [...STOP_WORDS].slice(0, 60);
  const separators = [' ', ' ', ' ', ' ', ' ', ' ', ', ', '. ', '.\n', '\n', '! ', '? ', ' - ', '; ', ' 1851 ', ' \u2014 ', '  ', ' (', ') '];
  const texts: string[] = [];
  const labels: number[] = [];
  for (let b = 0; b < count; b++) {
    const label = b % k;
    const own = pick(names);
    const parts: string[] = [];
    for (let t = 0; t < 1500; t++) {
      const r = random();
      let word: string;
      if (r < 0.3) word = pick(stops);
      else if (r < 0.45) word = pick(common);
      else if (r < 0.6) word = pick(topics[label % topics.length]);
      // a word twice, or two words of one stem: a term beside itself is no phrase
      else if (r < 0.62) word = random() < 0.5 ? `${(word = pick(topics[label % topics.length]))} ${word}` : pick(['voyages voyaging', 'ships shipping', 'prayed praying']);
      else if (r < 0.72) word = pick([phrases[label % phrases.length], pick(phrases)]).join(random() < 0.9 ? ' ' : ', ');
      else if (r < 0.77) word = random() < 0.5 ? own : pick(names);
      else if (r < 0.83) word = pick(odd);
      else word = pick(pick(topics));
      if (random() < 0.08) word = word[0].toUpperCase() + word.slice(1);
      parts.push(word, pick(separators));
    }
    texts.push(parts.join(''));
    labels.push(label);
  }
  return { texts, labels };
}

describe('naming by numbers gives the names the old naming gave', () => {
  for (const stem of [false, true]) {
    it(`on generated books (${stem ? 'stemmed' : 'unstemmed'}), with clusters by topic and at random`, () => {
      let phrases = 0;
      let terms = 0;
      for (const [seed, count, k] of [[1, 40, 4], [2, 25, 5], [3, 12, 3], [4, 60, 6]] as const) {
        const { texts, labels } = generatedBooks(seed, count, k);
        const random = mulberry32(seed + 100);
        const shuffled = labels.map(() => Math.floor(random() * k));
        for (const labelling of [labels, shuffled]) {
          for (const options of OPTION_SETS) {
            const expected = referenceWay(texts, labelling, k, stem, options);
            expect(fastWay(texts, labelling, k, stem, options)).toEqual(expected);
            // the Maps' way in (classTfidfTerms) goes through the same numbers
            expect(classTfidfTerms(texts.map((t) => referenceCountBookWords(t, { stem })), labelling, k, options)).toEqual(expected);
            for (const c of expected) {
              terms += c.terms.length;
              phrases += c.terms.filter((t) => t.includes(' ')).length;
            }
          }
        }
      }
      // the comparison means something only if names, and phrases among them, came out
      expect(terms).toBeGreaterThan(100);
      expect(phrases).toBeGreaterThan(5);
    });

    it(`gives each book the terms, pairs among chosen terms, capitals and surfaces countBookWords gives (${stem ? 'stemmed' : 'unstemmed'})`, () => {
      const { texts } = generatedBooks(6, 8, 4);
      texts.push("The İstanbul CAFÉ's; x y. Sea captain\nsea-captain sea sea. Ahab's ahab", '', 'Œuvre. naïve cafe\u0301 café');
      const read = readNamingTexts(texts.length, (j) => texts[j], { stem });
      const source = namingSourceOfTexts(read);
      const references = texts.map((text) => referenceCountBookWords(text, { stem }));
      // every term the books hold, in turn as a cluster's best terms, 24 at a time
      const all = read.terms.map((_, t) => t);
      const seen: SeenSums = new Map();
      references.forEach((reference, j) => {
        expectBookTerms(read, source, j, reference, seen);
        for (let from = 0; from < all.length; from += 24) {
          const head = all.slice(from, from + 24);
          const rankOf = new Int32Array(read.terms.length).fill(-1);
          head.forEach((t, r) => (rankOf[t] = r));
          const pairs = new Float64Array(head.length * head.length);
          const surfaces = head.map(() => new Map<string, number>());
          source.addHeads(j, rankOf, head.length, pairs, surfaces);
          const got = new Map<string, number>();
          const expected = new Map<string, number>();
          pairs.forEach((n, p) => n > 0 && got.set(`${read.terms[head[Math.floor(p / head.length)]]} ${read.terms[head[p % head.length]]}`, n));
          for (const a of head) {
            for (const b of head) {
              const n = a === b ? undefined : reference.pairs.get(read.terms[a])?.get(read.terms[b]);
              if (n) expected.set(`${read.terms[a]} ${read.terms[b]}`, n);
            }
          }
          expect(got).toEqual(expected);
          head.forEach((t, r) => expect(surfaces[r]).toEqual(stem ? (reference.surface?.get(read.terms[t]) ?? new Map()) : new Map()));
        }
      });
      expectSeenSums(read, seen);
    });

    it(`counts the same when the scan's table of words grows, past 100,000 distinct words (${stem ? 'stemmed' : 'unstemmed'})`, () => {
      const random = mulberry32(stem ? 21 : 22);
      const letters = 'abcdefghijklmnopqrstuvwxyzéß';
      const word = () => {
        let w = '';
        for (let n = 2 + Math.floor(random() * 9); n > 0; n--) w += letters[Math.floor(random() * letters.length)];
        return random() < 0.2 ? w[0].toUpperCase() + w.slice(1) : w;
      };
      const vocabulary = Array.from({ length: 120_000 }, word);
      // four books over the words, each word met in more than one; the last lowercased word by word (İ)
      const texts = [0, 1, 2, 3].map((b) => {
        const parts: string[] = [];
        for (let i = b * 20_000; i < b * 20_000 + 60_000; i++) parts.push(vocabulary[i % vocabulary.length], random() < 0.1 ? '. ' : ' ');
        return (b === 3 ? 'İ ' : '') + parts.join('');
      });
      const read = readNamingTexts(texts.length, (j) => texts[j], { stem });
      expect(read.words.length).toBeGreaterThan(100_000);
      const source = namingSourceOfTexts(read);
      const seen: SeenSums = new Map();
      texts.forEach((text, j) => {
        const reference = referenceCountBookWords(text, { stem });
        expectBookTerms(read, source, j, reference, seen);
      });
      expectSeenSums(read, seen);
    });

    it(`takes no term beside itself for a phrase, as before (${stem ? 'stemmed' : 'unstemmed'})`, () => {
      const sea = (n: number) => `sea sea voyages voyaging whale deck. `.repeat(n) + 'love heart. '.repeat(3);
      const land = (n: number) => `farm farm field fields barn. `.repeat(n) + 'sea whale. '.repeat(2);
      const texts = [sea(20), sea(25), sea(30), land(20), land(22), land(26)];
      const labels = [0, 0, 0, 1, 1, 1];
      const expected = referenceWay(texts, labels, 2, stem, { minLift: 0 });
      expect(expected[0].terms.length).toBeGreaterThan(0);
      expect(fastWay(texts, labels, 2, stem, { minLift: 0 })).toEqual(expected);
      expect(expected.flatMap((c) => c.terms).filter((t) => /^(\S+) \1$/.test(t))).toEqual([]);
    });

    it(`counts a text's words, pairs, capitals and surfaces as before (${stem ? 'stemmed' : 'unstemmed'})`, () => {
      const { texts } = generatedBooks(5, 10, 5);
      for (const text of [...texts, '', 'Ahab', "The İstanbul CAFÉ's; x y. Sea captain\nsea-captain", 'a\u0301b c\u2019s']) {
        expect(countBookWords(text, { stem })).toEqual(referenceCountBookWords(text, { stem }));
      }
    });
  }
});

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
const corpusDir = resolve(projectRoot, '../shared/corpus/gutenberg');
const haveCorpus = existsSync(resolve(corpusDir, 'manifest.csv'));
if (!haveCorpus) console.log(`Naming sameness on the corpus skipped: no corpus at ${corpusDir}.`);

describe.skipIf(!haveCorpus)('naming by numbers on the Gutenberg corpus', () => {
  const corpus = haveCorpus ? loadSlices() : { texts: [], genres: [] };
  const genreNames = [...new Set(corpus.genres)].sort();
  const byGenre = corpus.genres.map((g) => genreNames.indexOf(g));

  for (const stem of [true, false]) {
    it(`gives the same names with the genres as clusters and at random (${stem ? 'stemmed' : 'unstemmed'})`, () => {
      const random = mulberry32(7);
      const shuffled = byGenre.map(() => Math.floor(random() * 5));
      for (const [labels, k] of [[byGenre, genreNames.length], [shuffled, 5]] as const) {
        for (const options of [{ keep: nameWorthy, minShare: 0.25 }, { topN: 12, minLift: 0 }]) {
          const expected = referenceWay(corpus.texts, labels, k, stem, options);
          expect(expected.some((c) => c.terms.length > 0)).toBe(true);
          expect(fastWay(corpus.texts, labels, k, stem, options)).toEqual(expected);
        }
      }
    });
  }
});

/** A slice of about 5,000 words from the middle of each corpus book, and its genre. */
function loadSlices(): { texts: string[]; genres: string[] } {
  const [header, ...records] = parseCsv(readFileSync(resolve(corpusDir, 'manifest.csv'), 'utf8')).filter((r) => r.length > 1);
  const column = (name: string) => header.indexOf(name);
  const texts: string[] = [];
  const genres: string[] = [];
  for (const record of records) {
    const text = new TextDecoder(record[column('encoding')]).decode(readFileSync(resolve(corpusDir, record[column('file')])));
    const middle = Math.floor(text.length / 2);
    texts.push(text.slice(Math.max(0, middle - 15_000), middle + 15_000));
    genres.push(record[column('genre')]);
  }
  return { texts, genres };
}

describe('the scan naming by numbers makes', () => {
  it('may read the lowercased text for classes: lowercasing keeps every character letter, mark, space or other', () => {
    const kind = (ch: string) => (/\p{L}/u.test(ch) ? 1 : /\p{M}/u.test(ch) ? 2 : /\s/u.test(ch) ? 3 : 0);
    const changed: string[] = [];
    for (let code = 0; code < 0x10000; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const char = String.fromCharCode(code);
      const lower = char.toLowerCase();
      // a character that lowercases to two (U+0130) makes the scan lowercase each word alone
      if (lower.length === 1 && kind(lower) !== kind(char)) changed.push(code.toString(16));
    }
    expect(changed).toEqual([]);
  });
});
