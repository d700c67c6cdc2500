// Run settings with their defaults, and the one place that validates settings coming in from
// any door (IPC, HTTP body, CLI flags).
import type { BackendChoice } from './domain';
import { ShelfmapError } from './errors';

/** A document-frequency limit, as a count of books or as a fraction of them: never guessed from int vs float. */
export type DocFrequencyLimit = { docs: number } | { fraction: number };

/** Fixed-size samples spread through each book: `samples` windows of `words` words. */
export interface SamplePlan {
  samples: number;
  words: number;
}

export interface FeatureSettings {
  /** Read each book as fixed-size samples (null: the whole book); see docs/benchmarks.md. */
  sampling: SamplePlan | null;
  /** Each sample its own TF-IDF row (ten times the rows); a book's embedding pools its samples'. Needs sampling. */
  sampleRows: boolean;
  /** Drop English stop words. */
  stopWords: boolean;
  /** Porter-stem tokens. */
  stem: boolean;
  /** Ignore terms in fewer books than this. */
  minDf: DocFrequencyLimit;
  /** Ignore terms in more books than this. */
  maxDf: DocFrequencyLimit;
  /** Keep at most this many terms (the most frequent across books). */
  maxFeatures: number;
  /** 1 + log(tf) instead of raw counts. */
  sublinearTf: boolean;
  /** idf = ln((1 + n) / (1 + df)) + 1, as if one extra book held every term; off: ln(n / df) + 1. */
  smoothIdf: boolean;
  /** Scale each book's vector to unit length, so long and short books compare. */
  norm: 'l2' | 'none';
}

export type Activation = 'selu' | 'relu' | 'elu' | 'tanh';

/** What the autoencoder learns to output: its own input, the mean of its book's input rows (denoising across samples), or that mean averaged with those of the `targetNeighbours` most similar books. */
export type AutoencoderTarget = 'self' | 'bookMean' | 'neighbourMean';

export interface AutoencoderSettings {
  /** 0: the network reads TF-IDF columns; N: it reads the rows' first N LSA components (unit length), a low-rank view. */
  inputComponents: number;
  target: AutoencoderTarget;
  /** Books whose means join a book's own in the 'neighbourMean' target. */
  targetNeighbours: number;
  /** Hidden layer widths of the encoder, input side first; the decoder mirrors them. */
  hiddenLayers: number[];
  /** Width of the bottleneck: the embedding's dimension. */
  embeddingSize: number;
  activation: Activation;
  /** Share of input entries dropped while training (a denoising autoencoder); 0 = off. */
  dropout: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Share of books held out to watch the loss on unseen books; 0 = train on all. */
  validationFraction: number;
  /** Networks trained from different seeds; all of their embeddings vote in the consensus (needs consensusRuns > 0 to matter). */
  ensemble: number;
  /** Rounds of self-labelling after training (the encoder learns each sample's cluster, the books are clustered again); 0 = off. */
  selfLabelRounds: number;
  /** Epochs over all rows in each self-labelling round. */
  selfLabelEpochs: number;
  /** Stop after this many epochs without a better held-out loss (needs validationFraction > 0); 0 = off. */
  patience: number;
}

/** DEC-style refinement (Xie et al. 2016; IDEC keeps the reconstruction loss alongside). */
export interface RefineSettings {
  enabled: boolean;
  /** Refinement epochs over all books. */
  epochs: number;
  /** Weight of the reconstruction loss next to the clustering loss (IDEC's gamma is its inverse); 0 = pure DEC. */
  reconstructionWeight: number;
  learningRate: number;
  /** Stop when fewer than this share of books change cluster between target updates. */
  tolerance: number;
}

export interface RunSettings {
  /** Number of clusters. */
  k: number;
  /** Seed for every random choice in the run, so a run can be repeated. */
  seed: number;
  backend: BackendChoice;
  features: FeatureSettings;
  autoencoder: AutoencoderSettings;
  refine: RefineSettings;
  /** K-means restarts from different k-means++ starts; the lowest inertia wins. */
  kmeansRestarts: number;
  /** K-means runs pooled into a co-association matrix cut by average linkage (consensus); 0 = the best restart alone. */
  consensusRuns: number;
  /** Scale embeddings to unit length before K-means (cosine-like clusters). */
  normalizeEmbeddings: boolean;
}

/**
 * Chosen by measurement on the 197-book genre corpus (bench/quality.ts, docs/benchmarks.md):
 * unstemmed words, each of ten 1000-word samples its own row over 10,000 terms, a 30-256-16
 * selu network on the rows' LSA 30 learning each sample's book mean, books pooled from their
 * samples, a consensus of 50 K-means runs. DEC refinement did not measurably help, so it is off.
 */
