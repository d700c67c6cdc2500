import { beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../../src-shared/settings';
import type { SparseVector } from '../features';
import { normalizedMutualInfo } from '../evaluate';
import { kmeansBest } from '../cluster';
import { selectBackend, type Tf } from './backend';
import { embedBooks, meanRowOfBook, neighbourhoodMean, networkInput, poolByBook, poolUnitRows, unitRowsOf } from './books';
import { trainAutoencoder } from './autoencoder';
import { createRandom } from './random';

/** 12 books of 4 sample rows each in 3 topics: a row is heavy on its topic's third of 30 columns. */
function sampleRows(seed: number) {
  const random = createRandom(seed);
  const books = 12;
  const rows: SparseVector[] = [];
  const bookOfRow: number[] = [];
  for (let book = 0; book < books; book++) {
    for (let sample = 0; sample < 4; sample++) {
      const indices: number[] = [];
      const values: number[] = [];
      for (let c = 0; c < 30; c++) {
        const own = Math.floor(c / 10) === book % 3;
        if (random() < (own ? 0.7 : 0.1)) {
          indices.push(c);
          values.push(random() * (own ? 3 : 1) + 0.1);
        }
      }
      const norm = Math.hypot(...values);
      rows.push({ indices: Int32Array.from(indices), values: Float32Array.from(values, (v) => v / norm) });
      bookOfRow.push(book);
    }
  }
  return { rows, bookOfRow: Int32Array.from(bookOfRow), dim: 30, books, topic: Array.from({ length: books }, (_, b) => b % 3) };
}

const DATA = sampleRows(4);
const SETTINGS = resolveSettings({ autoencoder: { inputComponents: 6, hiddenLayers: [12], embeddingSize: 3, epochs: 25, batchSize: 8, learningRate: 0.01 } }).autoencoder;

let tf: Tf;
beforeAll(async () => {
  tf = (await selectBackend('cpu')).tf;
});

describe('book helpers', () => {
  it('replaces each row by its book mean, and pools rows per book', () => {
    const input = Float32Array.from([1, 2, 3, 4, 10, 20]);
    const bookOfRow = Int32Array.from([0, 0, 1]);
    expect(Array.from(meanRowOfBook(input, 2, bookOfRow, 2))).toEqual([2, 3, 2, 3, 10, 20]);
    expect(poolByBook([[1, 2], [3, 4], [10, 20]], bookOfRow, 2)).toEqual([[2, 3], [10, 20]]);
  });

  it('pools unit-length rows per book in one pass exactly as unitRowsOf then poolByBook do', () => {
    const random = createRandom(17);
    const rows = 500;
    const dim = 16;
    const embeddings = Float32Array.from({ length: rows * dim }, () => random() * 2 - 1);
    embeddings.fill(0, 3 * dim, 4 * dim); // an all-zero row stays zero
    const bookOfRow = Int32Array.from({ length: rows }, (_, r) => Math.floor(r / 10) % 37);
    const fused = poolUnitRows(embeddings, rows, dim, bookOfRow, 40); // books 37-39 have no rows
    expect(fused).toEqual(poolByBook(unitRowsOf(embeddings, rows, dim), bookOfRow, 40));
    expect(fused[39]).toEqual(new Array(dim).fill(0));
    expect(() => poolUnitRows(embeddings, rows, dim + 1, bookOfRow, 40)).toThrow(/not 500 x 17/);
  });

  it('averages a book with its nearest books for the neighbourhood target', () => {
    // books 0 and 1 point the same way, book 2 elsewhere; one row each, then two rows for book 0
    const input = Float32Array.from([1, 0, 0.9, 0.1, 0, 1]);
    const one = Int32Array.from([0, 1, 2]);
    expect(Array.from(neighbourhoodMean(input, 2, one, 3, 1)).map((v) => +v.toFixed(3))).toEqual([0.95, 0.05, 0.95, 0.05, 0.45, 0.55]);
    const two = Float32Array.from([1, 0, 1, 0, 0.9, 0.1, 0, 1]);
    const rows = Int32Array.from([0, 0, 1, 2]);
    const target = neighbourhoodMean(two, 2, rows, 3, 1);
    expect(Array.from(target.subarray(0, 2))).toEqual(Array.from(target.subarray(2, 4)));
  });

  it('reads TF-IDF columns as they are, or unit-length LSA coordinates', () => {
    const plain = networkInput(DATA, 0, 1);
    expect(plain.width).toBe(30);
    expect(plain.lsa).toBeNull();
    const low = networkInput(DATA, 6, 1);
    expect(low.width).toBe(6);
    expect(low.input).toHaveLength(48 * 6);
    for (let r = 0; r < 48; r++) expect(Math.hypot(...low.input.subarray(r * 6, r * 6 + 6))).toBeCloseTo(1, 5);
  });
});

describe('trainAutoencoder with a target', () => {
  it('learns to output the target rather than its input', async () => {
    const { input, width } = networkInput(DATA, 6, 1);
    const target = meanRowOfBook(input, width, DATA.bookOfRow, DATA.books);
    const settings = { ...SETTINGS, epochs: 40 };
    const towardsMean = await trainAutoencoder(tf, input, 48, width, settings, { seed: 2, target });
    const towardsSelf = await trainAutoencoder(tf, input, 48, width, settings, { seed: 2 });
    const distanceToMean = (model: typeof towardsMean.model) => {
      const out = tf.tidy(() => model.network.reconstruct(tf.mul(tf.tensor2d(input, [48, width]), model.topology.inputScale)).dataSync());
      const scale = model.topology.inputScale;
      return Array.from(out as Float32Array).reduce((sum, v, i) => sum + (v - target[i] * scale) ** 2, 0);
    };
    expect(distanceToMean(towardsMean.model)).toBeLessThan(distanceToMean(towardsSelf.model));
    towardsMean.model.dispose();
    towardsSelf.model.dispose();
  });

  it('rejects a target of the wrong size', async () => {
    await expect(trainAutoencoder(tf, new Float32Array(6), 2, 3, SETTINGS, { seed: 1, target: new Float32Array(3) })).rejects.toThrow(/target has 3 values/);
  });
});

describe('embedBooks', () => {
  const cluster = async (books: number[][]) => kmeansBest(books, 3, { seed: 1, restarts: 3 }).labels;

  it('gives one embedding per book that separates the topics, and leaks no tensor', async () => {
    const before = tf.memory().numTensors;
    const result = await embedBooks(tf, DATA, SETTINGS, { seed: 3 });
    expect(result.books).toHaveLength(12);
    expect(result.lsa?.components).toBe(6);
    expect(normalizedMutualInfo(DATA.topic, await cluster(result.books))).toBeGreaterThan(0.9);
    result.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('repeats exactly for a seed, with self-labelling too, and leaks no tensor', async () => {
    const settings = { ...SETTINGS, selfLabelRounds: 2, selfLabelEpochs: 3 };
    const before = tf.memory().numTensors;
    const a = await embedBooks(tf, DATA, settings, { seed: 5, cluster });
    const b = await embedBooks(tf, DATA, settings, { seed: 5, cluster });
    expect(b.books).toEqual(a.books);
    const plain = await embedBooks(tf, DATA, SETTINGS, { seed: 5 });
    expect(plain.books).not.toEqual(a.books);
    expect(normalizedMutualInfo(DATA.topic, await cluster(a.books))).toBeGreaterThan(0.9);
    [a, b, plain].forEach((r) => r.model.dispose());
    expect(tf.memory().numTensors).toBe(before);
  });

  it('embeds each book as the encoding of its mean row with pooling "meanRow", the way a book placed later is', async () => {
    const result = await embedBooks(tf, DATA, { ...SETTINGS, pooling: 'meanRow' }, { seed: 3 });
    expect(result.pooling).toBe('meanView');
    const means = meanRowOfBook(result.input, result.inputWidth, DATA.bookOfRow, DATA.books);
    const firstOfBook = Array.from({ length: DATA.books }, (_, b) => means.subarray(b * 4 * result.inputWidth, (b * 4 + 1) * result.inputWidth));
    const meanRows = Float32Array.from(firstOfBook.flatMap((row) => Array.from(row)));
    const encoded = tf.tidy(() => result.model.network.encode(tf.mul(tf.tensor2d(meanRows, [DATA.books, result.inputWidth]), result.model.topology.inputScale) as never));
    const expected = Array.from(encoded.dataSync());
    encoded.dispose();
    result.books.flat().forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    expect(normalizedMutualInfo(DATA.topic, await cluster(result.books))).toBeGreaterThan(0.9);
    result.model.dispose();
  });

  it('trains with the contrastive term from the books of the rows, alone or beside the target', async () => {
    for (const reconstructionWeight of [0, 1]) {
      const settings = { ...SETTINGS, contrastiveWeight: 1, reconstructionWeight, temperature: 0.5 };
      const a = await embedBooks(tf, DATA, settings, { seed: 6 });
      const b = await embedBooks(tf, DATA, settings, { seed: 6 });
      const plain = await embedBooks(tf, DATA, SETTINGS, { seed: 6 });
      expect(b.books).toEqual(a.books);
      expect(plain.books).not.toEqual(a.books);
      expect(normalizedMutualInfo(DATA.topic, await cluster(a.books))).toBeGreaterThan(0.9);
      [a, b, plain].forEach((r) => r.model.dispose());
    }
  });

  it('needs a way to cluster for self-labelling', async () => {
    await expect(embedBooks(tf, DATA, { ...SETTINGS, selfLabelRounds: 1 }, { seed: 1 })).rejects.toThrow(/cluster/);
  });
});
