// Quality and speed of the embed stage on the real 197-book corpus: TF-IDF -> autoencoder on
// wasm -> K-means (k = 12), scored by NMI against the manifest's genre column. The product's bar
// (mean NMI >= 0.50) is asserted; NMI per seed and training times are logged.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kmeans } from 'ml-kmeans';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src-shared/csv';
import { DEFAULT_SETTINGS, type AutoencoderSettings, type FeatureSettings } from '../../../src-shared/settings';
import { countTerms, fitTransformTfidf, toDenseMatrix } from '../features';
import { selectBackend } from './backend';
import { embeddingsToRows, trainAutoencoder } from './autoencoder';

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/gutenberg', import.meta.url));
const corpusPresent = existsSync(join(CORPUS, 'manifest.csv'));
if (!corpusPresent) console.log(`Skipping the embed corpus test: no corpus at ${CORPUS}.`);

// The settings this test's measurements recommend (see the sweep in the embed stage's report):
// a single linear bottleneck of 64 trained for 20 epochs beat wider and deeper networks at
// under 5 s of training, and unstemmed terms clustered better than stemmed ones.
const FEATURES: FeatureSettings = { ...DEFAULT_SETTINGS.features, stem: false };
const AUTOENCODER: AutoencoderSettings = { hiddenLayers: [], embeddingSize: 64, epochs: 20, batchSize: 32, learningRate: 0.001 };
const K = 12;
const KMEANS_RESTARTS = 10;
const SEEDS = [1, 2, 3];

/** Normalised mutual information with arithmetic-mean normalisation (scikit-learn's default). */
function nmi(a: ArrayLike<string | number>, b: ArrayLike<string | number>): number {
  const n = a.length;
  const countsA = new Map<string, number>();
  const countsB = new Map<string, number>();
  const joint = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const x = String(a[i]);
    const y = String(b[i]);
    countsA.set(x, (countsA.get(x) ?? 0) + 1);
    countsB.set(y, (countsB.get(y) ?? 0) + 1);
    const key = JSON.stringify([x, y]);
    joint.set(key, (joint.get(key) ?? 0) + 1);
  }
  const entropy = (counts: Map<string, number>) => [...counts.values()].reduce((h, c) => h - (c / n) * Math.log(c / n), 0);
  let mutual = 0;
  for (const [key, c] of joint) {
    const [x, y] = JSON.parse(key) as [string, string];
    mutual += (c / n) * Math.log((c * n) / (countsA.get(x)! * countsB.get(y)!));
  }
  const mean = (entropy(countsA) + entropy(countsB)) / 2;
  // Both labelings a single class: identical partitions.
  return mean === 0 ? 1 : Math.max(0, mutual / mean);
}

/** Labels of the lowest-inertia run among `restarts` seeded k-means++ runs. */
function bestKmeans(points: number[][], k: number, restarts: number, seed: number): number[] {
  let best: number[] = [];
  let bestInertia = Number.POSITIVE_INFINITY;
  for (let r = 0; r < restarts; r++) {
    const { clusters, centroids } = kmeans(points, k, { initialization: 'kmeans++', seed: seed * 1000 + r });
    let inertia = 0;
    points.forEach((p, i) => {
      const c = centroids[clusters[i]];
      for (let j = 0; j < p.length; j++) inertia += (p[j] - c[j]) ** 2;
    });
    if (inertia < bestInertia) {
      bestInertia = inertia;
      best = clusters;
    }
  }
  return best;
}

function l2Rows(points: number[][]): number[][] {
  return points.map((p) => {
    const norm = Math.hypot(...p) || 1;
    return p.map((v) => v / norm);
  });
}

