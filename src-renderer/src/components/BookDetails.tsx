// The book last clicked on the map.
import { useState } from 'react';
import type { BookPoint, ClusterInfo } from '../../../src-shared/domain';
import { clusterSwatch } from '../map/colouring';

interface BookDetailsProps {
  book: BookPoint;
  cluster: ClusterInfo | undefined;
  onClose(): void;
  removeDisabled: boolean;
  /** Takes the book out of the library (this map keeps it). */
  onRemove(): void;
}

export function BookDetails({ book, cluster, onClose, removeDisabled, onRemove }: BookDetailsProps) {
  const [confirming, setConfirming] = useState(false);
  return (
    <section className="card details-card" data-testid="book-details" aria-labelledby="book-title">
      <div className="card-heading">
        <h2 id="book-title" className="book-title">
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
        {cluster && cluster.terms.length > 0 && (
          <>
            <dt>Terms</dt>
            <dd className="terms">
              {cluster.terms.slice(0, 10).map((term) => (
                <span key={term} className="term">
                  {term}
                </span>
              ))}
            </dd>
          </>
        )}
        <dt>File</dt>
        <dd className="path" title={book.path}>
          {book.path}
        </dd>
      </dl>
      <div className="actions">
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
    </section>
  );
}
