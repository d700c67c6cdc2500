import { describe, expect, it } from 'vitest';
import { countBookTerms, documentKey, sampleText } from './sample';

const book = Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ');

describe('sampleText', () => {
  it('takes evenly spread windows, the first at the start and the last at the end', () => {
    const text = sampleText(book, { samples: 3, words: 10 });
    const windows = text.split('\n').map((w) => w.split(' '));
    expect(windows).toHaveLength(3);
    expect(windows[0][0]).toBe('w0');
    expect(windows[1][0]).toBe('w45');
    expect(windows[2].at(-1)).toBe('w99');
    expect(windows.every((w) => w.length === 10)).toBe(true);
  });

  it('keeps a book shorter than the plan whole, and the whole book without a plan', () => {
    expect(sampleText('  a short\n book ', { samples: 10, words: 100 })).toBe('a short\n book');
    expect(sampleText(book, null)).toBe(book);
  });

  it('takes the middle for a single sample', () => {
    expect(sampleText(book, { samples: 1, words: 2 })).toBe('w49 w50');
  });
});

describe('documentKey and countBookTerms', () => {
  it('keys cached counts by tokenizer and sample plan', () => {
    const base = { stopWords: true, stem: false };
    expect(documentKey({ ...base, sampling: { samples: 10, words: 1000 } })).not.toBe(documentKey({ ...base, sampling: null }));
    expect(documentKey({ ...base, sampling: null })).toMatch(/whole$/);
  });

  it('counts only the sampled words', () => {
    const text = 'sea '.repeat(50) + 'star '.repeat(50);
    const { counts } = countBookTerms(text, { stopWords: true, stem: false, sampling: { samples: 1, words: 10 } });
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(10);
  });
});
