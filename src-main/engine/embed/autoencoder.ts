// Trains the autoencoder on the TF-IDF rows and returns each row's bottleneck as its embedding.
// A hand-written loop instead of model.fit: seeded batch order, every tensor disposed,
// cancellation between batches, and a yield after each batch so the worker hears messages.
import type { Scalar, Tensor2D } from '@tensorflow/tfjs';
import { ShelfmapError } from '../../../src-shared/errors';
import type { AutoencoderSettings } from '../../../src-shared/settings';
import type { Tf } from './backend';
import { buildAutoencoder, type Activation } from './model';
import { createRandom, deriveSeed, shuffleInPlace } from './random';

export type ReconstructionLoss = 'mse' | 'cosine';

/** Choices about the network that run settings do not expose; the defaults are the measured best. */
export interface AutoencoderDesign {
  activation: Activation;
  loss: ReconstructionLoss;
  /**
   * 'unit' multiplies inputs by sqrt(cols), so an L2-normalised row's entries have mean square 1
   * instead of 1/cols; 'none' trains on the rows as given.
   */
  inputScale: 'unit' | 'none';
}

// Measured on the 197-book corpus (K-means NMI against genres, mean of 3 seeds, hidden [256],
// 20 epochs): selu 0.656 > elu 0.635 > relu 0.607 > tanh 0.568; with relu, cosine loss gave
// 0.567 and unscaled input 0.525 against 0.607 for MSE on scaled input.
export const DEFAULT_DESIGN: AutoencoderDesign = { activation: 'selu', loss: 'mse', inputScale: 'unit' };

export interface EpochReport {
  epoch: number;
  epochs: number;
  /** Mean reconstruction loss over the epoch's batches, weighted by batch size. */
  loss: number;
  ms: number;
}

export interface TrainOptions {
  seed: number;
  signal?: AbortSignal;
  onEpoch?: (e: EpochReport) => void;
  design?: Partial<AutoencoderDesign>;
}

export interface TrainedEmbeddings {
  /** Row-major rows x dim. */
  embeddings: Float32Array;
  dim: number;
  /** One per epoch. */
  losses: number[];
}

const ENCODE_CHUNK_ROWS = 512;

export async function trainAutoencoder(
  tf: Tf,
  input: Float32Array,
  rows: number,
  cols: number,
  settings: AutoencoderSettings,
  options: TrainOptions,
): Promise<TrainedEmbeddings> {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1 || input.length !== rows * cols) {
    throw new ShelfmapError('invalid-argument', `Autoencoder input has ${input.length} values, not ${rows} rows x ${cols} columns.`);
  }
  if (!input.every(Number.isFinite)) {
    throw new ShelfmapError('invalid-argument', 'Autoencoder input holds a value that is not a finite number.');
  }
  const { signal, onEpoch } = options;
  const design = { ...DEFAULT_DESIGN, ...options.design };
  throwIfCancelled(signal);

  const model = buildAutoencoder(tf, cols, settings, design.activation, options.seed);
  const optimizer = tf.train.adam(settings.learningRate);
  const scale = design.inputScale === 'unit' ? Math.sqrt(cols) : 1;
  const x = tf.tidy(() => tf.mul(tf.tensor2d(input, [rows, cols]), scale) as Tensor2D);
  const reconstructionLoss = design.loss === 'cosine' ? cosineLoss : mseLoss;
  // Seed index past any layer's, so batch order and weights never share a stream.
  const random = createRandom(deriveSeed(options.seed, 1 << 16));
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  const batchSize = Math.min(settings.batchSize, rows);
  const losses: number[] = [];
  try {
    for (let epoch = 1; epoch <= settings.epochs; epoch++) {
      const started = performance.now();
      shuffleInPlace(order, random);
      let lossSum = 0;
      for (let start = 0; start < rows; start += batchSize) {
        throwIfCancelled(signal);
        const indices = order.slice(start, start + batchSize);
        const loss = tf.tidy(() => {
          const batch = tf.gather(x, tf.tensor1d(indices, 'int32')) as Tensor2D;
          return optimizer.minimize(() => reconstructionLoss(tf, batch, model.reconstruct(batch)), true, model.variables) as Scalar;
        });
        lossSum += (await loss.data())[0] * indices.length;
        loss.dispose();
        await tf.nextFrame();
      }
      const loss = lossSum / rows;
      if (!Number.isFinite(loss)) {
        throw new ShelfmapError(
          'invalid-argument',
          `The autoencoder diverged in epoch ${epoch} (loss ${loss}); try a lower learning rate than ${settings.learningRate}.`,
        );
      }
      losses.push(loss);
      onEpoch?.({ epoch, epochs: settings.epochs, loss, ms: performance.now() - started });
    }
    throwIfCancelled(signal);
    const dim = settings.embeddingSize;
    const embeddings = new Float32Array(rows * dim);
    for (let start = 0; start < rows; start += ENCODE_CHUNK_ROWS) {
      const count = Math.min(ENCODE_CHUNK_ROWS, rows - start);
      const encoded = tf.tidy(() => model.encode(tf.slice(x, [start, 0], [count, cols])));
      embeddings.set(await encoded.data(), start * dim);
      encoded.dispose();
    }
    return { embeddings, dim, losses };
  } finally {
    x.dispose();
    model.dispose();
    optimizer.dispose();
  }
}

/** Splits row-major embeddings into one array per row (the shape ml-kmeans takes). */
export function embeddingsToRows(embeddings: Float32Array, rows: number, dim: number): number[][] {
  if (embeddings.length !== rows * dim) {
    throw new ShelfmapError('invalid-argument', `Embeddings have ${embeddings.length} values, not ${rows} x ${dim}.`);
  }
  return Array.from({ length: rows }, (_, r) => Array.from(embeddings.subarray(r * dim, (r + 1) * dim)));
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ShelfmapError('cancelled', 'The run was cancelled.');
}

function mseLoss(tf: Tf, target: Tensor2D, output: Tensor2D): Scalar {
  return tf.losses.meanSquaredError(target, output) as Scalar;
}

/** Mean over rows of 1 - cos(target, output): ignores scale, so tiny L2-normalised rows are no handicap. */
function cosineLoss(tf: Tf, target: Tensor2D, output: Tensor2D): Scalar {
  const dot = tf.sum(tf.mul(target, output), 1);
  const norms = tf.mul(tf.norm(target, 'euclidean', 1), tf.norm(output, 'euclidean', 1));
  return tf.mean(tf.sub(1, tf.div(dot, tf.add(norms, 1e-8))));
}
