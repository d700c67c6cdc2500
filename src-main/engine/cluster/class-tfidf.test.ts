import { describe, expect, it } from 'vitest';
import { ShelfmapError } from '../../../src-shared/errors';
import { countBookWords } from '../features/phrases';
import { stemWord as porterStem } from '../features/tokenize';
import { classTfidfTerms, nameWorthy, type NamingBook } from './terms';

function book(terms: Record<string, number>, pairs: Record<string, number> = {}): NamingBook {
  const nested = new Map<string, Map<string, number>>();
  for (const [pair, count] of Object.entries(pairs)) {
    const [a, b] = pair.split(' ');
    nested.set(a, (nested.get(a) ?? new Map<string, number>()).set(b, count));
  }
  return { terms: new Map(Object.entries(terms)), pairs: nested };
}

describe('classTfidfTerms', () => {
  it('weighs a term by its share of the cluster times log(1 + A / f_t)', () => {
    // two clusters of one book each, 10 words each: A = 10
    const books = [book({ sea: 6, ship: 2, love: 2 }), book({ love: 8, sea: 2 })];
    const [sea, love] = classTfidfTerms(books, [0, 1], 2, { minLift: 0 });
    // cluster 0: sea 0.6 * log(1 + 10/8), ship 0.2 * log(1 + 10/2), love 0.2 * log(1 + 10/10)
    expect(sea.terms).toEqual(['sea', 'ship', 'love']);
    expect(sea.scores[0]).toBeCloseTo(0.6 * Math.log(1 + 10 / 8), 12);
    expect(sea.scores[1]).toBeCloseTo(0.2 * Math.log(1 + 10 / 2), 12);
    expect(sea.scores[2]).toBeCloseTo(0.2 * Math.log(2), 12);
    expect(love.terms).toEqual(['love', 'sea']);
    expect(love.scores[0]).toBeCloseTo(0.8 * Math.log(1 + 10 / 10), 12);
  });

  it('keeps out a word no more frequent in the cluster than in the library, however common', () => {
    // four one-book clusters: "not" is everywhere at the same rate, each book has a word of its own
    const books = ['sea', 'love', 'war', 'god'].map((own) => book({ not: 200, [own]: 10 }));
    const labels = [0, 1, 2, 3];
    // c-TF-IDF alone: not 200/210 * log(1 + 210/800) = 0.222 beats sea 10/210 * log(1 + 210/10) = 0.147
    expect(classTfidfTerms(books, labels, 4, { minLift: 0 })[0].terms).toEqual(['not', 'sea']);
    // lift of not: 1; of sea: (10/210) / (10/840) = 4, over the floor (min(3, half of the most, 4) = 2)
    expect(classTfidfTerms(books, labels, 4).map((c) => c.terms)).toEqual([['sea'], ['love'], ['war'], ['god']]);
  });

  it('ranks a word common to every cluster below one that is the cluster\'s own', () => {
    const books = [
      book({ room: 50, ship: 20 }),
      book({ room: 50, ship: 25 }),
      book({ room: 50, ship: 22 }),
      book({ room: 60, love: 30 }),
      book({ room: 60, love: 28 }),
      book({ room: 60, love: 25 }),
    ];
    const [sea, love] = classTfidfTerms(books, [0, 0, 0, 1, 1, 1], 2);
    expect(sea.terms[0]).toBe('ship');
    expect(love.terms[0]).toBe('love');
  });

  it('keeps out what keep refuses, and terms in too few of the cluster\'s books', () => {
    const books = [book({ "don't": 40, sea: 5, whale: 30 }), book({ "don't": 40, sea: 6 }), book({ "don't": 40, sea: 7, ship: 3 }), book({ love: 9 })];
    const [sea] = classTfidfTerms(books, [0, 0, 0, 1], 2, { keep: nameWorthy });
    // whale and ship: one book of three each
    expect(sea.terms).toEqual(['sea']);
  });

  it('keeps a term that one or two books hold nearly all of (a hero\'s name) out of the name', () => {
    const books = [
      book({ sea: 10, ship: 8, ahab: 90 }),
      book({ sea: 12, ship: 6, ahab: 2 }),
      book({ sea: 9, ship: 7, nemo: 60 }),
      book({ sea: 11, ship: 9, nemo: 50, ahab: 1 }),
      book({ love: 20 }),
    ];
    const [sea] = classTfidfTerms(books, [0, 0, 0, 0, 1], 2);
    // ahab: one book holds 90 of 93; nemo: two books hold all of it
    expect(sea.terms).toEqual(['sea', 'ship']);
  });

  it('keeps out proper nouns the cluster does not share, but not those it does', () => {
    const capitalised = (terms: Record<string, number>): NamingBook => ({
      terms: new Map(Object.entries(terms)),
      inner: new Map(Object.entries(terms).filter(([t]) => t !== 'church').map(([t, n]) => [t, { seen: n, capitalised: n }])),
    });
    const books = [
      capitalised({ god: 10, church: 5, smith: 4, jones: 9 }),
      capitalised({ god: 12, church: 6, smith: 4, jones: 4 }),
      capitalised({ god: 9, church: 4, smith: 4, jones: 4 }),
      capitalised({ god: 11, church: 5, jones: 4 }),
      ...[10, 12, 9, 11].map((god) => capitalised({ god, church: 5 })),
      book({ love: 20 }),
    ];
    const labels = [0, 0, 0, 0, 0, 0, 0, 0, 1];
    const [church] = classTfidfTerms(books, labels, 2);
    // smith is spread evenly, but only 3 of the 8 books use it (a name needs half of them);
    // jones is in 4 of 8, yet one book holds 9 of its 21 uses (a name may have 35% in one book);
    // god is in every book
    expect(church.terms).toEqual(['god', 'church']);
    // without the capitals they are words like any other
    const plain = classTfidfTerms(books.map((b) => ({ terms: b.terms })), labels, 2)[0];
    expect(plain.terms).toEqual(expect.arrayContaining(['smith', 'jones']));
  });

  it('gives a one-book cluster no proper nouns at all', () => {
    const books = [
      { ...book({ androcles: 40, lions: 10, emperor: 8 }), inner: new Map([['androcles', { seen: 40, capitalised: 40 }]]) },
      book({ love: 20, lions: 1 }),
    ];
    expect(classTfidfTerms(books, [0, 1], 2)[0].terms).toEqual(['lions', 'emperor']);
  });

  it('joins two high-ranked words that mostly stand together into one phrase', () => {
    const sea = (n: number) => book({ sea: 10 + n, captain: 8, ship: 9 + n, deck: 5, oar: 1 }, { 'sea captain': 5, 'ship deck': 1, 'ship oar': 1 });
    const books = [sea(0), sea(1), sea(2), book({ love: 30, heart: 9 }), book({ love: 25, heart: 10 })];
    const [named] = classTfidfTerms(books, [0, 0, 0, 1, 1], 2);
    // "sea captain" stands for 15 of captain's 24 uses (over 30%) and of sea's 33 (over 15%): it
    // takes sea's place and captain leaves; "ship deck" is 3 of deck's 15 uses, too few; "ship
    // oar" is every oar but only 3 of ship's 30 uses (10%)
    expect(named.terms).toEqual(['sea captain', 'ship', 'deck', 'oar']);
  });

  it('shows a stemmed term as the word it most often stood for in the cluster', () => {
    const b = (n: number): NamingBook => ({
      terms: new Map([['voyag', 5 + n]]),
      surface: new Map([['voyag', new Map([['voyage', 3], ['voyages', 2 + n]])]]),
    });
    // voyage 9 times, voyages 2 + 2 + 7 = 11 times
    expect(classTfidfTerms([b(0), b(0), b(5), book({ love: 3 })], [0, 0, 0, 1], 2)[0].terms).toEqual(['voyages']);
  });

  it('is empty for an empty cluster and refuses labels that do not fit', () => {
    const books = [book({ sea: 1 }), book({ love: 1 })];
    expect(classTfidfTerms(books, [0, 2], 3)[1]).toEqual({ terms: [], scores: [] });
    expect(() => classTfidfTerms(books, [0, 3], 3)).toThrow(ShelfmapError);
    expect(() => classTfidfTerms(books, [0], 3)).toThrow(/2 books but 1/);
  });
});

