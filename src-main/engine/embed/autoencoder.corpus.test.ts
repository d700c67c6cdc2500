// The embed stage's quality on the real 197-book corpus, with the default settings and the same
// modules and book order as a run: sample rows -> TF-IDF -> LSA view -> network on wasm ->
// books pooled from their samples -> consensus K-means (k = 12), scored by NMI against the
// manifest's genre column over seeds 1..5. Asserts a bar below what bench/quality.ts measured
// for the default through the whole engine (0.723, min 0.696; docs/benchmarks.md) and well above
// the pipeline before it (0.670, min 0.644); logs NMI and times per seed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src-shared/csv';
import { DEFAULT_SETTINGS } from '../../../src-shared/settings';
import { consensusOfViewsAsync } from '../cluster';
import { normalizedMutualInfo } from '../evaluate';
import { fitTransformTfidf, l2NormalizeRows, type SparseVector, type TermCounts } from '../features';
import { decodeBookTerms, encodeBookTerms } from '../features/sample';
import { tfidfOptionsFor } from '../features/options';
import { readBook } from '../library';
import { selectBackend } from './backend';
import { embedBooks } from './books';

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/gutenberg', import.meta.url));
const corpusPresent = existsSync(join(CORPUS, 'manifest.csv'));
if (!corpusPresent) console.log(`Skipping the embed corpus test: no corpus at ${CORPUS}.`);

const SETTINGS = { ...DEFAULT_SETTINGS, k: 12 };
const SEEDS = [1, 2, 3, 4, 5];

const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
const fixed = (values: number[], digits = 3) => values.map((v) => v.toFixed(digits)).join(', ');

describe.skipIf(!corpusPresent)('the embed stage on the Gutenberg corpus, default settings', () => {
  let rows: SparseVector[] = [];
  let bookOfRow = new Int32Array(0);
  let cols = 0;
  let genres: string[] = [];

  beforeAll(async () => {
    const [header, ...records] = parseCsv(readFileSync(join(CORPUS, 'manifest.csv'), 'utf8')).filter((r) => r.length > 1);
    const books: { title: string; body: string; genre: string }[] = [];
    for (const record of records) {
      const read = await readBook(join(CORPUS, record[header.indexOf('file')]));
      if (!read.ok) throw new Error(`${record[header.indexOf('file')]} was rejected: ${read.rejected.message}`);
      books.push({ title: read.book.title, body: read.book.body, genre: record[header.indexOf('genre')] });
    }
    // The store lists books by title (SQLite's NOCASE folds ASCII letters only), and a run sees
    // them in that order, which seeds batch order and K-means starts.
    const fold = (title: string) => title.replace(/[A-Z]/g, (c) => c.toLowerCase());
    books.sort((a, b) => (fold(a.title) < fold(b.title) ? -1 : fold(a.title) > fold(b.title) ? 1 : 0));
    genres = books.map((b) => b.genre);
    const docs: TermCounts[] = [];
    const owners: number[] = [];
    books.forEach((b, i) => {
      for (const doc of decodeBookTerms(encodeBookTerms(b.body, SETTINGS.features).blob, SETTINGS.features)) {
        docs.push(doc);
        owners.push(i);
      }
    });
    const { model, rows: sparse } = fitTransformTfidf(docs, tfidfOptionsFor(SETTINGS.features, docs.length));
    rows = sparse;
    bookOfRow = Int32Array.from(owners);
    cols = model.vocabulary.length;
  });

  it('has the corpus it expects, read as ten samples a book, and the default network is deep', () => {
    expect(rows).toHaveLength(1970);
    expect(bookOfRow[1969]).toBe(196);
    expect(cols).toBe(SETTINGS.features.maxFeatures);
    expect(new Set(genres).size).toBe(SETTINGS.k);
    expect(SETTINGS.autoencoder.hiddenLayers.length).toBeGreaterThanOrEqual(1);
  });

  it(`clusters the books by genre: mean NMI >= 0.70 and none below 0.66 over seeds ${SEEDS.join(', ')} (wasm)`, { timeout: 600_000 }, async () => {
    const { tf, name, detail } = await selectBackend('wasm');
    expect(name).toBe('wasm');
    expect(SETTINGS.refine.enabled).toBe(false);
    const scores: number[] = [];
    const seconds: number[] = [];
    for (const seed of SEEDS) {
      const started = performance.now();
      const embedded = await embedBooks(tf, { rows, bookOfRow, dim: cols, books: 197 }, SETTINGS.autoencoder, { seed });
      try {
        const views = embedded.views.map((view) => (SETTINGS.normalizeEmbeddings ? l2NormalizeRows(view) : view));
        const clustered = await consensusOfViewsAsync(views, SETTINGS.k, { seed, runs: SETTINGS.consensusRuns });
        seconds.push((performance.now() - started) / 1000);
        scores.push(normalizedMutualInfo(genres, clustered.labels));
      } finally {
        embedded.model.dispose();
      }
    }
    console.log(
      `embed on ${detail}, ${rows.length} sample rows x ${cols} terms, ${JSON.stringify(SETTINGS.autoencoder)}, ` +
        `consensus of ${SETTINGS.consensusRuns} K-means runs:\n` +
        `  NMI per seed ${fixed(scores)}: mean ${mean(scores).toFixed(3)}, min ${Math.min(...scores).toFixed(3)}\n` +
        `  LSA + training + consensus ${fixed(seconds, 1)} s`,
    );
    expect(mean(scores)).toBeGreaterThanOrEqual(0.7);
    expect(Math.min(...scores)).toBeGreaterThanOrEqual(0.66);
  });
});
