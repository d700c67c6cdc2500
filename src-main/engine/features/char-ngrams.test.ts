import { describe, expect, it } from 'vitest';
import { addCharNgrams } from './char-ngrams';

describe('addCharNgrams', () => {
  it('cuts each word with its edges marked, counted as often as the word', () => {
    const grams = addCharNgrams(new Map([['the', 2]]), { min: 3, max: 4 }, new Map());
    expect(Object.fromEntries(grams)).toEqual({ _th: 2, the: 2, he_: 2, _the: 2, the_: 2 });
  });

  it('adds n-grams two words share, with a prefix, to what is there', () => {
    const into = new Map([['sea', 1]]);
    addCharNgrams(new Map([['at', 1], ['cat', 3]]), { min: 3, max: 3 }, into, 'c:');
    expect(Object.fromEntries(into)).toEqual({ sea: 1, 'c:_at': 1, 'c:at_': 4, 'c:_ca': 3, 'c:cat': 3 });
  });

  it('gives a one-letter word its edges, and no n-gram of an edge alone', () => {
    expect([...addCharNgrams(new Map([['a', 1]]), { min: 1, max: 3 }, new Map()).keys()]).toEqual(['a', '_a', 'a_', '_a_']);
    expect(addCharNgrams(new Map([['sea', 1]]), { min: 6, max: 8 }, new Map()).size).toBe(0);
  });
});
