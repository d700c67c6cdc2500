// CSV for cluster labels (RFC 4180: quote fields holding a comma, quote or line break), safe to
// open in a spreadsheet: cells that one would run as a formula are neutralised.
import type { ClusterInfo, BookPoint } from './domain';

/** The labels CSV's columns, in order; each has its cell in CSV_CELLS. */
export const CSV_COLUMNS = ['path', 'ebook_id', 'title', 'author', 'language', 'cluster', 'cluster_label', 'x', 'y', 'distance_to_centre', 'placed'] as const;

export type CsvColumnName = (typeof CSV_COLUMNS)[number];

/** What a row's cells are made from: the book's point and its cluster's label. */
export interface CsvRowContext {
  label: string;
}

/** Each column's cell for one book; a new column is one entry here and its name in CSV_COLUMNS. */
const CSV_CELLS: { [C in CsvColumnName]: (p: BookPoint, row: CsvRowContext) => string | number } = {
  path: (p) => p.path,
  // empty where the header gives no Gutenberg number
  ebook_id: (p) => (p.ebookId === null || p.ebookId === undefined ? '' : p.ebookId),
  title: (p) => p.title,
  author: (p) => p.author,
  language: (p) => p.language,
  cluster: (p) => p.cluster,
  cluster_label: (_, row) => row.label,
  x: (p) => p.x.toFixed(6),
  y: (p) => p.y.toFixed(6),
  distance_to_centre: (p) => (p.distanceToCentre === null ? '' : p.distanceToCentre.toFixed(6)),
  // 1 for a book placed on the run after it was made (its clusters left as they were), 0 for the run's own
  placed: (p) => (p.placed ? 1 : 0),
};

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A cell a spreadsheet would take for a formula (it starts with = + - @, a tab or a carriage
 * return) gets a leading apostrophe, as OWASP's CSV-injection advice says; numbers stay numbers.
 * A title such as =HYPERLINK("http://…") then shows as text instead of running.
 */
export function neutraliseFormula(text: string): string {
  if (!/^[=+\-@\t\r]/.test(text) || NUMBER.test(text)) return text;
  return `'${text}`;
}

export function csvField(value: string | number): string {
  const text = typeof value === 'number' ? String(value) : neutraliseFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row per book, in the order given (the store's: cluster, title, path), CRLF line ends. */
export function clusterLabelsCsv(points: BookPoint[], clusters: ClusterInfo[]): string {
  const labels = new Map(clusters.map((c) => [c.id, c.label]));
  const rows = points.map((p) => {
    const row: CsvRowContext = { label: labels.get(p.cluster) ?? '' };
    return CSV_COLUMNS.map((column) => csvField(CSV_CELLS[column](p, row))).join(',');
  });
  return [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

/** Parses RFC 4180 CSV into rows of fields (used by tests and benchmarks to read exports back). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cur);
      cur = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cur);
      rows.push(row);
      row = [];
      cur = '';
    } else cur += ch;
  }
  if (cur !== '' || row.length > 0) {
    row.push(cur);
    rows.push(row);
  }
  return rows;
}
