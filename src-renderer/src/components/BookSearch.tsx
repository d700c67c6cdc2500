// The search box over the map: matches as one types (title, author, Gutenberg number, path),
// lists the first SEARCH_RESULTS_SHOWN, and tells the map which books to keep at full strength.
// A combobox: arrow keys step through the results, Enter (or a click) opens one, Escape clears.
import { useEffect, useEffectEvent, useMemo, useState, type KeyboardEvent } from 'react';
import type { BookPoint } from '../../../src-shared/domain';
import { plural } from '../format';
import { clusterColor } from '../palette';
import { searchBooks, searchIndex, SEARCH_RESULTS_SHOWN } from '../search';

interface BookSearchProps {
  points: BookPoint[];
  /** The matching books' ids while there is a query; null when the box is empty. */
  onMatches(ids: ReadonlySet<number> | null): void;
  /** Centre the map on this book and open it. */
  onOpen(bookId: number): void;
}

export function BookSearch({ points, onMatches, onOpen }: BookSearchProps) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const index = useMemo(() => searchIndex(points), [points]);
  const matches = useMemo(() => searchBooks(index, query), [index, query]);
  const shown = matches.slice(0, SEARCH_RESULTS_SHOWN);
  const searching = query.trim() !== '';

  const matchIds = useMemo(() => (searching ? new Set(matches.map((p) => p.bookId)) : null), [matches, searching]);
  const tellMatches = useEffectEvent((ids: ReadonlySet<number> | null) => onMatches(ids));
  useEffect(() => tellMatches(matchIds), [matchIds]);

  function change(text: string) {
    setQuery(text);
    setActive(0);
    setOpen(true);
  }

  function choose(point: BookPoint | undefined) {
    if (!point) return;
    setOpen(false);
    onOpen(point.bookId);
  }

  function keyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (shown.length === 0) return;
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      // the first arrow after opening a book shows the list again where it was
      setActive(open ? (active + step + shown.length) % shown.length : active);
      setOpen(true);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      choose(shown[Math.min(active, shown.length - 1)]);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      change('');
      setOpen(false);
    }
  }

  const listOpen = open && searching;
  const activeId = listOpen && shown.length > 0 ? `search-result-${shown[active]?.bookId}` : undefined;
  return (
    <div className="book-search">
      <input
        type="search"
        className="input search-input"
        placeholder="Search books…"
        aria-label="Search books"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={listOpen}
        aria-controls={listOpen && shown.length > 0 ? 'search-results' : undefined}
        aria-activedescendant={activeId}
        data-testid="search-input"
        value={query}
        onChange={(event) => change(event.target.value)}
        onKeyDown={keyDown}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
      />
      <p className="visually-hidden" role="status" data-testid="search-status">
        {searching ? (matches.length === 0 ? 'No book matches.' : `${plural(matches.length, 'book')} match.`) : ''}
      </p>
      {listOpen && (
        <div className="search-popup" data-testid="search-popup">
          {matches.length === 0 ? (
            <p className="muted search-none" data-testid="search-none">
              No book matches “{query.trim()}”. Titles, authors, Gutenberg numbers and file paths are searched.
            </p>
          ) : (
            <>
              <ul id="search-results" role="listbox" aria-label="Search results" className="search-results">
                {shown.map((p, i) => (
                  <li
                    key={p.bookId}
                    id={`search-result-${p.bookId}`}
                    role="option"
                    aria-selected={i === active}
                    className={`search-result${i === active ? ' active' : ''}`}
                    data-testid="search-result"
                    data-book-id={p.bookId}
                    // keep the focus in the box: a click must not blur it before it lands
                    onMouseDown={(event) => event.preventDefault()}
                    onMouseEnter={() => setActive(i)}
                    onClick={() => choose(p)}
                  >
                    <span className="swatch small" style={{ backgroundColor: clusterColor(p.cluster) }} aria-hidden="true" />
                    <span className="search-title">{p.title}</span>
                    <span className="search-meta">
                      {p.author || 'Unknown author'}
                      {p.ebookId !== null && ` · #${p.ebookId}`}
                    </span>
                  </li>
                ))}
              </ul>
              {matches.length > shown.length && (
                <p className="muted search-more" data-testid="search-more">
                  and {plural(matches.length - shown.length, 'more book')}: type more to narrow
                </p>
              )}
            </>
          )}
        </div>
      )}
    </div>
  );
}
