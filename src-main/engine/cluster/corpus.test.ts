// The cluster stage on the real corpus (197 Gutenberg books, 12 genres), with a quick TF-IDF of
// its own so it does not depend on the features stage. Logs numbers for a human; asserts only
// what must hold.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src-shared/csv';
import { adjustedRandIndex, normalizedMutualInfo } from '../evaluate';
import { clusterLabel, distinctiveTerms, kmeansBest, layout2d, type SparseRow } from '.';
import { mulberry32 } from './random';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
const corpusDir = resolve(projectRoot, '../shared/corpus/gutenberg');
const haveCorpus = existsSync(resolve(corpusDir, 'manifest.csv'));
if (!haveCorpus) console.log(`Corpus tests skipped: no corpus at ${corpusDir}.`);

interface Corpus {
  titles: string[];
  genres: string[];
  vocabulary: string[];
  rows: SparseRow[];
  dense: number[][];
}

function loadCorpus(): Corpus {
  const [header, ...records] = parseCsv(readFileSync(resolve(corpusDir, 'manifest.csv'), 'utf8')).filter((r) => r.length > 1);
  const column = (name: string) => header.indexOf(name);
  const docs: Map<string, number>[] = [];
  for (const record of records) {
    const bytes = readFileSync(resolve(corpusDir, record[column('file')]));
    docs.push(countWords(bodyOf(new TextDecoder(record[column('encoding')]).decode(bytes))));
  }
  const { vocabulary, rows } = tfidf(docs);
  const dense = rows.map((row) => {
    const out = new Array<number>(vocabulary.length).fill(0);
    row.indices.forEach((t, j) => {
      out[t] = row.values[j];
    });
    return out;
  });
  return {
    titles: records.map((r) => r[column('title')]),
    genres: records.map((r) => r[column('genre')]),
    vocabulary,
    rows,
    dense,
  };
}

/** The text between the '*** START' and '*** END' marker lines, when they are there. */
function bodyOf(text: string): string {
  const start = /^\*\*\* ?START.*$/m.exec(text);
  const from = start ? start.index + start[0].length : 0;
  const end = /^\*\*\* ?END/m.exec(text.slice(from));
  return end ? text.slice(from, from + end.index) : text.slice(from);
}

