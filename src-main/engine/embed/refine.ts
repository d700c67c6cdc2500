// DEC-style refinement (Xie et al. 2016) with IDEC's reconstruction term (Guo et al. 2017):
// starting from K-means centroids on the autoencoder's embeddings, the encoder and the
// centroids are trained together so each book's soft assignment sharpens towards a target that
// favours confident assignments, while the reconstruction loss keeps the embedding faithful to
// the books. Same hygiene as training: tidied steps, seeded batches, a cancel check and a yield
// between batches.
import type { Scalar, Tensor2D } from '@tensorflow/tfjs';
import { ShelfmapError } from '../../../src-shared/errors';
import type { RefineSettings } from '../../../src-shared/settings';
import type { Tf } from './backend';
import { createRandom, deriveSeed, shuffleInPlace } from './random';
import type { TrainedAutoencoder } from './trained';

export interface RefineEpochReport {
  epoch: number;
  epochs: number;
  /** Mean of KL(p || q) + reconstructionWeight * reconstruction MSE over the epoch's batches. */
  loss: number;
  /** Books whose cluster (argmax q) changed during the epoch. */
  changed: number;
}

export interface RefineOptions {
  seed: number;
  signal?: AbortSignal;
  onEpoch?: (e: RefineEpochReport) => void;
  /**
   * Compare unit-length embeddings with the centroids, as K-means did when the embeddings were
   * L2-normalised before it (RunSettings.normalizeEmbeddings): the centroids must be in the
   * space K-means found them in.
   */
  normalize?: boolean;
  /** Books per gradient step (default 32). */
  batchSize?: number;
}

export interface RefinedClusters {
  /** Row-major rows x dim, in the space the clusters were found in (unit length with `normalize`). */
  embeddings: Float32Array;
  dim: number;
  /** argmax q for each book. */
  labels: number[];
  centroids: number[][];
}

// A stream of the seed apart from the ones training used.
const REFINE_STREAM = (1 << 16) + 16;
const DEFAULT_BATCH_SIZE = 32;
const LOG_FLOOR = 1e-12;

/**
 * Refines `model` (its weights change in place) and the clusters of `input`'s rows, starting
 * from `initialCentroids` (one per cluster, model.topology.embeddingSize wide). Stops after
 * settings.epochs or once fewer than settings.tolerance of the books change cluster in an epoch.
 */
