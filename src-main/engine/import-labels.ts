// A labels table made outside Shelfmap (the PySpark job of docs/scale.md, or any tool) becomes a
// run of the library, so its clusters can be browsed in the window like Shelfmap's own. The
// table is CSV or Parquet (told apart by Parquet's "PAR1" magic bytes, read with hyparquet);
// each row names a book by book_id (the library's number), else ebook_id, else path, and gives
// its cluster (column "cluster", or "prediction" as Spark MLlib's KMeans calls it). Every row is
// checked before anything is written: a row naming no book of the library, a bad or empty
// cluster, a book given two clusters, each refuses the whole table with the rows that are wrong.
// The new run's map: the source run's x/y when the table carries a shelfmap_run column (an
// export-features file, clustered elsewhere) naming a finished run that holds its books; else a
// UMAP layout of the embeddings of the latest finished run that holds them all; else each
// cluster's books around its own point on a circle. Cluster names come from the same naming a
// run uses (pipeline.ts nameClusters), colours and custom names are carried from the closest
// earlier run as for any run.
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import type { Book, ClusterInfo, ImportLabelsReport, RunSummary } from '../../src-shared/domain';
import { ShelfmapError } from '../../src-shared/errors';
import { parseCsv } from '../../src-shared/csv';
import { plural } from '../../src-shared/plural';
import { resolveSettings, type RunSettings } from '../../src-shared/settings';
import type { Store } from './store/store';
import { bookPoints, nameClusters, withCarriedFromEarlierRun } from './pipeline';
import { layout2dAsync } from './cluster';

/** The largest labels file read (a table of millions of books is a few hundred MB of CSV). */
export const MAX_LABELS_FILE_BYTES = 512 * 1024 * 1024;

export const ID_COLUMNS = ['book_id', 'ebook_id', 'path'] as const;
export const CLUSTER_COLUMNS = ['cluster', 'prediction'] as const;

/** Representatives kept per cluster: the books nearest its centre on the map. */
const REPRESENTATIVES = 5;

interface Table {
  columns: string[];
  rows: Record<string, unknown>[];
  /** The line (CSV) or row (Parquet) number of rows[0], for messages. */
  firstRowNumber: number;
  kind: 'CSV' | 'Parquet';
}

async function readTable(file: string): Promise<Table> {
  let bytes: Buffer;
  try {
    const size = statSync(file).size;
    if (size > MAX_LABELS_FILE_BYTES) throw new ShelfmapError('invalid-argument', `${file} is ${Math.round(size / 1e6)} MB: a labels file may be up to ${MAX_LABELS_FILE_BYTES / 1024 / 1024} MB.`);
    bytes = readFileSync(file);
  } catch (error) {
    if (error instanceof ShelfmapError) throw error;
    throw new ShelfmapError('not-found', `Cannot read the labels file ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message}.`);
  }
  if (bytes.length >= 8 && bytes.subarray(0, 4).toString('latin1') === 'PAR1') {
    let rows: Record<string, unknown>[];
    try {
      const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      rows = await parquetReadObjects({ file: buffer, rowFormat: 'object' });
    } catch (error) {
      throw new ShelfmapError('invalid-argument', `${file} starts like a Parquet file but cannot be read as one (${(error as Error).message}).`);
    }
    return { columns: rows.length > 0 ? Object.keys(rows[0]) : [], rows, firstRowNumber: 1, kind: 'Parquet' };
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.includes('\u0000')) throw new ShelfmapError('invalid-argument', `${file} is neither a CSV table nor a Parquet file.`);
  const [header, ...body] = parseCsv(text);
  if (!header || header.every((cell) => cell.trim() === '')) throw new ShelfmapError('invalid-argument', `${file} is empty: a labels table needs a header row (e.g. book_id,cluster) and one row per book.`);
  const columns = header.map((cell) => cell.trim());
  const rows = body.map((cells) => Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? ''])));
  // a last line break makes no row; blank lines elsewhere are rows without an id, reported below
  while (rows.length > 0 && Object.values(rows[rows.length - 1]).every((v) => v === '')) rows.pop();
  return { columns, rows, firstRowNumber: 2, kind: 'CSV' };
}

function pickColumn(table: Table, candidates: readonly string[], what: string, file: string): string {
  const lower = new Map(table.columns.map((c) => [c.toLowerCase(), c]));
  for (const name of candidates) {
    const found = lower.get(name);
    if (found !== undefined) return found;
  }
  throw new ShelfmapError(
    'invalid-argument',
    `${file} has no ${what} column: give one of ${candidates.join(', ')} (its columns: ${table.columns.join(', ') || 'none'}).`,
  );
}

