// A labels table as the window reads it before sending it: its columns from the header row, or
// why the file is no labels table; and which of its columns to offer first.
import { parseCsv } from '../../src-shared/csv';

/** The table's columns from its header row, or why the file is no labels table. */
export function tableColumns(name: string, text: string): { columns: string[] } | { error: string } {
  if (text.includes('\0')) return { error: `${name} is not a text file: a labels table is CSV text with a header row.` };
  const header = parseCsv(text.replace(/^\uFEFF/, '').slice(0, 64 * 1024)).find((row) => row.some((cell) => cell.trim() !== ''));
  if (!header) return { error: `${name} is empty: a labels table needs a header row and a row per book.` };
  const columns = header.map((c) => c.trim());
  if (columns.length < 2) {
    return { error: `${name} does not look like a CSV table: its first line has one column ("${columns[0].slice(0, 40)}"). It needs a column naming each book and one holding its label, separated by commas.` };
  }
  if (columns.some((c) => c === '')) return { error: `${name} has a column without a name in its header row; name every column.` };
  const twice = columns.find((c, i) => columns.findIndex((d) => d.toLowerCase() === c.toLowerCase()) !== i);
  if (twice) return { error: `${name} has two columns named "${twice}"; give each column its own name.` };
  return { columns };
}

/** The first of `wanted` the table has (any case), else `fallback`. */
export function pickColumn(columns: string[], wanted: readonly string[], fallback: string): string {
  const lower = columns.map((c) => c.toLowerCase());
  for (const name of wanted) {
    const at = lower.indexOf(name);
    if (at >= 0) return columns[at];
  }
  return fallback;
}


/** Labels tables above this size are refused before they are read. */
const MAX_TABLE_BYTES = 64 * 1024 * 1024;

/** A labels table the person picked: its text and columns, or why it cannot be one. */
export async function readLabelsFile(file: File): Promise<{ name: string; csv: string; columns: string[] } | { error: string }> {
  if (file.size > MAX_TABLE_BYTES) return { error: `${file.name} is over 64 MiB: too large for a labels table.` };
  const csv = await file.text();
  const read = tableColumns(file.name, csv);
  return 'error' in read ? read : { name: file.name, csv, columns: read.columns };
}
