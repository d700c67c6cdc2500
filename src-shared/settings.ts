// Run settings with their defaults, and the one place that validates settings coming in from
// any door (IPC, HTTP body, CLI flags).
import type { BackendChoice } from './domain';
import { ShelfmapError } from './errors';

export interface FeatureSettings {
  /** Drop English stop words. */
  stopWords: boolean;
  /** Porter-stem tokens. */
  stem: boolean;
  /** Ignore terms in fewer books than this. */
  minDocs: number;
  /** Ignore terms in more than this fraction of books. */
  maxDocFraction: number;
  /** Keep at most this many terms (the most frequent across books). */
  maxFeatures: number;
  /** 1 + log(tf) instead of raw counts. */
  sublinearTf: boolean;
}

export interface AutoencoderSettings {
  /** Hidden layer widths of the encoder, input side first; the decoder mirrors them. */
  hiddenLayers: number[];
  /** Width of the bottleneck: the embedding's dimension. */
  embeddingSize: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
}

export interface RunSettings {
  /** Number of clusters. */
  k: number;
  /** Seed for every random choice in the run, so a run can be repeated. */
  seed: number;
  backend: BackendChoice;
  features: FeatureSettings;
  autoencoder: AutoencoderSettings;
  /** K-means restarts from different k-means++ starts; the lowest inertia wins. */
  kmeansRestarts: number;
}

export const DEFAULT_SETTINGS: RunSettings = {
  k: 12,
  seed: 42,
  backend: 'auto',
  features: {
    stopWords: true,
    stem: true,
    minDocs: 2,
    maxDocFraction: 0.9,
    maxFeatures: 5000,
    sublinearTf: true,
  },
  autoencoder: {
    hiddenLayers: [256],
    embeddingSize: 32,
    epochs: 60,
    batchSize: 32,
    learningRate: 0.001,
  },
  kmeansRestarts: 10,
};

/** A partial, possibly untrusted settings object: every field optional, nested ones too. */
export type SettingsInput = Partial<
  Omit<RunSettings, 'features' | 'autoencoder'> & {
    features: Partial<FeatureSettings>;
    autoencoder: Partial<AutoencoderSettings>;
  }
>;

function fail(field: string, rule: string): never {
  throw new ShelfmapError('invalid-argument', `Setting "${field}" ${rule}.`);
}

function int(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(field, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function num(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    fail(field, `must be a number from ${min} to ${max}`);
  }
  return value;
}

function bool(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') fail(field, 'must be true or false');
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Merges input over the defaults and checks every value; throws ShelfmapError('invalid-argument'). */
export function resolveSettings(input: unknown = {}): RunSettings {
  if (!isObject(input)) fail('settings', 'must be an object');
  const d = DEFAULT_SETTINGS;
  const f = isObject(input.features) ? input.features : {};
  const a = isObject(input.autoencoder) ? input.autoencoder : {};
  const backend = input.backend ?? d.backend;
  if (!['auto', 'tensorflow', 'wasm', 'cpu'].includes(backend as string)) {
    fail('backend', 'must be one of auto, tensorflow, wasm, cpu');
  }
  const hidden = a.hiddenLayers ?? d.autoencoder.hiddenLayers;
  if (!Array.isArray(hidden) || hidden.length > 6) fail('autoencoder.hiddenLayers', 'must be a list of up to 6 widths');
  return {
    k: int(input.k ?? d.k, 'k', 1, 500),
    seed: int(input.seed ?? d.seed, 'seed', 0, 2 ** 31 - 1),
    backend: backend as BackendChoice,
    features: {
      stopWords: bool(f.stopWords ?? d.features.stopWords, 'features.stopWords'),
      stem: bool(f.stem ?? d.features.stem, 'features.stem'),
      minDocs: int(f.minDocs ?? d.features.minDocs, 'features.minDocs', 1, 1_000_000),
      maxDocFraction: num(f.maxDocFraction ?? d.features.maxDocFraction, 'features.maxDocFraction', 0.01, 1),
      maxFeatures: int(f.maxFeatures ?? d.features.maxFeatures, 'features.maxFeatures', 10, 200_000),
      sublinearTf: bool(f.sublinearTf ?? d.features.sublinearTf, 'features.sublinearTf'),
    },
    autoencoder: {
      hiddenLayers: (hidden as unknown[]).map((w, i) => int(w, `autoencoder.hiddenLayers[${i}]`, 2, 4096)),
      embeddingSize: int(a.embeddingSize ?? d.autoencoder.embeddingSize, 'autoencoder.embeddingSize', 2, 512),
      epochs: int(a.epochs ?? d.autoencoder.epochs, 'autoencoder.epochs', 1, 5000),
      batchSize: int(a.batchSize ?? d.autoencoder.batchSize, 'autoencoder.batchSize', 1, 4096),
      learningRate: num(a.learningRate ?? d.autoencoder.learningRate, 'autoencoder.learningRate', 1e-6, 1),
    },
    kmeansRestarts: int(input.kmeansRestarts ?? d.kmeansRestarts, 'kmeansRestarts', 1, 1000),
  };
}
