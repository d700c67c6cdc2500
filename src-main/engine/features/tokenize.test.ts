import { describe, expect, it } from 'vitest';
import { countTerms, decodeCounts, decodeCountsList, encodeCounts, encodeCountsList, tokenizerKey, type TermCounts } from './tokenize';

const RAW = { stopWords: false, stem: false };
const STOP = { stopWords: true, stem: false };
const STEM = { stopWords: false, stem: true };
const BOTH = { stopWords: true, stem: true };

function asObject(counts: TermCounts): Record<string, number> {
  return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

describe('countTerms', () => {
  it('lowercases and splits on punctuation, digits and underscores', () => {
    const { counts, tokens } = countTerms('Whale! WHALE, whale? _Sea_-salt; tide.Wave (1851) r2d2', RAW);
    expect(asObject(counts)).toEqual({ whale: 3, sea: 1, salt: 1, tide: 1, wave: 1 });
    // "r2d2" gives the one-letter words r and d, which are counted as tokens but dropped.
    expect(tokens).toBe(9);
  });

  it('drops numbers entirely', () => {
    expect(countTerms('1851 3,000 42nd 1st', RAW).counts).toEqual(new Map([['nd', 1], ['st', 1]]));
    expect(countTerms('1851 3,000 12', RAW).counts.size).toBe(0);
  });

  it('keeps apostrophes between letters and strips possessive s', () => {
    const { counts } = countTerms("Don't the captain's ship; don’t Ahab’s 'quoted' dogs' o'clock", RAW);
    expect(asObject(counts)).toEqual({
      "don't": 2,
      the: 1,
      captain: 1,
      ship: 1,
      ahab: 1,
      quoted: 1,
      dogs: 1,
      "o'clock": 1,
    });
  });

  it('keeps accented and non-Latin letters inside words', () => {
    const { counts } = countTerms('Café CAFÉ naïve Émile São Ζεύς Москва', RAW);
    expect(asObject(counts)).toEqual({ café: 2, naïve: 1, émile: 1, são: 1, ζεύς: 1, москва: 1 });
  });

  it('composes decomposed accents so both spellings are one term', () => {
    const decomposed = 'cafe\u0301';
    expect(countTerms(`café ${decomposed}`, RAW).counts).toEqual(new Map([['café', 2]]));
  });

  it('treats letters outside the Basic Multilingual Plane as letters and emoji as separators', () => {
    expect(countTerms('𐌰𐌱 dog🐕cat', RAW).counts).toEqual(
      new Map([
        ['𐌰𐌱', 1],
        ['dog', 1],
        ['cat', 1],
      ]),
    );
  });

  it('drops words shorter than two characters', () => {
    expect(asObject(countTerms('a I x ox', RAW).counts)).toEqual({ ox: 1 });
  });

  it('drops stop words only when asked', () => {
    const text = 'The whale and the sea were there';
    expect(asObject(countTerms(text, STOP).counts)).toEqual({ whale: 1, sea: 1 });
    expect(asObject(countTerms(text, RAW).counts)).toEqual({ the: 2, whale: 1, and: 1, sea: 1, were: 1, there: 1 });
  });

  it('stems only when asked, merging the forms of a word', () => {
    const text = 'running runs run Running ponies';
    expect(asObject(countTerms(text, STEM).counts)).toEqual({ run: 4, poni: 1 });
    expect(asObject(countTerms(text, RAW).counts)).toEqual({ running: 2, runs: 1, run: 1, ponies: 1 });
  });

  it('checks stop words before stemming', () => {
    // "doing" is a stop word; "does" would stem to "doe", which is not.
    expect(asObject(countTerms('doing does dogs', BOTH).counts)).toEqual({ dog: 1 });
  });

  it('counts a word repeated across a long text', () => {
    const text = 'Lorem ipsum dolor. '.repeat(50_000);
    const { counts, tokens } = countTerms(text, RAW);
    expect(tokens).toBe(150_000);
    expect(asObject(counts)).toEqual({ lorem: 50_000, ipsum: 50_000, dolor: 50_000 });
  });

  it('keeps many distinct words apart (hash table growth)', () => {
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    const words: string[] = [];
    for (const a of letters) for (const b of letters) for (const c of letters) words.push(a + b + c);
    const { counts } = countTerms(words.join(' ') + ' ' + words.join(' '), RAW);
    expect(counts.size).toBe(words.length);
    expect([...counts.values()].every((n) => n === 2)).toBe(true);
  });

  it('handles empty and wordless text', () => {
    expect(countTerms('', BOTH)).toEqual({ counts: new Map(), tokens: 0 });
    expect(countTerms(' 123 -- ... \r\n', BOTH)).toEqual({ counts: new Map(), tokens: 0 });
  });
});

describe('tokenizerKey', () => {
  it('names every setting differently and stays stable', () => {
    const keys = [RAW, STOP, STEM, BOTH].map(tokenizerKey);
    expect(new Set(keys).size).toBe(4);
    expect(tokenizerKey(BOTH)).toBe('v1:stop:stem');
  });
});

describe('encodeCounts / decodeCounts', () => {
  it('round-trips counts, including large counts and non-ASCII terms', () => {
    const counts: TermCounts = new Map([
      ['whale', 1],
      ['café', 300],
      ["don't", 127],
      ['москва', 128],
      ['𐌰𐌱', 2 ** 40],
      ['zero', 0],
    ]);
    const decoded = decodeCounts(encodeCounts(counts));
    expect(asObject(decoded)).toEqual(asObject(counts));
  });

  it('round-trips an empty map', () => {
    expect(decodeCounts(encodeCounts(new Map())).size).toBe(0);
  });

  it('encodes the counts of the same text to the same bytes', () => {
    const text = 'It was the best of times, it was the worst of times.';
    expect(encodeCounts(countTerms(text, BOTH).counts).equals(encodeCounts(countTerms(text, BOTH).counts))).toBe(true);
  });

  it('round-trips the counts of a real-looking text', () => {
    const { counts } = countTerms('It was the best of times, it was the worst of times; Sydney’s city.', BOTH);
    expect(decodeCounts(encodeCounts(counts))).toEqual(counts);
  });

  it('rejects unknown, truncated or padded data', () => {
    const buf = encodeCounts(new Map([['whale', 3], ['sea', 200]]));
    expect(() => decodeCounts(Buffer.from([9, 0, 0]))).toThrow(/format/);
    expect(() => decodeCounts(buf.subarray(0, buf.length - 1))).toThrow(/truncated/);
    expect(() => decodeCounts(Buffer.concat([buf, Buffer.from([1])]))).toThrow(/trailing/);
  });

  it('refuses counts that are not whole numbers', () => {
    expect(() => encodeCounts(new Map([['whale', 1.5]]))).toThrow(RangeError);
  });
});

describe('encodeCountsList / decodeCountsList', () => {
  it('round-trips several documents, empty ones too, in order', () => {
    const docs: TermCounts[] = [new Map([['sea', 2], ['whale', 1]]), new Map(), new Map([['café', 300]])];
    expect(decodeCountsList(encodeCountsList(docs))).toEqual(docs);
    expect(decodeCountsList(encodeCountsList([]))).toEqual([]);
  });

  it('refuses a single document, a truncated list and trailing bytes', () => {
    const list = encodeCountsList([new Map([['sea', 2]])]);
    expect(() => decodeCountsList(encodeCounts(new Map([['sea', 2]])))).toThrow(/not a list/);
    expect(() => decodeCountsList(list.subarray(0, list.length - 1))).toThrow(/truncated/);
    expect(() => decodeCountsList(Buffer.concat([list, Buffer.from([0])]))).toThrow(/trailing/);
  });
});
