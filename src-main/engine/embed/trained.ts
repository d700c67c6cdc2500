// A trained autoencoder as later stages see it: it encodes rows of TF-IDF (books it trained on
// or new ones), is stored as a JSON topology plus one blob of float32 weights, and can be
// rebuilt from both so stored weights transform books added later.
import type { Tensor2D } from '@tensorflow/tfjs';
import { ShelfmapError } from '../../../src-shared/errors';
import type { Activation } from '../../../src-shared/settings';
import type { Tf } from './backend';
import { autoencoderFromWeights, layerWidths, weightShapes, type AutoencoderModel, type AutoencoderShape } from './model';

export const TOPOLOGY_FORMAT = 'shelfmap-autoencoder/1';

const ACTIVATIONS: readonly Activation[] = ['selu', 'relu', 'elu', 'tanh'];

export interface AutoencoderTopology {
  format: typeof TOPOLOGY_FORMAT;
  /** Number of TF-IDF columns the network reads. */
  inputWidth: number;
  hiddenLayers: number[];
  embeddingSize: number;
  /** Every layer boundary's width, input first; the decoder mirrors the encoder. */
  layerWidths: number[];
  activation: Activation;
  /** Input rows are multiplied by this before the first layer (see AutoencoderDesign.inputScale). */
  inputScale: number;
  /** Each weight tensor's name and shape, in the order of the weights blob. */
  weights: { name: string; shape: number[] }[];
  /**
   * A linear view in front of the network: TF-IDF rows (tfidfWidth wide) are projected on the
   * stored LSA basis (the blob's first tensor, "lsa/basis") and scaled to unit length; the
   * network's inputWidth is then `components`. Absent: the network reads TF-IDF itself.
   */
  front?: { kind: 'lsa'; tfidfWidth: number; components: number };
  /**
   * 'none': there is no network behind the LSA view (settings.embedding "lsa"): a book's
   * embedding is its rows' unit-length LSA coordinates, and the weights blob is the basis alone.
   */
  network?: 'none';
}

export interface TrainedAutoencoder {
  readonly topology: AutoencoderTopology;
  /** The network, for stages that train it further (refinement). Owned by this object. */
  readonly network: AutoencoderModel;
  // Both read tensors back asynchronously: the webgpu backend cannot read synchronously in Node.
  /** Row-major input rows (unscaled TF-IDF, topology.inputWidth wide) -> row-major embeddings. */
  encode(input: Float32Array, rows: number): Promise<Float32Array>;
  /**
   * The rows as the network itself reads them, behind any front (unit-length LSA coordinates, or
   * the rows as they are): what training and refinement saw. encode = encodeView after view.
   */
  view(input: Float32Array, rows: number): Float32Array;
  /** Rows already in the network's own view (see `view`) -> row-major embeddings. */
  encodeView(view: Float32Array, rows: number): Promise<Float32Array>;
  /** The topology and every weight's float32 values concatenated (little-endian, as stored). */
  serialize(): Promise<{ topology: AutoencoderTopology; weights: Buffer }>;
  dispose(): void;
}

/** Rows encoded per tensor, so a large library never needs one huge input tensor. */
const ENCODE_CHUNK_ROWS = 512;

export function describeTopology(cols: number, shape: AutoencoderShape, activation: Activation, inputScale: number): AutoencoderTopology {
  return {
    format: TOPOLOGY_FORMAT,
    inputWidth: cols,
    hiddenLayers: [...shape.hiddenLayers],
    embeddingSize: shape.embeddingSize,
    layerWidths: layerWidths(cols, shape),
    activation,
    inputScale,
    weights: weightShapes(cols, shape).map((s, i) => ({ name: `dense_${i >> 1}/${s.length === 2 ? 'kernel' : 'bias'}`, shape: s })),
  };
}

/**
 * The trained network behind an LSA view: encode() then takes TF-IDF rows, and the basis is
 * stored with the weights. The wrapper owns `trained` from here on.
 */
