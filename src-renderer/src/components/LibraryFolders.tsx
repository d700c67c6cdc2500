// The folders added to the library: how many books each holds and how many are missing, when it
// was last read, and its books (missing ones marked); read a folder again, or remove a folder
// or a book (they leave the library; past maps keep theirs).
import { useState } from 'react';
import type { Book, LibraryFolder } from '../../../src-shared/domain';
import { fileName, plural } from '../format';

interface LibraryFoldersProps {
  folders: LibraryFolder[];
  books: Book[];
  busy: boolean;
  removal: { ok: boolean; message: string } | null;
  onRescan(folder: string): void;
  onRemove(folder: string): void;
  onRemoveBook(bookId: number, title: string): void;
}

const under = (folder: string, path: string) => path.startsWith(folder.endsWith('/') || folder.endsWith('\\') ? folder : `${folder}${folder.includes('\\') ? '\\' : '/'}`);

function FolderBooks({ books, busy, onRemoveBook }: { books: Book[]; busy: boolean; onRemoveBook(bookId: number, title: string): void }) {
  const missing = books.filter((b) => b.status === 'missing').length;
  return (
    <details className="folder-books">
      <summary>
        {plural(books.length, 'book')}
        {missing > 0 && `, ${missing} missing`}
      </summary>
      <ul className="folder-book-list" data-testid="folder-books">
        {books.map((book) => (
          <li key={book.id} className="folder-book" data-testid="folder-book" data-status={book.status}>
            <span className="folder-book-title" title={book.path}>
              {book.title || fileName(book.path)}
            </span>
            {book.status === 'missing' && (
              <span className="reason reason-missing" title="Its file was gone at the last scan: left out of new maps until it returns">
                missing
              </span>
            )}
            <button
              type="button"
              className="icon-button"
              aria-label={`Remove ${book.title || fileName(book.path)} from the library`}
              data-testid="remove-listed-book"
              disabled={busy}
              onClick={() => onRemoveBook(book.id, book.title || fileName(book.path))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}

export function LibraryFolders({ folders, books, busy, removal, onRescan, onRemove, onRemoveBook }: LibraryFoldersProps) {
  const [confirming, setConfirming] = useState<string | null>(null);
  if (folders.length === 0 && !removal) return null;
  return (
    <section className="card" aria-labelledby="folders-title">
      <h2 id="folders-title">Folders in the library</h2>
      {folders.length > 0 && (
        <ul className="folder-list" data-testid="folder-list">
          {folders.map((folder) => (
            <li key={folder.path} className="folder-item" data-testid="folder-item" data-path={folder.path} data-missing={folder.missing}>
              <div className="folder-head">
                <span className="folder-name" title={folder.path}>
                  {folder.path}
                </span>
              </div>
              <p className="folder-meta">
                {plural(folder.books, 'book')}
                {folder.missing > 0 && ` · ${folder.missing} missing`}
                {!folder.exists && ' · the folder is not there now'}
                {folder.lastScannedAt && ` · read ${new Date(folder.lastScannedAt).toLocaleString()}`}
              </p>
              <FolderBooks books={books.filter((b) => under(folder.path, b.path))} busy={busy} onRemoveBook={onRemoveBook} />
              {confirming === folder.path ? (
                <div className="folder-actions" role="group" aria-label={`Remove ${folder.path}?`}>
                  <span className="folder-meta">Remove it and its {plural(folder.books + folder.missing, 'book')}?</span>
                  <button
                    type="button"
                    className="button small"
                    data-testid="confirm-remove-folder"
                    onClick={() => {
                      setConfirming(null);
                      onRemove(folder.path);
                    }}
                  >
                    Remove
                  </button>
                  <button type="button" className="button small" onClick={() => setConfirming(null)}>
                    Keep
                  </button>
                </div>
              ) : (
                <div className="folder-actions">
                  <button type="button" className="button small" data-testid="rescan-folder" disabled={busy || !folder.exists} onClick={() => onRescan(folder.path)}>
                    Read again
                  </button>
                  <button type="button" className="button small" data-testid="remove-folder" disabled={busy} onClick={() => setConfirming(folder.path)}>
                    Remove…
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {removal && (
        <p className={removal.ok ? 'hint' : 'inline-error'} role={removal.ok ? 'status' : 'alert'} data-testid="removal-message">
          {removal.message}
        </p>
      )}
    </section>
  );
}
