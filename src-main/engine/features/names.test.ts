import { describe, expect, it } from 'vitest';
import { namesIn } from './names';

describe('namesIn', () => {
  it('finds the words written with a capital inside sentences, whatever their case at a sentence start', () => {
    const text = 'Then Elizabeth walked to Meryton with Jane. Elizabeth smiled. Suddenly the rain came. It rained on Jane\'s hat.';
    const names = namesIn(text);
    expect([...names].sort()).toEqual(['elizabeth', 'jane', 'meryton']);
  });

  it('keeps a word that only opens sentences or is mostly written in lower case', () => {
    const text = 'Rain fell. The rain fell on the hill. Rain again, rain and Rain, rain.';
    // "rain" inside sentences: rain, rain, Rain, rain -> one capital in four uses
    expect(namesIn(text).has('rain')).toBe(false);
    expect(namesIn('Suddenly it was dark. Suddenly, light.').size).toBe(0);
  });

  it('never counts stop words or one-letter words as names', () => {
    expect(namesIn('and then I said The End.').has('the')).toBe(false);
    expect(namesIn('so I went').size).toBe(0);
    expect(namesIn("so I'm sure I'll go, and I've said I'd go").size).toBe(0);
  });
});
