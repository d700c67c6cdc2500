// Dropping names (issue 11): a book's characters and places ("Elizabeth", "Baker Street") tell
// books apart, not genres. A name is a word the book writes with a capital inside its sentences,
// counted as cluster naming counts proper nouns (phrases.ts countBookWords, PROPER_NOUN_SHARE),
// so a word that only ever stands at the start of a sentence or line is kept.
import { PROPER_NOUN_SHARE } from '../cluster/terms';
import { countBookWords } from './phrases';

/**
 * The lowercase words (possessive 's cut, unstemmed, as the tokenizer sees them before stemming)
 * written with a capital in at least PROPER_NOUN_SHARE of their uses inside sentences in `text`.
 * Stop words and one-letter words are never names here ("I", "The"), nor the contractions of
 * "I" ("I'm", "I'll"), which are always written with a capital.
 */
export function namesIn(text: string): Set<string> {
  const names = new Set<string>();
  for (const [word, { seen, capitalised }] of countBookWords(text, { stem: false }).inner) {
    if (seen > 0 && capitalised >= PROPER_NOUN_SHARE * seen && !word.startsWith("i'")) names.add(word);
  }
  return names;
}
