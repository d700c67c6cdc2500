import { beforeAll, describe, expect, it } from 'vitest';
import type { AutoencoderSettings } from '../../../src-shared/settings';
import { selectBackend, type Tf } from './backend';
import { trainAutoencoder } from './autoencoder';
import { createRandom } from './random';
import { loadAutoencoder, lsaOnlyEmbedding, TOPOLOGY_FORMAT, withLsaFront } from './trained';
import { smallNetworkSettings } from './test-settings';

const SETTINGS: AutoencoderSettings = smallNetworkSettings({ hiddenLayers: [12, 8], embeddingSize: 3, activation: 'elu', epochs: 3 });

function randomRows(rows: number, cols: number, seed: number): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length: rows * cols }, () => random() / 4);
}

/** TF-IDF rows projected on a float32 basis and scaled to unit length, one sum at a time. */
function projectedByHand(tfidf: Float32Array, rows: number, tfidfWidth: number, basis: Float64Array, components: number): Float32Array {
  const projected = new Float32Array(rows * components);
  for (let r = 0; r < rows; r++) {
    const row = Array.from({ length: components }, (_, c) => {
      let sum = 0;
      for (let j = 0; j < tfidfWidth; j++) sum += tfidf[r * tfidfWidth + j] * Math.fround(basis[j * components + c]);
      return sum;
    });
    const norm = Math.hypot(...row);
    row.forEach((v, c) => (projected[r * components + c] = v / norm));
  }
  return projected;
}

const ROWS = 30;
const COLS = 20;
const INPUT = randomRows(ROWS, COLS, 1);

let tf: Tf;
beforeAll(async () => {
  tf = (await selectBackend('cpu')).tf;
});

