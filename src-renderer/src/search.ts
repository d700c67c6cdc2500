// Finding books on the map as one types: every word of the query must be found, ignoring case
// and accents, in the book's title, author, Gutenberg number or path.
import type { BookPoint } from '../../src-shared/domain';

/** Results listed under the search box; the rest are counted ("and 12 more"). */
export const SEARCH_RESULTS_SHOWN = 20;

/** Lower case without accents ("Émile" -> "emile", "Straße" -> "strasse"). */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/ß/g, 'ss');
}

/** The words of a query, folded; a leading "#" of a Gutenberg number is dropped. */
export function queryWords(query: string): string[] {
  return foldText(query)
    .split(/\s+/)
    .map((w) => w.replace(/^#(?=\d)/, ''))
    .filter((w) => w !== '');
}

export interface SearchIndex {
  points: BookPoint[];
  /** Per point: title folded, and everything searched folded. */
  titles: string[];
  haystacks: string[];
}

/** The folder every path starts with (through its last separator), "" when they share none. */
export function commonFolder(paths: readonly string[]): string {
  if (paths.length === 0) return '';
  let prefix = paths[0];
  for (const path of paths) {
    let i = 0;
    while (i < prefix.length && i < path.length && prefix[i] === path[i]) i++;
    prefix = prefix.slice(0, i);
  }
  const cut = Math.max(prefix.lastIndexOf('/'), prefix.lastIndexOf('\\'));
  return cut < 0 ? '' : prefix.slice(0, cut + 1);
}

/**
 * What is searched of each book. Of its path, only what follows the folder all the books share:
 * "books" should not find every book of /home/ann/books.
 */
export function searchIndex(points: BookPoint[]): SearchIndex {
  const shared = commonFolder(points.map((p) => p.path)).length;
  return {
    points,
    titles: points.map((p) => foldText(p.title)),
    haystacks: points.map((p) => foldText([p.title, p.author, p.ebookId === null ? '' : String(p.ebookId), p.path.slice(shared)].join('\n'))),
  };
}

/**
 * The books whose title, author, Gutenberg number or path hold every word of the query: titles
 * that start with the query first, then titles that hold every word, then the rest; each group
 * by title. An empty query finds nothing.
 */
export function searchBooks(index: SearchIndex, query: string): BookPoint[] {
  const words = queryWords(query);
  if (words.length === 0) return [];
  const whole = words.join(' ');
  const found: { point: BookPoint; rank: number; title: string }[] = [];
  index.points.forEach((point, i) => {
    const haystack = index.haystacks[i];
    if (!words.every((w) => haystack.includes(w))) return;
    const title = index.titles[i];
    const rank = title.startsWith(whole) ? 0 : words.every((w) => title.includes(w)) ? 1 : 2;
    found.push({ point, rank, title });
  });
  found.sort((a, b) => a.rank - b.rank || a.title.localeCompare(b.title) || a.point.bookId - b.point.bookId);
  return found.map((f) => f.point);
}
