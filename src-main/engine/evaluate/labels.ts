// Known labels for the books of a run, from a researcher's table (a manifest CSV) or from the
// folders the books sit in (as Orange's Import Documents does). Books are matched by Gutenberg
// number where one is known, else by file name without extension (Gutenberg's own files are
// named by their number), else by path.
import { basename, dirname } from 'node:path';
import { LABELS_ID_COLUMNS as ID_COLUMNS, LABELS_LABEL_COLUMNS as LABEL_COLUMNS, type LabelsSource } from '../../../src-shared/domain';
import { labelsFromTable, type LabelledBook } from '../../../src-shared/labels-match';

export type { LabelledBook };

export interface BookLabels {
  /** Each matched book's label. */
  labels: Map<number, string>;
  /** Paths of the run's books the table has no row for. */
  unmatched: string[];
  /** The table's columns used (empty for subfolders). */
  idColumn: string;
  labelColumn: string;
}

export function labelsForBooks(books: LabelledBook[], source: LabelsSource): BookLabels {
  if (source.kind === 'subfolders') {
    return { labels: new Map(books.map((b) => [b.bookId, basename(dirname(b.path))])), unmatched: [], idColumn: '', labelColumn: '' };
  }
  return labelsFromTable(books, source.csv, { idColumn: source.idColumn, labelColumn: source.labelColumn, idDefaults: ID_COLUMNS, labelDefaults: LABEL_COLUMNS });
}
