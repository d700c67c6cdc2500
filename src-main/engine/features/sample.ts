// Book length, handled by measurement (bench/length.ts, docs/benchmarks.md): a fixed number of
// fixed-size samples spread through each book, as stylometry does, clusters genres better than
// the whole book or averaged chunks. A 3 MB history no longer outweighs a 60 KB story with
// its rare words, and tokenising 10,000 words per book is faster than 500,000.
import type { FeatureSettings, SamplePlan } from '../../../src-shared/settings';
import { decodeCounts, decodeCountsList, encodeCounts, encodeCountsList, tokenizerKey, type CountResult, type TermCounts } from './tokenize';
import { namesIn } from './names';
import { countDocument, viewsKey, viewsOf, type ViewFeatures } from './views';

/** What separates the words samples are counted in (shared with library/words.ts scanWords). */
export function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x2028 || code === 0x2029;
}

/** Start offsets of every word, as one pass without splitting the text into strings. */
export function wordStarts(text: string): Int32Array {
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

/**
 * Where sampleWindows cuts `text`: the [start, end) offsets of each window, in pairs. A book no
 * longer than the plan is one window from its first word to the end of its last; without a
 * plan, the whole text.
 */
export function sampleSpans(text: string, plan: SamplePlan | null, starts: Int32Array = plan ? wordStarts(text) : new Int32Array(0)): Int32Array {
  if (!plan) return Int32Array.of(0, text.length);
  const total = starts.length;
  if (total <= plan.samples * plan.words) return total === 0 ? Int32Array.of(0, 0) : Int32Array.of(starts[0], wordEnd(text, starts[total - 1]));
  const step = plan.samples === 1 ? 0 : (total - plan.words) / (plan.samples - 1);
  const first = plan.samples === 1 ? Math.floor((total - plan.words) / 2) : 0;
  const spans = new Int32Array(2 * plan.samples);
  for (let i = 0; i < plan.samples; i++) {
    const from = first + Math.round(i * step);
    spans[2 * i] = starts[from];
    spans[2 * i + 1] = wordEnd(text, starts[from + plan.words - 1]);
  }
  return spans;
}

/** The windows `spans` (from sampleSpans) mark in `text`. */
export function windowsAt(text: string, spans: Int32Array): string[] {
  const windows: string[] = [];
  for (let i = 0; i + 1 < spans.length; i += 2) windows.push(text.slice(spans[i], spans[i + 1]));
  return windows;
}

/** `plan.samples` windows of `plan.words` words, evenly spread from the first word to the last. */
export function sampleWindows(text: string, plan: SamplePlan | null, starts: Int32Array = plan ? wordStarts(text) : new Int32Array(0)): string[] {
  if (!plan) return [text];
  return windowsAt(text, sampleSpans(text, plan, starts));
}

/**
 * The samples of a book read as rows: sampleWindows, except that a book shorter than the plan
 * is cut into `plan.samples` consecutive parts of equal length, so every book has as many rows.
 */
export function sampleRowTexts(text: string, plan: SamplePlan, starts: Int32Array = wordStarts(text)): string[] {
  const total = starts.length;
  if (total >= plan.samples * plan.words) return sampleWindows(text, plan, starts);
  const parts = Math.max(1, Math.min(plan.samples, total));
  return Array.from({ length: parts }, (_, i) => {
    const from = Math.floor((i * total) / parts);
    const to = Math.floor(((i + 1) * total) / parts);
    return total === 0 ? '' : text.slice(starts[from], wordEnd(text, starts[to - 1]));
  });
}

/** The sample windows joined into one text (one document per book). */
export function sampleText(text: string, plan: SamplePlan | null): string {
  return sampleWindows(text, plan).join('\n');
}

type DocumentFeatures = Pick<FeatureSettings, 'stopWords' | 'stem' | 'sampling'> & Partial<Pick<FeatureSettings, 'sampleRows'>> & ViewFeatures;

/**
 * Names what a book's cached counts were made with: tokenizer rules, the sample plan, one
 * document or one per sample, and the feature views when they are not the words alone.
 */
export function documentKey(features: DocumentFeatures): string {
  const plan = features.sampling ? `${features.sampling.samples}x${features.sampling.words}` : 'whole';
  return `${tokenizerKey(features)}:${plan}${features.sampleRows && features.sampling ? ':rows' : ''}${viewsKey(features)}`;
}

/** The names to leave out of a book read as these texts (its samples), or undefined when the views keep names. */
function bookNames(texts: readonly string[], features: ViewFeatures): Set<string> | undefined {
  return viewsOf(features).dropNames ? namesIn(texts.join('\n')) : undefined;
}

/** The term counts a book contributes under these feature settings, all samples together. */
export function countBookTerms(body: string, features: Pick<FeatureSettings, 'stopWords' | 'stem' | 'sampling'> & ViewFeatures): CountResult {
  const text = sampleText(body, features.sampling);
  return countDocument(text, features, bookNames([text], features));
}

/**
 * A book's cached counts as stored: one document, or with `sampleRows` one per sample (a book
 * shorter than the plan gives a single sample). `tokens` counts the words of all samples.
 */
export function encodeBookTerms(body: string, features: DocumentFeatures): { tokens: number; blob: Buffer } {
  if (!features.sampleRows || !features.sampling) {
    const { counts, tokens } = countBookTerms(body, features);
    return { tokens, blob: encodeCounts(counts) };
  }
  const texts = sampleRowTexts(body, features.sampling);
  const names = bookNames(texts, features);
  const samples = texts.map((window) => countDocument(window, features, names));
  return {
    tokens: samples.reduce((sum, s) => sum + s.tokens, 0),
    blob: encodeCountsList(samples.map((s) => s.counts)),
  };
}

/**
 * The rows sampleRowTexts gives, from the windows sampleWindows gave under the same plan: a
 * book long enough has one window per sample, a shorter one a single window that is cut into
 * equal parts here (the same parts, as the window runs from the book's first word to its last).
 */
export function rowsOfWindows(windows: readonly string[], plan: SamplePlan): string[] {
  return windows.length === plan.samples ? [...windows] : sampleRowTexts(windows[0] ?? '', plan);
}

/**
 * encodeBookTerms from a book's sample windows (sampleWindows under `features.sampling`) rather
 * than its whole text: the same counts, from what the library keeps of each book.
 */
export function encodeWindowTerms(windows: readonly string[], features: DocumentFeatures): { tokens: number; blob: Buffer } {
  if (!features.sampleRows || !features.sampling) {
    const text = windows.join('\n');
    const { counts, tokens } = countDocument(text, features, bookNames([text], features));
    return { tokens, blob: encodeCounts(counts) };
  }
  const texts = rowsOfWindows(windows, features.sampling);
  const names = bookNames(texts, features);
  const samples = texts.map((window) => countDocument(window, features, names));
  return {
    tokens: samples.reduce((sum, s) => sum + s.tokens, 0),
    blob: encodeCountsList(samples.map((s) => s.counts)),
  };
}

/** The documents of one cached blob written by encodeBookTerms under the same settings. */
export function decodeBookTerms(blob: Buffer, features: DocumentFeatures): TermCounts[] {
  return features.sampleRows && features.sampling ? decodeCountsList(blob) : [decodeCounts(blob)];
}
