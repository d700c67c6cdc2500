// From TF-IDF rows (one per book, or one per sample of each book) to one embedding per book:
// the network's input view (TF-IDF columns, or a low-rank LSA view of them), what it learns to
// output (the row, or its book's mean row), training, and pooling the rows of each book.
import type { Tensor2D } from '@tensorflow/tfjs';
import type { AutoencoderSettings } from '../../../src-shared/settings';
import { fitLsa, l2NormalizeRows, toDenseMatrix, type LsaFit, type SparseVector } from '../features';
import { ShelfmapError } from '../../../src-shared/errors';
import type { Tf } from './backend';
import { clusterMeans } from '../cluster/kmeans';
import { selfLabel } from './selflabel';
import { lsaOnlyEmbedding, withLsaFront } from './trained';
import { deriveSeed } from './random';
import { embeddingsToRows, trainAutoencoder, type EpochReport, type TrainedEmbeddings } from './autoencoder';

export interface EmbedInput {
  /** TF-IDF rows, each book's rows together. */
  rows: SparseVector[];
  /** Book of each row, 0..books-1. */
  bookOfRow: Int32Array;
  /** Number of TF-IDF columns. */
  dim: number;
  books: number;
}

export interface BookEmbeddings extends TrainedEmbeddings {
  /** One row per book (the first network's): the mean of its rows' unit-length embeddings. */
  books: number[][];
  /** The books as each network of the ensemble embeds them, the first network's first. */
  views: number[][][];
  /** The LSA the network reads through, when `inputComponents` > 0. */
  lsa: LsaFit | null;
  /** The network's input rows (rows x inputWidth), for stages that train it further. */
  input: Float32Array;
  inputWidth: number;
  /**
   * How `books` came from the rows' encodings, so a book added later is embedded the same way:
   * 'raw' one row per book as encoded, 'unitMean' the mean of each book's unit-length encodings
   * (several rows per book, or after self-labelling, which pools that way), 'meanView' the
   * encoding of each book's mean input row (settings.pooling 'meanRow').
   */
  pooling: 'raw' | 'unitMean' | 'meanView';
}

export interface EmbedOptions {
  seed: number;
  signal?: AbortSignal;
  onEpoch?: (e: EpochReport) => void;
  /** Groups book embeddings, for self-labelling (needed when settings.selfLabelRounds > 0). */
  cluster?: (books: number[][]) => Promise<number[]>;
  /**
   * Empty `data.rows` in place once the network's input is made from them: a run's TF-IDF rows
   * are most of a large library's memory and nothing after needs them (the pipeline's own
   * reference to the same array empties with it). Off for callers that embed the same rows again.
   */
  releaseRows?: boolean;
}

/** Seed streams of the LSA's random start and of the ensemble's later networks, apart from the network's own. */
const LSA_STREAM = 7919;

/**
 * The LSA view's basis is fitted on at most this many rows (a seeded sample: 2,000 books of 10
 * samples), the rest projected on it; see fitLsa. Below it, every row, as before the cap.
 */
export const LSA_FIT_ROWS = 20_000;
const ENSEMBLE_STREAM = 1 << 18;