export const DEFAULT_SETTINGS: RunSettings = {
  k: 12,
  seed: 42,
  backend: 'auto',
  features: {
    sampling: { samples: 10, words: 1000 },
    sampleRows: true,
    stopWords: true,
    stem: false,
    minDf: { docs: 2 },
    maxDf: { fraction: 0.9 },
    maxFeatures: 10000,
    sublinearTf: true,
    smoothIdf: true,
    norm: 'l2',
  },
  autoencoder: {
    inputComponents: 30,
    target: 'bookMean',
    targetNeighbours: 5,
    hiddenLayers: [256],
    embeddingSize: 16,
    activation: 'selu',
    dropout: 0,
    epochs: 30,
    batchSize: 32,
    learningRate: 0.001,
    validationFraction: 0,
    patience: 0,
    ensemble: 1,
    selfLabelRounds: 0,
    selfLabelEpochs: 5,
  },
  refine: {
    enabled: false,
    epochs: 20,
    reconstructionWeight: 1,
    learningRate: 0.0005,
    tolerance: 0.001,
  },
  kmeansRestarts: 10,
  consensusRuns: 50,
  normalizeEmbeddings: true,
};

/** Named autoencoder shapes; `dec` is the network of Xie et al. (d-500-500-2000-10). */
export const AUTOENCODER_PRESETS: Record<'default' | 'dec', Partial<AutoencoderSettings>> = {
  default: {},
  dec: { hiddenLayers: [500, 500, 2000], embeddingSize: 10, activation: 'relu' },
};

/**
 * Whole-run presets, merged under a run's own settings (`"preset": "classic"`). `classic` is the
 * pipeline before issue 11: one row per book, 3000 terms, the autoencoder on TF-IDF, best-of-10 K-means.
 */
export const RUN_PRESETS = {
  default: {},
  classic: {
    features: { sampleRows: false, maxFeatures: 3000 },
    autoencoder: { inputComponents: 0, target: 'self', hiddenLayers: [256], embeddingSize: 16 },
    consensusRuns: 0,
  },
} satisfies Record<string, SettingsInput>;

/** A partial, possibly untrusted settings object: every field optional, nested ones too. */
export type SettingsInput = Partial<
  Omit<RunSettings, 'features' | 'autoencoder' | 'refine'> & {
    features: Partial<FeatureSettings>;
    autoencoder: Partial<AutoencoderSettings> & { preset?: keyof typeof AUTOENCODER_PRESETS };
    refine: Partial<RefineSettings>;
  }
> & { preset?: keyof typeof RUN_PRESETS };

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

function oneOf<T extends string>(value: unknown, field: string, choices: readonly T[]): T {
  if (!choices.includes(value as T)) fail(field, `must be one of ${choices.join(', ')}`);
  return value as T;
}

function docLimit(value: unknown, field: string): DocFrequencyLimit {
  if (isObject(value) && 'docs' in value && !('fraction' in value)) return { docs: int(value.docs, `${field}.docs`, 1, 10_000_000) };
  if (isObject(value) && 'fraction' in value && !('docs' in value)) return { fraction: num(value.fraction, `${field}.fraction`, 0, 1) };
  fail(field, 'must be { docs: N } or { fraction: F }');
}

function samplePlan(value: unknown): SamplePlan | null {
  if (value === null) return null;
  if (!isObject(value)) fail('features.sampling', 'must be null (whole books) or { samples: N, words: W }');
  return {
    samples: int(value.samples, 'features.sampling.samples', 1, 1000),
    words: int(value.words, 'features.sampling.words', 50, 1_000_000),
  };
}

/** The limit in books for a library of `books` books. */
export function docLimitCount(limit: DocFrequencyLimit, books: number, round: 'up' | 'down'): number {
  if ('docs' in limit) return limit.docs;
  const exact = limit.fraction * books;
  return round === 'up' ? Math.ceil(exact - 1e-9) : Math.floor(exact + 1e-9);
}

/** The input merged over its named run preset, one level deep (a preset's `features` under the input's). */
function withPreset(input: Record<string, unknown>): Record<string, unknown> {
  if (input.preset === undefined) return input;
  const base: Record<string, unknown> = RUN_PRESETS[oneOf(input.preset, 'preset', Object.keys(RUN_PRESETS) as (keyof typeof RUN_PRESETS)[])];
  const keys = [...new Set([...Object.keys(base), ...Object.keys(input)])].filter((key) => key !== 'preset');
  return Object.fromEntries(
    keys.map((key) => {
      const [under, over] = [base[key], input[key]];
      return [key, isObject(under) && isObject(over) ? { ...under, ...over } : (over ?? under)];
    }),
  );
}

