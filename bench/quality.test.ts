import { describe, expect, it } from 'vitest';
import { confusionTable, genreHalf } from './quality';

const genres = new Map<string, string>([
  ...Array.from({ length: 5 }, (_, i): [string, string] => [`/c/poetry-${i}.txt`, 'poetry']),
  ...Array.from({ length: 4 }, (_, i): [string, string] => [`/c/drama-${i}.txt`, 'drama']),
  ['/c/lonely.txt', 'travel'],
]);

describe('genreHalf', () => {
  it('splits every genre between the halves, A taking the odd one out, with nothing shared or lost', () => {
    const a = genreHalf(genres, 'A', 7);
    const b = genreHalf(genres, 'B', 7);
    expect(a.filter((p) => b.includes(p))).toEqual([]);
    expect([...a, ...b].sort()).toEqual([...genres.keys()].sort());
    const count = (half: string[], genre: string) => half.filter((p) => genres.get(p) === genre).length;
    expect([count(a, 'poetry'), count(b, 'poetry')]).toEqual([3, 2]);
    expect([count(a, 'drama'), count(b, 'drama')]).toEqual([2, 2]);
    expect([count(a, 'travel'), count(b, 'travel')]).toEqual([1, 0]);
  });

  it('repeats for a split seed and differs between seeds', () => {
    expect(genreHalf(genres, 'A', 7)).toEqual(genreHalf(new Map([...genres].reverse()), 'A', 7));
    const splits = new Set([1, 2, 3, 4, 5].map((s) => genreHalf(genres, 'A', s).sort().join()));
    expect(splits.size).toBeGreaterThan(1);
  });
});

describe('confusionTable', () => {
  it("lists each genre's books by cluster, largest share first", () => {
    const table = confusionTable(['poetry', 'drama', 'poetry', 'drama', 'poetry'], [1, 0, 1, 2, 0], 3);
    expect(table.split('\n')).toEqual([
      "Where each genre's books went (the default, seed 3; cN = cluster N):",
      'drama                c0 1, c2 1',
      'poetry               c1 2, c0 1',
    ]);
  });
});
