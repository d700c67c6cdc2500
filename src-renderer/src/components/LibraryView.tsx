// The Library tab: every book in the library and every file an import left out, in one table
// that sorts by any column and filters by text and status, a page of rows at a time (so 10,000
// books stay quick to draw); and below it the left-out files on their own, each with its reason.
import { useMemo, useState, type Ref } from 'react';
import type { Book, LibraryFolder, RejectedFile } from '../../../src-shared/domain';
import { fileName, plural } from '../format';
import {
  filterRows,
  libraryRows,
  PAGE_SIZE,
  sortRows,
  statusCounts,
  STATUS_LABELS,
  type LibraryRow,
  type SortColumn,
  type SortOrder,
  type StatusFilter,
} from '../library-rows';

interface LibraryViewProps {
  books: Book[];
  rejected: RejectedFile[];
  folders: LibraryFolder[];
  /** The book ids of the map on show and its run, or null when no map is shown. */
  map: { runId: number; bookIds: ReadonlySet<number> } | null;
  /** The left-out list's heading, so the sidebar's link can bring focus there. */
  leftOutHeadingRef: Ref<HTMLHeadingElement>;
  /** Shows a book of the map on show on the map. */
  onShowOnMap(bookId: number): void;
}

const COLUMNS: { column: SortColumn; name: string; numeric?: boolean }[] = [
  { column: 'title', name: 'Title' },
  { column: 'author', name: 'Author' },
  { column: 'language', name: 'Language' },
  { column: 'words', name: 'Words', numeric: true },
  { column: 'ebookId', name: 'Gutenberg no.', numeric: true },
  { column: 'folder', name: 'Folder' },
  { column: 'status', name: 'Status' },
];

function StatusCell({ row, runId }: { row: LibraryRow; runId: number | null }) {
  if (row.status === 'left-out') {
    return (
      <span className="status-cell" title={row.message ?? undefined}>
        <span className={`reason reason-${row.reason}`}>Left out: {row.reason}</span>
        <span className="status-message">{row.message}</span>
      </span>
    );
  }
  const text = row.status === 'in-map' && runId !== null ? `In the map (run ${runId})` : STATUS_LABELS[row.status];
  return <span className={`library-status status-${row.status}`}>{text}</span>;
}

