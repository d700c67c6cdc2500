import { describe, expect, it } from 'vitest';
import { clusterLabelsCsv, csvField, neutraliseFormula, parseCsv } from './csv';
import type { BookPoint } from './domain';

describe('neutraliseFormula', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","click")', `'=HYPERLINK("http://evil.example","click")`],
    ['+SUM(A1:A9)', "'+SUM(A1:A9)"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\tTabbed', "'\tTabbed"],
    ['\rReturn', "'\rReturn"],
    ['Pride and Prejudice', 'Pride and Prejudice'],
    ['-0.123456', '-0.123456'],
    ['+12', '+12'],
    ['3.5e-4', '3.5e-4'],
    ['', ''],
  ])('%j -> %j', (input, expected) => {
    expect(neutraliseFormula(input)).toBe(expected);
  });
});

describe('clusterLabelsCsv', () => {
  const point = (over: Partial<BookPoint>): BookPoint => ({
    bookId: 1,
    path: '/b/a.txt',
    title: 'A',
    author: 'B',
    language: 'English',
    ebookId: null,
    cluster: 0,
    x: -1.5,
    y: 2,
    distanceToCentre: 0.125,
    ...over,
  });

  it('neutralises formula titles, authors and paths but keeps coordinates numeric', () => {
    const csv = clusterLabelsCsv(
      [point({ title: '=HYPERLINK("http://x","y")', author: '@evil', path: '/b/+1.txt' })],
      [{ id: 0, label: '-rm', terms: [], size: 1, representatives: [1] }],
    );
    const [, row] = parseCsv(csv);
    expect(row).toEqual(['/b/+1.txt', '', `'=HYPERLINK("http://x","y")`, "'@evil", 'English', '0', "'-rm", '-1.500000', '2.000000', '0.125000', '0']);
    // a run from before distances were kept leaves the column empty
    expect(parseCsv(clusterLabelsCsv([point({ distanceToCentre: null })], []))[1].at(-2)).toBe('');
    expect(csvField('a,"b"')).toBe('"a,""b"""');
  });

  it('gives the Gutenberg number in ebook_id, right after the path, and leaves it empty where unknown', () => {
    const rows = parseCsv(clusterLabelsCsv([point({ ebookId: 1342 }), point({ bookId: 2, path: '/b/mine.txt', ebookId: null })], []));
    expect(rows[0].slice(0, 3)).toEqual(['path', 'ebook_id', 'title']);
    expect(rows[1].slice(0, 2)).toEqual(['/b/a.txt', '1342']);
    expect(rows[2].slice(0, 2)).toEqual(['/b/mine.txt', '']);
  });

  it("marks books placed on the run after it was made with placed = 1, the run's own with 0", () => {
    const rows = parseCsv(clusterLabelsCsv([point({ bookId: 1 }), point({ bookId: 2, placed: true }), point({ bookId: 3, placed: false })], []));
    expect(rows[0].at(-1)).toBe('placed');
    expect(rows.slice(1).map((r) => r.at(-1))).toEqual(['0', '1', '0']);
  });
});