describe('TrainedAutoencoder', () => {
  it('describes its layers, activation, input scale and weights', async () => {
    const { model } = await trainAutoencoder(tf, INPUT, ROWS, COLS, SETTINGS, { seed: 1 });
    const { topology, weights } = await model.serialize();
    model.dispose();
    expect(topology).toEqual({
      format: TOPOLOGY_FORMAT,
      inputWidth: 20,
      hiddenLayers: [12, 8],
      embeddingSize: 3,
      layerWidths: [20, 12, 8, 3, 8, 12, 20],
      activation: 'elu',
      inputScale: Math.sqrt(20),
      weights: [
        { name: 'dense_0/kernel', shape: [20, 12] },
        { name: 'dense_0/bias', shape: [12] },
        { name: 'dense_1/kernel', shape: [12, 8] },
        { name: 'dense_1/bias', shape: [8] },
        { name: 'dense_2/kernel', shape: [8, 3] },
        { name: 'dense_2/bias', shape: [3] },
        { name: 'dense_3/kernel', shape: [3, 8] },
        { name: 'dense_3/bias', shape: [8] },
        { name: 'dense_4/kernel', shape: [8, 12] },
        { name: 'dense_4/bias', shape: [12] },
        { name: 'dense_5/kernel', shape: [12, 20] },
        { name: 'dense_5/bias', shape: [20] },
      ],
    });
    expect(weights.byteLength).toBe(4 * (20 * 12 + 12 + 12 * 8 + 8 + 8 * 3 + 3 + 3 * 8 + 8 + 8 * 12 + 12 + 12 * 20 + 20));
  });

  it.each(['cpu', 'wasm'] as const)('round-trips through serialize and load to identical embeddings on %s', async (name) => {
    const backendTf = (await selectBackend(name)).tf;
    const before = backendTf.memory().numTensors;
    const { model, embeddings } = await trainAutoencoder(backendTf, INPUT, ROWS, COLS, SETTINGS, { seed: 2 });
    const { topology, weights } = await model.serialize();
    // As stored: JSON text, and a blob that need not start on a 4-byte boundary.
    const unaligned = Buffer.alloc(weights.byteLength + 1).subarray(1);
    weights.copy(unaligned);
    const loaded = loadAutoencoder(backendTf, JSON.parse(JSON.stringify(topology)), unaligned);
    expect(await loaded.encode(INPUT, ROWS)).toEqual(embeddings);
    // Books it never saw go through the same weights.
    const fresh = randomRows(5, COLS, 9);
    expect(await loaded.encode(fresh, 5)).toEqual(await model.encode(fresh, 5));
    expect((await loaded.serialize()).weights.equals(weights)).toBe(true);
    model.dispose();
    loaded.dispose();
    expect(backendTf.memory().numTensors).toBe(before);
    await selectBackend('cpu');
  });

  it('encodes in chunks and with zero rows', async () => {
    const rows = 1100; // more than one chunk of 512
    const input = randomRows(rows, COLS, 3);
    const { model, embeddings } = await trainAutoencoder(tf, input, rows, COLS, { ...SETTINGS, epochs: 1, batchSize: 256 }, { seed: 3 });
    expect(await model.encode(input, rows)).toEqual(embeddings);
    expect(await model.encode(new Float32Array(0), 0)).toEqual(new Float32Array(0));
    await expect(model.encode(new Float32Array(7), 1)).rejects.toThrow(/7 values, not 1 rows x 20 columns/);
    model.dispose();
  });

  it('refuses a damaged topology or weights blob and makes no tensors', async () => {
    const { model } = await trainAutoencoder(tf, INPUT, ROWS, COLS, SETTINGS, { seed: 4 });
    const { topology, weights } = await model.serialize();
    model.dispose();
    const before = tf.memory().numTensors;
    expect(() => loadAutoencoder(tf, null, weights)).toThrow(/not an object/);
    expect(() => loadAutoencoder(tf, { ...topology, format: 'other/9' }, weights)).toThrow(/format is "other\/9"/);
    expect(() => loadAutoencoder(tf, { ...topology, activation: 'swish' }, weights)).toThrow(/activation "swish" is unknown/);
    expect(() => loadAutoencoder(tf, { ...topology, embeddingSize: 4 }, weights)).toThrow(/does not match its layer widths/);
    expect(() => loadAutoencoder(tf, { ...topology, inputScale: 0 }, weights)).toThrow(/input scale/);
    expect(() => loadAutoencoder(tf, topology, weights.subarray(4))).toThrow(/bytes where the topology needs/);
    const poisoned = Buffer.from(weights);
    poisoned.writeFloatLE(Number.NaN, 8);
    expect(() => loadAutoencoder(tf, topology, poisoned)).toThrow(/not a finite number/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('an autoencoder behind an LSA view', () => {
  it('encodes TF-IDF rows through the stored basis, and round-trips through serialize and load', async () => {
    const tfidfWidth = 7;
    const basis = Float64Array.from({ length: tfidfWidth * COLS }, (_, i) => Math.sin(i + 1));
    const before = tf.memory().numTensors;
    const { model } = await trainAutoencoder(tf, INPUT, ROWS, COLS, SETTINGS, { seed: 6 });
    const fronted = withLsaFront(model, basis, tfidfWidth);
    const tfidf = randomRows(4, tfidfWidth, 8);
    // by hand: project, scale to unit length, then the network
    const projected = projectedByHand(tfidf, 4, tfidfWidth, basis, COLS);
    const encoded = await fronted.encode(tfidf, 4);
    expect(Array.from(encoded)).toEqual(Array.from(await model.encode(projected, 4)));
    const { topology, weights } = await fronted.serialize();
    expect(topology.front).toEqual({ kind: 'lsa', tfidfWidth, components: COLS });
    expect(topology.weights[0]).toEqual({ name: 'lsa/basis', shape: [tfidfWidth, COLS] });
    const loaded = loadAutoencoder(tf, JSON.parse(JSON.stringify(topology)), weights);
    expect(await loaded.encode(tfidf, 4)).toEqual(encoded);
    expect((await loaded.serialize()).weights.equals(weights)).toBe(true);
    expect(() => loadAutoencoder(tf, { ...topology, front: { kind: 'lsa', tfidfWidth, components: 3 } }, weights)).toThrow(/LSA view/);
    expect(() => fronted.encode(new Float32Array(5), 1)).toThrow(/not 1 rows x 7 columns/);
    fronted.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('an LSA view without a network ("embedding": "lsa")', () => {
  it('encodes TF-IDF rows as their unit-length projection on the basis, round-trips with the basis alone, and refuses a damaged one', async () => {
    const tfidfWidth = 7;
    const components = 3;
    const basis = Float64Array.from({ length: tfidfWidth * components }, (_, i) => Math.cos(i + 2));
    const lsa = lsaOnlyEmbedding(basis, tfidfWidth, components);
    const tfidf = randomRows(4, tfidfWidth, 9);
    const encoded = await lsa.encode(tfidf, 4);
    projectedByHand(tfidf, 4, tfidfWidth, basis, components).forEach((v, i) => expect(encoded[i]).toBeCloseTo(v, 6));
    expect(await lsa.encodeView(lsa.view(tfidf, 4), 4)).toEqual(encoded);
    expect(() => lsa.network).toThrow(/no network to train further/);
    const { topology, weights } = await lsa.serialize();
    expect(topology).toMatchObject({ network: 'none', inputWidth: components, embeddingSize: components, hiddenLayers: [], front: { kind: 'lsa', tfidfWidth, components } });
    expect(weights.byteLength).toBe(tfidfWidth * components * 4);
    const before = tf.memory().numTensors;
    const loaded = loadAutoencoder(tf, JSON.parse(JSON.stringify(topology)), weights);
    expect(await loaded.encode(tfidf, 4)).toEqual(encoded);
    expect((await loaded.serialize()).weights.equals(weights)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => loadAutoencoder(tf, { ...topology, embeddingSize: 2 }, weights)).toThrow(/not that of an LSA embedding/);
    expect(() => loadAutoencoder(tf, { ...topology, front: undefined }, weights)).toThrow(/LSA view has no widths/);
    expect(() => loadAutoencoder(tf, topology, weights.subarray(4))).toThrow(/bytes where the topology needs/);
    const poisoned = Buffer.from(weights);
    poisoned.writeFloatLE(Number.NaN, 4);
    expect(() => loadAutoencoder(tf, topology, poisoned)).toThrow(/not a finite number/);
    await expect(lsa.encode(new Float32Array(5), 1)).rejects.toThrow(/not 1 rows x 7 columns/);
  });
});
