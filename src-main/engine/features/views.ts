// A document's terms under the feature views (issue 11): its words as the tokenizer keeps them,
// the function words it uses, its character n-grams, or several of these joined in one row
// (terms of the other views carry a prefix, so "the" the word and "the" the trigram stay apart);
// with dropNames, the book's names are left out of every view.
import { DEFAULT_SETTINGS, type FeatureSettings, type FeatureView, type NgramRange } from '../../../src-shared/settings';
import { addCharNgrams } from './char-ngrams';
import { FUNCTION_WORDS } from './function-words';
import { countTerms, type CountResult, type TermCounts } from './tokenize';

/** What counting one document reads of the feature settings; views, charNgrams and dropNames default as in DEFAULT_SETTINGS (runs stored before them lack them). */
export type ViewFeatures = Pick<FeatureSettings, 'stopWords' | 'stem'> & Partial<Pick<FeatureSettings, 'views' | 'charNgrams' | 'dropNames'>>;

/** The prefix of a view's terms when it is joined with others or alone ('words' has none). */
export const VIEW_PREFIX: Record<FeatureView, string> = { words: '', functionWords: 'f:', charNgrams: 'c:' };

export interface ResolvedViews {
  views: readonly FeatureView[];
  charNgrams: NgramRange;
  dropNames: boolean;
}

export function viewsOf(features: ViewFeatures): ResolvedViews {
  const d = DEFAULT_SETTINGS.features;
  return { views: features.views ?? d.views, charNgrams: features.charNgrams ?? d.charNgrams, dropNames: features.dropNames ?? d.dropNames };
}

/** Whether these settings count exactly what countTerms alone counts (the default, and every run before the views). */
export function wordsOnly(features: ViewFeatures): boolean {
  const { views, dropNames } = viewsOf(features);
  return views.length === 1 && views[0] === 'words' && !dropNames;
}

/** The suffix documentKey adds for non-default views ('' for the words alone, so older caches stay valid). */
export function viewsKey(features: ViewFeatures): string {
  if (wordsOnly(features)) return '';
  const { views, charNgrams, dropNames } = viewsOf(features);
  const names = views.map((v) => (v === 'charNgrams' ? `chars${charNgrams.min}-${charNgrams.max}` : v));
  return `:${names.join('+')}${dropNames ? ':nonames' : ''}`;
}

/**
 * Counts one document's terms under the views. `names`: the book's names to leave out (namesIn
 * over all of the book's samples, so a name that opens a sentence in one sample is still known);
 * used only with dropNames. `tokens` is the words found, as countTerms says.
 */
export function countDocument(text: string, features: ViewFeatures, names?: ReadonlySet<string>): CountResult {
  if (wordsOnly(features)) return countTerms(text, features);
  const { views, charNgrams, dropNames } = viewsOf(features);
  const drop = dropNames ? names : undefined;
  const counts: TermCounts = new Map();
  let tokens = 0;
  let every: TermCounts | null = null;
  for (const view of views) {
    if (view === 'words') {
      const words = countTerms(text, { stopWords: features.stopWords, stem: features.stem, drop });
      for (const [term, count] of words.counts) counts.set(term, count);
      tokens = words.tokens;
      continue;
    }
    // function words and n-grams read every word, stop words and one-letter words included, unstemmed
    if (!every) {
      const all = countTerms(text, { stopWords: false, stem: false, minLength: 1, drop });
      every = all.counts;
      tokens = all.tokens;
    }
    const prefix = VIEW_PREFIX[view];
    if (view === 'functionWords') {
      for (const [word, count] of every) if (FUNCTION_WORDS.has(word)) counts.set(prefix + word, count);
    } else {
      addCharNgrams(every, charNgrams, counts, prefix);
    }
  }
  return { counts, tokens };
}
