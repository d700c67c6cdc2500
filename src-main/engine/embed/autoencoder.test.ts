import type { Tensor2D } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AutoencoderSettings } from '../../../src-shared/settings';
import { ShelfmapError } from '../../../src-shared/errors';
import { selectBackend, type Tf } from './backend';
import { embeddingsToRows, MAX_HELD_OUT_ROWS, splitRows, stepBudget, trainAutoencoder } from './autoencoder';
import { createRandom } from './random';
import { smallNetworkSettings } from './test-settings';

const SETTINGS: AutoencoderSettings = smallNetworkSettings();

/** L2-normalised non-negative rows in three groups, each group heavy on its own third of the columns. */
function topicRows(rows: number, cols: number, seed: number): { input: Float32Array; topic: number[] } {
  const random = createRandom(seed);
  const input = new Float32Array(rows * cols);
  const topic = Array.from({ length: rows }, (_, r) => r % 3);
  for (let r = 0; r < rows; r++) {
    let norm = 0;
    for (let c = 0; c < cols; c++) {
      const own = Math.floor((c * 3) / cols) === topic[r];
      const value = random() < (own ? 0.8 : 0.15) ? random() * (own ? 3 : 1) : 0;
      input[r * cols + c] = value;
      norm += value * value;
    }
    for (let c = 0; c < cols; c++) input[r * cols + c] /= Math.sqrt(norm);
  }
  return { input, topic };
}

const DATA = topicRows(45, 60, 99);

let tf: Tf;
beforeAll(async () => {
  tf = (await selectBackend('cpu')).tf;
});

async function onBackend(name: 'cpu' | 'wasm'): Promise<Tf> {
  const selected = await selectBackend(name);
  expect(selected.tf.getBackend()).toBe(name);
  return selected.tf;
}

