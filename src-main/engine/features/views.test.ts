import { describe, expect, it } from 'vitest';
import { countDocument, viewsKey } from './views';
import { countTerms } from './tokenize';

const text = 'The captain of the Pequod sailed on the sea. A whale rose, and the Pequod turned. It was a dark sea.';
const words = { stopWords: true, stem: false };

describe('countDocument', () => {
  it('counts exactly what countTerms counts with the words alone', () => {
    expect(countDocument(text, words)).toEqual(countTerms(text, words));
    expect(countDocument(text, { ...words, views: ['words'], dropNames: false })).toEqual(countTerms(text, words));
  });

  it('counts the function words, stop words and one-letter words included, whatever stopWords says', () => {
    const { counts, tokens } = countDocument(text, { ...words, views: ['functionWords'] });
    expect(Object.fromEntries(counts)).toEqual({ 'f:the': 4, 'f:of': 1, 'f:on': 1, 'f:a': 2, 'f:and': 1, 'f:it': 1, 'f:was': 1 });
    expect(tokens).toBe(21);
  });

  it('joins views in one document, each view\'s terms apart', () => {
    const { counts } = countDocument(text, { ...words, views: ['words', 'functionWords', 'charNgrams'], charNgrams: { min: 3, max: 3 } });
    expect(counts.get('sea')).toBe(2);
    expect(counts.get('f:the')).toBe(4);
    expect(counts.get('c:sea')).toBe(2);
    expect(counts.get('c:the')).toBe(4);
    expect(counts.has('the')).toBe(false);
  });

  it('leaves the names given out of every view with dropNames, and only then', () => {
    const names = new Set(['pequod']);
    const dropped = countDocument(text, { ...words, views: ['words', 'charNgrams'], dropNames: true }, names).counts;
    expect(dropped.has('pequod')).toBe(false);
    expect(dropped.has('c:_peq')).toBe(false);
    expect(dropped.get('captain')).toBe(1);
    expect(countDocument(text, { ...words, dropNames: false }, names).counts.get('pequod')).toBe(2);
  });
});

describe('viewsKey', () => {
  it('adds nothing for the words alone, and tells every other choice apart', () => {
    expect(viewsKey(words)).toBe('');
    expect(viewsKey({ ...words, views: ['words'], charNgrams: { min: 2, max: 4 }, dropNames: false })).toBe('');
    const keys = [
      { views: ['functionWords'] },
      { views: ['charNgrams'] },
      { views: ['charNgrams'], charNgrams: { min: 2, max: 4 } },
      { views: ['words', 'functionWords'] },
      { views: ['words'], dropNames: true },
    ].map((v) => viewsKey({ ...words, ...(v as object) }));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.every((k) => k.startsWith(':'))).toBe(true);
  });
});
