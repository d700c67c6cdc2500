// The book panel: the book chosen on the map or found by search, with the words that set it
// apart, an excerpt, its similar books (each a button that goes there; arrow keys step through
// them), and its whole text (a reader in the browser, the system's viewer on the desktop).
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ShelfmapClient } from '../../../src-shared/contract';
import type { BookDetailsResult, BookPoint, ClusterInfo } from '../../../src-shared/domain';
import { clusterSwatch } from '../map/colouring';
import { BookReader } from './BookReader';

interface BookDetailsProps {
  client: ShelfmapClient;
  runId: number;
  book: BookPoint;
  cluster: ClusterInfo | undefined;
  desktop: ShelfmapDesktopApi | null;
  onClose(): void;
  /** Centre the map on another book of the run and open it. */
  onGoTo(bookId: number): void;
  removeDisabled: boolean;
  /** Takes the book out of the library (this map keeps it). */
  onRemove(): void;
}

type Loaded = { state: 'loading' } | { state: 'ready'; details: BookDetailsResult } | { state: 'failed'; message: string };

/** Steps the focus through a list of buttons with the arrow keys (Home and End to its ends). */
function stepThroughList(event: KeyboardEvent<HTMLElement>) {
  const keys = ['ArrowDown', 'ArrowUp', 'Home', 'End'];
  if (!keys.includes(event.key)) return;
  const buttons = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('button')];
  const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
  if (at < 0) return;
  event.preventDefault();
  const next = event.key === 'Home' ? 0 : event.key === 'End' ? buttons.length - 1 : (at + (event.key === 'ArrowDown' ? 1 : -1) + buttons.length) % buttons.length;
  buttons[next].focus();
}

