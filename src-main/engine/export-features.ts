// A finished run's features as Parquet, for clustering beyond one machine (docs/scale.md): one row
// per book of the run (book_id, ebook_id, path, title, the run's cluster, its x/y, the sparse
// TF-IDF vector as tfidf_indices + tfidf_values with tfidf_size, and the run's embedding), and a
// sidecar "<name>.vocabulary.parquet" (term_index, term, idf). Each book's TF-IDF row is the
// whole book, its samples' cached term counts together, weighed with the run's own stored
// vocabulary, idf and feature options (tfidfFromFitted, as placing does) and scaled to unit
// length: the same space the run's rows were in, one row per book rather than per sample.
// Written with hyparquet-writer (pure JavaScript, no native or wasm part), one row group per
// EXPORT_ROW_GROUP books, so a large run is never held as one table; each file is written
// under a temporary name and renamed, so it is whole or not there.
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ParquetWriter, fileWriter } from 'hyparquet-writer';
import type { SchemaElement } from 'hyparquet';
import type { Book, BookPoint, FeatureExportReport, RunSummary } from '../../src-shared/domain';
import { ShelfmapError } from '../../src-shared/errors';
import { SHELFMAP_VERSION } from './export';
import type { Store } from './store/store';
import { tfidfFromFitted, type TermCounts, type TfidfOptions } from './features';
import { bookDocuments } from './pipeline';
import { placeableRun } from './place';

/** Books per Parquet row group. */
export const EXPORT_ROW_GROUP = 1000;

/** The columns export-features writes, in order (docs/scale.md and the PySpark job read these). */
export const FEATURE_COLUMNS = [
  'book_id',
  'ebook_id',
  'path',
  'title',
  'shelfmap_run',
  'cluster',
  'x',
  'y',
  'tfidf_size',
  'tfidf_indices',
  'tfidf_values',
  'embedding',
] as const;

export const VOCABULARY_COLUMNS = ['term_index', 'term', 'idf'] as const;

type Leaf = 'INT32' | 'FLOAT' | 'DOUBLE';

function listOf(name: string, type: Leaf): SchemaElement[] {
  return [
    { name, repetition_type: 'REQUIRED', converted_type: 'LIST', num_children: 1 },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    { name: 'element', type, repetition_type: 'REQUIRED' },
  ];
}

const text = (name: string, repetition: 'REQUIRED' | 'OPTIONAL' = 'REQUIRED'): SchemaElement => ({
  name,
  type: 'BYTE_ARRAY',
  converted_type: 'UTF8',
  repetition_type: repetition,
});
const scalar = (name: string, type: Leaf, repetition: 'REQUIRED' | 'OPTIONAL' = 'REQUIRED'): SchemaElement => ({ name, type, repetition_type: repetition });

const FEATURES_SCHEMA: SchemaElement[] = [
  { name: 'schema', num_children: FEATURE_COLUMNS.length },
  scalar('book_id', 'INT32'),
  scalar('ebook_id', 'INT32', 'OPTIONAL'),
  text('path'),
  text('title'),
  scalar('shelfmap_run', 'INT32'),
  scalar('cluster', 'INT32'),
  scalar('x', 'DOUBLE'),
  scalar('y', 'DOUBLE'),
  scalar('tfidf_size', 'INT32'),
  ...listOf('tfidf_indices', 'INT32'),
  ...listOf('tfidf_values', 'FLOAT'),
  ...listOf('embedding', 'DOUBLE'),
];

const VOCABULARY_SCHEMA: SchemaElement[] = [{ name: 'schema', num_children: 3 }, scalar('term_index', 'INT32'), text('term'), scalar('idf', 'DOUBLE')];

/** "features.parquet" -> "features.vocabulary.parquet". */
export function vocabularyPathFor(out: string): string {
  return join(dirname(out), `${basename(out).replace(/\.parquet$/i, '')}.vocabulary.parquet`);
}

/** One document of all a book's samples: the sum of their term counts. */
export function wholeBookCounts(docs: TermCounts[]): TermCounts {
  if (docs.length === 1) return docs[0];
  const sum: TermCounts = new Map();
  for (const doc of docs) for (const [term, count] of doc) sum.set(term, (sum.get(term) ?? 0) + count);
  return sum;
}

