// The default pipeline repeats: the same seed on the same books gives the same CSV, byte for
// byte, and the same labels.json but for its timings and dates, through the engine with real
// SQLite files.
import { afterEach, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiEvents } from '../../src-shared/contract';
import { CSV_COLUMNS, parseCsv } from '../../src-shared/csv';
import type { RunLabelsSidecar } from '../../src-shared/domain';
import { FIXTURE_BOOKS_DIR } from '../../fixtures/fixture-paths';
import { Engine } from './engine';
import { Store } from './store/store';
import { bookDocuments, booksInScope, libraryFeatures, namingSample } from './pipeline';
import { fitTransformTfidf } from './features';
import { tfidfOptionsFor } from './features/options';
import { resolveSettings } from '../../src-shared/settings';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh library of the fixture books, one run with these settings, its CSV and its labels.json. */
async function csvOfFreshRun(settings: object): Promise<{ csv: string; json: string; store: Store; runId: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'shelfmap-repeat-'));
  dirs.push(dir);
  const store = new Store(join(dir, 'library.sqlite'));
  const finished: ApiEvents['runFinished'][] = [];
  const engine = new Engine(store, (name, payload) => {
    if (name === 'runFinished') finished.push(payload as ApiEvents['runFinished']);
  });
  await engine.call('addFolder', { folder: FIXTURE_BOOKS_DIR });
  const { runId } = await engine.call('startRun', { settings });
  await engine.idle();
  expect(finished.find((f) => f.runId === runId)).toEqual({ runId, status: 'done', error: null });
  const { csv } = await engine.call('exportCsv', { runId });
  const { json } = await engine.call('exportJson', { runId });
  return { csv, json, store, runId };
}

/** The sidecar as text without what differs between two runs of the same work: how long each stage took, and when. */
function withoutTimes(json: string): string {
  const { timings, startedAt, finishedAt, ...rest } = JSON.parse(json) as RunLabelsSidecar;
  expect(Object.keys(timings).length).toBeGreaterThan(0);
  expect(Date.parse(finishedAt!)).toBeGreaterThanOrEqual(Date.parse(startedAt));
  return JSON.stringify(rest);
}

describe('the default pipeline', () => {
  it.each(['cpu', 'wasm'] as const)('gives byte-identical CSV for the same seed on %s, in separate libraries', async (backend) => {
    const settings = { k: 3, seed: 11, backend };
    const first = await csvOfFreshRun(settings);
    const second = await csvOfFreshRun(settings);
    expect(Buffer.from(second.csv).equals(Buffer.from(first.csv))).toBe(true);
    expect(first.csv.split('\n').filter(Boolean)).toHaveLength(13); // header + 12 books
    // every fixture book's header gives its Gutenberg number, and the CSV carries it
    const ebookIds = parseCsv(first.csv).slice(1).map((row) => row[CSV_COLUMNS.indexOf('ebook_id')]);
    expect(ebookIds.every((id) => /^9\d{4}$/.test(id))).toBe(true);
    // the sidecar is the same but for the timings and dates (stated in docs/architecture.md)
    expect(withoutTimes(second.json)).toBe(withoutTimes(first.json));
    expect(JSON.parse(first.json)).toMatchObject({ seed: 11, backend, books: { count: 12 } });
    // the run keeps what it learned: the LSA view in front of the network, as JSON
    const model = first.store.runModel(first.runId)!;
    expect(model.topology).toMatchObject({ front: { kind: 'lsa', components: 30 }, inputWidth: 30 });
    first.store.close();
    second.store.close();
  }, 60_000);

  it('repeats without a network too ("preset": "lsa"): the same CSV, no backend loaded, the LSA basis kept as the model', async () => {
    const settings = { k: 3, seed: 11, preset: 'lsa' };
    const first = await csvOfFreshRun(settings);
    const second = await csvOfFreshRun(settings);
    expect(Buffer.from(second.csv).equals(Buffer.from(first.csv))).toBe(true);
    expect(withoutTimes(second.json)).toBe(withoutTimes(first.json));
    const run = first.store.getRun(first.runId);
    expect(run.backend).toBe('');
    expect(run.settings).toMatchObject({ embedding: 'lsa', lsaComponents: 20 });
    expect(first.store.runEpochs(first.runId)).toEqual([]);
    const model = first.store.runModel(first.runId)!;
    expect(model.topology).toMatchObject({ network: 'none', front: { kind: 'lsa', components: 20 }, hiddenLayers: [], weights: [{ name: 'lsa/basis' }] });
    expect(model.weights.byteLength).toBe(model.vocabulary.length * 20 * 4);
    // the fixture's three genres, as the network finds them
    const clusterOf = new Map(parseCsv(first.csv).slice(1).map((row) => [row[CSV_COLUMNS.indexOf('path')], row[CSV_COLUMNS.indexOf('cluster')]]));
    const genres = new Map<string, Set<string>>();
    for (const [path, cluster] of clusterOf) genres.set(path.split('/').at(-2)!, (genres.get(path.split('/').at(-2)!) ?? new Set()).add(cluster));
    expect([...genres.values()].map((clusters) => clusters.size)).toEqual([1, 1, 1]);
    expect(new Set([...genres.values()].map((clusters) => [...clusters][0])).size).toBe(3);
    first.store.close();
    second.store.close();
  }, 60_000);

  it('gives a different CSV for another seed', async () => {
    const a = await csvOfFreshRun({ k: 3, seed: 11, backend: 'wasm' });
    const b = await csvOfFreshRun({ k: 3, seed: 12, backend: 'wasm' });
    // same clusters on such distinct fixture genres, but the map differs
    expect(b.csv).not.toBe(a.csv);
    a.store.close();
    b.store.close();
  }, 60_000);
});

