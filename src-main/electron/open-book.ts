// "Open in the system's viewer" from the book panel. The renderer names a book by its id, never
// a path: only a file that is a book of the library, present at its last scan, goes to the
// system's viewer (shell.openPath), so a page cannot have any other file opened.
import { resolveArgument } from '../../src-shared/arguments';
import type { Book } from '../../src-shared/domain';
import { serializeError } from '../../src-shared/errors';

export interface OpenBookDeps {
  /** The library's books (the engine's listBooks). */
  listBooks(): Promise<Book[]>;
  /** Opens a file with the system's viewer; "" when it did, else what went wrong (shell.openPath). */
  openPath(path: string): Promise<string>;
}

/** Opens the book with this id; null when it did, else what went wrong, in words. */
export async function openLibraryBook(bookId: unknown, deps: OpenBookDeps): Promise<string | null> {
  try {
    // the same check as any book id the contract takes
    const { bookId: id } = resolveArgument('bookText', { bookId });
    const book = (await deps.listBooks()).find((b) => b.id === id);
    if (!book) return `There is no book ${id} in the library.`;
    if (book.status === 'missing') return `The file of "${book.title}" was gone at the last scan of its folder: ${book.path}`;
    const problem = await deps.openPath(book.path);
    return problem === '' ? null : `The system could not open ${book.path}: ${problem}`;
  } catch (error) {
    return serializeError(error).message;
  }
}
