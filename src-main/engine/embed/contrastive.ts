// The "same book" objective: a book's samples are natural augmentations of it, so the encoder
// learns to put samples of one book together and those of other books apart. Supervised
// contrastive loss (Khosla et al. 2020; InfoNCE / NT-Xent with several positives) on the
// unit-length bottleneck, the book as the label, and batches built so each holds at least
// `samplesPerBook` samples of every book in it. The training loop calls contrastiveBatches for
// its batch order and contrastiveLoss beside the reconstruction loss.
import type { Scalar, Tensor2D } from '@tensorflow/tfjs';
import { ShelfmapError } from '../../../src-shared/errors';
import type { Tf } from './backend';
import { shuffleInPlace } from './random';

/** What the contrastive term needs beyond the rows: each row's book and the term's settings. */
export interface ContrastiveSetup {
  /** Book (group) of every row, rows long. */
  groups: Int32Array;
  /** Weight of the term beside the reconstruction loss. */
  weight: number;
  temperature: number;
  samplesPerBook: number;
}

/**
 * One pass over `rows` (row indices) as batches of at most `batchSize` rows: each book's rows
 * shuffled and cut into chunks of `samplesPerBook` (a lone leftover joins the book's last chunk,
 * so no chunk has a single row unless its book has one row), the chunks shuffled and packed
 * into batches whole. Every row appears exactly once; every book in a batch has at least
 * `samplesPerBook` of its rows there (fewer only when it has fewer). Seeded by `random`.
 */
export function contrastiveBatches(rows: Int32Array, groups: Int32Array, batchSize: number, samplesPerBook: number, random: () => number): Int32Array[] {
  if (samplesPerBook < 1 || batchSize < samplesPerBook + 1) {
    throw new ShelfmapError('invalid-argument', `A contrastive batch of ${batchSize} rows cannot hold ${samplesPerBook} samples of a book and another book.`);
  }
  // rows by book, in the order the books first appear, so the result depends on the seed only
  const byBook = new Map<number, number[]>();
  for (const r of rows) {
    const book = groups[r];
    let list = byBook.get(book);
    if (!list) byBook.set(book, (list = []));
    list.push(r);
  }
  const chunks: number[][] = [];
  for (const list of byBook.values()) {
    const own = Int32Array.from(list);
    shuffleInPlace(own, random);
    const bookChunks: number[][] = [];
    for (let i = 0; i < own.length; i += samplesPerBook) bookChunks.push(Array.from(own.subarray(i, i + samplesPerBook)));
    const last = bookChunks[bookChunks.length - 1];
    if (bookChunks.length > 1 && last.length < samplesPerBook) {
      bookChunks.pop();
      bookChunks[bookChunks.length - 1].push(...last);
    }
    chunks.push(...bookChunks);
  }
  const order = Int32Array.from(chunks.keys());
  shuffleInPlace(order, random);
  const batches: Int32Array[] = [];
  let current: number[] = [];
  for (const c of order) {
    const chunk = chunks[c];
    if (current.length > 0 && current.length + chunk.length > batchSize) {
      batches.push(Int32Array.from(current));
      current = [];
    }
    current.push(...chunk);
  }
  if (current.length > 0) batches.push(Int32Array.from(current));
  return batches;
}

/**
 * The constants of one batch's loss: `positives` (b x b, row i holds 1/|P(i)| at every other
 * row of i's book, else 0), `anchors` (1/count of rows that have a positive, 0 for the others)
 * and `selfMask` (-1e9 on the diagonal, so a row is never its own negative).
 */
export function batchTargets(batchGroups: ArrayLike<number>): { positives: Float32Array; anchors: Float32Array; selfMask: Float32Array; anchorCount: number } {
  const b = batchGroups.length;
  const positives = new Float32Array(b * b);
  const anchors = new Float32Array(b);
  const selfMask = new Float32Array(b * b);
  let anchorCount = 0;
  for (let i = 0; i < b; i++) {
    selfMask[i * b + i] = -1e9;
    let count = 0;
    for (let j = 0; j < b; j++) if (j !== i && batchGroups[j] === batchGroups[i]) count++;
    if (count === 0) continue;
    anchorCount++;
    anchors[i] = 1;
    for (let j = 0; j < b; j++) if (j !== i && batchGroups[j] === batchGroups[i]) positives[i * b + j] = 1 / count;
  }
  if (anchorCount > 0) for (let i = 0; i < b; i++) anchors[i] /= anchorCount;
  return { positives, anchors, selfMask, anchorCount };
}

/**
 * Supervised contrastive loss of embeddings `z` (b x d) whose rows belong to `batchGroups`:
 * the mean over rows with a positive of -mean_p log softmax_{a != i}(cos(z_i, z_a) / T)_p.
 * 0 when no row has a positive. Differentiable in z.
 */
export function contrastiveLoss(tf: Tf, z: Tensor2D, batchGroups: ArrayLike<number>, temperature: number): Scalar {
  const b = batchGroups.length;
  const { positives, anchors, selfMask, anchorCount } = batchTargets(batchGroups);
  if (anchorCount === 0) return tf.mul(tf.sum(z), 0) as Scalar;
  return tf.tidy(() => {
    const unit = tf.div(z, tf.add(tf.norm(z, 'euclidean', 1, true), 1e-8)) as Tensor2D;
    const logits = tf.div(tf.matMul(unit, unit, false, true), temperature) as Tensor2D;
    const logDenominator = tf.logSumExp(tf.add(logits, tf.tensor2d(selfMask, [b, b])), 1);
    const positiveLogit = tf.sum(tf.mul(logits, tf.tensor2d(positives, [b, b])), 1);
    return tf.sum(tf.mul(tf.sub(logDenominator, positiveLogit), tf.tensor1d(anchors))) as Scalar;
  });
}