/** A cell as text: numbers (bigint from Parquet INT64 too) as their digits, null as ''. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'bigint' || typeof value === 'number') return String(value);
  return String(value).trim();
}

function listSome(items: string[], total = items.length): string {
  const shown = items.slice(0, 5).join('; ');
  return total > 5 ? `${shown}; and ${total - 5} more` : shown;
}

interface Matched {
  books: Book[];
  /** The cluster label (text) of each book, in order. */
  labels: string[];
}

function matchRows(table: Table, library: Book[], idColumn: string, clusterColumn: string, file: string): Matched {
  const kind = idColumn.toLowerCase() as (typeof ID_COLUMNS)[number];
  const byKey = new Map<string, Book[]>();
  const keyOf = (book: Book): string | null => (kind === 'book_id' ? String(book.id) : kind === 'ebook_id' ? (book.ebookId === null ? null : String(book.ebookId)) : book.path);
  for (const book of library) {
    const key = keyOf(book);
    if (key === null) continue;
    byKey.set(key, [...(byKey.get(key) ?? []), book]);
  }
  const unknown: string[] = [];
  const ambiguous: string[] = [];
  const badCluster: string[] = [];
  const conflicting: string[] = [];
  const chosen = new Map<number, { book: Book; label: string; row: number }>();
  table.rows.forEach((row, i) => {
    const at = table.firstRowNumber + i;
    const where = `${table.kind === 'CSV' ? 'line' : 'row'} ${at}`;
    const id = cellText(row[idColumn]);
    const label = cellText(row[clusterColumn]);
    const normalisedId = kind === 'path' ? id : id.replace(/^0+(?=\d)/, '');
    if (label === '' || label.length > 200) {
      badCluster.push(`${where} (${idColumn} ${id || 'empty'}): ${label === '' ? 'no cluster' : 'a cluster of over 200 characters'}`);
      return;
    }
    const books = id === '' ? [] : (byKey.get(normalisedId) ?? []);
    if (books.length === 0) {
      unknown.push(`${where}: ${idColumn} ${id === '' ? '(empty)' : JSON.stringify(id)}`);
      return;
    }
    if (books.length > 1) {
      ambiguous.push(`${where}: ${idColumn} ${id} is ${books.length} books (${books.map((b) => b.path).join(', ')})`);
      return;
    }
    const book = books[0];
    const known = chosen.get(book.id);
    if (known && known.label !== label) {
      conflicting.push(`${book.path}: cluster ${known.label} (${table.kind === 'CSV' ? 'line' : 'row'} ${known.row}) and ${label} (${where})`);
      return;
    }
    if (!known) chosen.set(book.id, { book, label, row: at });
  });
  const problems: string[] = [];
  if (unknown.length > 0) problems.push(`${plural(unknown.length, 'row')} name${unknown.length === 1 ? 's' : ''} no book of the library (${listSome(unknown)})`);
  if (ambiguous.length > 0) problems.push(`${plural(ambiguous.length, 'row')} match${ambiguous.length === 1 ? 'es' : ''} more than one book; use book_id or path (${listSome(ambiguous)})`);
  if (badCluster.length > 0) problems.push(`${plural(badCluster.length, 'row')} ha${badCluster.length === 1 ? 's' : 've'} no usable cluster (${listSome(badCluster)})`);
  if (conflicting.length > 0) problems.push(`${plural(conflicting.length, 'book')} ${conflicting.length === 1 ? 'is' : 'are'} given two clusters (${listSome(conflicting)})`);
  if (problems.length > 0) {
    throw new ShelfmapError('invalid-argument', `Nothing was imported from ${file}: ${problems.join('; ')}. Books are matched by the "${idColumn}" column.`);
  }
  if (chosen.size === 0) throw new ShelfmapError('invalid-argument', `${file} has no rows of labels: a labels table needs one row per book (e.g. book_id,cluster).`);
  const entries = [...chosen.values()];
  return { books: entries.map((e) => e.book), labels: entries.map((e) => e.label) };
}

