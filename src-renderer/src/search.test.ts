import { describe, expect, it } from 'vitest';
import type { BookPoint } from '../../src-shared/domain';
import { commonFolder, foldText, queryWords, searchBooks, searchIndex } from './search';

const point = (bookId: number, title: string, author: string, ebookId: number | null, path = `/books/${bookId}.txt`): BookPoint => ({
  bookId, path, title, author, language: 'English', ebookId, cluster: 0, x: 0, y: 0, distanceToCentre: null,
});

const books = [
  point(1, 'Moby Dick; Or, The Whale', 'Herman Melville', 2701, '/books/sea/moby.txt'),
  point(2, 'The Whale Fishery', 'Anon', null, '/books/sea/fishery.txt'),
  point(3, 'Les Misérables', 'Victor Hugo', 135),
  point(4, 'Émile', 'Jean-Jacques Rousseau', 5427),
  point(5, 'Dick Whittington', 'Anon', 1342),
];
const index = searchIndex(books);
const ids = (query: string) => searchBooks(index, query).map((p) => p.bookId);

describe('searchBooks', () => {
  it('ignores case and accents', () => {
    expect(foldText('Émile STRAßE')).toBe('emile strasse');
    expect(ids('miserables')).toEqual([3]);
    expect(ids('EMILE')).toEqual([4]);
    expect(ids('émile')).toEqual([4]);
  });

  it('needs every word, in the title, author, Gutenberg number or path', () => {
    expect(ids('whale melville')).toEqual([1]);
    expect(ids('hugo')).toEqual([3]);
    expect(ids('2701')).toEqual([1]);
    expect(ids('#1342')).toEqual([5]);
    expect(ids('sea/fishery')).toEqual([2]);
    expect(ids('whale nobody')).toEqual([]);
  });

  it('puts titles that start with the query first, then titles with every word, then the rest', () => {
    // "dick": Dick Whittington starts with it, Moby Dick holds it
    expect(ids('dick')).toEqual([5, 1]);
    // "anon" is an author only
    expect(ids('anon')).toEqual([5, 2]);
    expect(ids('the whale')).toEqual([2, 1]);
  });

  it('searches paths below the folder all the books share', () => {
    expect(commonFolder(books.map((p) => p.path))).toBe('/books/');
    expect(commonFolder(['/a/b/c.txt'])).toBe('/a/b/');
    expect(commonFolder(['/a/bc/x.txt', '/a/bd/y.txt'])).toBe('/a/');
    expect(commonFolder(['C:\\lib\\x.txt', 'C:\\lib\\y.txt'])).toBe('C:\\lib\\');
    expect(commonFolder([])).toBe('');
    // every path holds "books": it finds none of them by that
    expect(ids('books')).toEqual([]);
    expect(ids('sea/')).toEqual([1, 2]);
  });

  it('finds nothing for an empty query', () => {
    expect(ids('')).toEqual([]);
    expect(ids('   ')).toEqual([]);
    expect(queryWords('  #12  Moby ')).toEqual(['12', 'moby']);
  });
});
