// The embed stage's quality on the real 197-book corpus, with the default settings and the same
// modules and book order as a run: TF-IDF -> autoencoder on wasm -> K-means (k = 12) ->
// refinement when on, scored by NMI against the manifest's genre column over seeds 1..5.
// Asserts the product's bar (mean NMI >= 0.62, none below 0.58, a deep network); logs NMI and
// times per seed. bench/quality.ts measures the same through the whole engine.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src-shared/csv';
import { DEFAULT_SETTINGS } from '../../../src-shared/settings';
import { kmeansBest } from '../cluster';
import { normalizedMutualInfo } from '../evaluate';
import { fitTransformTfidf, toDenseMatrix } from '../features';
import { countBookTerms } from '../features/sample';
import { tfidfOptionsFor } from '../features/options';
import { readBook } from '../library';
import { selectBackend } from './backend';
import { embeddingsToRows, trainAutoencoder } from './autoencoder';
import { refineClusters } from './refine';

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/gutenberg', import.meta.url));
const corpusPresent = existsSync(join(CORPUS, 'manifest.csv'));
if (!corpusPresent) console.log(`Skipping the embed corpus test: no corpus at ${CORPUS}.`);

const SETTINGS = { ...DEFAULT_SETTINGS, k: 12 };
const SEEDS = [1, 2, 3, 4, 5];

const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
const fixed = (values: number[], digits = 3) => values.map((v) => v.toFixed(digits)).join(', ');
const unitRows = (rows: number[][]) =>
  rows.map((row) => {
    const norm = Math.hypot(...row) || 1;
    return row.map((v) => v / norm);
  });

describe.skipIf(!corpusPresent)('the embed stage on the Gutenberg corpus, default settings', () => {
  let input: Float32Array = new Float32Array(0);
  let rows = 0;
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
    const counts = books.map((b) => countBookTerms(b.body, SETTINGS.features).counts);
    const { model, rows: sparse } = fitTransformTfidf(counts, tfidfOptionsFor(SETTINGS.features, books.length));
    rows = sparse.length;
    cols = model.vocabulary.length;
    input = toDenseMatrix(sparse, cols);
  });

  it('has the corpus it expects, and the default network is deep', () => {
    expect(rows).toBe(197);
    expect(cols).toBe(SETTINGS.features.maxFeatures);
    expect(new Set(genres).size).toBe(SETTINGS.k);
    expect(SETTINGS.autoencoder.hiddenLayers.length).toBeGreaterThanOrEqual(1);
  });

  it(`clusters the books by genre: mean NMI >= 0.62 and none below 0.58 over seeds ${SEEDS.join(', ')} (wasm)`, { timeout: 600_000 }, async () => {
    const { tf, name, detail } = await selectBackend('wasm');
    expect(name).toBe('wasm');
    const scores: number[] = [];
    const kmeansOnly: number[] = [];
    const seconds: number[] = [];
    for (const seed of SEEDS) {
      const started = performance.now();
      const trained = await trainAutoencoder(tf, input, rows, cols, SETTINGS.autoencoder, { seed });
      try {
        const points = embeddingsToRows(trained.embeddings, rows, trained.dim);
        const clustered = kmeansBest(SETTINGS.normalizeEmbeddings ? unitRows(points) : points, SETTINGS.k, {
          seed,
          restarts: SETTINGS.kmeansRestarts,
        });
        kmeansOnly.push(normalizedMutualInfo(genres, clustered.labels));
        let labels = clustered.labels;
        if (SETTINGS.refine.enabled) {
          const refined = await refineClusters(tf, trained.model, input, rows, cols, clustered.centroids, SETTINGS.refine, {
            seed,
            normalize: SETTINGS.normalizeEmbeddings,
            batchSize: SETTINGS.autoencoder.batchSize,
          });
          labels = refined.labels;
        }
        seconds.push((performance.now() - started) / 1000);
        scores.push(normalizedMutualInfo(genres, labels));
      } finally {
        trained.model.dispose();
      }
    }
    console.log(
      `embed on ${detail}, ${rows} books x ${cols} terms, ${JSON.stringify(SETTINGS.autoencoder)}, ` +
        `refine ${JSON.stringify(SETTINGS.refine)}, normalizeEmbeddings ${SETTINGS.normalizeEmbeddings}:\n` +
        `  NMI per seed ${fixed(scores)}: mean ${mean(scores).toFixed(3)}, min ${Math.min(...scores).toFixed(3)}\n` +
        (SETTINGS.refine.enabled ? `  before refinement ${fixed(kmeansOnly)}: mean ${mean(kmeansOnly).toFixed(3)}\n` : '') +
        `  embed stage (training${SETTINGS.refine.enabled ? ' + refinement' : ''} + K-means) ${fixed(seconds, 1)} s`,
    );
    expect(mean(scores)).toBeGreaterThanOrEqual(0.62);
    expect(Math.min(...scores)).toBeGreaterThanOrEqual(0.58);
  });
});
