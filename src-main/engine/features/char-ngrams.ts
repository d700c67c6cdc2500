// The character n-gram view (issue 11): the n-grams of every word with its edges marked, as
// scikit-learn's analyzer="char_wb" reads them ("the" -> "_th", "the", "he_", "_the", ...). Counted
// from a document's word counts, so each distinct word is cut once however often it occurs.
import type { NgramRange } from '../../../src-shared/settings';
import type { TermCounts } from './tokenize';

/** Marks a word's start and end inside its n-grams; never part of a word the tokenizer finds. */
export const WORD_EDGE = '_';

/** Adds the `range` n-grams of each word of `words` (with its count) to `into`, each term as `prefix` + n-gram. */
export function addCharNgrams(words: TermCounts, range: NgramRange, into: TermCounts, prefix = ''): TermCounts {
  for (const [word, count] of words) {
    const padded = WORD_EDGE + word + WORD_EDGE;
    for (let n = range.min; n <= range.max; n++) {
      for (let i = 0; i + n <= padded.length; i++) {
        const gram = padded.slice(i, i + n);
        if (gram === WORD_EDGE) continue; // a 1-gram of an edge says nothing
        const term = prefix + gram;
        into.set(term, (into.get(term) ?? 0) + count);
      }
    }
  }
  return into;
}
