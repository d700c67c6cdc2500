import { describe, expect, it } from 'vitest';
import { labelsForBooks } from './labels';

const books = [
  { bookId: 1, path: '/lib/gutenberg/books/11.txt' },
  { bookId: 2, path: '/lib/mine/pride-and-prejudice.txt', ebookId: 1342 },
  { bookId: 6, path: '/lib/gutenberg/books/84.txt', ebookId: 84 },
  { bookId: 3, path: '/lib/poems/leaves-of-grass.txt' },
  { bookId: 4, path: '/lib/other/unknown.txt' },
  { bookId: 5, path: '/lib/plays/hamlet.txt' },
];

describe('labelsForBooks', () => {
  it('matches by Gutenberg number, by file name without extension, and by path', () => {
    const csv = [
      'id,file,genre',
      '11,books/11.txt,children',
      '1342,x/renamed.txt,romance',
      'leaves-of-grass,,poetry',
      '/lib/plays/hamlet.txt,,drama',
      '0084,other/frankenstein.txt,horror',
    ].join('\n');
    const { labels, unmatched, idColumn, labelColumn } = labelsForBooks(books, { kind: 'table', csv });
    expect([idColumn, labelColumn]).toEqual(['id', 'genre']);
    expect(Object.fromEntries(labels)).toEqual({ 1: 'children', 2: 'romance', 3: 'poetry', 5: 'drama', 6: 'horror' });
    expect(unmatched).toEqual(['/lib/other/unknown.txt']);
  });

  it('takes the Gutenberg number over a file name that names another row', () => {
    const csv = 'id,genre\n11,children\n84,horror\n';
    const misnamed = [{ bookId: 9, path: '/lib/copies/11.txt', ebookId: 84 }];
    expect(labelsForBooks(misnamed, { kind: 'table', csv }).labels.get(9)).toBe('horror');
  });

  it('matches a file column by its file name, and leaves out a key that names two labels', () => {
    const csv = '\uFEFFfile,label\r\nbooks/11.txt,children\r\nold/11.txt,adventure\r\nleaves-of-grass.txt,poetry\r\n';
    const { labels } = labelsForBooks(books, { kind: 'table', csv, idColumn: 'file' });
    expect(Object.fromEntries(labels)).toEqual({ 3: 'poetry' });
  });

  it('takes each folder name as the label for subfolders', () => {
    const { labels, unmatched } = labelsForBooks(books, { kind: 'subfolders' });
    expect(labels.get(3)).toBe('poems');
    expect(labels.get(5)).toBe('plays');
    expect(unmatched).toEqual([]);
  });

  it('says which columns there are when it cannot tell', () => {
    expect(() => labelsForBooks(books, { kind: 'table', csv: 'name,shelf\na,b\n' })).toThrow(/Say which column holds the id .*columns are name, shelf/);
    expect(() => labelsForBooks(books, { kind: 'table', csv: 'id,shelf\na,b\n' })).toThrow(/--label-column.*columns are id, shelf/);
    expect(() => labelsForBooks(books, { kind: 'table', csv: 'id,genre\n1,x\n', labelColumn: 'topic' })).toThrow(/no column "topic"\. Its columns: id, genre/);
    expect(() => labelsForBooks(books, { kind: 'table', csv: 'id,genre\n' })).toThrow(/at least one row/);
  });
});