export function withLsaFront(trained: TrainedAutoencoder, basis: Float64Array, tfidfWidth: number): TrainedAutoencoder {
  const components = trained.topology.inputWidth;
  if (basis.length !== tfidfWidth * components) {
    throw new ShelfmapError('invalid-argument', `The LSA basis has ${basis.length} values, not ${tfidfWidth} x ${components}.`);
  }
  const topology: AutoencoderTopology = {
    ...trained.topology,
    front: { kind: 'lsa', tfidfWidth, components },
    weights: [{ name: 'lsa/basis', shape: [tfidfWidth, components] }, ...trained.topology.weights],
  };
  const basis32 = Float32Array.from(basis);
  const view = lsaView(basis32, tfidfWidth, components);
  return {
    topology,
    network: trained.network,
    encode: (input, rows) => trained.encode(view(input, rows), rows),
    view,
    encodeView: (rows, count) => trained.encode(rows, count),
    async serialize() {
      const inner = await trained.serialize();
      const front = Buffer.from(basis32.buffer, basis32.byteOffset, basis32.byteLength);
      return { topology: structuredClone(topology), weights: Buffer.concat([front, inner.weights]) };
    },
    dispose: () => trained.dispose(),
  };
}

/**
 * An embedding without a network (settings.embedding "lsa"): encode() projects TF-IDF rows on the
 * LSA basis and scales them to unit length, so books placed later are embedded as the run's own
 * were. It has nothing to train further: refinement and self-labelling need a network.
 */
export function lsaOnlyEmbedding(basis: Float64Array | Float32Array, tfidfWidth: number, components: number): TrainedAutoencoder {
  if (basis.length !== tfidfWidth * components) {
    throw new ShelfmapError('invalid-argument', `The LSA basis has ${basis.length} values, not ${tfidfWidth} x ${components}.`);
  }
  const topology = lsaOnlyTopology(tfidfWidth, components);
  const basis32 = Float32Array.from(basis);
  const view = lsaView(basis32, tfidfWidth, components);
  return {
    topology,
    get network(): AutoencoderModel {
      throw new ShelfmapError('internal', 'An LSA embedding has no network to train further.');
    },
    encode: async (input, rows) => view(input, rows),
    view,
    encodeView: async (rows, count) => {
      if (rows.length !== count * components) throw new ShelfmapError('invalid-argument', `Rows to encode have ${rows.length} values, not ${count} rows x ${components} columns.`);
      return Float32Array.from(rows);
    },
    async serialize() {
      return { topology: structuredClone(topology), weights: Buffer.from(basis32.buffer, basis32.byteOffset, basis32.byteLength) };
    },
    dispose: () => {},
  };
}

/** What lsaOnlyEmbedding stores: the LSA view and its basis, and no network behind it. */
function lsaOnlyTopology(tfidfWidth: number, components: number): AutoencoderTopology {
  return {
    format: TOPOLOGY_FORMAT,
    inputWidth: components,
    hiddenLayers: [],
    embeddingSize: components,
    layerWidths: [components],
    activation: 'selu',
    inputScale: 1,
    weights: [{ name: 'lsa/basis', shape: [tfidfWidth, components] }],
    front: { kind: 'lsa', tfidfWidth, components },
    network: 'none',
  };
}

/** TF-IDF rows (checked to be tfidfWidth wide) -> their unit-length coordinates on the basis. */
function lsaView(basis: Float32Array, tfidfWidth: number, components: number): (input: Float32Array, rows: number) => Float32Array {
  return (input, rows) => {
    if (!Number.isInteger(rows) || rows < 0 || input.length !== rows * tfidfWidth) {
      throw new ShelfmapError('invalid-argument', `Rows to encode have ${input.length} values, not ${rows} rows x ${tfidfWidth} columns.`);
    }
    return projectUnit(input, rows, tfidfWidth, basis, components);
  };
}

