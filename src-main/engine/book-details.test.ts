// The book panel's pure parts: a book's distinctive terms against the library, the excerpt from
// the start of its body, its nearest books by cosine distance, and the cap on the whole text.
import { describe, expect, it } from 'vitest';
import { bookExcerpt, capText, distinctiveBookTerms, libraryTerms, mergeCounts, nearestBooks } from './book-details';

const counts = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe('distinctiveBookTerms', () => {
  const library = libraryTerms([
    counts({ whale: 40, sea: 30, ship: 20, man: 50, ahab: 25, "don't": 9, said: 40, '1851': 3 }),
    counts({ sea: 10, ship: 15, man: 40, garden: 4 }),
    counts({ man: 30, garden: 20, rose: 12 }),
    counts({ man: 20, sea: 2, star: 30 }),
  ]);

  it('counts in how many books each term is', () => {
    expect(library.docs).toBe(4);
    expect(library.docFreq.get('man')).toBe(4);
    expect(library.docFreq.get('sea')).toBe(3);
    expect(library.docFreq.get('whale')).toBe(1);
  });

  it('ranks by count in the book times rarity in the library; a word every book uses sets none apart', () => {
    const book = counts({ whale: 40, sea: 30, ship: 20, man: 50 });
    const terms = distinctiveBookTerms(book, library, { keep: () => true });
    expect(terms.map((t) => t.term)).toEqual(['whale', 'ship', 'sea']);
    // whale: 40/140 * ln(5/2); ship: 20/140 * ln(5/3)
    expect(terms[0].score).toBeCloseTo((40 / 140) * Math.log(5 / 2), 12);
    expect(terms[1].score).toBeCloseTo((20 / 140) * Math.log(5 / 3), 12);
    expect(terms.find((t) => t.term === 'man')).toBeUndefined();
  });

  it('leaves out dialogue, contractions, numbers, proper nouns and terms used once; shows each as asked', () => {
    const book = counts({ whale: 40, ahab: 25, "don't": 9, said: 40, '1851': 3, sea: 30, ship: 1 });
    const terms = distinctiveBookTerms(book, library, { properNoun: (t) => t === 'ahab', shown: (t) => t.toUpperCase() });
    expect(terms.map((t) => t.term)).toEqual(['WHALE', 'SEA']);
  });

  it('keeps the topN best, ties in code-point order, and gives nothing for an empty book or library', () => {
    const book = counts({ b: 5, a: 5, c: 5 });
    expect(distinctiveBookTerms(book, libraryTerms([book, counts({ z: 1 })]), { topN: 2, keep: () => true }).map((t) => t.term)).toEqual(['a', 'b']);
    expect(distinctiveBookTerms(new Map(), library)).toEqual([]);
    expect(distinctiveBookTerms(book, libraryTerms([]))).toEqual([]);
  });

  it('merges a book\'s samples into one set of counts', () => {
    expect(mergeCounts([counts({ a: 1, b: 2 }), counts({ b: 3, c: 1 })])).toEqual(counts({ a: 1, b: 5, c: 1 }));
  });
});

describe('bookExcerpt', () => {
  const prose = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

  it('skips the title page, credits and contents, and undoes line breaks', () => {
    const body = [
      'Produced by Some Volunteers and the Online Distributed\nProofreading Team at http://www.pgdp.net',
      'THE STARRY HEAVENS\n\nby Ruth Pemberton',
      'CONTENTS\nI. The Crater\nII. The Moon\nIII. The Sun\nIV. The Stars\nV. Comets',
      'CHAPTER I. THE CRATER',
      'After that the voice kept a starry star. The faint voice calculated\r\nthe moon near the plane of the ecliptic. The faint sky catalogued the\r\nhouse near the milky way. It was a strange door.',
      `Second ${prose(30)}`,
      `Third ${prose(30)}`,
      `Fourth ${prose(30)}`,
    ].join('\n\n\n');
    const excerpt = bookExcerpt(body);
    expect(excerpt).toHaveLength(3);
    expect(excerpt[0]).toBe(
      'After that the voice kept a starry star. The faint voice calculated the moon near the plane of the ecliptic. The faint sky catalogued the house near the milky way. It was a strange door.',
    );
    expect(excerpt[1]).toMatch(/^Second word0 /);
    expect(excerpt[2]).toMatch(/^Third /);
  });

  it('cuts at a word with an ellipsis when the paragraphs are too long', () => {
    const excerpt = bookExcerpt(`${prose(100)}\n\n${prose(100)}`, 3, 50);
    expect(excerpt).toHaveLength(1);
    expect(excerpt[0].length).toBeLessThanOrEqual(51);
    expect(excerpt[0]).toMatch(/word\d+…$/);
  });

  it('gives the first paragraphs as they are when none reads as prose (verse)', () => {
    const verse = 'Roses are red,\nviolets are blue,\nsugar is sweet,\nand so are you.';
    expect(bookExcerpt(`${verse}\n\n${verse}`, 1)).toEqual(['Roses are red, violets are blue, sugar is sweet, and so are you.']);
    expect(bookExcerpt('')).toEqual([]);
  });
});

describe('nearestBooks', () => {
  it('orders by cosine distance, leaves the book itself out, ties by id', () => {
    const embeddings = new Map<number, number[]>([
      [1, [1, 0]],
      [2, [0.9, 0.1]],
      [3, [0, 1]],
      [6, [3, 0]],
      [4, [2, 0]],
      [5, [-1, 0]],
    ]);
    const near = nearestBooks([1, 0], embeddings, 1, 3);
    expect(near.map((n) => n.bookId)).toEqual([4, 6, 2]);
    expect(near[0].distance).toBe(0);
    expect(near[2].distance).toBeCloseTo(1 - 0.9 / Math.hypot(0.9, 0.1), 12);
    expect(nearestBooks([1, 0], embeddings, 1, 10).at(-1)).toEqual({ bookId: 5, distance: 2 });
  });
});

describe('capText', () => {
  it('cuts long texts without splitting a surrogate pair', () => {
    expect(capText('abc', 5)).toEqual({ text: 'abc', capped: false });
    expect(capText('abcdef', 4)).toEqual({ text: 'abcd', capped: true });
    expect(capText('ab😀cd', 3)).toEqual({ text: 'ab', capped: true });
  });
});