export async function refineClusters(
  tf: Tf,
  model: TrainedAutoencoder,
  input: Float32Array,
  rows: number,
  cols: number,
  initialCentroids: number[][],
  settings: RefineSettings,
  options: RefineOptions,
): Promise<RefinedClusters> {
  const dim = model.topology.embeddingSize;
  const k = initialCentroids.length;
  if (cols !== model.topology.inputWidth || !Number.isInteger(rows) || rows < 1 || input.length !== rows * cols) {
    throw new ShelfmapError(
      'invalid-argument',
      `Refinement input has ${input.length} values, not ${rows} rows x ${model.topology.inputWidth} columns.`,
    );
  }
  if (k < 1 || initialCentroids.some((c) => c.length !== dim || !c.every(Number.isFinite))) {
    throw new ShelfmapError('invalid-argument', `Refinement needs at least one centroid of ${dim} finite numbers.`);
  }
  const { signal, onEpoch } = options;
  const normalize = options.normalize ?? false;
  throwIfCancelled(signal);

  const network = model.network;
  // Unit vectors lie within distance 2 of each other, where Student's t barely tells clusters
  // apart (q is almost uniform). Scaled to the embeddings' mean length, distances are as large as
  // in the raw space DEC works in, while the direction alone still decides them.
  const weight = settings.reconstructionWeight;
  // `input` is what the network reads (behind any LSA view), so encode through the network itself
  const x = tf.tidy(() => tf.mul(tf.tensor2d(input, [rows, cols]), model.topology.inputScale) as Tensor2D);
  let radius = 1;
  if (normalize) {
    // read back asynchronously: the webgpu backend cannot read a GPU buffer synchronously under Node
    const z = tf.tidy(() => network.encode(x));
    try {
      radius = meanRowLength((await z.data()) as Float32Array, dim);
    } finally {
      z.dispose();
    }
  }
  const centroids = tf.tidy(() => tf.variable(tf.mul(tf.tensor2d(initialCentroids, [k, dim], 'float32'), radius)));
  // Pure DEC (weight 0) never runs the decoder, so its weights get no gradient and stay as trained.
  const trainable = [...(weight > 0 ? network.variables : network.encoderVariables), centroids];
  const optimizer = tf.train.adam(settings.learningRate);
  const random = createRandom(deriveSeed(options.seed, REFINE_STREAM));
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  const batchSize = Math.min(options.batchSize ?? DEFAULT_BATCH_SIZE, rows);

  /** Soft assignment of embeddings to centroids by Student's t with one degree of freedom. */
  const softAssign = (z: Tensor2D): Tensor2D => {
    const diff = tf.sub(tf.expandDims(z, 1), tf.expandDims(centroids, 0));
    const kernel = tf.reciprocal(tf.add(1, tf.sum(tf.square(diff), 2)));
    return tf.div(kernel, tf.sum(kernel, 1, true)) as Tensor2D;
  };
  const embed = (z: Tensor2D): Tensor2D => (normalize ? (tf.mul(unitRows(tf, z), radius) as Tensor2D) : z);

  /** q for every book, and the embeddings it came from. */
  const assignAll = async () => {
    const [zAll, qAll] = tf.tidy(() => {
      const z = embed(network.encode(x));
      return [z, softAssign(z)];
    });
    try {
      return { z: (await zAll.data()) as Float32Array, q: (await qAll.data()) as Float32Array };
    } finally {
      tf.dispose([zAll, qAll]);
    }
  };

  try {
    let current = await assignAll();
    let labels = argmaxRows(current.q, rows, k);
    for (let epoch = 1; epoch <= settings.epochs; epoch++) {
      const target = tf.tensor2d(targetDistribution(current.q, rows, k), [rows, k]);
      let lossSum = 0;
      try {
        shuffleInPlace(order, random);
        for (let start = 0; start < rows; start += batchSize) {
          throwIfCancelled(signal);
          const indices = order.slice(start, start + batchSize);
          const loss = tf.tidy(() => {
            const picked = tf.tensor1d(indices, 'int32');
            const batch = tf.gather(x, picked) as Tensor2D;
            const p = tf.gather(target, picked) as Tensor2D;
            return optimizer.minimize(
              () => {
                const raw = network.encode(batch);
                const q = softAssign(embed(raw));
                const kl = tf.mean(tf.sum(tf.mul(p, tf.sub(tf.log(tf.add(p, LOG_FLOOR)), tf.log(tf.add(q, LOG_FLOOR)))), 1));
                if (weight === 0) return kl as Scalar;
                return tf.add(kl, tf.mul(weight, tf.losses.meanSquaredError(batch, network.decode(raw)))) as Scalar;
              },
              true,
              trainable,
            ) as Scalar;
          });
          lossSum += (await loss.data())[0] * indices.length;
          loss.dispose();
          await tf.nextFrame();
        }
      } finally {
        target.dispose();
      }
      const loss = lossSum / rows;
      if (!Number.isFinite(loss)) {
        throw new ShelfmapError(
          'invalid-argument',
          `Cluster refinement diverged in epoch ${epoch} (loss ${loss}); try a lower learning rate than ${settings.learningRate}.`,
        );
      }
      current = await assignAll();
      const next = argmaxRows(current.q, rows, k);
      const changed = next.reduce((count, label, i) => count + (label === labels[i] ? 0 : 1), 0);
      labels = next;
      onEpoch?.({ epoch, epochs: settings.epochs, loss, changed });
      if (changed < settings.tolerance * rows) break;
    }
    throwIfCancelled(signal);
    const finalCentroids = ((await centroids.array()) as number[][]).map((c) => c.map((v) => v / radius));
    const embeddings = normalize ? current.z.map((v) => v / radius) : current.z;
    return { embeddings, dim, labels, centroids: finalCentroids };
  } finally {
    x.dispose();
    centroids.dispose();
    optimizer.dispose();
  }
}

/** DEC's target: p_ij = q_ij^2 / f_j with f_j = sum_i q_ij, each row normalised to sum 1. */
export function targetDistribution(q: Float32Array, rows: number, k: number): Float32Array {
  const frequency = new Float64Array(k);
  for (let i = 0; i < rows; i++) for (let j = 0; j < k; j++) frequency[j] += q[i * k + j];
  const p = new Float32Array(rows * k);
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    for (let j = 0; j < k; j++) sum += (p[i * k + j] = (q[i * k + j] * q[i * k + j]) / frequency[j]);
    for (let j = 0; j < k; j++) p[i * k + j] /= sum;
  }
  return p;
}

function argmaxRows(values: Float32Array, rows: number, k: number): number[] {
  return Array.from({ length: rows }, (_, i) => {
    let best = 0;
    for (let j = 1; j < k; j++) if (values[i * k + j] > values[i * k + best]) best = j;
    return best;
  });
}

/** Mean length of the rows of `z` (disposed here). */
function meanRowLength(values: Float32Array, dim: number): number {
  let total = 0;
  const rows = values.length / dim;
  for (let i = 0; i < rows; i++) total += Math.hypot(...values.subarray(i * dim, (i + 1) * dim));
  // A network that maps everything to zero has no directions to compare; any radius will do.
  return total / rows || 1;
}

function unitRows(tf: Tf, z: Tensor2D): Tensor2D {
  // The floor keeps a zero row at zero instead of dividing by zero.
  return tf.div(z, tf.maximum(tf.norm(z, 'euclidean', 1, true), 1e-12)) as Tensor2D;
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ShelfmapError('cancelled', 'The run was cancelled.');
}