/** UTF-8, or windows-1252 for the few books that are not valid UTF-8. */
function decode(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** A crude cut between the "*** START" and "*** END" lines; the real one belongs to the importer. */
function body(text: string): string {
  const start = text.search(/^\*\*\* ?START/m);
  const from = start < 0 ? 0 : text.indexOf('\n', start) + 1;
  const end = text.search(/^\*\*\* ?END/m);
  return text.slice(from, end > from ? end : text.length);
}

const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
const fixed = (values: number[]) => values.map((v) => v.toFixed(3)).join(', ');

describe('nmi', () => {
  it('is 1 for the same partition under other names and 0 for independent ones', () => {
    expect(nmi([0, 0, 1, 1, 2, 2], ['b', 'b', 'a', 'a', 'c', 'c'])).toBeCloseTo(1, 12);
    expect(nmi([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(0, 12);
  });

  it('normalises by the mean entropy on a partial match', () => {
    // MI = (2/3) ln 2, H = ln 2 and ln 3: (2/3 ln 2) / ((ln 2 + ln 3) / 2), as scikit-learn's default.
    expect(nmi([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])).toBeCloseTo(0.5158037429793888, 12);
  });
});

describe.skipIf(!corpusPresent)('autoencoder embeddings on the Gutenberg corpus', () => {
  let input: Float32Array = new Float32Array(0);
  let rows = 0;
  let cols = 0;
  let genres: string[] = [];

  beforeAll(() => {
    const [header, ...records] = parseCsv(readFileSync(join(CORPUS, 'manifest.csv'), 'utf8')).filter((r) => r.length > 1);
    const fileColumn = header.indexOf('file');
    genres = records.map((r) => r[header.indexOf('genre')]);
    const counts = records.map((r) => countTerms(body(decode(readFileSync(join(CORPUS, r[fileColumn])))), FEATURES).counts);
    const { model, rows: sparse } = fitTransformTfidf(counts, FEATURES);
    rows = sparse.length;
    cols = model.vocabulary.length;
    input = toDenseMatrix(sparse, cols);
  });

  it('has the corpus it expects', () => {
    expect(rows).toBe(197);
    expect(cols).toBe(5000);
    expect(new Set(genres).size).toBe(K);
  });

  it(`clusters the books by genre with mean NMI >= 0.50 over seeds ${SEEDS.join(', ')} (wasm)`, async () => {
    const { tf, name, detail } = await selectBackend('wasm');
    expect(name).toBe('wasm');
    const scores: number[] = [];
    const scoresL2: number[] = [];
    const totals: number[] = [];
    const epochMs: number[] = [];
    for (const seed of SEEDS) {
      const started = performance.now();
      const { embeddings, dim, losses } = await trainAutoencoder(tf, input, rows, cols, AUTOENCODER, {
        seed,
        onEpoch: (e) => epochMs.push(e.ms),
      });
      totals.push(performance.now() - started);
      expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
      const points = embeddingsToRows(embeddings, rows, dim);
      scores.push(nmi(bestKmeans(points, K, KMEANS_RESTARTS, seed), genres));
      scoresL2.push(nmi(bestKmeans(l2Rows(points), K, KMEANS_RESTARTS, seed), genres));
    }
    console.log(
      `embed on ${detail}, ${rows} books x ${cols} terms, ${JSON.stringify(AUTOENCODER)}, stem ${FEATURES.stem}:\n` +
        `  NMI per seed ${fixed(scores)}, mean ${mean(scores).toFixed(3)}\n` +
        `  NMI with L2-normalised embeddings ${fixed(scoresL2)}, mean ${mean(scoresL2).toFixed(3)}\n` +
        `  training ${mean(epochMs).toFixed(0)} ms per epoch, ${fixed(totals.map((t) => t / 1000))} s per run`,
    );
    expect(mean(scores)).toBeGreaterThanOrEqual(0.5);
  });

  it('clusters the raw TF-IDF rows for comparison', () => {
    const started = performance.now();
    const score = nmi(bestKmeans(embeddingsToRows(input, rows, cols), K, KMEANS_RESTARTS, 1), genres);
    console.log(`K-means on raw TF-IDF: NMI ${score.toFixed(3)} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    // Far above chance (about 0.1 for 12 random clusters of 197 books): K-means and NMI work.
    expect(score).toBeGreaterThan(0.35);
  });
});
