// The books picked on the map (box, lasso, shift-click, or a named group chosen again): listed
// with author and cluster, exported as CSV (the run export's columns), kept as a named group of
// the run; and the run's groups, each to pick again or forget.
import { useState } from 'react';
import type { BookGroup, BookPoint, ClusterInfo } from '../../../src-shared/domain';
import { plural } from '../format';

/** Books listed by name; the rest are counted (the export still holds every one). */
const LISTED = 200;

interface MapSelectionProps {
  /** The selected books, in the map's order. */
  books: BookPoint[];
  clusters: ClusterInfo[];
  groups: BookGroup[] | null;
  groupsError: string | null;
  onExport(): void;
  onClear(): void;
  /** Opens a book of the selection and centres the map on it. */
  onOpenBook(bookId: number): void;
  onSelectShown(): void;
  /** Saves the selection as a group; rejects with a message to show. */
  onSaveGroup?(name: string): Promise<void>;
  onPickGroup(group: BookGroup): void;
  onDeleteGroup?(group: BookGroup): Promise<void>;
}

export function MapSelection({ books, clusters, groups, groupsError, onExport, onClear, onOpenBook, onSelectShown, onSaveGroup, onPickGroup, onDeleteGroup }: MapSelectionProps) {
  const names = new Map(clusters.map((c) => [c.id, c.label]));
  const [naming, setNaming] = useState<{ draft: string; saving: boolean; error: string | null } | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);

  async function save() {
    if (!naming || !onSaveGroup || naming.saving) return;
    setNaming({ ...naming, saving: true, error: null });
    try {
      await onSaveGroup(naming.draft);
      setNaming(null);
    } catch (failure) {
      setNaming({ ...naming, saving: false, error: failure instanceof Error ? failure.message : String(failure) });
    }
  }

  return (
    <section className="map-selection" aria-labelledby="map-selection-title" data-testid="map-selection">
      <div className="card-heading">
        <h3 id="map-selection-title">Selection</h3>
        {books.length > 0 && (
          <button type="button" className="link-button" onClick={onClear} data-testid="selection-clear">
            Clear
          </button>
        )}
      </div>
      {books.length === 0 ? (
        <p className="hint">
          Drag a box or a lasso with the select tools, or shift-click books, to pick a group.{' '}
          <button type="button" className="link-button" onClick={onSelectShown} data-testid="select-shown">
            Select the books in view
          </button>
        </p>
      ) : (
        <>
          <p className="selection-count" data-testid="selection-count" data-count={books.length} aria-live="polite">
            {plural(books.length, 'book')} selected
          </p>
          <ul className="selection-list" data-testid="selection-list">
            {books.slice(0, LISTED).map((b) => (
              <li key={b.bookId}>
                <button type="button" className="selection-book" data-testid="selection-book" data-book-id={b.bookId} onClick={() => onOpenBook(b.bookId)}>
                  <span className="selection-title">{b.title}</span>
                  <span className="selection-meta">
                    {b.author || 'Unknown author'} · {names.get(b.cluster) ?? `Cluster ${b.cluster}`}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {books.length > LISTED && <p className="hint">…and {plural(books.length - LISTED, 'more book')}; the export holds them all.</p>}
          <div className="actions">
            <button type="button" className="button" onClick={onExport} data-testid="export-selection">
              Export selection
            </button>
            {onSaveGroup && !naming && (
              <button type="button" className="button" onClick={() => setNaming({ draft: '', saving: false, error: null })} data-testid="name-group">
                Name this group…
              </button>
            )}
          </div>
          {naming && (
            <div className="group-naming">
              <input
                type="text"
                autoFocus
                maxLength={80}
                value={naming.draft}
                aria-label="Name of the group"
                aria-invalid={naming.error !== null}
                data-testid="group-name-input"
                disabled={naming.saving}
                placeholder="Sea stories"
                onChange={(e) => setNaming({ ...naming, draft: e.target.value, error: null })}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    void save();
                  } else if (e.key === 'Escape') {
                    e.preventDefault();
                    e.stopPropagation();
                    setNaming(null);
                  }
                }}
              />
              <button type="button" className="button primary" onClick={() => void save()} disabled={naming.saving} data-testid="group-save">
                {naming.saving ? 'Saving…' : 'Save group'}
              </button>
              {naming.error && (
                <span className="inline-error" role="alert" data-testid="group-error">
                  {naming.error}
                </span>
              )}
            </div>
          )}
        </>
      )}
      {groupsError && (
        <p className="inline-error" role="alert">
          {groupsError}
        </p>
      )}
      {groups && groups.length > 0 && (
        <div className="map-groups">
          <h4>Groups of this run</h4>
          <ul className="group-list" data-testid="group-list">
            {groups.map((g) => (
              <li key={g.id} className="group-row">
                <button type="button" className="group-item" data-testid="group-item" onClick={() => onPickGroup(g)} title={`Select the ${plural(g.bookIds.length, 'book')} of ${g.name}`}>
                  <span className="legend-name">{g.name}</span>
                  <span className="legend-count">{g.bookIds.length}</span>
                </button>
                {onDeleteGroup && (
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Delete the group ${g.name}`}
                    data-testid="group-delete"
                    onClick={() => {
                      setDeleteError(null);
                      onDeleteGroup(g).catch((failure: unknown) => setDeleteError(failure instanceof Error ? failure.message : String(failure)));
                    }}
                  >
                    ×
                  </button>
                )}
              </li>
            ))}
          </ul>
          {deleteError && (
            <p className="inline-error" role="alert">
              {deleteError}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