describe('trainAutoencoder', () => {
  it('returns one embedding per row and a falling loss, reported every epoch', async () => {
    const reports: { epoch: number; epochs: number; loss: number; valLoss: number | null; ms: number }[] = [];
    const result = await trainAutoencoder(tf, DATA.input, 45, 60, SETTINGS, { seed: 1, onEpoch: (e) => reports.push(e) });
    result.model.dispose();
    expect(result.dim).toBe(4);
    expect(result.embeddings).toHaveLength(45 * 4);
    expect(result.embeddings.every(Number.isFinite)).toBe(true);
    expect(result.losses).toHaveLength(6);
    expect(reports.map((r) => [r.epoch, r.epochs, r.loss, r.valLoss])).toEqual(result.losses.map((loss, i) => [i + 1, 6, loss, null]));
    expect(result.valLosses).toEqual([]);
    expect(result.bestEpoch).toBe(6);
    expect(reports.every((r) => r.ms >= 0)).toBe(true);
    expect(result.losses[5]).toBeLessThan(result.losses[0] * 0.8);
  });

  it('places rows of the same group nearer each other than rows of other groups', async () => {
    const { embeddings, dim, model } = await trainAutoencoder(tf, DATA.input, 45, 60, { ...SETTINGS, epochs: 30 }, { seed: 3 });
    model.dispose();
    const rows = embeddingsToRows(embeddings, 45, dim);
    let same = 0;
    let sameCount = 0;
    let other = 0;
    let otherCount = 0;
    for (let i = 0; i < 45; i++) {
      for (let j = i + 1; j < 45; j++) {
        const d = Math.hypot(...rows[i].map((v, k) => v - rows[j][k]));
        if (DATA.topic[i] === DATA.topic[j]) {
          same += d;
          sameCount++;
        } else {
          other += d;
          otherCount++;
        }
      }
    }
    expect(same / sameCount).toBeLessThan((other / otherCount) * 0.7);
  });

  it.each(['cpu', 'wasm'] as const)('gives identical embeddings for the same seed on %s, different for another seed', async (name) => {
    const backendTf = await onBackend(name);
    // Dropout and a held-out slice draw from the seed too.
    const settings = { ...SETTINGS, dropout: 0.2, validationFraction: 0.2 };
    const run = async (seed: number) => {
      const result = await trainAutoencoder(backendTf, DATA.input, 45, 60, settings, { seed });
      result.model.dispose();
      return result;
    };
    const first = await run(21);
    const second = await run(21);
    const third = await run(22);
    expect(second.embeddings).toEqual(first.embeddings);
    expect(second.losses).toEqual(first.losses);
    expect(second.valLosses).toEqual(first.valLosses);
    expect(third.embeddings).not.toEqual(first.embeddings);
    await onBackend('cpu');
  });

  it.each(['cpu', 'wasm'] as const)('keeps the tensor count flat across epochs and leaves nothing behind on %s', async (name) => {
    const backendTf = await onBackend(name);
    const before = backendTf.memory().numTensors;
    const counts: number[] = [];
    // Early stopping keeps a copy of the best weights, and a held-out loss is computed each epoch.
    const settings = { ...SETTINGS, epochs: 5, dropout: 0.1, validationFraction: 0.2, patience: 10 };
    const { model } = await trainAutoencoder(backendTf, DATA.input, 45, 60, settings, {
      seed: 4,
      onEpoch: () => counts.push(backendTf.memory().numTensors),
    });
    expect(counts).toHaveLength(5);
    // Model weights, Adam's moments and the input are alive during training, so more than before...
    expect(counts[0]).toBeGreaterThan(before);
    // ...but no more after the last epoch than after the first.
    expect(counts[4]).toBe(counts[0]);
    // Only the handed-over model is left, and disposing it leaves nothing.
    expect(backendTf.memory().numTensors).toBe(before + model.network.variables.length);
    model.dispose();
    expect(backendTf.memory().numTensors).toBe(before);
    await onBackend('cpu');
  });

  it('stops within one batch of a cancel and disposes everything', async () => {
    const controller = new AbortController();
    let yields = 0;
    // A cancel message arrives while the loop yields after its third batch.
    const counting: Tf = {
      ...tf,
      nextFrame: async () => {
        yields++;
        if (yields === 3) controller.abort();
        await tf.nextFrame();
      },
    };
    const before = tf.memory().numTensors;
    const epochs: number[] = [];
    const attempt = trainAutoencoder(counting, DATA.input, 45, 60, SETTINGS, {
      seed: 5,
      signal: controller.signal,
      onEpoch: (e) => epochs.push(e.epoch),
    });
    await expect(attempt).rejects.toBeInstanceOf(ShelfmapError);
    await expect(attempt).rejects.toMatchObject({ kind: 'cancelled' });
    // Batches of 8 over 45 rows: 6 per epoch. Only the three batches before the cancel ran.
    expect(yields).toBe(3);
    expect(epochs).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('does not start when already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const before = tf.memory().numTensors;
    await expect(trainAutoencoder(tf, DATA.input, 45, 60, SETTINGS, { seed: 1, signal: controller.signal })).rejects.toMatchObject({
      kind: 'cancelled',
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('handles a batch size larger than the number of rows', async () => {
    const result = await trainAutoencoder(tf, DATA.input.subarray(0, 5 * 60), 5, 60, { ...SETTINGS, batchSize: 64 }, { seed: 1 });
    result.model.dispose();
    expect(result.embeddings).toHaveLength(5 * 4);
    expect(result.losses).toHaveLength(6);
  });

  it('trains with the other activations and designs too', async () => {
    const variants = [
      { activation: 'relu' as const, design: { inputScale: 'none' as const } },
      { activation: 'elu' as const, design: { loss: 'cosine' as const } },
      { activation: 'tanh' as const, design: {} },
    ];
    for (const { activation, design } of variants) {
      const result = await trainAutoencoder(tf, DATA.input, 45, 60, { ...SETTINGS, activation }, { seed: 1, design });
      result.model.dispose();
      expect(result.model.topology.activation).toBe(activation);
      expect(result.embeddings.every(Number.isFinite)).toBe(true);
      expect(result.losses[5]).toBeLessThan(result.losses[0]);
    }
  });

  it('changes the result with dropout, and still learns', async () => {
    const plain = await trainAutoencoder(tf, DATA.input, 45, 60, SETTINGS, { seed: 8 });
    const noisy = await trainAutoencoder(tf, DATA.input, 45, 60, { ...SETTINGS, dropout: 0.3 }, { seed: 8 });
    plain.model.dispose();
    noisy.model.dispose();
    expect(noisy.embeddings).not.toEqual(plain.embeddings);
    expect(noisy.losses[5]).toBeLessThan(noisy.losses[0] * 0.9);
  });

  it('reports the loss on held-out books every epoch without training on them', async () => {
    const reports: (number | null)[] = [];
    const settings = { ...SETTINGS, validationFraction: 0.2 };
    const result = await trainAutoencoder(tf, DATA.input, 45, 60, settings, { seed: 2, onEpoch: (e) => reports.push(e.valLoss) });
    result.model.dispose();
    expect(result.valLosses).toHaveLength(6);
    expect(reports).toEqual(result.valLosses);
    expect(result.valLosses[5]).toBeLessThan(result.valLosses[0]);
    // Every row, held-out ones too, gets an embedding.
    expect(result.embeddings).toHaveLength(45 * 4);
    // The held-out rows are not trained on: changing one of them leaves the trained weights unchanged.
    const { validation } = splitRows(45, 0.2, 2);
    const changed = DATA.input.slice();
    changed.fill(0.1, validation[0] * 60, (validation[0] + 1) * 60);
    const again = await trainAutoencoder(tf, changed, 45, 60, settings, { seed: 2 });
    again.model.dispose();
    expect(again.losses).toEqual(result.losses);
    expect(again.valLosses).not.toEqual(result.valLosses);
  });

  it('stops early when the held-out loss stops improving and keeps the best epoch\'s weights', async () => {
    // A learning rate this high overshoots, so the held-out loss rises again after a few epochs.
    const settings = { ...SETTINGS, epochs: 40, learningRate: 0.05, validationFraction: 0.3, patience: 3 };
    const epochs: number[] = [];
    const result = await trainAutoencoder(tf, DATA.input, 45, 60, settings, { seed: 6, onEpoch: (e) => epochs.push(e.epoch) });
    try {
      const best = result.valLosses.indexOf(Math.min(...result.valLosses)) + 1;
      expect(result.bestEpoch).toBe(best);
      expect(result.losses.length).toBe(best + 3);
      expect(result.losses.length).toBeLessThan(40);
      expect(epochs).toEqual(result.losses.map((_, i) => i + 1));
      // The weights handed back are the best epoch's: their held-out loss is the best one.
      const { validation } = splitRows(45, 0.3, 6);
      const held = tf.tidy(() => {
        const x = tf.mul(tf.gather(tf.tensor2d(DATA.input, [45, 60]), tf.tensor1d(validation, 'int32')), Math.sqrt(60)) as Tensor2D;
        return tf.losses.meanSquaredError(x, result.model.network.reconstruct(x)).dataSync()[0];
      });
      expect(held).toBeCloseTo(result.valLosses[best - 1], 5);
      expect(result.embeddings).toEqual(await result.model.encode(DATA.input, 45));
    } finally {
      result.model.dispose();
    }
  });

  it('says why it stopped early: the held-out loss stalled before the step budget ran out', async () => {
    const settings = { ...SETTINGS, epochs: 40, steps: 1000, learningRate: 0.05, validationFraction: 0.3, patience: 3 };
    const result = await trainAutoencoder(tf, DATA.input, 45, 60, settings, { seed: 6 });
    result.model.dispose();
    // 32 training rows in batches of 8: 4 steps an epoch, 160 for the 40 epochs, under the cap of 1000
    expect(result.stopped.budget).toBe(160);
    expect(result.stopped.reason).toBe('stalled');
    expect(result.stopped.steps).toBe(result.losses.length * 4);
    expect(result.stopped.steps).toBeLessThan(160);
    expect(result.stopped.heldOut).toBe(14);
    expect(result.stopped.message).toMatch(new RegExp(`^Stopped after ${result.stopped.steps} of 160 steps: the held-out loss had not fallen for 3 epochs; kept epoch ${result.bestEpoch}\\.$`));
  });

  it('takes the same number of steps whatever the number of rows once the budget is the smaller', async () => {
    const settings = { ...SETTINGS, epochs: 6, steps: 60 };
    const taken: { rows: number; steps: number; reason: string; reports: number[] }[] = [];
    for (const rows of [450, 4500]) {
      const data = topicRows(rows, 60, rows);
      const reports: number[] = [];
      const result = await trainAutoencoder(tf, data.input, rows, 60, settings, { seed: 1, onEpoch: (e) => reports.push(e.epochs) });
      result.model.dispose();
      taken.push({ rows, steps: result.stopped.steps, reason: result.stopped.reason, reports });
    }
    // 60 steps as 6 reports of 10 steps, for 450 rows (57 batches an epoch) and 4500 (563)
    expect(taken).toEqual([
      { rows: 450, steps: 60, reason: 'steps', reports: [6, 6, 6, 6, 6, 6] },
      { rows: 4500, steps: 60, reason: 'steps', reports: [6, 6, 6, 6, 6, 6] },
    ]);
  });

  it('runs every epoch, as without a budget, when the epochs take fewer steps than it allows', async () => {
    const capped = await trainAutoencoder(tf, DATA.input, 45, 60, { ...SETTINGS, steps: 1000 }, { seed: 4 });
    const uncapped = await trainAutoencoder(tf, DATA.input, 45, 60, SETTINGS, { seed: 4 });
    capped.model.dispose();
    uncapped.model.dispose();
    // 45 rows in batches of 8: 6 steps an epoch, 36 in all
    expect(capped.stopped).toMatchObject({ reason: 'epochs', steps: 36, budget: 36, heldOut: 0 });
    expect(capped.stopped.message).toBe('Ran every epoch: 36 of 36 steps.');
    expect(capped.embeddings).toEqual(uncapped.embeddings);
    expect(capped.losses).toEqual(uncapped.losses);
  });

  it('holds out a sample of at most MAX_HELD_OUT_ROWS rows on a large library', () => {
    const { train, validation } = splitRows(100_000, 0.1, 3, MAX_HELD_OUT_ROWS);
    expect(validation).toHaveLength(MAX_HELD_OUT_ROWS);
    expect(train).toHaveLength(100_000 - MAX_HELD_OUT_ROWS);
    expect(new Set([...train, ...validation]).size).toBe(100_000);
    expect(splitRows(45, 0.2, 2, MAX_HELD_OUT_ROWS)).toEqual(splitRows(45, 0.2, 2));
  });

  it('rejects input holding NaN', async () => {
    const input = DATA.input.slice();
    input[17] = Number.NaN;
    await expect(trainAutoencoder(tf, input, 45, 60, SETTINGS, { seed: 1 })).rejects.toThrow(/not a finite number/);
  });

  it('says so when training diverges, and disposes everything', async () => {
    // Finite float64 values whose squares overflow float32: the loss is Infinity from the first batch.
    const huge = DATA.input.map((v) => v * 1e30);
    const before = tf.memory().numTensors;
    const attempt = trainAutoencoder(tf, huge, 45, 60, SETTINGS, { seed: 1 });
    await expect(attempt).rejects.toMatchObject({ kind: 'invalid-argument' });
    await expect(attempt).rejects.toThrow(/diverged in epoch 1 .*lower learning rate than 0.01/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects input whose length does not match rows x cols', async () => {
    await expect(trainAutoencoder(tf, new Float32Array(10), 3, 4, SETTINGS, { seed: 1 })).rejects.toMatchObject({
      kind: 'invalid-argument',
    });
  });
});

describe('stepBudget', () => {
  it('is the epochs\' batches, capped by steps, in periods of at most an epoch', () => {
    expect(stepBudget({ epochs: 30, batchSize: 32, steps: 3000 }, 1970)).toEqual({ budget: 1860, stepsPerEpoch: 62, periodSteps: 62 });
    expect(stepBudget({ epochs: 30, batchSize: 32, steps: 3000 }, 100_000)).toEqual({ budget: 3000, stepsPerEpoch: 3125, periodSteps: 100 });
    expect(stepBudget({ epochs: 30, batchSize: 32, steps: 0 }, 100_000)).toEqual({ budget: 93_750, stepsPerEpoch: 3125, periodSteps: 3125 });
    expect(stepBudget({ epochs: 3, batchSize: 64, steps: 10 }, 20)).toEqual({ budget: 3, stepsPerEpoch: 1, periodSteps: 1 });
  });
});

describe('embeddingsToRows', () => {
  it('splits row-major values into rows', () => {
    expect(embeddingsToRows(new Float32Array([1, 2, 3, 4, 5, 6]), 3, 2)).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
  });

  it('rejects a length that does not match', () => {
    expect(() => embeddingsToRows(new Float32Array(5), 3, 2)).toThrow(/5 values, not 3 x 2/);
  });
});