/** Dense rows (rows x width) times the basis (width x components), each result row scaled to unit length. */
function projectUnit(input: Float32Array, rows: number, width: number, basis: Float32Array, components: number): Float32Array {
  const out = new Float32Array(rows * components);
  const row = new Float64Array(components);
  for (let r = 0; r < rows; r++) {
    row.fill(0);
    for (let j = 0; j < width; j++) {
      const v = input[r * width + j];
      if (v === 0) continue;
      for (let c = 0; c < components; c++) row[c] += v * basis[j * components + c];
    }
    const norm = Math.hypot(...row);
    for (let c = 0; c < components; c++) out[r * components + c] = norm > 0 ? row[c] / norm : 0;
  }
  return out;
}

/** Wraps a network; the wrapper owns it from here on. */
export function wrapTrained(tf: Tf, network: AutoencoderModel, topology: AutoencoderTopology): TrainedAutoencoder {
  const cols = topology.inputWidth;
  const dim = topology.embeddingSize;
  async function encode(input: Float32Array, rows: number): Promise<Float32Array> {
    if (!Number.isInteger(rows) || rows < 0 || input.length !== rows * cols) {
      throw new ShelfmapError('invalid-argument', `Rows to encode have ${input.length} values, not ${rows} rows x ${cols} columns.`);
    }
    const embeddings = new Float32Array(rows * dim);
    for (let start = 0; start < rows; start += ENCODE_CHUNK_ROWS) {
      const count = Math.min(ENCODE_CHUNK_ROWS, rows - start);
      const chunk = input.subarray(start * cols, (start + count) * cols);
      const encoded = tf.tidy(() => network.encode(tf.mul(tf.tensor2d(chunk, [count, cols]), topology.inputScale) as Tensor2D));
      try {
        embeddings.set(await encoded.data(), start * dim);
      } finally {
        encoded.dispose();
      }
    }
    return embeddings;
  }
  return {
    topology,
    network,
    encode,
    view: (input) => input,
    encodeView: encode,
    async serialize() {
      const total = topology.weights.reduce((sum, w) => sum + size(w.shape), 0);
      const values = new Float32Array(total);
      let offset = 0;
      for (const variable of network.variables) {
        const data = (await variable.data()) as Float32Array;
        values.set(data, offset);
        offset += data.length;
      }
      return { topology: structuredClone(topology), weights: Buffer.from(values.buffer, values.byteOffset, values.byteLength) };
    },
    dispose: () => network.dispose(),
  };
}

/**
 * Rebuilds a network from serialize()'s output (e.g. read back from the store). The topology is
 * checked in full, since it may come from an older or damaged file; throws ShelfmapError('invalid-argument').
 */
export function loadAutoencoder(tf: Tf | null, topology: unknown, weights: Uint8Array): TrainedAutoencoder {
  if (storesNoNetwork(topology)) return loadLsaOnly(topology as object, weights);
  if (!tf) throw new ShelfmapError('internal', 'Loading a stored network needs a TensorFlow.js backend.');
  const checked = checkTopology(topology);
  const expectedBytes = checked.weights.reduce((sum, w) => sum + size(w.shape), 0) * 4;
  if (weights.byteLength !== expectedBytes) {
    throw invalid(`its weights hold ${weights.byteLength} bytes where the topology needs ${expectedBytes}`);
  }
  // Copy into an aligned buffer: a Buffer read from SQLite may start at any byte offset.
  const values = new Float32Array(expectedBytes / 4);
  new Uint8Array(values.buffer).set(weights);
  let offset = 0;
  const arrays = checked.weights.map((w) => {
    const length = size(w.shape);
    const slice = values.subarray(offset, offset + length);
    offset += length;
    return slice;
  });
  if (!values.every(Number.isFinite)) throw invalid('its weights hold a value that is not a finite number');
  const basis = checked.front ? arrays.shift()! : undefined;
  const { front: _front, ...networkTopology } = checked;
  const network = autoencoderFromWeights(tf, checked.inputWidth, checked, checked.activation, arrays);
  const trained = wrapTrained(tf, network, { ...networkTopology, weights: networkTopology.weights.slice(basis ? 1 : 0) });
  return basis && checked.front ? withLsaFront(trained, Float64Array.from(basis), checked.front.tfidfWidth) : trained;
}

