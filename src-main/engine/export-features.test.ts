// Exporting a run's features as Parquet and making a run from a labels table, through the
// engine on the fixture books in a real SQLite file. The Parquet files are read back with
// DuckDB (its own C++ reader, not the writer's companion), and DuckDB also writes the labels
// Parquet that importLabels reads, as a Spark job's output would come from another writer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { FIXTURE_BOOKS_DIR } from '../../fixtures/fixture-paths';
import { ShelfmapError } from '../../src-shared/errors';
import { openLibraryEngine, type LibraryEngine } from './library-engine';
import { FEATURE_COLUMNS, VOCABULARY_COLUMNS, vocabularyPathFor, wholeBookCounts } from './export-features';
import { CLUSTER_COLUMNS, ID_COLUMNS } from './import-labels';
import { tfidfFromFitted, type TfidfOptions } from './features';
import { bookDocuments } from './pipeline';

const QUICK = { k: 3, seed: 7, backend: 'cpu' as const, autoencoder: { epochs: 20 }, kmeansRestarts: 3 };

let dir: string;
let lib: LibraryEngine;
let runId: number;
let duck: DuckDBConnection;

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const reader = await duck.runAndReadAll(sql);
  return reader.getRowObjectsJS() as Record<string, unknown>[];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shelfmap-features-'));
  lib = openLibraryEngine(join(dir, 'library.sqlite'));
  await lib.engine.call('addFolder', { folder: FIXTURE_BOOKS_DIR });
  runId = await lib.finishedRun({ settings: QUICK });
  duck = await (await DuckDBInstance.create(':memory:')).connect();
});

afterAll(() => {
  duck?.closeSync();
  lib?.store.close();
  rmSync(dir, { recursive: true, force: true });
});

const sql = (path: string) => `'${path.replace(/'/g, "''")}'`;

describe('exportFeatures', () => {
  it("writes one row per book of the run with its TF-IDF row and embedding, which DuckDB reads back as the run's", async () => {
    const out = join(dir, 'features.parquet');
    const report = await lib.engine.call('exportFeatures', { runId, out });
    const model = lib.store.runModel(runId)!;
    const placement = lib.store.runPlacement(runId)!;
    expect(report).toMatchObject({ path: out, vocabularyPath: join(dir, 'features.vocabulary.parquet'), books: 12, vocabularySize: model.vocabulary.length });
    expect(report.embeddingSize).toBe(placement.embeddings.values().next().value!.length);
    // no temporary file is left beside them
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const columns = await query(`DESCRIBE SELECT * FROM read_parquet(${sql(out)})`);
    expect(columns.map((c) => c.column_name)).toEqual([...FEATURE_COLUMNS]);
    expect(Object.fromEntries(columns.map((c) => [c.column_name, c.column_type]))).toMatchObject({
      book_id: 'INTEGER',
      tfidf_indices: 'INTEGER[]',
      tfidf_values: 'FLOAT[]',
      embedding: 'DOUBLE[]',
    });
    const rows = await query(`SELECT * FROM read_parquet(${sql(out)}) ORDER BY book_id`);
    const points = lib.store.runPoints(runId).sort((a, b) => a.bookId - b.bookId);
    expect(rows.map((r) => r.book_id)).toEqual(points.map((p) => p.bookId));
    const tfidf = tfidfFromFitted(model.vocabulary, model.idf, model.features as TfidfOptions);
    const books = new Map(lib.store.listBooks().map((b) => [b.id, b]));
    for (const [i, row] of rows.entries()) {
      const p = points[i];
      expect(row).toMatchObject({ ebook_id: p.ebookId, path: p.path, title: p.title, shelfmap_run: runId, cluster: p.cluster, x: p.x, y: p.y, tfidf_size: model.vocabulary.length });
      expect(row.embedding).toEqual(Array.from(placement.embeddings.get(p.bookId)!));
      // the whole book weighed with the run's own vocabulary and idf, computed here on its own
      const [expected] = tfidf.transform([wholeBookCounts(bookDocuments(lib.store, books.get(p.bookId)!, lib.store.getRun(runId).settings.features))]);
      expect(row.tfidf_indices).toEqual(Array.from(expected.indices));
      const values = row.tfidf_values as number[];
      values.forEach((v, j) => expect(v).toBeCloseTo(expected.values[j], 6));
      expect(Math.hypot(...values)).toBeCloseTo(1, 5);
      expect(values.length).toBeGreaterThan(10);
    }

    const vocabulary = await query(`SELECT * FROM read_parquet(${sql(report.vocabularyPath)}) ORDER BY term_index`);
    expect(Object.keys(vocabulary[0])).toEqual([...VOCABULARY_COLUMNS]);
    expect(vocabulary.map((v) => v.term)).toEqual(model.vocabulary);
    expect(vocabulary.map((v) => v.idf)).toEqual(Array.from(model.idf));
    const kv = await query(`SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata(${sql(out)})`);
    expect(Object.fromEntries(kv.map((r) => [r.key, r.value]))).toMatchObject({ 'shelfmap.run': String(runId), 'shelfmap.tfidf_size': String(model.vocabulary.length) });
  });

  it('refuses a missing run, a name without .parquet and a folder that is not there, writing nothing', async () => {
    const refused = async (arg: unknown, pattern: RegExp) => {
      const error = await lib.engine.call('exportFeatures', arg).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ShelfmapError);
      expect((error as Error).message).toMatch(pattern);
    };
    await refused({ runId: 99, out: join(dir, 'x.parquet') }, /no run 99/);
    await refused({ runId, out: join(dir, 'x.csv') }, /\.parquet name/);
    await refused({ runId, out: join(dir, 'nowhere', 'x.parquet') }, /does not exist/);
    await refused({ runId, out: 'relative.parquet' }, /full path/);
    await refused({ runId, out: join(dir, 'x.parquet'), format: 'csv' }, /format/);
    expect(existsSync(join(dir, 'x.parquet'))).toBe(false);
    expect(existsSync(vocabularyPathFor(join(dir, 'x.parquet')))).toBe(false);
  });
});