export function BookDetails({ client, runId, book, cluster, desktop, onClose, onGoTo, removeDisabled, onRemove }: BookDetailsProps) {
  const [confirming, setConfirming] = useState(false);
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [reading, setReading] = useState(false);
  const [opening, setOpening] = useState<string | null>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    // a new book is a new panel (App keys it by run and book), so this starts from 'loading'
    let current = true;
    client.call('bookDetails', { runId, bookId: book.bookId }).then(
      (details) => current && setLoaded({ state: 'ready', details }),
      (error: unknown) => current && setLoaded({ state: 'failed', message: (error as Error).message }),
    );
    return () => {
      current = false;
    };
  }, [client, runId, book.bookId]);

  // a newly opened book takes the focus, so the keyboard carries on from its panel
  useEffect(() => {
    titleRef.current?.focus({ preventScroll: false });
  }, [book.bookId]);

  const details = loaded.state === 'ready' ? loaded.details : null;

  async function openFile() {
    if (!desktop?.openBook) return;
    setOpening(null);
    const problem = await desktop.openBook(book.bookId);
    setOpening(problem);
  }

  return (
    <section className="card details-card" data-testid="book-details" data-book-id={book.bookId} aria-labelledby="book-title">
      <div className="card-heading">
        <h2 id="book-title" className="book-title" tabIndex={-1} ref={titleRef}>
          {book.title}
        </h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close book details">
          ×
        </button>
      </div>
      <p className="book-author">{book.author || 'Unknown author'}</p>
      <dl className="details">
        <dt>Language</dt>
        <dd>{book.language || 'Not stated'}</dd>
        <dt>Gutenberg no.</dt>
        <dd data-testid="book-ebook-id" title={book.ebookId === null ? 'The file\'s header gives no Project Gutenberg eBook number' : undefined}>
          {book.ebookId === null ? 'Not stated' : `eBook #${book.ebookId}`}
        </dd>
        <dt>Words</dt>
        <dd data-testid="book-words">{details ? details.book.words.toLocaleString('en-US') : '…'}</dd>
        <dt>Cluster</dt>
        <dd>
          <span className="swatch small" style={{ backgroundColor: clusterSwatch(cluster ?? { id: book.cluster }) }} aria-hidden="true" />
          {cluster?.label ?? `Cluster ${book.cluster}`}
          {book.placed && (
            <span className="badge placed-badge" data-testid="placed-badge" title="Placed on this run after it was made: embedded with the run's own model and given its nearest cluster; the clusters were not refitted.">
              placed
            </span>
          )}
        </dd>
        <dt>File</dt>
        <dd className="path" title={book.path}>
          {book.path}
        </dd>
      </dl>

      {loaded.state === 'loading' && (
        <p className="muted" role="status" data-testid="book-loading">
          Reading the book…
        </p>
      )}
      {loaded.state === 'failed' && (
        <p className="alert" role="alert" data-testid="book-details-error">
          {loaded.message}
        </p>
      )}
      {details && (
        <>
          <h3 className="details-heading" id="book-terms-title">
            Words that set it apart
          </h3>
          {details.distinctiveTerms.length === 0 ? (
            <p className="muted">No word of its own stands out against the library.</p>
          ) : (
            <p className="terms" data-testid="book-terms" aria-labelledby="book-terms-title">
              {details.distinctiveTerms.map((t) => (
                <span key={t.term} className="term" title={`TF-IDF ${t.score.toPrecision(3)} in this book against the library`}>
                  {t.term}
                </span>
              ))}
            </p>
          )}
          {details.excerpt.length > 0 && (
            <>
              <h3 className="details-heading">From the start of the book</h3>
              <blockquote className="excerpt" data-testid="book-excerpt" tabIndex={0} aria-label="Excerpt from the start of the book">
                {details.excerpt.map((paragraph, i) => (
                  <p key={i}>{paragraph}</p>
                ))}
              </blockquote>
            </>
          )}
          {details.excerpt.length === 0 && details.excerptNote && (
            // the library keeps samples, not the text: the excerpt comes from the file, which changed or went
            <p className="muted" data-testid="book-excerpt-note">
              {details.excerptNote}
            </p>
          )}
          <h3 className="details-heading" id="similar-title">
            Similar books
          </h3>
          {details.similar.length === 0 ? (
            <p className="muted" data-testid="similar-note">
              {details.similarNote ?? 'No other book is in this run.'}
            </p>
          ) : (
            <>
              <p className="hint" id="similar-hint">
                Nearest first in the run’s embedding (cosine distance); arrow keys step through them.
              </p>
              <ol className="similar-list" aria-labelledby="similar-title" aria-describedby="similar-hint" data-testid="similar-books" onKeyDown={stepThroughList}>
                {details.similar.map((s) => (
                  <li key={s.bookId}>
                    <button type="button" className="similar-book" data-testid="similar-book" data-book-id={s.bookId} onClick={() => onGoTo(s.bookId)}>
                      <span className="swatch small" style={{ backgroundColor: s.cluster === cluster?.id ? clusterSwatch(cluster) : clusterSwatch({ id: s.cluster }) }} aria-hidden="true" />
                      <span className="similar-title">{s.title}</span>
                      <span className="similar-meta">{s.author || 'Unknown author'}</span>
                      <span className="similar-distance" data-testid="similar-distance" aria-label={`distance ${s.distance.toFixed(3)}`}>
                        {s.distance.toFixed(3)}
                      </span>
                    </button>
                  </li>
                ))}
              </ol>
            </>
          )}
        </>
      )}

      <div className="actions">
        <button type="button" className="button small" data-testid="read-text" disabled={loaded.state === 'failed'} onClick={() => setReading(true)}>
          Read the whole text
        </button>
        {desktop?.openBook && (
          <button type="button" className="button small" data-testid="open-file" disabled={loaded.state === 'failed'} onClick={() => void openFile()}>
            Open in the system’s viewer
          </button>
        )}
        {confirming ? (
          <>
            <span className="hint">Remove it from the library? This map keeps it.</span>
            <button type="button" className="button small" data-testid="confirm-remove-book" onClick={() => {
                setConfirming(false);
                onRemove();
              }}>
              Remove
            </button>
            <button type="button" className="button small" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </>
        ) : (
          <button type="button" className="button small" data-testid="remove-book" disabled={removeDisabled} onClick={() => setConfirming(true)}>
            Remove from library…
          </button>
        )}
      </div>
      {opening && (
        <p className="alert" role="alert" data-testid="open-file-error">
          {opening}
        </p>
      )}
      {reading && <BookReader client={client} bookId={book.bookId} title={book.title} onClose={() => setReading(false)} />}
    </section>
  );
}