/** Merges input over the defaults and checks every value; throws ShelfmapError('invalid-argument'). */
export function resolveSettings(raw: unknown = {}): RunSettings {
  if (!isObject(raw)) fail('settings', 'must be an object');
  const input = withPreset(raw);
  const d = DEFAULT_SETTINGS;
  const f = isObject(input.features) ? input.features : {};
  const rawAe = isObject(input.autoencoder) ? input.autoencoder : {};
  const presetName = rawAe.preset ?? 'default';
  const preset = AUTOENCODER_PRESETS[oneOf(presetName, 'autoencoder.preset', Object.keys(AUTOENCODER_PRESETS) as (keyof typeof AUTOENCODER_PRESETS)[])];
  const a: Record<string, unknown> = { ...preset, ...rawAe };
  const r = isObject(input.refine) ? input.refine : {};
  const hidden = a.hiddenLayers ?? d.autoencoder.hiddenLayers;
  if (!Array.isArray(hidden) || hidden.length > 6) fail('autoencoder.hiddenLayers', 'must be a list of up to 6 widths');
  return {
    k: int(input.k ?? d.k, 'k', 1, 500),
    seed: int(input.seed ?? d.seed, 'seed', 0, 2 ** 31 - 1),
    backend: oneOf(input.backend ?? d.backend, 'backend', ['auto', 'tensorflow', 'wasm', 'cpu'] as BackendChoice[]),
    features: {
      sampling: samplePlan(f.sampling === undefined ? d.features.sampling : f.sampling),
      sampleRows: bool(f.sampleRows ?? d.features.sampleRows, 'features.sampleRows'),
      stopWords: bool(f.stopWords ?? d.features.stopWords, 'features.stopWords'),
      stem: bool(f.stem ?? d.features.stem, 'features.stem'),
      minDf: docLimit(f.minDf ?? d.features.minDf, 'features.minDf'),
      maxDf: docLimit(f.maxDf ?? d.features.maxDf, 'features.maxDf'),
      maxFeatures: int(f.maxFeatures ?? d.features.maxFeatures, 'features.maxFeatures', 10, 200_000),
      sublinearTf: bool(f.sublinearTf ?? d.features.sublinearTf, 'features.sublinearTf'),
      smoothIdf: bool(f.smoothIdf ?? d.features.smoothIdf, 'features.smoothIdf'),
      norm: oneOf(f.norm ?? d.features.norm, 'features.norm', ['l2', 'none'] as const),
    },
    autoencoder: {
      inputComponents: int(a.inputComponents ?? d.autoencoder.inputComponents, 'autoencoder.inputComponents', 0, 1000),
      target: oneOf(a.target ?? d.autoencoder.target, 'autoencoder.target', ['self', 'bookMean', 'neighbourMean'] as const),
      targetNeighbours: int(a.targetNeighbours ?? d.autoencoder.targetNeighbours, 'autoencoder.targetNeighbours', 1, 100),
      hiddenLayers: (hidden as unknown[]).map((w, i) => int(w, `autoencoder.hiddenLayers[${i}]`, 2, 4096)),
      embeddingSize: int(a.embeddingSize ?? d.autoencoder.embeddingSize, 'autoencoder.embeddingSize', 2, 512),
      activation: oneOf(a.activation ?? d.autoencoder.activation, 'autoencoder.activation', ['selu', 'relu', 'elu', 'tanh'] as const),
      dropout: num(a.dropout ?? d.autoencoder.dropout, 'autoencoder.dropout', 0, 0.9),
      epochs: int(a.epochs ?? d.autoencoder.epochs, 'autoencoder.epochs', 1, 5000),
      batchSize: int(a.batchSize ?? d.autoencoder.batchSize, 'autoencoder.batchSize', 1, 4096),
      learningRate: num(a.learningRate ?? d.autoencoder.learningRate, 'autoencoder.learningRate', 1e-6, 1),
      validationFraction: num(a.validationFraction ?? d.autoencoder.validationFraction, 'autoencoder.validationFraction', 0, 0.5),
      patience: int(a.patience ?? d.autoencoder.patience, 'autoencoder.patience', 0, 1000),
      ensemble: int(a.ensemble ?? d.autoencoder.ensemble, 'autoencoder.ensemble', 1, 20),
      selfLabelRounds: int(a.selfLabelRounds ?? d.autoencoder.selfLabelRounds, 'autoencoder.selfLabelRounds', 0, 100),
      selfLabelEpochs: int(a.selfLabelEpochs ?? d.autoencoder.selfLabelEpochs, 'autoencoder.selfLabelEpochs', 1, 1000),
    },
    refine: {
      enabled: bool(r.enabled ?? d.refine.enabled, 'refine.enabled'),
      epochs: int(r.epochs ?? d.refine.epochs, 'refine.epochs', 1, 1000),
      reconstructionWeight: num(r.reconstructionWeight ?? d.refine.reconstructionWeight, 'refine.reconstructionWeight', 0, 100),
      learningRate: num(r.learningRate ?? d.refine.learningRate, 'refine.learningRate', 1e-6, 1),
      tolerance: num(r.tolerance ?? d.refine.tolerance, 'refine.tolerance', 0, 1),
    },
    kmeansRestarts: int(input.kmeansRestarts ?? d.kmeansRestarts, 'kmeansRestarts', 1, 1000),
    consensusRuns: int(input.consensusRuns ?? d.consensusRuns, 'consensusRuns', 0, 1000),
    normalizeEmbeddings: bool(input.normalizeEmbeddings ?? d.normalizeEmbeddings, 'normalizeEmbeddings'),
  };
}
