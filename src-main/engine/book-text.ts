// A book's text where the library no longer keeps it (issue 10, part 2): the library keeps where
// each book's samples under the import's plan lie in its text (libraries made before kept the
// samples' text), not the text. Samples are read again from the file when its size and time are
// as noted: only their bytes decoded where the library knows where they lie in the file
// (library/byte-spans.ts), else cut at the kept offsets of the body decoded and cut again;
// otherwise from the whole body checked against its fingerprint. What needs more (another sampling plan, the excerpt, the reader) reads the whole
// body the same checked way: never other text in silence.
import type { Book } from '../../src-shared/domain';
import { ShelfmapError } from '../../src-shared/errors';
import type { SamplePlan } from '../../src-shared/settings';
import { plural } from '../../src-shared/plural';
import { sampleWindows, windowsAt } from './features/sample';
import { bodyOfBytes, readBookSync, readIfUnchanged } from './library/read-book';
import { windowsFromBytes } from './library/byte-spans';
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

/**
 * A book's sample windows under `plan`: those the library keeps when they were cut with it, else
 * read from its file again (see the top of this file). Throws as bodyFromDisk does when the file
 * no longer holds the book's text.
 */
export function bookWindows(store: Store, bookId: number, plan: SamplePlan | null): string[] {
  const key = samplesKey(plan);
  const kept = store.bookSamples(bookId);
  if (kept && kept.plan === key) return kept.windows;
  const spans = store.bookSpans(bookId);
  const file = spans && spans.plan === key ? store.bookFile(bookId) : undefined;
  const bytes = spans && file ? readIfUnchanged(file.fsPath, file.bytes, file.mtimeMs) : null;
  if (spans && bytes) {
    // only the samples' bytes decoded where the library knows where they lie in the file, else the whole body cut again
    const windows = spans.bytes && windowsFromBytes(bytes, spans.bytes, spans.spans);
    if (windows) return windows;
    const body = bodyOfBytes(bytes);
    if (spans.spans.length === 0 || spans.spans[spans.spans.length - 1] <= body.length) return windowsAt(body, spans.spans);
  }
  return sampleWindows(bodyFromDisk(store, bookId), plan);
}

/**
 * bookWindows, or null (with the reason given to `unread`) when the book's file is gone, cannot
 * be read or holds other text now: for stages that can go on without one book's samples.
 */
export function bookWindowsIfReadable(store: Store, bookId: number, plan: SamplePlan | null, unread: (message: string) => void): string[] | null {
  try {
    return bookWindows(store, bookId, plan);
  } catch (error) {
    if (!(error instanceof ShelfmapError)) throw error;
    unread(error.message);
    return null;
  }
}

/**
 * What progress says before a stage reads books again from disk (null when none need it):
 * those without kept samples under `plan` and, when `tokenizerKey` is given, without cached
 * counts under it either. `purpose` ends the sentence.
 */
export function rereadNotice(store: Store, books: readonly Book[], plan: SamplePlan | null, tokenizerKey?: string, purpose = 'for these sampling settings'): string | null {
  const ids = new Set(store.idsWithoutSamples(samplesKey(plan), tokenizerKey));
  const count = books.filter((b) => ids.has(b.id)).length;
  if (count === 0) return null;
  return `Re-reading ${plural(count, 'book')} from disk ${purpose}`;
}
