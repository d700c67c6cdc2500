import { beforeAll, describe, expect, it } from 'vitest';
import type { AutoencoderSettings, RefineSettings } from '../../../src-shared/settings';
import { ShelfmapError } from '../../../src-shared/errors';
import { kmeansBest } from '../cluster';
import { normalizedMutualInfo } from '../evaluate';
import { selectBackend, type Tf } from './backend';
import { embeddingsToRows, trainAutoencoder } from './autoencoder';
import { createRandom } from './random';
import { refineClusters, targetDistribution, type RefineEpochReport } from './refine';
import type { TrainedAutoencoder } from './trained';
import { smallNetworkSettings } from './test-settings';

const AUTOENCODER: AutoencoderSettings = smallNetworkSettings({ embeddingSize: 3, epochs: 15 });
const REFINE: RefineSettings = { enabled: true, epochs: 8, reconstructionWeight: 0.1, learningRate: 0.001, tolerance: 0 };

const ROWS = 60;
const COLS = 30;

/** Three blobs of L2-normalised rows, each heavy on its own third of the columns, with overlap. */
function blobs(seed: number): { input: Float32Array; truth: number[] } {
  const random = createRandom(seed);
  const input = new Float32Array(ROWS * COLS);
  const truth = Array.from({ length: ROWS }, (_, r) => r % 3);
  for (let r = 0; r < ROWS; r++) {
    let norm = 0;
    for (let c = 0; c < COLS; c++) {
      const own = Math.floor((c * 3) / COLS) === truth[r];
      const value = random() < (own ? 0.6 : 0.3) ? random() * (own ? 2 : 1) : 0;
      input[r * COLS + c] = value;
      norm += value * value;
    }
    for (let c = 0; c < COLS; c++) input[r * COLS + c] /= Math.sqrt(norm) || 1;
  }
  return { input, truth };
}

const DATA = blobs(5);

let tf: Tf;
beforeAll(async () => {
  tf = (await selectBackend('cpu')).tf;
});

/** A trained model and K-means on its embeddings, the refinement's starting point. */
async function start(seed: number): Promise<{ model: TrainedAutoencoder; labels: number[]; centroids: number[][] }> {
  const { model, embeddings, dim } = await trainAutoencoder(tf, DATA.input, ROWS, COLS, AUTOENCODER, { seed });
  const { labels, centroids } = kmeansBest(embeddingsToRows(embeddings, ROWS, dim), 3, { seed, restarts: 5 });
  return { model, labels, centroids };
}

/** Mean over points of the largest Student's t soft assignment (alpha = 1). */
function meanConfidence(points: number[][], centroids: number[][]): number {
  const confidences = points.map((p) => {
    const kernel = centroids.map((c) => 1 / (1 + c.reduce((s, v, j) => s + (v - p[j]) ** 2, 0)));
    return Math.max(...kernel) / kernel.reduce((a, b) => a + b, 0);
  });
  return confidences.reduce((a, b) => a + b, 0) / points.length;
}

describe('targetDistribution', () => {
  it('squares q, divides by cluster frequency and normalises each row', () => {
    // f = [0.9 + 0.5, 0.1 + 0.5] = [1.4, 0.6]
    const p = targetDistribution(new Float32Array([0.9, 0.1, 0.5, 0.5]), 2, 2);
    const row0 = [0.81 / 1.4, 0.01 / 0.6];
    const row1 = [0.25 / 1.4, 0.25 / 0.6];
    const expected = [...row0.map((v) => v / (row0[0] + row0[1])), ...row1.map((v) => v / (row1[0] + row1[1]))];
    Array.from(p).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    // Sharper than q where q was confident; the small cluster gains where q was unsure.
    expect(p[0]).toBeGreaterThan(0.9);
    expect(p[3]).toBeGreaterThan(0.5);
  });
});

