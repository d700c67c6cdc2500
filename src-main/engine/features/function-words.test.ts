import { describe, expect, it } from 'vitest';
import { FUNCTION_WORDS } from './function-words';
import { countTerms } from './tokenize';

describe('FUNCTION_WORDS', () => {
  it('holds the commonest grammatical words and no topic word', () => {
    for (const word of ['the', 'a', 'of', 'and', 'she', 'upon', 'would', "don't", 'not']) expect(FUNCTION_WORDS.has(word)).toBe(true);
    for (const word of ['sea', 'love', 'ship', 'said']) expect(FUNCTION_WORDS.has(word)).toBe(false);
  });

  it('lists each word as the tokenizer reads it, so every one can be counted', () => {
    for (const word of FUNCTION_WORDS) {
      const { counts } = countTerms(word, { stopWords: false, stem: false, minLength: 1 });
      expect([...counts.keys()], word).toEqual([word]);
    }
  });
});
