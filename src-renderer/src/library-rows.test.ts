import { describe, expect, it } from 'vitest';
import type { Book, LibraryFolder, RejectedFile } from '../../src-shared/domain';
import { filterRows, folderOf, libraryRows, sortRows, statusCounts } from './library-rows';

function book(id: number, title: string, extra: Partial<Book> = {}): Book {
  return {
    id,
    path: `/books/${title.toLowerCase().replace(/\W+/g, '-')}.txt`,
    status: 'present',
    title,
    author: '',
    language: 'English',
    ebookId: null,
    bytes: 100,
    sha256: '',
    fingerprint: '',
    encoding: 'utf-8',
    words: 1000,
    addedAt: '2025-01-01T00:00:00Z',
    ...extra,
  };
}

const folder = (path: string): LibraryFolder => ({ path, exists: true, addedAt: '', lastScannedAt: null, books: 0, missing: 0 });

const BOOKS = [
  book(1, 'Moby Dick', { author: 'Herman Melville', words: 210_000, ebookId: 2701 }),
  book(2, 'Emma', { author: 'Jane Austen', words: 160_000, ebookId: 158 }),
  book(3, 'Walden', { author: 'Henry David Thoreau', words: 115_000, status: 'missing', path: '/books/nature/walden.txt' }),
  book(4, 'Candide', { author: '', language: 'French', words: 30_000, ebookId: 19942 }),
];
const REJECTED: RejectedFile[] = [
  { path: '/books/bad/binary.txt', reason: 'binary', message: 'binary.txt looks like a binary file.' },
  { path: '/elsewhere/empty.txt', reason: 'empty', message: 'empty.txt is empty.' },
];

describe('library rows', () => {
  const rows = libraryRows(BOOKS, REJECTED, [folder('/books'), folder('/books/nature')], new Set([1, 2, 99]));

  it('gives each book its status against the map on show, and each left-out file its reason', () => {
    const byTitle = Object.fromEntries(rows.map((r) => [r.title, r]));
    expect(byTitle['Moby Dick'].status).toBe('in-map');
    expect(byTitle['Candide'].status).toBe('not-in-map');
    expect(byTitle['Walden'].status).toBe('missing');
    expect(byTitle['binary.txt']).toMatchObject({ status: 'left-out', reason: 'binary', words: null, bookId: null, folder: '/books' });
    expect(byTitle['empty.txt'].folder).toBe('/elsewhere');
    expect(statusCounts(rows)).toEqual({ 'in-map': 2, 'not-in-map': 1, missing: 1, 'left-out': 2 });
    // without a map on show no book is in it
    expect(statusCounts(libraryRows(BOOKS, [], [], null))['not-in-map']).toBe(3);
  });

  it('puts a file under the nearest added folder, not a folder whose name only starts the same', () => {
    expect(folderOf('/books/nature/walden.txt', ['/books', '/books/nature'])).toBe('/books/nature');
    expect(folderOf('/books-old/a.txt', ['/books'])).toBe('/books-old');
    expect(folderOf('C:\\books\\a.txt', ['C:\\books'])).toBe('C:\\books');
  });

  it('sorts by any column either way, blanks last both ways', () => {
    const titles = (column: Parameters<typeof sortRows>[1]['column'], direction: 'ascending' | 'descending') =>
      sortRows(rows, { column, direction }).map((r) => r.title);
    expect(titles('title', 'ascending')).toEqual(['binary.txt', 'Candide', 'Emma', 'empty.txt', 'Moby Dick', 'Walden']);
    expect(titles('words', 'descending').slice(0, 4)).toEqual(['Moby Dick', 'Emma', 'Walden', 'Candide']);
    expect(titles('words', 'ascending')).toEqual(['Candide', 'Walden', 'Emma', 'Moby Dick', 'binary.txt', 'empty.txt']);
    expect(titles('ebookId', 'ascending').slice(0, 3)).toEqual(['Emma', 'Moby Dick', 'Candide']);
    // an empty author goes last in either direction
    expect(titles('author', 'ascending').slice(0, 3)).toEqual(['Walden', 'Moby Dick', 'Emma']);
    expect(titles('author', 'descending').slice(0, 3)).toEqual(['Emma', 'Moby Dick', 'Walden']);
    expect(titles('status', 'ascending')).toEqual(['Emma', 'Moby Dick', 'Candide', 'Walden', 'binary.txt', 'empty.txt']);
    expect(sortRows(rows, { column: 'title', direction: 'ascending' })).not.toBe(rows);
  });

  it('filters by every word of the text (any case) over title, author, number, path and reason, and by status', () => {
    expect(filterRows(rows, 'moby', 'all').map((r) => r.title)).toEqual(['Moby Dick']);
    expect(filterRows(rows, 'JANE emma', 'all').map((r) => r.title)).toEqual(['Emma']);
    expect(filterRows(rows, '2701', 'all').map((r) => r.title)).toEqual(['Moby Dick']);
    expect(filterRows(rows, 'binary', 'all').map((r) => r.title)).toEqual(['binary.txt']);
    expect(filterRows(rows, 'french', 'all').map((r) => r.title)).toEqual(['Candide']);
    expect(filterRows(rows, '', 'left-out')).toHaveLength(2);
    expect(filterRows(rows, 'empty', 'in-map')).toHaveLength(0);
    expect(filterRows(rows, '   ', 'all')).toHaveLength(rows.length);
  });
});
