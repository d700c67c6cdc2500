// Book length, handled by measurement (bench/length.ts, docs/benchmarks.md): a fixed number of
// fixed-size samples spread through each book, as stylometry does, clusters genres better than
// the whole book or averaged chunks. A 3 MB history no longer outweighs a 60 KB story with
// its rare words, and tokenising 10,000 words per book is faster than 500,000.
import type { FeatureSettings, SamplePlan } from '../../../src-shared/settings';
import { countTerms, tokenizerKey, type CountResult } from './tokenize';

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x2028 || code === 0x2029;
}

/** Start offsets of every word, as one pass without splitting the text into strings. */
function wordStarts(text: string): Int32Array {
  let starts = new Int32Array(1024);
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = isSpace(text.charCodeAt(i));
    if (!space && !inWord) {
      if (count === starts.length) {
        const grown = new Int32Array(starts.length * 2);
        grown.set(starts);
        starts = grown;
      }
      starts[count++] = i;
    }
    inWord = !space;
  }
  return starts.subarray(0, count);
}

/** End offset of the word starting at `start`. */
function wordEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length && !isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** `plan.samples` windows of `plan.words` words, evenly spread from the first word to the last. */
export function sampleText(text: string, plan: SamplePlan | null): string {
  if (!plan) return text;
  const starts = wordStarts(text);
  const total = starts.length;
  if (total <= plan.samples * plan.words) return total === 0 ? '' : text.slice(starts[0], wordEnd(text, starts[total - 1]));
  const step = plan.samples === 1 ? 0 : (total - plan.words) / (plan.samples - 1);
  const first = plan.samples === 1 ? Math.floor((total - plan.words) / 2) : 0;
  const parts: string[] = [];
  for (let i = 0; i < plan.samples; i++) {
    const from = first + Math.round(i * step);
    parts.push(text.slice(starts[from], wordEnd(text, starts[from + plan.words - 1])));
  }
  return parts.join('\n');
}

/** Names what a book's cached counts were made with: tokenizer rules and the sample plan. */
export function documentKey(features: Pick<FeatureSettings, 'stopWords' | 'stem' | 'sampling'>): string {
  const plan = features.sampling ? `${features.sampling.samples}x${features.sampling.words}` : 'whole';
  return `${tokenizerKey(features)}:${plan}`;
}

/** The term counts a book contributes under these feature settings. */
export function countBookTerms(body: string, features: Pick<FeatureSettings, 'stopWords' | 'stem' | 'sampling'>): CountResult {
  return countTerms(sampleText(body, features.sampling), features);
}