export async function embedBooks(
  tf: Tf,
  data: EmbedInput,
  settings: AutoencoderSettings,
  options: EmbedOptions,
): Promise<BookEmbeddings> {
  const { input, width, lsa } = networkInput(data, settings.inputComponents, options.seed);
  if (options.releaseRows) data.rows.length = 0;
  const target =
    settings.target === 'self'
      ? undefined
      : settings.target === 'bookMean'
        ? meanRowOfBook(input, width, data.bookOfRow, data.books)
        : neighbourhoodMean(input, width, data.bookOfRow, data.books, settings.targetNeighbours);
  const views: number[][][] = [];
  let first: (TrainedEmbeddings & { books: number[][] }) | undefined;
  try {
    for (let member = 0; member < settings.ensemble; member++) {
      // the first network keeps the run's seed, so an ensemble of one is the plain network
      const seed = member === 0 ? options.seed : deriveSeed(options.seed, ENSEMBLE_STREAM + member);
      const trained = await trainNetwork(tf, data, input, width, target, settings, { ...options, seed, onEpoch: member === 0 ? options.onEpoch : undefined });
      views.push(trained.books);
      if (first) trained.model.dispose();
      else first = trained;
    }
  } catch (error) {
    first?.model.dispose();
    throw error;
  }
  // the stored model takes TF-IDF rows, so books added later can be embedded the same way
  const model = lsa ? withLsaFront(first!.model, lsa.basis, data.dim) : first!.model;
  const pooling = data.bookOfRow.length === data.books && settings.selfLabelRounds === 0 ? 'raw' : byMeanRow(data, settings) ? 'meanView' : 'unitMean';
  return { ...first!, model, views, lsa, input, inputWidth: width, pooling };
}

/**
 * The books without a network (settings.embedding "lsa"): each row's unit-length coordinates in
 * an LSA view of `components`, pooled per book as the network's encodings are. Nothing is
 * trained, so no TensorFlow.js backend is needed.
 */
export function lsaBookEmbeddings(data: EmbedInput, components: number, options: Pick<EmbedOptions, 'seed' | 'releaseRows'>): BookEmbeddings {
  const { input, width, lsa } = networkInput(data, components, options.seed);
  if (options.releaseRows) data.rows.length = 0;
  const rows = data.bookOfRow.length;
  const oneRowPerBook = rows === data.books;
  const books = oneRowPerBook ? embeddingsToRows(input, rows, width) : poolUnitRows(input, rows, width, data.bookOfRow, data.books);
  return {
    embeddings: input,
    dim: width,
    losses: [],
    valLosses: [],
    bestEpoch: 0,
    stopped: { reason: 'none', steps: 0, budget: 0, heldOut: 0, message: `No network to train: each book is ${oneRowPerBook ? 'its row' : "the mean of its samples'"} LSA ${width} coordinates.` },
    model: lsaOnlyEmbedding(lsa!.basis, data.dim, width),
    books,
    views: [books],
    lsa,
    input,
    inputWidth: width,
    pooling: oneRowPerBook ? 'raw' : 'unitMean',
  };
}

async function trainNetwork(
  tf: Tf,
  data: EmbedInput,
  input: Float32Array,
  width: number,
  target: Float32Array | undefined,
  settings: AutoencoderSettings,
  options: EmbedOptions,
): Promise<TrainedEmbeddings & { books: number[][] }> {
  const n = data.bookOfRow.length;
  const contrastive =
    (settings.contrastiveWeight ?? 0) > 0
      ? { groups: data.bookOfRow, weight: settings.contrastiveWeight!, temperature: settings.temperature ?? 0.1, samplesPerBook: settings.samplesPerBook ?? 2 }
      : undefined;
  const trained = await trainAutoencoder(tf, input, n, width, settings, { ...options, target, contrastive });
  try {
    // one row per book: the embeddings as they are (K-means scales them itself when asked)
    let books =
      n === data.books
        ? embeddingsToRows(trained.embeddings, n, trained.dim)
        : byMeanRow(data, settings)
          ? await encodeMeanRows(tf, trained, input, width, data)
          : poolUnitRows(trained.embeddings, n, trained.dim, data.bookOfRow, data.books);
    if (settings.selfLabelRounds > 0) {
      if (!options.cluster) throw new ShelfmapError('internal', 'Self-labelling needs a way to cluster the books.');
      const scale = trained.model.topology.inputScale;
      const scaled = input.map((v) => v * scale);
      const relabelled = await selfLabel(tf, trained.model.network, scaled, width, data.bookOfRow, data.books, await options.cluster(books), {
        seed: options.seed,
        rounds: settings.selfLabelRounds,
        epochs: settings.selfLabelEpochs,
        batchSize: settings.batchSize,
        learningRate: settings.learningRate,
        cluster: options.cluster,
        signal: options.signal,
      });
      books = relabelled.books;
    }
    return { ...trained, books };
  } catch (error) {
    trained.model.dispose();
    throw error;
  }
}