describe('importLabels', () => {
  let features: string;
  beforeAll(async () => {
    features = join(dir, 'for-labels.parquet');
    await lib.engine.call('exportFeatures', { runId, out: features });
  });

  it("makes a run from a Parquet labels table written by another tool, on the source run's map", async () => {
    // what a Spark job writes: the ids it was given and a prediction per book (here: the run's
    // own clusters renumbered, so the new run must hold the same partition)
    const labels = join(dir, 'labels.parquet');
    await duck.run(`COPY (SELECT book_id, ebook_id, path, shelfmap_run, (cluster + 1) * 10 AS prediction FROM read_parquet(${sql(features)})) TO ${sql(labels)} (FORMAT parquet)`);
    const runsBefore = (await lib.engine.call('listRuns', {})).length;
    const report = await lib.engine.call('importLabels', { file: labels, name: 'spark kmeans' });
    expect(report).toMatchObject({ books: 12, clusters: 3, idColumn: 'book_id', clusterColumn: 'prediction', layout: 'source-run', sourceRun: runId, notInTable: 0 });
    expect((await lib.engine.call('listRuns', {})).length).toBe(runsBefore + 1);
    const made = await lib.engine.call('getRun', { runId: report.runId });
    const source = await lib.engine.call('getRun', { runId });
    expect(made.run.status).toBe('done');
    expect(made.run.backendDetail).toBe('labels imported from spark kmeans');
    const byBook = new Map(source.points.map((p) => [p.bookId, p]));
    for (const p of made.points) {
      const s = byBook.get(p.bookId)!;
      expect(p.cluster).toBe(s.cluster); // 10, 20, 30 -> 0, 1, 2 in numeric order
      expect([p.x, p.y]).toEqual([s.x, s.y]);
    }
    expect(made.clusters.map((c) => c.size).sort()).toEqual(source.clusters.map((c) => c.size).sort());
    expect(made.clusters.every((c) => c.label !== '' && c.representatives.length > 0)).toBe(true);
    // the same partition: each cluster keeps the colour of its match in the source run
    expect(made.clusters.map((c) => c.colour)).toEqual(source.clusters.map((c) => c.colour ?? c.id));
  });

  it('reads a CSV by ebook_id and lays the books out from the embeddings of a run that holds them', async () => {
    const books = lib.store.listBooks();
    const csv = join(dir, 'labels.csv');
    writeFileSync(csv, `ebook_id,cluster\r\n${books.map((b, i) => `${b.ebookId},${i % 2 === 0 ? 'even' : 'odd'}`).join('\r\n')}\r\n`);
    const report = await lib.engine.call('importLabels', { file: csv });
    expect(report).toMatchObject({ books: 12, clusters: 2, idColumn: 'ebook_id', clusterColumn: 'cluster', layout: 'embedding' });
    expect(report.clusterNames.map((c) => c.from)).toEqual(['even', 'odd']);
    const made = await lib.engine.call('getRun', { runId: report.runId });
    expect(made.run.backendDetail).toBe('labels imported from labels.csv');
    expect(made.points.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y))).toBe(true);
  });

  it('refuses unknown books, missing clusters, contradictions and other files, and changes nothing', async () => {
    const books = lib.store.listBooks();
    const runsBefore = await lib.engine.call('listRuns', {});
    const refused = async (name: string, content: string | Buffer, pattern: RegExp) => {
      const file = join(dir, name);
      writeFileSync(file, content);
      const error = await lib.engine.call('importLabels', { file }).catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(ShelfmapError);
      expect((error as Error).message).toMatch(pattern);
    };
    const good = books.slice(1).map((b) => `${b.id},1`);
    await refused('unknown.csv', `book_id,cluster\n${books[0].id},0\n999999,1\n${good.join('\n')}\n`, /1 row names no book of the library \(line 3: book_id "999999"\)/);
    await refused('empty-cluster.csv', `book_id,cluster\n${books[0].id},\n${good.join('\n')}\n`, /1 row has no usable cluster \(line 2/);
    await refused('twice.csv', `book_id,cluster\n${books[0].id},0\n${books[0].id},1\n`, /given two clusters/);
    await refused('no-id.csv', 'title,cluster\nA,1\n', /no book column: give one of book_id, ebook_id, path/);
    await refused('no-cluster.csv', `book_id,label\n${books[0].id},x\n`, /no cluster column: give one of cluster, prediction/);
    await refused('header-only.csv', 'book_id,cluster\n', /no rows of labels/);
    await refused('empty.csv', '', /is empty/);
    await refused('fake.parquet', Buffer.from('PAR1 but not really PAR1'), /cannot be read as one/);
    const missing = await lib.engine.call('importLabels', { file: join(dir, 'absent.csv') }).catch((e: unknown) => e);
    expect((missing as Error).message).toMatch(/does not exist/);
    expect(await lib.engine.call('listRuns', {})).toEqual(runsBefore);
  });
});

