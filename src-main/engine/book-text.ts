// A book's text where the library no longer keeps it (issue 10, part 2): the library keeps each
// book's sample windows under the import's sampling plan, not its whole body. What needs more
// (another sampling plan, the excerpt, the reader) reads the book's file again, and uses it only
// when it is still the text that was added (same fingerprint): never other text in silence.
import type { Book } from '../../src-shared/domain';
import { ShelfmapError } from '../../src-shared/errors';
import type { SamplePlan } from '../../src-shared/settings';
import { plural } from '../../src-shared/plural';
import { sampleWindows } from './features/sample';
import { readBookSync } from './library/read-book';
import { planKey } from './store/packed';
import type { Store } from './store/store';

/** The key book_samples.plan keeps for a plan (null: the whole book). */
export function samplesKey(plan: SamplePlan | null): string {
  return plan ? planKey(plan) : 'whole';
}

/**
 * The body of a book read again from its file, checked against the fingerprint it was added
 * with. Throws a not-found ShelfmapError that says what happened when the file is gone,
 * unreadable now, or holds other text.
 */
export function bodyFromDisk(store: Store, bookId: number): string {
  const file = store.bookFile(bookId);
  if (!file) throw new ShelfmapError('not-found', `There is no book ${bookId} in the library.`);
  const result = readBookSync({ path: file.path, fsPath: file.fsPath });
  if (!result.ok) {
    const why = result.rejected.reason === 'vanished' ? `is no longer at ${file.path}` : `cannot be read from ${file.path} now (${result.rejected.message})`;
    throw new ShelfmapError('not-found', `"${file.title}" ${why}: the library keeps only samples of each book's text. Add its folder again to find it.`);
  }
  if (result.book.fingerprint !== file.fingerprint) {
    throw new ShelfmapError('not-found', `"${file.title}" (${file.path}) has changed on disk since it was added: add its folder again.`);
  }
  return result.book.body;
}

/** A book's sample windows under `plan`: those the library keeps when they were cut with it, else cut from its file read again. */
export function bookWindows(store: Store, bookId: number, plan: SamplePlan | null): string[] {
  const kept = store.bookSamples(bookId);
  if (kept && kept.plan === samplesKey(plan)) return kept.windows;
  return sampleWindows(bodyFromDisk(store, bookId), plan);
}

/**
 * What progress says before a stage reads books again from disk (null when none need it):
 * those without kept samples under `plan` and, when `tokenizerKey` is given, without cached
 * counts under it either.
 */
export function rereadNotice(store: Store, books: readonly Book[], plan: SamplePlan | null, tokenizerKey?: string): string | null {
  const ids = new Set(store.idsWithoutSamples(samplesKey(plan), tokenizerKey));
  const count = books.filter((b) => ids.has(b.id)).length;
  if (count === 0) return null;
  return `Re-reading ${plural(count, 'book')} from disk for these sampling settings`;
}
