// The clusters of the map on show, largest first; choosing one highlights its books. Each can
// be renamed in place (Enter saves, Escape cancels, an empty name brings back the automatic one),
// and a name carried over from an earlier run says where it came from.
import { useState } from 'react';
import type { BookPoint, ClusterInfo } from '../../../src-shared/domain';
import { plural } from '../format';
import { clusterSwatch } from '../map/colouring';

interface ClusterListProps {
  clusters: ClusterInfo[];
  /** The map's books, to name each cluster's most representative ones. */
  points: BookPoint[];
  highlighted: number | null;
  onHighlight(cluster: number | null): void;
  /** Saves a cluster's new name ("" for the automatic one); rejects with a message to show. */
  onRename?(cluster: number, name: string): Promise<void>;
}

/** "Name carried from run 3: 41 of 45 books", or null for a name not carried over. */
export function carriedNote(cluster: ClusterInfo): string | null {
  const c = cluster.carried;
  return c ? `Name carried from run ${c.fromRun}: ${c.shared} of ${plural(c.of, 'book')}` : null;
}

export function ClusterList({ clusters, points, highlighted, onHighlight, onRename }: ClusterListProps) {
  const bySize = [...clusters].sort((a, b) => b.size - a.size || a.id - b.id);
  const titles = new Map(points.map((p) => [p.bookId, p.title]));
  const [editing, setEditing] = useState<{ cluster: number; draft: string; saving: boolean; error: string | null } | null>(null);

  async function save() {
    if (!editing || !onRename || editing.saving) return;
    setEditing({ ...editing, saving: true, error: null });
    try {
      await onRename(editing.cluster, editing.draft);
      setEditing(null);
    } catch (failure) {
      setEditing({ ...editing, saving: false, error: failure instanceof Error ? failure.message : String(failure) });
    }
  }

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
        {bySize.map((cluster) => {
          const note = carriedNote(cluster);
          const edit = editing?.cluster === cluster.id ? editing : null;
          return (
            <li key={cluster.id} className="cluster-row" data-testid="cluster-row" data-cluster={cluster.id}>
              {edit ? (
                <div className="cluster-rename">
                  <input
                    type="text"
                    autoFocus
                    maxLength={80}
                    value={edit.draft}
                    aria-label={`New name for cluster ${cluster.id} (empty for the automatic name)`}
                    aria-invalid={edit.error !== null}
                    aria-describedby={`rename-hint-${cluster.id}`}
                    data-testid="cluster-name-input"
                    disabled={edit.saving}
                    onChange={(e) => setEditing({ ...edit, draft: e.target.value, error: null })}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter') {
                        e.preventDefault();
                        void save();
                      } else if (e.key === 'Escape') {
                        e.preventDefault();
                        setEditing(null);
                      }
                    }}
                  />
                  <span className="cluster-rename-hint" id={`rename-hint-${cluster.id}`}>
                    Enter saves, Escape cancels; leave it empty for the automatic name ({cluster.automaticLabel ?? cluster.label}).
                  </span>
                  {edit.error && (
                    <span className="cluster-rename-error" role="alert" data-testid="cluster-rename-error">
                      {edit.error}
                    </span>
                  )}
                </div>
              ) : (
                <button
                  type="button"
                  className="cluster-item"
                  data-testid="cluster-item"
                  data-cluster={cluster.id}
                  aria-pressed={highlighted === cluster.id}
                  onClick={() => onHighlight(highlighted === cluster.id ? null : cluster.id)}
                >
                  <span className="swatch" style={{ backgroundColor: clusterSwatch(cluster) }} aria-hidden="true" />
                  <span className="cluster-text">
                    <span className="cluster-label" data-testid="cluster-label">
                      {cluster.label}
                    </span>
                    {cluster.customLabel && cluster.automaticLabel && <span className="cluster-terms">Automatic name: {cluster.automaticLabel}</span>}
                    {note && (
                      <span className="cluster-carried" data-testid="cluster-carried">
                        {note}
                      </span>
                    )}
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
              )}
              {onRename && !edit && (
                <button
                  type="button"
                  className="cluster-rename-button"
                  data-testid="cluster-rename"
                  aria-label={`Rename cluster ${cluster.id} (${cluster.label})`}
                  title="Rename"
                  onClick={() => setEditing({ cluster: cluster.id, draft: cluster.customLabel ?? '', saving: false, error: null })}
                >
                  ✎
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