/** Whether each book is embedded as the encoding of its mean input row rather than the mean of its rows' encodings. */
function byMeanRow(data: EmbedInput, settings: AutoencoderSettings): boolean {
  return settings.pooling === 'meanRow' && data.bookOfRow.length !== data.books && settings.selfLabelRounds === 0;
}

/** Each book's mean input row through the encoder (books x dim, as encoded). */
async function encodeMeanRows(tf: Tf, trained: TrainedEmbeddings, input: Float32Array, width: number, data: EmbedInput): Promise<number[][]> {
  const means = bookMeans(input, width, data.bookOfRow, data.books);
  const z = tf.tidy(() => trained.model.network.encode(tf.mul(tf.tensor2d(means, [data.books, width]), trained.model.topology.inputScale) as Tensor2D));
  try {
    return embeddingsToRows((await z.data()) as Float32Array, data.books, trained.dim);
  } finally {
    z.dispose();
  }
}

/**
 * Where DEC refinement starts when a book has several rows: one input row per book (the mean of
 * its rows in the network's input view) and the centroids of `labels` on their embeddings, in
 * the space K-means saw (unit length with `normalize`). With one row per book, the rows as they are.
 */
export async function refinementStart(
  tf: Tf,
  embedded: Pick<BookEmbeddings, 'input' | 'inputWidth' | 'model'>,
  data: Pick<EmbedInput, 'bookOfRow' | 'books'>,
  labels: number[],
  normalize: boolean,
): Promise<{ input: Float32Array; centroids: number[][] }> {
  const width = embedded.inputWidth;
  const input = bookMeans(embedded.input, width, data.bookOfRow, data.books);
  const dim = embedded.model.topology.embeddingSize;
  const z = tf.tidy(() => embedded.model.network.encode(tf.mul(tf.tensor2d(input, [data.books, width]), embedded.model.topology.inputScale) as Tensor2D));
  let values: Float32Array;
  try {
    // asynchronously: the webgpu backend cannot read a GPU buffer synchronously under Node
    values = (await z.data()) as Float32Array;
  } finally {
    z.dispose();
  }
  const rows = embeddingsToRows(values, data.books, dim);
  const points = normalize ? l2NormalizeRows(rows) : rows;
  return { input, centroids: clusterMeans(points, labels, Math.max(...labels) + 1) };
}

/** The mean input row of each book (books x width). */
function bookMeans(input: Float32Array, width: number, bookOfRow: Int32Array, books: number): Float32Array {
  const sums = new Float64Array(books * width);
  const counts = new Int32Array(books);
  bookOfRow.forEach((book, r) => {
    counts[book]++;
    for (let c = 0; c < width; c++) sums[book * width + c] += input[r * width + c];
  });
  return Float32Array.from(sums, (sum, i) => sum / Math.max(1, counts[Math.floor(i / width)]));
}

/** The rows as the network reads them: dense TF-IDF, or unit-length LSA coordinates. */
export function networkInput(data: EmbedInput, components: number, seed: number, fitRows = LSA_FIT_ROWS): { input: Float32Array; width: number; lsa: LsaFit | null } {
  if (components === 0) return { input: toDenseMatrix(data.rows, data.dim), width: data.dim, lsa: null };
  const lsa = fitLsa(data.rows, data.dim, components, seed + LSA_STREAM, fitRows);
  const unit = l2NormalizeRows(lsa.coordinates);
  const input = new Float32Array(unit.length * components);
  unit.forEach((row, r) => input.set(row, r * components));
  return { input, width: components, lsa };
}

