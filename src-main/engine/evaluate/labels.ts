// Known labels for the books of a run, from a researcher's table (a manifest CSV) or from the
// folders the books sit in (as Orange's Import Documents does). Books are matched by Gutenberg
// number where one is known, else by file name without extension (Gutenberg's own files are
// named by their number), else by path.
import { basename, dirname, extname } from 'node:path';
import { LABELS_ID_COLUMNS as ID_COLUMNS, LABELS_LABEL_COLUMNS as LABEL_COLUMNS, type LabelsSource } from '../../../src-shared/domain';
import { parseCsv } from '../../../src-shared/csv';
import { ShelfmapError } from '../../../src-shared/errors';

export interface LabelledBook {
  bookId: number;
  path: string;
  /** The Gutenberg eBook number its header gives, where known (a run keeps it as the library knew it). */
  ebookId?: number | null;
}

export interface BookLabels {
  /** Each matched book's label. */
  labels: Map<number, string>;
  /** Paths of the run's books the table has no row for. */
  unmatched: string[];
  /** The table's columns used (empty for subfolders). */
  idColumn: string;
  labelColumn: string;
}


const stem = (path: string) => basename(path.replace(/\\/g, '/'), extname(path));
/** A table's "01342" is Gutenberg number 1342. */
const numberKey = (key: string) => (/^\d+$/.test(key) ? String(Number(key)) : key);

function pickColumn(header: string[], wanted: string | undefined, defaults: readonly string[], what: string): number {
  const lower = header.map((h) => h.trim().toLowerCase());
  if (wanted !== undefined) {
    const index = lower.indexOf(wanted.trim().toLowerCase());
    if (index < 0) throw new ShelfmapError('invalid-argument', `The labels table has no column "${wanted}". Its columns: ${header.join(', ')}.`);
    return index;
  }
  for (const name of defaults) {
    const index = lower.indexOf(name);
    if (index >= 0) return index;
  }
  throw new ShelfmapError(
    'invalid-argument',
    `Say which column holds the ${what} (--${what === 'label' ? 'label' : 'id'}-column); the table's columns are ${header.join(', ')}.`,
  );
}

/** Labels from a CSV table; a key that names two labels is left out rather than guessed. */
function fromTable(books: LabelledBook[], csv: string, idColumn?: string, labelColumn?: string): BookLabels {
  const rows = parseCsv(csv.replace(/^\uFEFF/, '')).filter((row) => row.some((cell) => cell.trim() !== ''));
  if (rows.length < 2) throw new ShelfmapError('invalid-argument', 'The labels table needs a header row and at least one row of labels.');
  const [header, ...body] = rows;
  const idIndex = pickColumn(header, idColumn, ID_COLUMNS, 'id');
  const labelIndex = pickColumn(header, labelColumn, LABEL_COLUMNS, 'label');
  const byNumber = new Map<string, string | null>();
  const byKey = new Map<string, string | null>();
  const byStem = new Map<string, string | null>();
  const remember = (map: Map<string, string | null>, key: string, label: string) => {
    if (key === '') return;
    const known = map.get(key);
    map.set(key, known === undefined || known === label ? label : null);
  };
  for (const row of body) {
    const key = (row[idIndex] ?? '').trim();
    const label = (row[labelIndex] ?? '').trim();
    if (label === '') continue;
    if (/^\d+$/.test(key)) remember(byNumber, numberKey(key), label);
    remember(byKey, key, label);
    remember(byStem, stem(key), label);
  }
  const labels = new Map<number, string>();
  const unmatched: string[] = [];
  for (const book of books) {
    // its Gutenberg number first, then its file name without extension, then its path
    const candidates = [
      book.ebookId ? byNumber.get(String(book.ebookId)) : undefined,
      byKey.get(stem(book.path)),
      byStem.get(stem(book.path)),
      byKey.get(book.path),
    ];
    const label = candidates.find((c) => typeof c === 'string');
    if (label) labels.set(book.bookId, label);
    else unmatched.push(book.path);
  }
  return { labels, unmatched, idColumn: header[idIndex], labelColumn: header[labelIndex] };
}

export function labelsForBooks(books: LabelledBook[], source: LabelsSource): BookLabels {
  if (source.kind === 'subfolders') {
    return { labels: new Map(books.map((b) => [b.bookId, basename(dirname(b.path))])), unmatched: [], idColumn: '', labelColumn: '' };
  }
  return fromTable(books, source.csv, source.idColumn, source.labelColumn);
}
