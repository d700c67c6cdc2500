// The clusters of the map on show, largest first; choosing one highlights its books.
import type { BookPoint, ClusterInfo } from '../../../src-shared/domain';
import { plural } from '../format';
import { clusterColor } from '../palette';

interface ClusterListProps {
  clusters: ClusterInfo[];
  /** The map's books, to name each cluster's most representative ones. */
  points: BookPoint[];
  highlighted: number | null;
  onHighlight(cluster: number | null): void;
}

export function ClusterList({ clusters, points, highlighted, onHighlight }: ClusterListProps) {
  const bySize = [...clusters].sort((a, b) => b.size - a.size || a.id - b.id);
  const titles = new Map(points.map((p) => [p.bookId, p.title]));
  return (
    <section className="card clusters-card" aria-labelledby="clusters-title">
      <div className="card-heading">
        <h2 id="clusters-title">Clusters</h2>
        {highlighted !== null && (
          <button type="button" className="link-button" onClick={() => onHighlight(null)}>
            Show all
          </button>
        )}
      </div>
      <ul className="cluster-list" data-testid="cluster-list">
        {bySize.map((cluster) => (
          <li key={cluster.id}>
            <button
              type="button"
              className="cluster-item"
              data-testid="cluster-item"
              data-cluster={cluster.id}
              aria-pressed={highlighted === cluster.id}
              onClick={() => onHighlight(highlighted === cluster.id ? null : cluster.id)}
            >
              <span className="swatch" style={{ backgroundColor: clusterColor(cluster.id) }} aria-hidden="true" />
              <span className="cluster-text">
                <span className="cluster-label">{cluster.label}</span>
                <span className="cluster-terms">{cluster.terms.slice(0, 6).join(', ')}</span>
                {cluster.representatives.length > 0 && (
                  <span className="cluster-books" data-testid="cluster-representatives">
                    Most typical:{' '}
                    {cluster.representatives
                      .slice(0, 3)
                      .map((id) => titles.get(id))
                      .filter(Boolean)
                      .join('; ')}
                  </span>
                )}
              </span>
              <span className="cluster-size" title={plural(cluster.size, 'book')}>
                {cluster.size}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