describe('the PySpark job in docs/scale', () => {
  const script = resolve(__dirname, '..', '..', 'docs', 'scale', 'cluster_spark.py');

  it('compiles with the system Python (pyspark itself is not installable here)', () => {
    const python = ['/usr/bin/python3', '/usr/local/bin/python3'].find((p) => existsSync(p));
    if (!python) {
      console.warn('Skipping: no python3 on this machine to compile docs/scale/cluster_spark.py.');
      return;
    }
    const cache = mkdtempSync(join(tmpdir(), 'shelfmap-pyc-'));
    try {
      execFileSync(python, ['-c', 'import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)', script, join(cache, 'c.pyc')]);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('reads the columns export-features writes and writes the ones import-labels reads', () => {
    const text = readFileSync(script, 'utf8');
    const list = (name: string) => {
      const m = new RegExp(`^${name} = \\[([^\\]]*)\\]`, 'm').exec(text);
      expect(m, name).not.toBeNull();
      return [...m![1].matchAll(/"([^"]+)"/g)].map((x) => x[1]);
    };
    expect(list('FEATURE_COLUMNS')).toEqual([...FEATURE_COLUMNS]);
    expect(list('VOCABULARY_COLUMNS')).toEqual([...VOCABULARY_COLUMNS]);
    const written = list('LABEL_COLUMNS');
    expect(written.some((c) => (ID_COLUMNS as readonly string[]).includes(c))).toBe(true);
    expect(written.some((c) => (CLUSTER_COLUMNS as readonly string[]).includes(c))).toBe(true);
    expect(written).toContain('shelfmap_run');
  });
});
