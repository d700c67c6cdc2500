// Self-labelling (as in DeepCluster, Caron et al. 2018): the encoder, with a softmax head, learns
// to tell each sample's cluster from that one sample, where the cluster is its book's; the books
// are then clustered again on the new embeddings, and so on for a few rounds. Unlike a "same
// book" objective the classes hold many books each, so the network is pushed towards what the
// books of a cluster share rather than what tells one book from another.
import type { Scalar, Tensor2D, Variable } from '@tensorflow/tfjs';
import { ShelfmapError } from '../../../src-shared/errors';
import type { Tf } from './backend';
import type { AutoencoderModel } from './model';
import { createRandom, deriveSeed, shuffleInPlace } from './random';
import { poolByBook, unitRowsOf } from './books';

export interface SelfLabelOptions {
  seed: number;
  rounds: number;
  /** Epochs over all rows per round. */
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Groups the pooled book embeddings; the run's own K-means or consensus. */
  cluster: (books: number[][]) => Promise<number[]>;
  signal?: AbortSignal;
  onRound?: (round: number, rounds: number, loss: number) => void;
}

/** A stream of the seed apart from training's and refinement's. */
const SELF_LABEL_STREAM = (1 << 16) + 32;

/**
 * Trains `network`'s encoder (its weights change in place) on `input` (rows x width, already
 * scaled as the network reads it) for `rounds` rounds starting from the books' `labels`, and
 * returns the pooled book embeddings and labels of the last round.
 */
export async function selfLabel(
  tf: Tf,
  network: AutoencoderModel,
  input: Float32Array,
  width: number,
  bookOfRow: Int32Array,
  books: number,
  labels: number[],
  options: SelfLabelOptions,
): Promise<{ books: number[][]; labels: number[] }> {
  const rows = bookOfRow.length;
  if (input.length !== rows * width) throw new ShelfmapError('invalid-argument', `Self-labelling input has ${input.length} values, not ${rows} x ${width}.`);
  const k = Math.max(...labels) + 1;
  const x = tf.tensor2d(input, [rows, width]);
  const random = createRandom(deriveSeed(options.seed, SELF_LABEL_STREAM));
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  const batchSize = Math.min(options.batchSize, rows);
  const dim = network.encoderVariables[network.encoderVariables.length - 1].shape[0];
  let current = labels;
  let pooled: number[][] = [];
  try {
    for (let round = 1; round <= options.rounds; round++) {
      const rowLabels = tf.tensor1d(Int32Array.from(bookOfRow, (b) => current[b]), 'int32');
      const headSeed = deriveSeed(options.seed, SELF_LABEL_STREAM + round);
      const head: Variable[] = tf.tidy(() => [
        tf.variable(tf.initializers.glorotUniform({ seed: headSeed }).apply([dim, k], 'float32') as Tensor2D),
        tf.variable(tf.zeros([k])),
      ]);
      const optimizer = tf.train.adam(options.learningRate);
      let lossSum = 0;
      try {
        for (let epoch = 0; epoch < options.epochs; epoch++) {
          shuffleInPlace(order, random);
          lossSum = 0;
          for (let start = 0; start < rows; start += batchSize) {
            if (options.signal?.aborted) throw new ShelfmapError('cancelled', 'The run was cancelled.');
            const indices = order.slice(start, start + batchSize);
            const loss = tf.tidy(() => {
              const at = tf.tensor1d(indices, 'int32');
              const batch = tf.gather(x, at) as Tensor2D;
              const truth = tf.oneHot(tf.gather(rowLabels, at), k);
              return optimizer.minimize(
                () => tf.losses.softmaxCrossEntropy(truth, tf.add(tf.matMul(network.encode(batch), head[0]), head[1])) as Scalar,
                true,
                [...network.encoderVariables, ...head],
              ) as Scalar;
            });
            lossSum += (await loss.data())[0] * indices.length;
            loss.dispose();
            await tf.nextFrame();
          }
        }
      } finally {
        optimizer.dispose();
        head.forEach((v) => v.dispose());
        rowLabels.dispose();
      }
      const encoded = tf.tidy(() => network.encode(x));
      const embeddings = (await encoded.data()) as Float32Array;
      encoded.dispose();
      pooled = poolByBook(unitRowsOf(embeddings, rows, dim), bookOfRow, books);
      current = await options.cluster(pooled);
      options.onRound?.(round, options.rounds, lossSum / rows);
    }
  } finally {
    x.dispose();
  }
  return { books: pooled, labels: current };
}