describe('sampling settings the import did not count', () => {
  it('reads the books from disk again and says so; a book whose file changed stops the run with its name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shelfmap-reread-'));
    dirs.push(dir);
    const folder = join(dir, 'shelf');
    cpSync(FIXTURE_BOOKS_DIR, folder, { recursive: true });
    const store = new Store(join(dir, 'library.sqlite'));
    const messages: string[] = [];
    const finished: ApiEvents['runFinished'][] = [];
    const engine = new Engine(store, (name, payload) => {
      if (name === 'progress') messages.push((payload as ApiEvents['progress']).message);
      if (name === 'runFinished') finished.push(payload as ApiEvents['runFinished']);
    });
    try {
      await engine.call('addFolder', { folder });
      const settings = { k: 3, seed: 11, backend: 'cpu' as const, autoencoder: { epochs: 5 }, kmeansRestarts: 2, features: { sampling: { samples: 4, words: 300 } } };
      const { runId } = await engine.call('startRun', { settings });
      await engine.idle();
      expect(finished.find((f) => f.runId === runId)).toEqual({ runId, status: 'done', error: null });
      expect(messages).toContain('Re-reading 12 books from disk for these sampling settings');

      // yet another plan reads the files again: one whose text changed since it was added stops the run
      const file = join(folder, 'cookery', 'soups-of-the-season.txt');
      const lines = readFileSync(file, 'latin1').split('\n');
      lines.splice(Math.floor(lines.length / 2), 0, '', 'A soup added since.', '');
      writeFileSync(file, lines.join('\n'), 'latin1');
      const { runId: second } = await engine.call('startRun', { settings: { ...settings, features: { sampling: { samples: 5, words: 300 } } } });
      await engine.idle();
      const end = finished.find((f) => f.runId === second)!;
      expect(end.status).toBe('failed');
      expect(end.error).toMatch(/\(.*soups-of-the-season\.txt\) has changed on disk since it was added: add its folder again\./);
    } finally {
      store.close();
    }
  }, 120_000);
});

describe('libraryFeatures', () => {
  it('gives the rows fitTransformTfidf gives every book\'s cached counts held at once, reading one book at a time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shelfmap-features-'));
    dirs.push(dir);
    const store = new Store(join(dir, 'library.sqlite'));
    try {
      await new Engine(store, () => {}).call('addFolder', { folder: FIXTURE_BOOKS_DIR });
      const books = booksInScope(store);
      const { features } = resolveSettings({});
      const progress: [number, number][] = [];
      const streamed = await libraryFeatures(store, books, features, undefined, (done, total) => progress.push([done, total]));
      const docs = books.flatMap((b) => bookDocuments(store, b, features));
      const old = fitTransformTfidf(docs, tfidfOptionsFor(features, docs.length));
      expect(streamed.vocabulary).toEqual(old.model.vocabulary);
      expect([...streamed.idf]).toEqual([...old.model.idf]);
      expect(streamed.rows.map((r) => [[...r.indices], [...r.values]])).toEqual(old.rows.map((r) => [[...r.indices], [...r.values]]));
      expect(streamed.csr.rowStart).toHaveLength(docs.length + 1);
      expect([...streamed.bookOfRow]).toEqual(books.flatMap((b, i) => bookDocuments(store, b, features).map(() => i)));
      // two passes over the books, reported as one count up to twice their number
      expect(progress.at(-1)).toEqual([2 * books.length, 2 * books.length]);
      expect(progress.map(([done]) => done)).toEqual([...progress.map(([done]) => done)].sort((a, b) => a - b));
    } finally {
      store.close();
    }
  });
});

describe('namingSample', () => {
  it('reads every book of a library up to the cap', () => {
    expect(namingSample([0, 1, 1, 0], 2, 4)).toEqual([0, 1, 2, 3]);
  });

  it('reads each cluster of a larger library in proportion, at least 40 of each, spread through its books', () => {
    // 9,000 books in cluster 0, 900 in 1 and 100 in 2, interleaved
    const labels = Array.from({ length: 10_000 }, (_, i) => (i % 100 === 0 ? 2 : i % 11 === 0 ? 1 : 0));
    const sizes = [0, 1, 2].map((c) => labels.filter((l) => l === c).length);
    const read = namingSample(labels, 3, 1000);
    const taken = [0, 1, 2].map((c) => read.filter((i) => labels[i] === c));
    expect(taken.map((t) => t.length)).toEqual(sizes.map((n) => Math.max(40, Math.round((1000 * n) / 10_000))));
    expect(new Set(read).size).toBe(read.length);
    expect(read).toEqual([...read].sort((a, b) => a - b));
    // spread: the books taken from cluster 0 reach from its first tenth to its last
    const zero = labels.flatMap((l, i) => (l === 0 ? [i] : []));
    expect(taken[0][0]).toBe(zero[0]);
    expect(taken[0].at(-1)!).toBeGreaterThan(zero[Math.floor(zero.length * 0.9)]);
  });
});
