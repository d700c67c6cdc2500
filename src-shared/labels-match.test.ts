import { describe, expect, it } from 'vitest';
import { labelsFromTable, pathStem } from './labels-match';

const DEFAULTS = { idDefaults: ['ebook_id', 'file', 'path'], labelDefaults: ['label', 'genre'] };

describe('labelsFromTable', () => {
  it('matches by Gutenberg number, then file name without extension, then path, and leaves out a key with two labels', () => {
    const books = [
      { bookId: 1, path: '/books/a/pg1342.txt', ebookId: 1342 },
      { bookId: 2, path: '/books/b/moby.txt', ebookId: null },
      { bookId: 3, path: 'C:\\books\\c\\twice.txt' },
      { bookId: 4, path: '/books/d/nobody.txt' },
    ];
    const csv = 'file,genre\r\n01342,romance\r\nmoby.txt,sea\r\ntwice,a\r\ntwice,b\r\n';
    const { labels, unmatched, idColumn, labelColumn } = labelsFromTable(books, csv, DEFAULTS);
    expect([...labels]).toEqual([
      [1, 'romance'],
      [2, 'sea'],
    ]);
    expect(unmatched).toEqual(['C:\\books\\c\\twice.txt', '/books/d/nobody.txt']);
    expect([idColumn, labelColumn]).toEqual(['file', 'genre']);
  });

  it('says which column is missing', () => {
    expect(() => labelsFromTable([], 'a,b\n1,2\n', { ...DEFAULTS, idColumn: 'a', labelColumn: 'genre' })).toThrow('The labels table has no column "genre". Its columns: a, b.');
  });

  it('takes the stem of a file name as path.basename with its extension would', () => {
    expect(['/a/b/1342.txt', 'C:\\x\\a.b.txt', '/a/b.c/d', '.hidden', 'plain'].map(pathStem)).toEqual(['1342', 'a.b', 'd', '.hidden', 'plain']);
  });
});