/** Whether a stored topology is an LSA view with no network behind it (no backend needed to load or use it). */
export function storesNoNetwork(topology: unknown): boolean {
  return typeof topology === 'object' && topology !== null && (topology as { network?: unknown }).network === 'none';
}

/** An embedding without a network, read back: its topology must be exactly what lsaOnlyEmbedding writes. */
function loadLsaOnly(topology: object, weights: Uint8Array): TrainedAutoencoder {
  const front = (topology as { front?: { tfidfWidth?: unknown; components?: unknown } }).front;
  if (!front || !isWidth(front.tfidfWidth) || !isWidth(front.components)) throw invalid('its LSA view has no widths');
  const expected = lsaOnlyTopology(front.tfidfWidth, front.components);
  if (JSON.stringify(topology) !== JSON.stringify(expected)) throw invalid('its topology is not that of an LSA embedding');
  if (weights.byteLength !== front.tfidfWidth * front.components * 4) {
    throw invalid(`its weights hold ${weights.byteLength} bytes where the topology needs ${front.tfidfWidth * front.components * 4}`);
  }
  const basis = new Float32Array(front.tfidfWidth * front.components);
  new Uint8Array(basis.buffer).set(weights);
  if (!basis.every(Number.isFinite)) throw invalid('its weights hold a value that is not a finite number');
  return lsaOnlyEmbedding(basis, front.tfidfWidth, front.components);
}

function checkTopology(value: unknown): AutoencoderTopology {
  if (typeof value !== 'object' || value === null) throw invalid('its topology is not an object');
  const t = value as Record<string, unknown>;
  if (t.format !== TOPOLOGY_FORMAT) throw invalid(`its format is ${JSON.stringify(t.format)}, not "${TOPOLOGY_FORMAT}"`);
  if (!isWidth(t.inputWidth) || !isWidth(t.embeddingSize) || !Array.isArray(t.hiddenLayers) || !t.hiddenLayers.every(isWidth)) {
    throw invalid('its layer widths are not whole numbers');
  }
  if (!ACTIVATIONS.includes(t.activation as Activation)) throw invalid(`its activation ${JSON.stringify(t.activation)} is unknown`);
  if (typeof t.inputScale !== 'number' || !Number.isFinite(t.inputScale) || t.inputScale <= 0) throw invalid('its input scale is not a positive number');
  const expected = describeTopology(t.inputWidth, { hiddenLayers: t.hiddenLayers as number[], embeddingSize: t.embeddingSize }, t.activation as Activation, t.inputScale);
  if (t.front !== undefined) {
    const front = t.front as Record<string, unknown>;
    if (typeof front !== 'object' || front === null || front.kind !== 'lsa' || !isWidth(front.tfidfWidth) || front.components !== t.inputWidth) {
      throw invalid('its LSA view does not match its input width');
    }
    expected.front = { kind: 'lsa', tfidfWidth: front.tfidfWidth, components: t.inputWidth };
    expected.weights.unshift({ name: 'lsa/basis', shape: [front.tfidfWidth, t.inputWidth] });
  }
  if (JSON.stringify(t.layerWidths) !== JSON.stringify(expected.layerWidths) || JSON.stringify(t.weights) !== JSON.stringify(expected.weights)) {
    throw invalid('its weight list does not match its layer widths');
  }
  return expected;
}

/** A layer width as a stored topology may give it: a whole number of at least 1. */
function isWidth(w: unknown): w is number {
  return typeof w === 'number' && Number.isInteger(w) && w >= 1;
}

function invalid(why: string): ShelfmapError {
  return new ShelfmapError('invalid-argument', `The stored autoencoder cannot be loaded: ${why}.`);
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
