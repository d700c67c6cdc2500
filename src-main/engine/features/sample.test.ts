import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src-shared/settings';
import { countBookTerms, decodeBookTerms, documentKey, encodeBookTerms, encodeWindowTerms, sampleRowTexts, sampleText, sampleWindows } from './sample';

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

describe('samples as rows', () => {
  // letters only: the tokenizer splits words at digits
  const word = (i: number) => `w${String.fromCharCode(97 + Math.floor(i / 26), 97 + (i % 26))}`;
  const book = Array.from({ length: 100 }, (_, i) => word(i)).join(' ');
  const features = { stopWords: true, stem: false, sampling: { samples: 3, words: 10 }, sampleRows: true };

  it('gives each sample its own counts, cached under their own key', () => {
    const { blob, tokens } = encodeBookTerms(book, features);
    const samples = decodeBookTerms(blob, features);
    expect(samples).toHaveLength(3);
    expect([samples[0].has(word(0)), samples[1].has(word(45)), samples[2].has(word(99)), samples[0].has(word(10))]).toEqual([true, true, true, false]);
    expect(samples.map((s) => [...s.values()].reduce((a, b) => a + b, 0))).toEqual([10, 10, 10]);
    expect(tokens).toBe(30);
    expect(documentKey(features)).not.toBe(documentKey({ ...features, sampleRows: false }));
  });

  it('cuts a book shorter than the plan into as many equal parts', () => {
    expect(sampleRowTexts('a1 b2 c3 d4 e5 f6 g7', features.sampling)).toEqual(['a1 b2', 'c3 d4', 'e5 f6 g7']);
    expect(sampleRowTexts('one two', features.sampling)).toEqual(['one', 'two']);
    expect(sampleRowTexts('', features.sampling)).toEqual(['']);
  });

  it('keeps one document per book without sampleRows', () => {
    const plain = { ...features, sampleRows: false };
    const docs = decodeBookTerms(encodeBookTerms(book, plain).blob, plain);
    expect(docs).toHaveLength(1);
    expect(docs[0]).toEqual(countBookTerms(book, plain).counts);
  });
});

describe('feature views in the cached counts', () => {
  const plan = { samples: 2, words: 8 };
  // the first sample names Ahab only at a sentence start, the second inside a sentence
  const body = 'Ahab stood on deck. Rain fell hard. ' + 'We saw that Ahab stood there alone today.';
  const features = { stopWords: true, stem: false, sampling: plan, sampleRows: true };

  it('keeps the key of the words alone, so counts cached before the views stay valid', () => {
    expect(documentKey(DEFAULT_SETTINGS.features)).toBe('v1:stop:nostem:10x1000:rows');
    expect(documentKey({ ...features, views: ['charNgrams'] })).not.toBe(documentKey(features));
    expect(documentKey({ ...features, dropNames: true })).not.toBe(documentKey(features));
  });

  it('drops a name from every sample once any sample writes it inside a sentence', () => {
    const kept = decodeBookTerms(encodeBookTerms(body, features).blob, features);
    expect(kept.map((doc) => doc.has('ahab'))).toEqual([true, true]);
    const dropped = decodeBookTerms(encodeBookTerms(body, { ...features, dropNames: true }).blob, features);
    expect(dropped).toHaveLength(2);
    expect(dropped.map((doc) => doc.has('ahab'))).toEqual([false, false]);
    expect(dropped[0].get('rain')).toBe(1);
  });

  it('counts the same views from the kept windows as from the body', () => {
    const views = { ...features, views: ['words', 'functionWords'] as const, dropNames: true };
    const fromWindows = encodeWindowTerms(sampleWindows(body, plan), { ...views, views: [...views.views] });
    expect(fromWindows.blob).toEqual(encodeBookTerms(body, { ...views, views: [...views.views] }).blob);
  });
});