function countWords(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

/** Words in 2..90% of books, the 5000 most frequent; sublinear tf, smooth idf, L2 rows. */
function tfidf(docs: Map<string, number>[]): { vocabulary: string[]; rows: SparseRow[] } {
  const n = docs.length;
  const df = new Map<string, number>();
  const total = new Map<string, number>();
  for (const doc of docs) {
    for (const [word, count] of doc) {
      df.set(word, (df.get(word) ?? 0) + 1);
      total.set(word, (total.get(word) ?? 0) + count);
    }
  }
  const vocabulary = [...df.keys()]
    .filter((w) => df.get(w)! >= 2 && df.get(w)! <= 0.9 * n)
    .sort((a, b) => total.get(b)! - total.get(a)! || (a < b ? -1 : 1))
    .slice(0, 5000)
    .sort();
  const index = new Map(vocabulary.map((w, i) => [w, i]));
  const idf = vocabulary.map((w) => Math.log((1 + n) / (1 + df.get(w)!)) + 1);
  const rows = docs.map((doc) => {
    const entries: [number, number][] = [];
    for (const [word, count] of doc) {
      const t = index.get(word);
      if (t !== undefined) entries.push([t, (1 + Math.log(count)) * idf[t]]);
    }
    entries.sort((a, b) => a[0] - b[0]);
    const norm = Math.hypot(...entries.map((e) => e[1])) || 1;
    return { indices: Int32Array.from(entries, (e) => e[0]), values: Float32Array.from(entries, (e) => e[1] / norm) };
  });
  return { vocabulary, rows };
}

/** Mean silhouette of `labels` in 2-D (Euclidean): how well a map keeps the genres apart. */
function silhouette(coords: number[][], labels: string[]): number {
  let sum = 0;
  coords.forEach((p, i) => {
    const byLabel = new Map<string, { total: number; count: number }>();
    coords.forEach((q, j) => {
      if (j === i) return;
      const entry = byLabel.get(labels[j]) ?? { total: 0, count: 0 };
      entry.total += Math.hypot(p[0] - q[0], p[1] - q[1]);
      entry.count++;
      byLabel.set(labels[j], entry);
    });
    const own = byLabel.get(labels[i]);
    if (!own) return;
    const a = own.total / own.count;
    let b = Number.POSITIVE_INFINITY;
    for (const [label, entry] of byLabel) if (label !== labels[i]) b = Math.min(b, entry.total / entry.count);
    sum += (b - a) / Math.max(a, b);
  });
  return sum / coords.length;
}

/** Share of each point's 5 nearest neighbours on the map that have its label. */
function neighbourPurity(coords: number[][], labels: string[], neighbours = 5): number {
  let same = 0;
  coords.forEach((p, i) => {
    const nearest = coords
      .map((q, j) => ({ j, d: Math.hypot(p[0] - q[0], p[1] - q[1]) }))
      .filter((e) => e.j !== i)
      .sort((a, b) => a.d - b.d || a.j - b.j)
      .slice(0, neighbours);
    same += nearest.filter((e) => labels[e.j] === labels[i]).length / neighbours;
  });
  return same / coords.length;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe.skipIf(!haveCorpus)('cluster stage on the Gutenberg corpus', () => {
  const corpus = haveCorpus ? loadCorpus() : undefined;

  it('k-means on raw TF-IDF finds the genres to a fair degree', () => {
    const { dense, genres, rows, vocabulary, titles } = corpus!;
    expect(dense).toHaveLength(197);
    const scores: { seed: number; nmi: number; ari: number; inertia: number; ms: number }[] = [];
    let first: number[] = [];
    for (const seed of [1, 2, 3, 4, 5]) {
      const started = performance.now();
      const result = kmeansBest(dense, 12, { seed, restarts: 10 });
      const ms = performance.now() - started;
      expect(result.labels).toHaveLength(197);
      expect(result.labels.every((l) => Number.isInteger(l) && l >= 0 && l < 12)).toBe(true);
      expect(Number.isFinite(result.inertia)).toBe(true);
      expect(result.centroids.flat().every(Number.isFinite)).toBe(true);
      if (seed === 1) first = result.labels;
      scores.push({ seed, nmi: normalizedMutualInfo(genres, result.labels), ari: adjustedRandIndex(genres, result.labels), inertia: result.inertia, ms });
    }
    for (const s of scores) {
      console.log(`seed ${s.seed}: NMI ${s.nmi.toFixed(3)}  ARI ${s.ari.toFixed(3)}  inertia ${s.inertia.toFixed(3)}  ${s.ms.toFixed(0)} ms`);
    }
    const meanNmi = mean(scores.map((s) => s.nmi));
    console.log(`k-means (k=12, 10 restarts) on TF-IDF, 5 seeds: mean NMI ${meanNmi.toFixed(3)}, mean ARI ${mean(scores.map((s) => s.ari)).toFixed(3)}`);
    expect(meanNmi).toBeGreaterThan(0.3);

    // Cluster names for a human to judge, with the genres each cluster holds.
    const terms = distinctiveTerms(rows, first, vocabulary, 12);
    terms.forEach((clusterTerms, c) => {
      const members = first.map((l, i) => (l === c ? i : -1)).filter((i) => i >= 0);
      const genreCounts = new Map<string, number>();
      for (const i of members) genreCounts.set(genres[i], (genreCounts.get(genres[i]) ?? 0) + 1);
      const mix = [...genreCounts].sort((a, b) => b[1] - a[1]).map(([g, k]) => `${g} ${k}`).join(', ');
      console.log(
        `cluster ${c} (${members.length}) "${clusterLabel(clusterTerms)}": ${clusterTerms.join(' ')}\n   genres: ${mix}\n   e.g. ${members.slice(0, 3).map((i) => titles[i]).join(' | ')}`,
      );
      expect(clusterTerms.length).toBeGreaterThan(0);
    });
    // ml-kmeans' k-means++ start takes about a second per restart on 5000-wide dense rows (it is
    // ~10 ms on 32-D embeddings), so 50 restarts need more than the default timeout.
  }, 400_000);

  it('lays out all 197 books, and compares cosine with Euclidean neighbours', () => {
    const { dense, genres } = corpus!;
    const started = performance.now();
    const coords = layout2d(dense, { seed: 1 });
    const ms = performance.now() - started;
    console.log(`layout2d on 197 x ${dense[0].length} TF-IDF rows (cosine): ${ms.toFixed(0)} ms`);
    expect(coords).toHaveLength(197);
    expect(coords.flat().every((v) => Number.isFinite(v) && v >= -1 && v <= 1)).toBe(true);

    // Genre silhouette on the map for both metrics: on the L2-normalised TF-IDF rows, and on a
    // 32-D unnormalised random projection standing in for autoencoder embeddings.
    const random = mulberry32(99);
    const projection = Array.from({ length: dense[0].length }, () => Array.from({ length: 32 }, () => random() - 0.5));
    const projected = dense.map((row, i) =>
      projection[0].map((_, d) => {
        let sum = 0;
        row.forEach((v, t) => {
          if (v !== 0) sum += v * projection[t][d];
        });
        return sum * (1 + (i % 5)); // uneven lengths, as raw embeddings have
      }),
    );
    for (const [name, points] of [['TF-IDF', dense], ['32-D projection', projected]] as const) {
      for (const metric of ['cosine', 'euclidean'] as const) {
        const maps = [1, 2, 3].map((seed) => layout2d(points, { seed, metric }));
        const silhouettes = maps.map((coords) => silhouette(coords, genres));
        const purities = maps.map((coords) => neighbourPurity(coords, genres));
        console.log(
          `map of ${name}, ${metric}: genre silhouette ${mean(silhouettes).toFixed(3)} (${silhouettes.map((v) => v.toFixed(3)).join(', ')}), ` +
            `5-NN genre purity ${mean(purities).toFixed(3)} (${purities.map((v) => v.toFixed(3)).join(', ')})`,
        );
      }
    }
  }, 300_000);
});
