// CSV for cluster labels (RFC 4180: quote fields holding a comma, quote or line break), safe to
// open in a spreadsheet: cells that one would run as a formula are neutralised.
import type { ClusterInfo, BookPoint } from './domain';

/** `placed`: 1 for a book placed on the run after it was made (its clusters left as they were), 0 for the run's own. */
export const CSV_COLUMNS = ['path', 'title', 'author', 'language', 'cluster', 'cluster_label', 'x', 'y', 'distance_to_centre', 'placed'] as const;

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

export function clusterLabelsCsv(points: BookPoint[], clusters: ClusterInfo[]): string {
  const labels = new Map(clusters.map((c) => [c.id, c.label]));
  const rows = points.map((p) =>
    [p.path, p.title, p.author, p.language, p.cluster, labels.get(p.cluster) ?? '', p.x.toFixed(6), p.y.toFixed(6), p.distanceToCentre === null ? '' : p.distanceToCentre.toFixed(6), p.placed ? 1 : 0]
      .map(csvField)
      .join(','),
  );
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
