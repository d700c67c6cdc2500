// Matching a labels table's rows to books, shared by the engine (evaluate) and the window
// (colour by a labels column): by Gutenberg number where one is known, else by file name
// without extension (Gutenberg's own files are named by their number), else by path. A key
// that names two different labels is left out rather than guessed.
import { parseCsv } from './csv';
import { ShelfmapError } from './errors';

export interface LabelledBook {
  bookId: number;
  path: string;
  /** The Gutenberg eBook number its header gives, where known (a run keeps it as the library knew it). */
  ebookId?: number | null;
}

export interface TableLabels {
  /** Each matched book's label. */
  labels: Map<number, string>;
  /** Paths of the books the table has no row for. */
  unmatched: string[];
  /** The table's columns used. */
  idColumn: string;
  labelColumn: string;
}

/** The file name without its extension, for / and \ paths alike. */
export function pathStem(path: string): string {
  const name = path.replace(/\\/g, '/').split('/').pop() ?? '';
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

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

/** Labels from a CSV table with a header row; `idColumn`/`labelColumn` default to the first of `defaults` present. */
export function labelsFromTable(
  books: readonly LabelledBook[],
  csv: string,
  columns: { idColumn?: string; labelColumn?: string; idDefaults: readonly string[]; labelDefaults: readonly string[] },
): TableLabels {
  const rows = parseCsv(csv.replace(/^\uFEFF/, '')).filter((row) => row.some((cell) => cell.trim() !== ''));
  if (rows.length < 2) throw new ShelfmapError('invalid-argument', 'The labels table needs a header row and at least one row of labels.');
  const [header, ...body] = rows;
  const idIndex = pickColumn(header, columns.idColumn, columns.idDefaults, 'id');
  const labelIndex = pickColumn(header, columns.labelColumn, columns.labelDefaults, 'label');
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
    remember(byStem, pathStem(key), label);
  }
  const labels = new Map<number, string>();
  const unmatched: string[] = [];
  for (const book of books) {
    // its Gutenberg number first, then its file name without extension, then its path
    const candidates = [
      book.ebookId ? byNumber.get(String(book.ebookId)) : undefined,
      byKey.get(pathStem(book.path)),
      byStem.get(pathStem(book.path)),
      byKey.get(book.path),
    ];
    const label = candidates.find((c) => typeof c === 'string');
    if (label) labels.set(book.bookId, label);
    else unmatched.push(book.path);
  }
  return { labels, unmatched, idColumn: header[idIndex], labelColumn: header[labelIndex] };
}