describe('refineClusters', () => {
  it.each([0, 0.1, 1])('keeps or improves agreement with the blobs (reconstruction weight %s)', async (reconstructionWeight) => {
    const { model, labels, centroids } = await start(1);
    const before = normalizedMutualInfo(DATA.truth, labels);
    const reports: RefineEpochReport[] = [];
    const refined = await refineClusters(tf, model, DATA.input, ROWS, COLS, centroids, { ...REFINE, reconstructionWeight }, {
      seed: 1,
      onEpoch: (e) => reports.push(e),
    });
    model.dispose();
    const after = normalizedMutualInfo(DATA.truth, refined.labels);
    expect(before).toBeGreaterThan(0.5);
    expect(after).toBeGreaterThanOrEqual(before - 0.02);
    expect(refined.labels).toHaveLength(ROWS);
    expect(refined.dim).toBe(3);
    expect(refined.embeddings).toHaveLength(ROWS * 3);
    expect(refined.centroids).toHaveLength(3);
    expect(reports.map((r) => [r.epoch, r.epochs])).toEqual(Array.from({ length: 8 }, (_, i) => [i + 1, 8]));
    expect(reports.every((r) => Number.isFinite(r.loss) && r.changed >= 0 && r.changed <= ROWS)).toBe(true);
    // Labels are the nearest refined centroid of each refined embedding (argmax of q).
    const points = embeddingsToRows(refined.embeddings, ROWS, 3);
    const nearest = points.map((p) => {
      const d = refined.centroids.map((c) => c.reduce((s, v, j) => s + (v - p[j]) ** 2, 0));
      return d.indexOf(Math.min(...d));
    });
    expect(refined.labels).toEqual(nearest);
  });

  it('sharpens the soft assignments and trains the model in place', async () => {
    const { model, centroids } = await start(2);
    const encodedBefore = await model.encode(DATA.input, ROWS);
    const refined = await refineClusters(tf, model, DATA.input, ROWS, COLS, centroids, { ...REFINE, reconstructionWeight: 0 }, { seed: 2 });
    // The model's encoder was trained in place: it now gives the refined embeddings.
    expect(await model.encode(DATA.input, ROWS)).toEqual(refined.embeddings);
    expect(refined.embeddings).not.toEqual(encodedBefore);
    model.dispose();
    // DEC's target rewards confident assignments, so books sit more clearly in one cluster.
    const before = meanConfidence(embeddingsToRows(encodedBefore, ROWS, 3), centroids);
    const after = meanConfidence(embeddingsToRows(refined.embeddings, ROWS, 3), refined.centroids);
    expect(after).toBeGreaterThan(before + 0.02);
  });

  it('works on unit-length embeddings when K-means ran on them', async () => {
    const { model, embeddings, dim } = await trainAutoencoder(tf, DATA.input, ROWS, COLS, AUTOENCODER, { seed: 3 });
    const unit = embeddingsToRows(embeddings, ROWS, dim).map((p) => p.map((v) => v / Math.hypot(...p)));
    const { labels, centroids } = kmeansBest(unit, 3, { seed: 3, restarts: 5 });
    const refined = await refineClusters(tf, model, DATA.input, ROWS, COLS, centroids, REFINE, { seed: 3, normalize: true });
    model.dispose();
    for (const p of embeddingsToRows(refined.embeddings, ROWS, dim)) expect(Math.hypot(...p)).toBeCloseTo(1, 5);
    // Centroids come back in the unit space they went in: means of unit vectors are no longer than 1.
    for (const c of refined.centroids) expect(Math.hypot(...c)).toBeLessThan(1.1);
    expect(normalizedMutualInfo(DATA.truth, refined.labels)).toBeGreaterThanOrEqual(normalizedMutualInfo(DATA.truth, labels) - 0.02);
  });

  it('stops once fewer books than the tolerance change cluster', async () => {
    const { model, centroids } = await start(4);
    const reports: RefineEpochReport[] = [];
    await refineClusters(tf, model, DATA.input, ROWS, COLS, centroids, { ...REFINE, epochs: 50, tolerance: 0.05 }, {
      seed: 4,
      onEpoch: (e) => reports.push(e),
    });
    model.dispose();
    expect(reports.length).toBeLessThan(50);
    expect(reports[reports.length - 1].changed).toBeLessThan(0.05 * ROWS);
    expect(reports.slice(0, -1).every((r) => r.changed >= 0.05 * ROWS)).toBe(true);
  });

  it.each(['cpu', 'wasm'] as const)('is deterministic for a seed and leaves no tensor behind on %s', async (name) => {
    const backendTf = (await selectBackend(name)).tf;
    const run = async (seed: number) => {
      const { model, embeddings, dim } = await trainAutoencoder(backendTf, DATA.input, ROWS, COLS, AUTOENCODER, { seed: 7 });
      const { centroids } = kmeansBest(embeddingsToRows(embeddings, ROWS, dim), 3, { seed: 7, restarts: 5 });
      const before = backendTf.memory().numTensors;
      const counts: number[] = [];
      const refined = await refineClusters(backendTf, model, DATA.input, ROWS, COLS, centroids, REFINE, {
        seed,
        onEpoch: () => counts.push(backendTf.memory().numTensors),
      });
      // Flat across epochs, and back to the model's own weights afterwards.
      expect(counts[counts.length - 1]).toBe(counts[0]);
      expect(backendTf.memory().numTensors).toBe(before);
      model.dispose();
      return refined;
    };
    const first = await run(11);
    const second = await run(11);
    const third = await run(12);
    expect(second).toEqual(first);
    expect(third.embeddings).not.toEqual(first.embeddings);
    await selectBackend('cpu');
  });

  it('stops within one batch of a cancel and disposes everything', async () => {
    const { model, centroids } = await start(5);
    const controller = new AbortController();
    let yields = 0;
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
    const attempt = refineClusters(counting, model, DATA.input, ROWS, COLS, centroids, REFINE, {
      seed: 5,
      signal: controller.signal,
      batchSize: 8,
      onEpoch: (e) => epochs.push(e.epoch),
    });
    await expect(attempt).rejects.toBeInstanceOf(ShelfmapError);
    await expect(attempt).rejects.toMatchObject({ kind: 'cancelled' });
    // 60 rows in batches of 8 make 8 batches an epoch: the cancel came in the first.
    expect(yields).toBe(3);
    expect(epochs).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('rejects centroids of the wrong width and input of the wrong shape', async () => {
    const { model, centroids } = await start(6);
    const before = tf.memory().numTensors;
    await expect(refineClusters(tf, model, DATA.input, ROWS, COLS, [[1, 2]], REFINE, { seed: 1 })).rejects.toThrow(/centroid of 3 finite numbers/);
    await expect(refineClusters(tf, model, DATA.input, ROWS, COLS + 1, centroids, REFINE, { seed: 1 })).rejects.toMatchObject({
      kind: 'invalid-argument',
    });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