/** Each row replaced by the mean of its book's rows (row-major, rows x width). */
export function meanRowOfBook(input: Float32Array, width: number, bookOfRow: Int32Array, books: number): Float32Array {
  const means = bookMeans(input, width, bookOfRow, books);
  const target = new Float32Array(input.length);
  bookOfRow.forEach((book, r) => target.set(means.subarray(book * width, (book + 1) * width), r * width));
  return target;
}

/**
 * Each row replaced by the mean of its book's mean row and those of its book's `neighbours`
 * nearest books (cosine of the mean rows). The target is then what a book shares with the books
 * most like it, which a network cannot meet by telling books apart.
 */
export function neighbourhoodMean(input: Float32Array, width: number, bookOfRow: Int32Array, books: number, neighbours: number): Float32Array {
  const means = bookMeans(input, width, bookOfRow, books);
  const bookMean = Array.from({ length: books }, (_, b) => Array.from(means.subarray(b * width, (b + 1) * width)));
  const unit = l2NormalizeRows(bookMean);
  const smoothed = unit.map((own, b) => {
    const nearest = unit
      .map((other, o) => ({ o, cos: o === b ? -Infinity : other.reduce((sum, v, c) => sum + v * own[c], 0) }))
      .sort((x, y) => y.cos - x.cos || x.o - y.o)
      .slice(0, Math.min(neighbours, books - 1));
    return bookMean[b].map((v, c) => (v + nearest.reduce((sum, n) => sum + bookMean[n.o][c], 0)) / (1 + nearest.length));
  });
  const target = new Float32Array(input.length);
  bookOfRow.forEach((book, r) => target.set(smoothed[book], r * width));
  return target;
}

/** Row-major embeddings split into unit-length rows (all-zero rows stay zero). */
export function unitRowsOf(embeddings: Float32Array, rows: number, dim: number): number[][] {
  return l2NormalizeRows(Array.from({ length: rows }, (_, r) => Array.from(embeddings.subarray(r * dim, (r + 1) * dim))));
}

/**
 * poolByBook(unitRowsOf(embeddings, rows, dim), bookOfRow, books) in one pass, without an array
 * per row (100,000 of them at 10,000 books): the same operations in the same order, so the same
 * numbers to the bit.
 */
export function poolUnitRows(embeddings: Float32Array, rows: number, dim: number, bookOfRow: Int32Array, books: number): number[][] {
  if (embeddings.length !== rows * dim) {
    throw new ShelfmapError('invalid-argument', `Embeddings have ${embeddings.length} values, not ${rows} x ${dim}.`);
  }
  const sums = Array.from({ length: books }, () => new Array<number>(dim).fill(0));
  const counts = new Int32Array(books);
  for (let r = 0; r < rows; r++) {
    const offset = r * dim;
    let sumSquares = 0;
    for (let c = 0; c < dim; c++) sumSquares += embeddings[offset + c] * embeddings[offset + c];
    const scale = sumSquares > 0 ? 1 / Math.sqrt(sumSquares) : 0;
    const sum = sums[bookOfRow[r]];
    counts[bookOfRow[r]]++;
    for (let c = 0; c < dim; c++) sum[c] += embeddings[offset + c] * scale;
  }
  return sums.map((sum, b) => sum.map((v) => v / Math.max(1, counts[b])));
}

/** Mean of each book's rows. */
export function poolByBook(rows: number[][], bookOfRow: Int32Array, books: number): number[][] {
  const dim = rows[0]?.length ?? 0;
  const sums = Array.from({ length: books }, () => new Array<number>(dim).fill(0));
  const counts = new Int32Array(books);
  rows.forEach((row, r) => {
    const sum = sums[bookOfRow[r]];
    counts[bookOfRow[r]]++;
    for (let c = 0; c < dim; c++) sum[c] += row[c];
  });
  return sums.map((sum, b) => sum.map((v) => v / Math.max(1, counts[b])));
}
