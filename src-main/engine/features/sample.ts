// Book length, handled by measurement (bench/length.ts, docs/benchmarks.md): a fixed number of
// fixed-size samples spread through each book, as stylometry does, clusters genres better than
// the whole book or averaged chunks. A 3 MB history no longer outweighs a 60 KB story with
// its rare words, and tokenising 10,000 words per book is faster than 500,000.
import type { FeatureSettings, SamplePlan } from '../../../src-shared/settings';
import { countTerms, tokenizerKey, type CountResult } from './tokenize';

/** `plan.samples` windows of `plan.words` words, evenly spread from the first word to the last. */
export function sampleText(text: string, plan: SamplePlan | null): string {
  if (!plan) return text;
  const words = text.split(/\s+/).filter(Boolean);
  const wanted = plan.samples * plan.words;
  if (words.length <= wanted) return words.join(' ');
  const parts: string[] = [];
  const step = plan.samples === 1 ? 0 : (words.length - plan.words) / (plan.samples - 1);
  const first = plan.samples === 1 ? Math.floor((words.length - plan.words) / 2) : 0;
  for (let i = 0; i < plan.samples; i++) {
    const start = first + Math.round(i * step);
    parts.push(words.slice(start, start + plan.words).join(' '));
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
