// The Library tab's table as plain data: one row per book in the library and per file an import
// left out, with its status against the map on show; sorted and filtered without React, so the
// rules have tests of their own and 10,000 rows stay cheap (bench/library-table.ts).
import type { Book, LibraryFolder, RejectedFile, RejectReason } from '../../src-shared/domain';
import { fileName } from './format';

/** Rows the table draws at a time: the page, not the library, sets how much there is to draw. */
export const PAGE_SIZE = 100;

export type LibraryStatus = 'in-map' | 'not-in-map' | 'missing' | 'left-out';

export const STATUS_LABELS: Record<LibraryStatus, string> = {
  'in-map': 'In the map',
  'not-in-map': 'Not in the map',
  missing: 'Missing',
  'left-out': 'Left out',
};

export interface LibraryRow {
  /** Unique among rows: "book:12" or "left-out:/path/file.txt". */
  key: string;
  bookId: number | null;
  title: string;
  author: string;
  language: string;
  /** Word count; null for a file left out (it was never read as a book). */
  words: number | null;
  ebookId: number | null;
  /** The added folder the file is under (the nearest one), else the file's own folder. */
  folder: string;
  path: string;
  status: LibraryStatus;
  /** For a left-out file: why, as a short reason and in words. */
  reason: RejectReason | null;
  message: string | null;
}

export type SortColumn = 'title' | 'author' | 'language' | 'words' | 'ebookId' | 'folder' | 'status';
export type SortDirection = 'ascending' | 'descending';
export interface SortOrder {
  column: SortColumn;
  direction: SortDirection;
}

export type StatusFilter = 'all' | LibraryStatus;

function parentFolder(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut > 0 ? path.slice(0, cut) : path;
}

function isUnder(folder: string, path: string): boolean {
  const sep = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  const prefix = folder.endsWith('/') || folder.endsWith('\\') ? folder : `${folder}${sep}`;
  return path.startsWith(prefix);
}

/** The nearest added folder holding `path` (the longest such path), else the file's own folder. */
export function folderOf(path: string, folders: readonly string[]): string {
  let best: string | null = null;
  for (const folder of folders) if (isUnder(folder, path) && (best === null || folder.length > best.length)) best = folder;
  return best ?? parentFolder(path);
}

/**
 * Every book (with its status against the map on show: `inMap` holds its book ids, null when no
 * map is on show) and every left-out file, as rows.
 */
export function libraryRows(books: readonly Book[], rejected: readonly RejectedFile[], folders: readonly LibraryFolder[], inMap: ReadonlySet<number> | null): LibraryRow[] {
  const folderPaths = folders.map((f) => f.path);
  const rows: LibraryRow[] = books.map((book) => ({
    key: `book:${book.id}`,
    bookId: book.id,
    title: book.title || fileName(book.path),
    author: book.author,
    language: book.language,
    words: book.words,
    ebookId: book.ebookId,
    folder: folderOf(book.path, folderPaths),
    path: book.path,
    status: book.status === 'missing' ? 'missing' : inMap?.has(book.id) ? 'in-map' : 'not-in-map',
    reason: null,
    message: null,
  }));
  for (const file of rejected) {
    rows.push({
      key: `left-out:${file.path}`,
      bookId: null,
      title: fileName(file.path),
      author: '',
      language: '',
      words: null,
      ebookId: null,
      folder: folderOf(file.path, folderPaths),
      path: file.path,
      status: 'left-out',
      reason: file.reason,
      message: file.message,
    });
  }
  return rows;
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
const STATUS_ORDER: Record<LibraryStatus, number> = { 'in-map': 0, 'not-in-map': 1, missing: 2, 'left-out': 3 };
type TextColumn = 'title' | 'author' | 'language' | 'folder';

/**
 * Each distinct value of a text column, ranked in collation order, kept per list of rows: a
 * sort then compares small integers, not strings (10,000 rows sort in milliseconds, and every
 * tie falls back to the title's rank).
 */
const ranks = new WeakMap<readonly LibraryRow[], Partial<Record<TextColumn | 'reason', Map<string, number>>>>();

function rankOf(rows: readonly LibraryRow[], column: TextColumn | 'reason'): Map<string, number> {
  let byColumn = ranks.get(rows);
  if (!byColumn) ranks.set(rows, (byColumn = {}));
  let rank = byColumn[column];
  if (!rank) {
    const values = [...new Set(rows.map((r) => r[column] ?? ''))].sort(collator.compare);
    rank = new Map(values.map((value, i) => [value, i]));
    byColumn[column] = rank;
  }
  return rank;
}

/** Whether the row has nothing in the column (an empty author, no word count): such rows sort last either way. */
function blank(row: LibraryRow, column: SortColumn): boolean {
  const value = row[column];
  return value === null || value === '';
}

/** Sorted by the column, ties by title then path; blanks last in either direction. A new array. */
export function sortRows(rows: readonly LibraryRow[], order: SortOrder): LibraryRow[] {
  const { column } = order;
  const sign = order.direction === 'ascending' ? 1 : -1;
  const title = rankOf(rows, 'title');
  const key = (row: LibraryRow): number => {
    switch (column) {
      case 'words':
      case 'ebookId':
        return row[column] ?? 0;
      case 'status':
        return STATUS_ORDER[row.status] * 1e6 + rankOf(rows, 'reason').get(row.reason ?? '')!;
      default:
        return rankOf(rows, column).get(row[column])!;
    }
  };
  const keyed = rows.map((row) => ({ row, key: key(row), blank: blank(row, column), title: title.get(row.title)! }));
  keyed.sort(
    (a, b) =>
      (a.blank === b.blank ? 0 : a.blank ? 1 : -1) ||
      sign * (a.key - b.key) ||
      a.title - b.title ||
      (a.row.path < b.row.path ? -1 : a.row.path > b.row.path ? 1 : 0),
  );
  return keyed.map((k) => k.row);
}

/**
 * Rows whose title, author, language, eBook number, path or left-out reason holds every word of
 * `text` (any case), and whose status is `status` (or any, for "all").
 */
export function filterRows(rows: readonly LibraryRow[], text: string, status: StatusFilter): LibraryRow[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter((row) => {
    if (status !== 'all' && row.status !== status) return false;
    if (words.length === 0) return true;
    const haystack = [row.title, row.author, row.language, row.ebookId ?? '', row.path, row.reason ?? '', row.message ?? ''].join('\n').toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}

/** How many rows have each status. */
export function statusCounts(rows: readonly LibraryRow[]): Record<LibraryStatus, number> {
  const counts: Record<LibraryStatus, number> = { 'in-map': 0, 'not-in-map': 0, missing: 0, 'left-out': 0 };
  for (const row of rows) counts[row.status]++;
  return counts;
}