export function LibraryView({ books, rejected, folders, map, leftOutHeadingRef, onShowOnMap }: LibraryViewProps) {
  const [order, setOrder] = useState<SortOrder>({ column: 'title', direction: 'ascending' });
  const [text, setText] = useState('');
  const [status, setStatus] = useState<StatusFilter>('all');
  const [page, setPage] = useState(0);

  const mapIds = map?.bookIds ?? null;
  const rows = useMemo(() => libraryRows(books, rejected, folders, mapIds), [books, rejected, folders, mapIds]);
  const counts = useMemo(() => statusCounts(rows), [rows]);
  const sorted = useMemo(() => sortRows(rows, order), [rows, order]);
  const shown = useMemo(() => filterRows(sorted, text, status), [sorted, text, status]);
  const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const first = current * PAGE_SIZE;
  const pageRows = shown.slice(first, first + PAGE_SIZE);

  function sortBy(column: SortColumn) {
    setOrder((o) => (o.column === column ? { column, direction: o.direction === 'ascending' ? 'descending' : 'ascending' } : { column, direction: 'ascending' }));
    setPage(0);
  }

  return (
    <div className="library-view" data-testid="library-view">
      <section className="card library-card" aria-labelledby="library-title">
        <div className="card-heading">
          <h2 id="library-title">Books in the library</h2>
          <p className="muted" data-testid="library-counts">
            {plural(books.length, 'book')} · {counts['in-map']} in the map{map ? ` (run ${map.runId})` : ''} · {counts['not-in-map']} not in it ·{' '}
            {counts.missing} missing · {plural(counts['left-out'], 'file')} left out
          </p>
        </div>
        <div className="library-filters" role="search" aria-label="Filter the library">
          <label className="field">
            <span className="field-label">Filter</span>
            <input
              type="search"
              data-testid="library-filter"
              placeholder="Title, author, language, number or path"
              value={text}
              onChange={(event) => {
                setText(event.target.value);
                setPage(0);
              }}
            />
          </label>
          <label className="field">
            <span className="field-label">Status</span>
            <select
              data-testid="library-status-filter"
              value={status}
              onChange={(event) => {
                setStatus(event.target.value as StatusFilter);
                setPage(0);
              }}
            >
              <option value="all">All ({rows.length.toLocaleString('en-US')})</option>
              {(Object.keys(STATUS_LABELS) as (keyof typeof STATUS_LABELS)[]).map((key) => (
                <option key={key} value={key}>
                  {STATUS_LABELS[key]} ({counts[key].toLocaleString('en-US')})
                </option>
              ))}
            </select>
          </label>
        </div>
        <p className="muted library-range" role="status" data-testid="library-range" data-shown={shown.length}>
          {shown.length === 0
            ? rows.length === 0
              ? 'The library is empty: add a folder of books.'
              : 'No row matches the filter.'
            : `Rows ${(first + 1).toLocaleString('en-US')}–${(first + pageRows.length).toLocaleString('en-US')} of ${shown.length.toLocaleString('en-US')}`}
        </p>
        <div className="table-scroll">
          <table className="library-table" data-testid="library-table">
            <caption className="visually-hidden">Books and left-out files; the column headers sort the table.</caption>
            <thead>
              <tr>
                {COLUMNS.map(({ column, name, numeric }) => (
                  <th key={column} scope="col" aria-sort={order.column === column ? order.direction : undefined} className={numeric ? 'numeric' : undefined}>
                    <button type="button" className="sort-button" data-testid={`sort-${column}`} onClick={() => sortBy(column)}>
                      {name}
                      <span className="sort-mark" aria-hidden="true">
                        {order.column === column ? (order.direction === 'ascending' ? '▲' : '▼') : ''}
                      </span>
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {pageRows.map((row) => (
                <tr key={row.key} data-testid="library-row" data-status={row.status} data-reason={row.reason ?? undefined}>
                  <td className="title-cell" title={row.path}>
                    {row.status === 'in-map' && row.bookId !== null ? (
                      <button type="button" className="link-button" onClick={() => onShowOnMap(row.bookId!)} aria-label={`${row.title}: show on the map`}>
                        {row.title}
                      </button>
                    ) : (
                      row.title
                    )}
                  </td>
                  <td>{row.author}</td>
                  <td>{row.language}</td>
                  <td className="numeric">{row.words?.toLocaleString('en-US') ?? ''}</td>
                  <td className="numeric">{row.ebookId ?? ''}</td>
                  <td className="folder-cell" title={row.folder}>
                    {row.folder}
                  </td>
                  <td data-testid="library-status">
                    <StatusCell row={row} runId={map?.runId ?? null} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {pages > 1 && (
          <nav className="pager" aria-label="Pages of the library table">
            <button type="button" className="button small" data-testid="library-previous" disabled={current === 0} onClick={() => setPage(current - 1)}>
              Previous
            </button>
            <span className="muted">
              Page {current + 1} of {pages}
            </span>
            <button type="button" className="button small" data-testid="library-next" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
              Next
            </button>
          </nav>
        )}
      </section>
      <section className="card" aria-labelledby="left-out-title" data-testid="left-out-section">
        <h2 id="left-out-title" tabIndex={-1} ref={leftOutHeadingRef}>
          Left out of the library
        </h2>
        {rejected.length === 0 ? (
          <p className="muted">No file was left out.</p>
        ) : (
          <>
            <p className="muted">
              {plural(rejected.length, 'file')} that the imports did not take in, with the reason for each. Fix a file and read its folder again to bring it in.
            </p>
            <ul className="rejected-list" data-testid="rejected-list">
              {rejected.map((file) => (
                <li key={file.path} className="rejected-item" data-testid="rejected-item" data-reason={file.reason}>
                  <div className="rejected-head">
                    <span className="rejected-name" title={file.path}>
                      {fileName(file.path)}
                    </span>
                    <span className={`reason reason-${file.reason}`}>{file.reason}</span>
                  </div>
                  <p className="rejected-path muted">{file.path}</p>
                  <p className="rejected-message">{file.message}</p>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </div>
  );
}
