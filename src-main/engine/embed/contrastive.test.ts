import type { Tensor2D } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AutoencoderSettings } from '../../../src-shared/settings';
import { ShelfmapError } from '../../../src-shared/errors';
import { selectBackend, type Tf } from './backend';
import { embeddingsToRows, trainAutoencoder } from './autoencoder';
import { batchTargets, contrastiveBatches, contrastiveLoss } from './contrastive';
import { createRandom } from './random';
import { smallNetworkSettings } from './test-settings';

let tf: Tf;
beforeAll(async () => {
  tf = (await selectBackend('cpu')).tf;
});

/** 12 books of `perBook` rows each (the last book has 1 row), rows of one book together. */
function booksOf(perBook: number[]): Int32Array {
  return Int32Array.from(perBook.flatMap((n, book) => new Array<number>(n).fill(book)));
}

describe('contrastiveBatches', () => {
  const groups = booksOf([10, 10, 10, 7, 3, 10, 1, 10, 10, 5, 10, 10]);
  const rows = Int32Array.from(groups.keys());

  it('covers every row once, in batches of at most batchSize, each book there with at least samplesPerBook rows', () => {
    for (const samplesPerBook of [2, 3, 5]) {
      const batches = contrastiveBatches(rows, groups, 16, samplesPerBook, createRandom(4));
      const seen = batches.flatMap((b) => Array.from(b)).sort((a, b) => a - b);
      expect(seen).toEqual(Array.from(rows));
      for (const batch of batches) {
        expect(batch.length).toBeLessThanOrEqual(16);
        const count = new Map<number, number>();
        for (const r of batch) count.set(groups[r], (count.get(groups[r]) ?? 0) + 1);
        for (const [book, n] of count) {
          // a book with fewer rows than samplesPerBook comes whole; book 6 has one row
          const size = groups.filter((g) => g === book).length;
          expect(n).toBeGreaterThanOrEqual(Math.min(samplesPerBook, size));
        }
      }
      // packed: no two neighbouring batches would fit in one
      for (let i = 1; i < batches.length; i++) expect(batches[i - 1].length + batches[i].length).toBeGreaterThan(16 - samplesPerBook);
    }
  });

  it('repeats for the same seed and mixes books differently for another', () => {
    const a = contrastiveBatches(rows, groups, 16, 2, createRandom(7));
    const b = contrastiveBatches(rows, groups, 16, 2, createRandom(7));
    const c = contrastiveBatches(rows, groups, 16, 2, createRandom(8));
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('takes only the rows it is given (training rows, without held-out ones)', () => {
    const some = Int32Array.from([0, 1, 2, 10, 11, 20, 21, 22, 23]);
    const batches = contrastiveBatches(some, groups, 4, 2, createRandom(1));
    expect(batches.flatMap((b) => Array.from(b)).sort((a, b) => a - b)).toEqual(Array.from(some));
  });

  it('refuses a batch that cannot hold a book and another', () => {
    expect(() => contrastiveBatches(rows, groups, 2, 2, createRandom(1))).toThrow(ShelfmapError);
  });
});

describe('batchTargets', () => {
  it('weighs each positive by 1/|P(i)|, each anchor by 1/anchors, and leaves rows without a positive out', () => {
    const t = batchTargets([5, 5, 5, 9, 2, 2]);
    const b = 6;
    expect(t.anchorCount).toBe(5); // book 9 has no second row
    expect(Array.from(t.positives.subarray(0, b))).toEqual([0, 0.5, 0.5, 0, 0, 0]);
    expect(Array.from(t.positives.subarray(3 * b, 4 * b))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(t.positives.subarray(4 * b, 5 * b))).toEqual([0, 0, 0, 0, 0, 1]);
    expect(Array.from(t.anchors)).toEqual([0.2, 0.2, 0.2, 0, 0.2, 0.2].map(Math.fround));
    expect(Array.from({ length: b }, (_, i) => t.selfMask[i * b + i])).toEqual(new Array(b).fill(-1e9));
  });
});

/** The loss written out in plain numbers, for comparison. */
function referenceLoss(z: number[][], groups: number[], temperature: number): number {
  const unit = z.map((row) => {
    const n = Math.hypot(...row) + 1e-8;
    return row.map((v) => v / n);
  });
  const cos = (i: number, j: number) => unit[i].reduce((s, v, k) => s + v * unit[j][k], 0);
  let total = 0;
  let anchors = 0;
  groups.forEach((g, i) => {
    const others = groups.map((_, j) => j).filter((j) => j !== i);
    const positives = others.filter((j) => groups[j] === g);
    if (positives.length === 0) return;
    const denominator = Math.log(others.reduce((s, j) => s + Math.exp(cos(i, j) / temperature), 0));
    total += positives.reduce((s, p) => s + (denominator - cos(i, p) / temperature), 0) / positives.length;
    anchors++;
  });
  return total / anchors;
}

describe('contrastiveLoss', () => {
  const random = createRandom(3);
  const z = Array.from({ length: 8 }, () => Array.from({ length: 4 }, () => random() * 2 - 1));
  const groups = [0, 0, 1, 1, 1, 2, 3, 3];

  it('equals the supervised contrastive loss written out by hand', async () => {
    for (const temperature of [0.1, 0.5, 1]) {
      const loss = tf.tidy(() => contrastiveLoss(tf, tf.tensor2d(z) as Tensor2D, groups, temperature));
      expect((await loss.data())[0]).toBeCloseTo(referenceLoss(z, groups, temperature), 4);
      loss.dispose();
    }
  });

  it('is lower when each book\'s rows point the same way, and 0 with no positive in the batch', async () => {
    const together = [0, 0, 1, 1, 1, 2, 3, 3].map((g) => [g === 0 ? 1 : 0, g === 1 ? 1 : 0, g === 2 ? 1 : 0, g === 3 ? 1 : 0]);
    const value = async (rows: number[][], gs: number[]) => {
      const loss = tf.tidy(() => contrastiveLoss(tf, tf.tensor2d(rows) as Tensor2D, gs, 0.1));
      const v = (await loss.data())[0];
      loss.dispose();
      return v;
    };
    expect(await value(together, groups)).toBeLessThan(await value(z, groups));
    expect(Math.abs(await value(z, [0, 1, 2, 3, 4, 5, 6, 7]))).toBe(0);
  });

  it('has a finite gradient that lowers the loss when followed', async () => {
    const start = tf.variable(tf.tensor2d(z));
    const optimizer = tf.train.sgd(0.05);
    const losses: number[] = [];
    for (let step = 0; step < 20; step++) {
      const loss = optimizer.minimize(() => contrastiveLoss(tf, start as unknown as Tensor2D, groups, 0.5), true, [start])!;
      losses.push((await loss.data())[0]);
      loss.dispose();
    }
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[19]).toBeLessThan(losses[0]);
    start.dispose();
    optimizer.dispose();
  });
});

const SETTINGS: AutoencoderSettings = smallNetworkSettings({ epochs: 15, batchSize: 12 });

/** 12 books of 6 noisy samples each, every book a random direction in 20 columns. */
function bookSamples(): { input: Float32Array; groups: Int32Array } {
  const random = createRandom(5);
  const books = 12;
  const per = 6;
  const cols = 20;
  const centres = Array.from({ length: books }, () => Array.from({ length: cols }, () => random()));
  const input = new Float32Array(books * per * cols);
  const groups = new Int32Array(books * per);
  for (let b = 0; b < books; b++) {
    for (let s = 0; s < per; s++) {
      const r = b * per + s;
      groups[r] = b;
      for (let c = 0; c < cols; c++) input[r * cols + c] = centres[b][c] + (random() - 0.5) * 0.6;
    }
  }
  return { input, groups };
}

/** Mean cosine between rows of one book over the mean cosine between rows of different books. */
function sameBookMargin(embeddings: Float32Array, groups: Int32Array, dim: number): number {
  const rows = embeddingsToRows(embeddings, groups.length, dim).map((row) => {
    const n = Math.hypot(...row);
    return row.map((v) => v / n);
  });
  let same = 0;
  let sameCount = 0;
  let other = 0;
  let otherCount = 0;
  for (let i = 0; i < rows.length; i++) {
    for (let j = i + 1; j < rows.length; j++) {
      const cos = rows[i].reduce((s, v, k) => s + v * rows[j][k], 0);
      if (groups[i] === groups[j]) {
        same += cos;
        sameCount++;
      } else {
        other += cos;
        otherCount++;
      }
    }
  }
  return same / sameCount - other / otherCount;
}

describe('trainAutoencoder with the contrastive term', () => {
  const { input, groups } = bookSamples();
  const rows = groups.length;

  it('pulls the samples of a book together more than reconstruction alone, and repeats for the same seed', async () => {
    const train = async (contrastive: boolean, reconstructionWeight = 1) => {
      const result = await trainAutoencoder(
        tf,
        input,
        rows,
        20,
        { ...SETTINGS, reconstructionWeight },
        { seed: 2, contrastive: contrastive ? { groups, weight: 1, temperature: 0.2, samplesPerBook: 2 } : undefined },
      );
      result.model.dispose();
      return result;
    };
    const plain = await train(false);
    const both = await train(true);
    const alone = await train(true, 0);
    const again = await train(true, 0);
    expect(sameBookMargin(both.embeddings, groups, 4)).toBeGreaterThan(sameBookMargin(plain.embeddings, groups, 4));
    expect(sameBookMargin(alone.embeddings, groups, 4)).toBeGreaterThan(sameBookMargin(plain.embeddings, groups, 4));
    expect(alone.losses[alone.losses.length - 1]).toBeLessThan(alone.losses[0]);
    expect(again.embeddings).toEqual(alone.embeddings);
  });

  it('leaves no tensor behind', async () => {
    const before = tf.memory().numTensors;
    const result = await trainAutoencoder(tf, input, rows, 20, { ...SETTINGS, epochs: 2 }, { seed: 1, contrastive: { groups, weight: 1, temperature: 0.1, samplesPerBook: 3 } });
    result.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses books for another number of rows', async () => {
    await expect(
      trainAutoencoder(tf, input, rows, 20, SETTINGS, { seed: 1, contrastive: { groups: groups.subarray(1), weight: 1, temperature: 0.1, samplesPerBook: 2 } }),
    ).rejects.toThrow(/books for 71 rows, not 72/);
  });
});
