// The Library tab's table with 10,000 generated books and 200 left-out files: how long building
// the rows, sorting by each column both ways, and filtering take (the work the tab redoes when
// the library, the sort or the filter changes). The tab draws PAGE_SIZE rows whatever the total,
// so these are what grows with the library.
//   npm run bench:library-table [-- --books 10000 --repeats 5]
import { parseArgs } from 'node:util';
import type { Book, LibraryFolder, RejectedFile } from '../src-shared/domain';
import { filterRows, libraryRows, PAGE_SIZE, sortRows, type SortColumn } from '../src-renderer/src/library-rows';

const { values } = parseArgs({ options: { books: { type: 'string', default: '10000' }, repeats: { type: 'string', default: '5' } } });
const count = Number(values.books);
const repeats = Number(values.repeats);

// seeded, so every run sorts the same list
let state = 1;
const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const WORDS = ['sea', 'night', 'kitchen', 'star', 'voyage', 'garden', 'winter', 'house', 'river', 'letters', 'road', 'salt'];
const word = () => WORDS[Math.floor(random() * WORDS.length)];
const folders: LibraryFolder[] = Array.from({ length: 20 }, (_, i) => ({ path: `/library/shelf-${i}`, exists: true, addedAt: '', lastScannedAt: null, books: 0, missing: 0 }));
const books: Book[] = Array.from({ length: count }, (_, i) => ({
  id: i + 1,
  path: `${folders[i % folders.length].path}/book-${i}.txt`,
  status: random() < 0.02 ? 'missing' : 'present',
  title: `The ${word()} of the ${word()} ${i}`,
  author: random() < 0.05 ? '' : `${word()} ${word()}son`,
  language: random() < 0.8 ? 'English' : 'French',
  ebookId: random() < 0.1 ? null : 1000 + i,
  bytes: 1000,
  sha256: '',
  fingerprint: '',
  encoding: 'utf-8',
  words: Math.floor(random() * 300_000),
  addedAt: '',
}));
const rejected: RejectedFile[] = Array.from({ length: 200 }, (_, i) => ({ path: `/library/shelf-0/bad-${i}.txt`, reason: 'binary', message: 'Not text.' }));
const inMap = new Set(books.filter(() => random() < 0.9).map((b) => b.id));

function time(label: string, work: () => unknown): void {
  const ms: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    work();
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  console.log(`${label.padEnd(34)} median ${ms[Math.floor(ms.length / 2)].toFixed(1)} ms, worst ${ms[ms.length - 1].toFixed(1)} ms`);
}

console.log(`${count.toLocaleString('en-US')} books, ${rejected.length} left out, ${folders.length} folders; ${repeats} repeats; ${PAGE_SIZE} rows drawn a page`);
const rows = libraryRows(books, rejected, folders, inMap);
time('build the rows', () => libraryRows(books, rejected, folders, inMap));
for (const column of ['title', 'author', 'language', 'words', 'ebookId', 'folder', 'status'] as SortColumn[]) {
  time(`sort by ${column}, ascending`, () => sortRows(rows, { column, direction: 'ascending' }));
  time(`sort by ${column}, descending`, () => sortRows(rows, { column, direction: 'descending' }));
}
time('filter "sea night" (all)', () => filterRows(rows, 'sea night', 'all'));
time('filter "" (missing)', () => filterRows(rows, '', 'missing'));
time('filter "1234" (in the map)', () => filterRows(rows, '1234', 'in-map'));
