// Porter stems ("voyag", "captain") name clusters badly; a reader wants "voyage". For the few
// stems that name clusters, find the word each one most often stands for in the books of
// those clusters.
import type { TokenizeOptions } from './tokenize';
import { countTerms, stemWord } from './tokenize';

/** How many books per cluster are read back to find surface words: enough for the top terms. */
const BOOKS_PER_CLUSTER = 4;
/** Only the start of each book: the top terms of a cluster are frequent ones. */
const CHARS_PER_BOOK = 400_000;

export interface SurfaceSource {
  /** The cluster of each book, in the same order as `bodyOf` indexes. */
  labels: number[];
  bodyOf(index: number): string;
}

export function surfaceFormsFor(
  stemsByCluster: string[][],
  source: SurfaceSource,
  options: TokenizeOptions,
): Map<string, string> {
  const wanted = new Set(stemsByCluster.flat());
  const tally = new Map<string, Map<string, number>>();
  const picked = new Map<number, number>();
  source.labels.forEach((cluster, index) => {
    const taken = picked.get(cluster) ?? 0;
    if (taken >= BOOKS_PER_CLUSTER) return;
    picked.set(cluster, taken + 1);
    const { counts } = countTerms(source.bodyOf(index).slice(0, CHARS_PER_BOOK), { stopWords: options.stopWords, stem: false });
    for (const [word, count] of counts) {
      const stem = stemWord(word);
      if (!wanted.has(stem)) continue;
      const words = tally.get(stem) ?? new Map<string, number>();
      words.set(word, (words.get(word) ?? 0) + count);
      tally.set(stem, words);
    }
  });
  const surface = new Map<string, string>();
  for (const [stem, words] of tally) {
    let best = stem;
    let bestCount = -1;
    for (const [word, count] of words) {
      if (count > bestCount || (count === bestCount && word < best)) {
        best = word;
        bestCount = count;
      }
    }
    surface.set(stem, best);
  }
  return surface;
}