/** Writes through a temporary file beside `out`, renamed over it once complete. */
function writeParquetAtomic(out: string, schema: SchemaElement[], kv: { key: string; value: string }[], fill: (writer: ParquetWriter) => void): void {
  const temporary = join(dirname(out), `.${basename(out)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const writer = new ParquetWriter({ writer: fileWriter(temporary), schema, kvMetadata: kv, createdBy: `shelfmap ${SHELFMAP_VERSION}` });
    fill(writer);
    writer.finish();
    renameSync(temporary, out);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

function checkOut(out: string): void {
  const folder = dirname(out);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new ShelfmapError('invalid-argument', `Cannot write ${out}: the folder ${folder} does not exist.`);
  }
  if (existsSync(out) && statSync(out).isDirectory()) throw new ShelfmapError('invalid-argument', `Cannot write ${out}: it is a folder.`);
  if (!/\.parquet$/i.test(out)) throw new ShelfmapError('invalid-argument', `${out}: give the Parquet file a .parquet name (its vocabulary is written beside it).`);
}

/** Writes the run's features to `out` (and its vocabulary beside it); see the top of this file. */
export function exportRunFeatures(store: Store, run: RunSummary, out: string): FeatureExportReport {
  checkOut(out);
  const { placement, model } = placeableRun(store, run);
  const tfidf = tfidfFromFitted(model.vocabulary, model.idf, model.features as TfidfOptions);
  const library = new Map<number, Book>(store.listBooks().map((b) => [b.id, b]));
  const points = store.runPoints(run.id).filter((p) => !p.placed && placement.embeddings.has(p.bookId));
  const gone = points.filter((p) => !library.has(p.bookId));
  if (gone.length > 0) {
    throw new ShelfmapError(
      'not-found',
      `${gone.length} of run ${run.id}'s books are no longer in the library (e.g. ${gone[0].path}), so their term counts are gone: make a new run to export.`,
    );
  }
  const embeddingSize = points.length === 0 ? 0 : placement.embeddings.get(points[0].bookId)!.length;
  const vocabularySize = model.vocabulary.length;
  const kv = [
    { key: 'shelfmap.format', value: 'shelfmap-features 1' },
    { key: 'shelfmap.run', value: String(run.id) },
    { key: 'shelfmap.tfidf_size', value: String(vocabularySize) },
    { key: 'shelfmap.embedding_size', value: String(embeddingSize) },
    { key: 'shelfmap.tfidf', value: 'each book as one document (its samples together), the run\'s vocabulary and idf, unit length' },
    { key: 'shelfmap.features', value: JSON.stringify(run.settings.features) },
  ];
  const vocabularyPath = vocabularyPathFor(out);
  writeParquetAtomic(vocabularyPath, VOCABULARY_SCHEMA, kv, (writer) =>
    writer.write({
      columnData: [
        { name: 'term_index', data: model.vocabulary.map((_, i) => i) },
        { name: 'term', data: model.vocabulary },
        { name: 'idf', data: Array.from(model.idf) },
      ],
      rowGroupSize: Math.max(1, vocabularySize),
    }),
  );
  try {
    writeParquetAtomic(out, FEATURES_SCHEMA, kv, (writer) => {
      for (let start = 0; start < points.length; start += EXPORT_ROW_GROUP) {
        writer.write({ columnData: featureColumns(store, run, tfidf, library, placement.embeddings, points.slice(start, start + EXPORT_ROW_GROUP)), rowGroupSize: EXPORT_ROW_GROUP });
      }
    });
  } catch (error) {
    rmSync(vocabularyPath, { force: true });
    throw error;
  }
  return { path: out, vocabularyPath, books: points.length, vocabularySize, embeddingSize, bytes: statSync(out).size };
}

function featureColumns(
  store: Store,
  run: RunSummary,
  tfidf: ReturnType<typeof tfidfFromFitted>,
  library: Map<number, Book>,
  embeddings: Map<number, Float64Array>,
  points: BookPoint[],
) {
  const indices: number[][] = [];
  const values: number[][] = [];
  for (const p of points) {
    const [row] = tfidf.transform([wholeBookCounts(bookDocuments(store, library.get(p.bookId)!, run.settings.features))]);
    indices.push(Array.from(row.indices));
    values.push(Array.from(row.values));
  }
  return [
    { name: 'book_id', data: points.map((p) => p.bookId) },
    { name: 'ebook_id', data: points.map((p) => p.ebookId) },
    { name: 'path', data: points.map((p) => p.path) },
    { name: 'title', data: points.map((p) => p.title) },
    { name: 'shelfmap_run', data: points.map(() => run.id) },
    { name: 'cluster', data: points.map((p) => p.cluster) },
    { name: 'x', data: points.map((p) => p.x) },
    { name: 'y', data: points.map((p) => p.y) },
    { name: 'tfidf_size', data: points.map(() => tfidf.vocabulary.length) },
    { name: 'tfidf_indices', data: indices },
    { name: 'tfidf_values', data: values },
    { name: 'embedding', data: points.map((p) => Array.from(embeddings.get(p.bookId)!)) },
  ];
}