/** Cluster numbers 0..k-1: numeric labels in numeric order, others in text order. */
function numberClusters(labels: string[]): { ids: number[]; k: number } {
  const distinct = [...new Set(labels)];
  const numeric = distinct.every((l) => /^-?\d+(\.0+)?$/.test(l));
  distinct.sort((a, b) => (numeric ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(distinct.map((l, i) => [l, i]));
  return { ids: labels.map((l) => index.get(l)!), k: distinct.length };
}

/** The map: see the top of this file. */
async function layoutFor(store: Store, table: Table, books: Book[], ids: number[], k: number, seed: number): Promise<{ xy: number[][]; layout: ImportLabelsReport['layout']; sourceRun: number | null }> {
  const runColumn = table.columns.find((c) => c.toLowerCase() === 'shelfmap_run');
  const runs = store.listRuns().filter((r) => r.status === 'done');
  if (runColumn) {
    const named = new Set(table.rows.map((r) => cellText(r[runColumn])));
    const run = named.size === 1 ? runs.find((r) => String(r.id) === [...named][0]) : undefined;
    if (run) {
      const points = new Map(store.runPoints(run.id).map((p) => [p.bookId, p]));
      if (books.every((b) => points.has(b.id))) return { xy: books.map((b) => [points.get(b.id)!.x, points.get(b.id)!.y]), layout: 'source-run', sourceRun: run.id };
    }
  }
  for (const run of runs) {
    const placement = store.runPlacement(run.id);
    if (!placement || !books.every((b) => placement.embeddings.has(b.id))) continue;
    if (books.length < 3) break;
    const embeddings = books.map((b) => Array.from(placement.embeddings.get(b.id)!));
    return { xy: await layout2dAsync(embeddings, { seed }), layout: 'embedding', sourceRun: run.id };
  }
  // each cluster around its own point on a circle, its books on a sunflower spiral
  const golden = Math.PI * (3 - Math.sqrt(5));
  const seen = new Array<number>(k).fill(0);
  const xy = ids.map((c) => {
    const n = seen[c]++;
    const [cx, cy] = k === 1 ? [0, 0] : [10 * Math.cos((2 * Math.PI * c) / k), 10 * Math.sin((2 * Math.PI * c) / k)];
    const r = 0.3 * Math.sqrt(n);
    return [cx + r * Math.cos(n * golden), cy + r * Math.sin(n * golden)];
  });
  return { xy, layout: 'circles', sourceRun: null };
}

function settingsFor(store: Store, sourceRun: number | null, k: number): RunSettings {
  const source: RunSummary | undefined = sourceRun === null ? undefined : store.getRun(sourceRun);
  try {
    return resolveSettings({ ...(source?.settings ?? {}), k });
  } catch {
    return source?.settings ?? resolveSettings({});
  }
}

export interface ImportLabelsOptions {
  file: string;
  /** What the run is called where runs are listed (default: the file's name). */
  name?: string;
}

/** Reads the table, checks every row, and makes the run; see the top of this file. */
export async function importLabelsRun(store: Store, options: ImportLabelsOptions): Promise<ImportLabelsReport> {
  const { file } = options;
  const table = await readTable(file);
  const idColumn = pickColumn(table, ID_COLUMNS, 'book', file);
  const clusterColumn = pickColumn(table, CLUSTER_COLUMNS, 'cluster', file);
  const library = store.listBooks();
  const { books, labels: names } = matchRows(table, library, idColumn, clusterColumn, file);
  const { ids, k } = numberClusters(names);
  const { xy, layout, sourceRun } = await layoutFor(store, table, books, ids, k, 42);
  const settings = settingsFor(store, sourceRun, k);

  // each book's distance to its cluster's centre on the map, and the nearest as representatives
  const centres = Array.from({ length: k }, (_, c) => {
    const members = xy.filter((_, i) => ids[i] === c);
    return [members.reduce((s, p) => s + p[0], 0) / members.length, members.reduce((s, p) => s + p[1], 0) / members.length];
  });
  const distances = xy.map((p, i) => Math.hypot(p[0] - centres[ids[i]][0], p[1] - centres[ids[i]][1]));
  const named = nameClusters(store, books, settings, ids, k);
  const infos: ClusterInfo[] = named.map((info) => ({
    ...info,
    label: info.label || names[ids.indexOf(info.id)],
    representatives: books
      .map((b, i) => ({ id: b.id, i }))
      .filter(({ i }) => ids[i] === info.id)
      .sort((a, b) => distances[a.i] - distances[b.i] || a.id - b.id)
      .slice(0, REPRESENTATIVES)
      .map(({ id }) => id),
  }));
  const points = bookPoints(books, ids, xy, distances);

  // everything is checked and computed: now the run is written, in one go
  const runId = store.createRun(settings, books.length);
  try {
    store.setBackendDetail(runId, `labels imported from ${options.name ?? basename(file)}`);
    store.saveRunResult(runId, points, withCarriedFromEarlierRun(store, runId, points, infos));
  } catch (error) {
    store.finishRun(runId, 'failed', `Importing the labels failed: ${(error as Error).message}`);
    throw error;
  }
  return {
    runId,
    books: books.length,
    clusters: k,
    idColumn,
    clusterColumn,
    layout,
    sourceRun,
    notInTable: library.length - books.length,
    clusterNames: infos.map((c) => ({ cluster: c.id, from: names[ids.indexOf(c.id)], label: c.label, size: c.size })),
  };
}
