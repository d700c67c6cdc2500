// The whole text of a book in a modal dialog (the browser's way to read it; the desktop can also
// hand the file to the system's viewer). Escape or Close shuts it and the focus goes back.
import { useEffect, useRef, useState } from 'react';
import type { ShelfmapClient } from '../../../src-shared/contract';
import type { BookTextResult } from '../../../src-shared/domain';

interface BookReaderProps {
  client: ShelfmapClient;
  bookId: number;
  title: string;
  onClose(): void;
}

export function BookReader({ client, bookId, title, onClose }: BookReaderProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState<BookTextResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  useEffect(() => {
    let current = true;
    client.call('bookText', { bookId }).then(
      (result) => current && setText(result),
      (failure: unknown) => current && setError((failure as Error).message),
    );
    return () => {
      current = false;
    };
  }, [client, bookId]);

  return (
    <dialog ref={dialogRef} className="reader" aria-labelledby="reader-title" data-testid="reader" onClose={onClose}>
      <div className="reader-heading">
        <h2 id="reader-title">{title}</h2>
        <button type="button" className="button small" data-testid="reader-close" onClick={() => dialogRef.current?.close()}>
          Close
        </button>
      </div>
      {error && (
        <p className="alert" role="alert" data-testid="reader-error">
          {error}
        </p>
      )}
      {!text && !error && (
        <p className="muted" role="status">
          Loading the text…
        </p>
      )}
      {text && (
        <>
          {text.capped && (
            <p className="alert" role="note" data-testid="reader-capped">
              {`This book is long: shown are its first ${text.text.length.toLocaleString('en-US')} of ${text.totalChars.toLocaleString('en-US')} characters.`}
            </p>
          )}
          <pre className="reader-text" tabIndex={0} aria-label={`Text of ${title}`} data-testid="reader-text">
            {text.text}
          </pre>
        </>
      )}
    </dialog>
  );
}
