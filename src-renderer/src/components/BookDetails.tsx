// The book last clicked on the map.
import type { BookPoint, ClusterInfo } from '../../../src-shared/domain';
import { clusterColor } from '../palette';

interface BookDetailsProps {
  book: BookPoint;
  cluster: ClusterInfo | undefined;
  onClose(): void;
}

export function BookDetails({ book, cluster, onClose }: BookDetailsProps) {
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
        <dt>Cluster</dt>
        <dd>
          <span className="swatch small" style={{ backgroundColor: clusterColor(book.cluster) }} aria-hidden="true" />
          {cluster?.label ?? `Cluster ${book.cluster}`}
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
    </section>
  );
}