describe('countBookWords', () => {
  it('counts words without stop words, adjacent pairs and capitals inside sentences', () => {
    const text = 'The old Captain Ahab stood on the deck. Ahab looked at the sea captain,\nAhab said. Sea-captain!';
    const words = countBookWords(text, { stem: false });
    expect(words.terms.get('ahab')).toBe(3);
    expect(words.terms.get('the')).toBeUndefined();
    // "old captain", "captain ahab", "ahab stood"; the stop word "on" breaks a pair, so do punctuation and hyphens
    const pair = (a: string, b: string) => words.pairs.get(a)?.get(b);
    expect(pair('captain', 'ahab')).toBe(1);
    expect(pair('sea', 'captain')).toBe(1);
    expect(pair('deck', 'ahab')).toBeUndefined();
    expect(pair('on', 'deck')).toBeUndefined();
    // Ahab after a full stop or at a line start is not counted; once inside a sentence it is, capitalised
    expect(words.inner.get('ahab')).toEqual({ seen: 1, capitalised: 1 });
    expect(words.inner.get('captain')).toEqual({ seen: 3, capitalised: 1 });
  });

  it('cuts a possessive, keeps contractions whole, and stems when asked', () => {
    const words = countBookWords("Ahab's voyages don't end; voyaging on", { stem: true });
    expect(words.terms.get('ahab')).toBe(1);
    expect(words.terms.has("ahab's")).toBe(false);
    expect([...words.terms.keys()].filter((t) => t.includes("'"))).toEqual([porterStem("don't")]);
    expect(words.terms.get('voyag')).toBe(2);
    expect(words.surface?.get('voyag')).toEqual(new Map([['voyages', 1], ['voyaging', 1]]));
  });
});
