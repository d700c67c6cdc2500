// Run settings with their defaults, and the one place that validates settings coming in from
// any door (IPC, HTTP body, CLI flags).
import type { BackendChoice } from './domain';
import {
  describeValue,
  invalid,
  isPlainObject,
  knownFields,
  numberIn,
  oneOf,
  settingName,
  trueOrFalse,
  wholeNumber,
} from './check';

export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'];

/** A document-frequency limit, as a count of books or as a fraction of them: never guessed from int vs float. */
export type DocFrequencyLimit = { docs: number } | { fraction: number };

/** Fixed-size samples spread through each book: `samples` windows of `words` words. */
export interface SamplePlan {
  samples: number;
  words: number;
}

/**
 * What a document's terms are: its words (after stopWords and stem), a fixed list of English
 * function words (counted whatever stopWords says), or character n-grams within words.
 */
export type FeatureView = 'words' | 'functionWords' | 'charNgrams';

export const FEATURE_VIEWS: readonly FeatureView[] = ['words', 'functionWords', 'charNgrams'];

/** Lengths of the character n-grams of the `charNgrams` view, from min to max characters (word edges count as one). */
export interface NgramRange {
  min: number;
  max: number;
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
  /** The views a document's terms come from, one or more, joined in one TF-IDF row; see docs/benchmarks.md ("Feature views"). */
  views: FeatureView[];
  /** The n-gram lengths of the `charNgrams` view. */
  charNgrams: NgramRange;
  /** Leave out a book's names: words it writes with a capital inside sentences (features/names.ts). */
  dropNames: boolean;
  /** Leave out the library's N most frequent terms (highest total count) before maxFeatures; 0 = off. */
  dropMostFrequent: number;
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
  /**
   * At most this many optimisation steps (batches) in all, whatever the library's size; 0: the
   * epochs alone decide. On a large library an epoch is then an epochs-th of this budget.
   */
  steps: number;
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
  // The four below (and pooling) are absent from runs stored before they existed: read as 1, 0, 0.1 and 2 (off).
  /** Weight of the reconstruction loss (learning `target`); 0: the contrastive term alone trains the encoder. */
  reconstructionWeight?: number;
  /** Weight of the "same book" contrastive term on the unit-length bottleneck (needs samples as rows); 0 = off. */
  contrastiveWeight?: number;
  /** Temperature of the contrastive term's softmax over cosine similarities. */
  temperature?: number;
  /** Samples of each book put together into a contrastive batch (its positives); batchSize holds at least two books' worth. */
  samplesPerBook?: number;
  /** With samples as rows, a book's embedding: the mean of its samples' unit-length encodings, or the encoding of its mean row. Absent: 'sampleMean'. */
  pooling?: 'sampleMean' | 'meanRow';
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

/** Where `k: "auto"` looks for the number of clusters: every k from min to max. */
export interface KRange {
  min: number;
  max: number;
}

export const EMBEDDING_METHODS = ['autoencoder', 'lsa'] as const;
export type EmbeddingMethod = (typeof EMBEDDING_METHODS)[number];

export interface RunSettings {
  /** Number of clusters, or "auto": a sweep over kRange proposes one (src-main/engine/cluster/k-sweep.ts). */
  k: number | 'auto';
  /** Seed for every random choice in the run, so a run can be repeated. */
  seed: number;
  backend: BackendChoice;
  features: FeatureSettings;
  /**
   * How books become points: "autoencoder", the network below, or "lsa", the rows' LSA view of
   * lsaComponents pooled per book with no network at all (no training, no TensorFlow.js).
   */
  embedding: EmbeddingMethod;
  /** The LSA view's width when embedding is "lsa". */
  lsaComponents: number;
  autoencoder: AutoencoderSettings;
  refine: RefineSettings;
  /** K-means restarts from different k-means++ starts; the lowest inertia wins. */
  kmeansRestarts: number;
  /** K-means runs pooled into a co-association matrix cut by average linkage (consensus); 0 = the best restart alone. */
  consensusRuns: number;
  /** Scale embeddings to unit length before K-means (cosine-like clusters). */
  normalizeEmbeddings: boolean;
  /** The k tried when k is "auto" (clamped to the number of books - 1 at run time). */
  kRange: KRange;
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
    views: ['words'],
    charNgrams: { min: 3, max: 5 },
    dropNames: false,
    dropMostFrequent: 0,
  },
  embedding: 'autoencoder',
  lsaComponents: 20,
  autoencoder: {
    inputComponents: 30,
    target: 'bookMean',
    targetNeighbours: 5,
    hiddenLayers: [256],
    embeddingSize: 16,
    activation: 'selu',
    dropout: 0,
    epochs: 30,
    steps: 3000,
    batchSize: 32,
    learningRate: 0.001,
    validationFraction: 0,
    patience: 0,
    ensemble: 1,
    selfLabelRounds: 0,
    selfLabelEpochs: 5,
    reconstructionWeight: 1,
    contrastiveWeight: 0,
    temperature: 0.1,
    samplesPerBook: 2,
    pooling: 'sampleMean',
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
  kRange: { min: 2, max: 30 },
};

/** A run's k as the user set it: "12", or "auto → 12" once its sweep has proposed one (every door writes it so). */
export function kText(run: { settings: Pick<RunSettings, 'k'>; kSweep?: { proposed: number } | null }): string {
  if (run.settings.k !== 'auto') return String(run.settings.k);
  return run.kSweep ? `auto → ${run.kSweep.proposed}` : 'auto';
}

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
  /** No network: consensus K-means on the sample rows' LSA 20, pooled per book (docs/benchmarks.md, "Twenty seeds and held-out halves"). */
  lsa: { embedding: 'lsa' },
  classic: {
    features: { sampleRows: false, maxFeatures: 3000 },
    autoencoder: { inputComponents: 0, target: 'self', hiddenLayers: [256], embeddingSize: 16 },
    consensusRuns: 0,
  },
} satisfies Record<string, SettingsInput>;

/** A partial, possibly untrusted settings object: every field optional, nested ones too. */
export type SettingsInput = Partial<
  Omit<RunSettings, 'features' | 'autoencoder' | 'refine' | 'kRange'> & {
    kRange: Partial<KRange>;
    features: Partial<FeatureSettings>;
    autoencoder: Partial<AutoencoderSettings> & { preset?: keyof typeof AUTOENCODER_PRESETS };
    refine: Partial<RefineSettings>;
  }
> & { preset?: keyof typeof RUN_PRESETS };

const setting = settingName;

function docLimit(value: unknown, field: string): DocFrequencyLimit {
  if (isPlainObject(value) && 'docs' in value && !('fraction' in value)) {
    knownFields(value, setting(field), ['docs'], `${field}.`);
    return { docs: wholeNumber(value.docs, setting(`${field}.docs`), 1, 10_000_000) };
  }
  if (isPlainObject(value) && 'fraction' in value && !('docs' in value)) {
    knownFields(value, setting(field), ['fraction'], `${field}.`);
    return { fraction: numberIn(value.fraction, setting(`${field}.fraction`), 0, 1) };
  }
  invalid(`${setting(field)} must be { "docs": N } or { "fraction": F }, not ${describeValue(value)}.`);
}

function samplePlan(value: unknown): SamplePlan | null {
  if (value === null) return null;
  if (!isPlainObject(value)) invalid(`${setting('features.sampling')} must be null (whole books) or { "samples": N, "words": W }, not ${describeValue(value)}.`);
  knownFields(value, setting('features.sampling'), ['samples', 'words'], 'features.sampling.');
  return {
    samples: wholeNumber(value.samples, setting('features.sampling.samples'), 1, 1000),
    words: wholeNumber(value.words, setting('features.sampling.words'), 50, 1_000_000),
  };
}

function featureViews(value: unknown): FeatureView[] {
  const name = setting('features.views');
  if (!Array.isArray(value) || value.length === 0) {
    invalid(`${name} must be a list of one or more of ${FEATURE_VIEWS.map((v) => `"${v}"`).join(', ')}, such as ["words"], not ${describeValue(value)}.`);
  }
  const views = value.map((v, i) => oneOf(v, setting(`features.views[${i}]`), FEATURE_VIEWS));
  const twice = views.find((v, i) => views.indexOf(v) !== i);
  if (twice) invalid(`${name} names "${twice}" twice: list each view once.`);
  return views;
}

function ngramRange(value: unknown): NgramRange {
  const name = setting('features.charNgrams');
  if (!isPlainObject(value)) invalid(`${name} must be { "min": N, "max": M } (lengths in characters), not ${describeValue(value)}.`);
  knownFields(value, name, ['min', 'max'], 'features.charNgrams.');
  const d = DEFAULT_SETTINGS.features.charNgrams;
  const min = wholeNumber(given(value.min, d.min), setting('features.charNgrams.min'), 1, 10);
  const max = wholeNumber(given(value.max, d.max), setting('features.charNgrams.max'), 1, 10);
  if (min > max) invalid(`${name} must have min no larger than max, not ${min}..${max}.`);
  return { min, max };
}

/** Most clusters a run makes, and so the top of a k sweep. */
export const MAX_K = 500;

/** A number of clusters, or "auto" (a sweep over kRange chooses it). */
function clusterCount(value: unknown): number | 'auto' {
  if (value === 'auto') return value;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_K) return value;
  invalid(`${setting('k')} must be a whole number from 1 to ${MAX_K}, not ${describeValue(value)}; or "auto", to let a sweep over kRange choose it.`);
}

function kRange(value: Record<string, unknown>): KRange {
  const d = DEFAULT_SETTINGS.kRange;
  const min = wholeNumber(given(value.min, d.min), setting('kRange.min'), 2, MAX_K);
  const max = wholeNumber(given(value.max, d.max), setting('kRange.max'), 2, MAX_K);
  if (min > max) invalid(`${setting('kRange')} must have min no larger than max, not ${min}..${max}.`);
  return { min, max };
}

/** A section of the settings ("features", …): absent is {}, anything but an object is refused. */
function section(input: Record<string, unknown>, name: 'features' | 'autoencoder' | 'refine' | 'kRange', extra: string[] = []): Record<string, unknown> {
  const value = input[name];
  if (value === undefined) return {};
  return knownFields(value, setting(name), [...Object.keys(DEFAULT_SETTINGS[name]), ...extra], `${name}.`);
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
  const base: Record<string, unknown> = RUN_PRESETS[oneOf(input.preset, setting('preset'), Object.keys(RUN_PRESETS) as (keyof typeof RUN_PRESETS)[])];
  const keys = [...new Set([...Object.keys(base), ...Object.keys(input)])].filter((key) => key !== 'preset');
  return Object.fromEntries(
    keys.map((key) => {
      const [under, over] = [base[key], input[key]];
      return [key, isPlainObject(under) && isPlainObject(over) ? { ...under, ...over } : over === undefined ? under : over];
    }),
  );
}

/**
 * Merges input over its preset and the defaults and checks every value: wrong types, unknown
 * keys (with the nearest known one suggested), null and out-of-range numbers are refused with a
 * message that names the field. Throws ShelfmapError('invalid-argument').
 */
export function resolveSettings(raw: unknown = {}): RunSettings {
  const d = DEFAULT_SETTINGS;
  const top = withPreset(knownFields(raw, 'settings', [...Object.keys(d), 'preset']));
  const f = section(top, 'features');
  const rawAe = section(top, 'autoencoder', ['preset']);
  const presetName = given(rawAe.preset, 'default');
  const preset = AUTOENCODER_PRESETS[oneOf(presetName, setting('autoencoder.preset'), Object.keys(AUTOENCODER_PRESETS) as (keyof typeof AUTOENCODER_PRESETS)[])];
  const a: Record<string, unknown> = { ...preset, ...rawAe };
  const r = section(top, 'refine');
  const hidden = given(a.hiddenLayers, d.autoencoder.hiddenLayers);
  if (!Array.isArray(hidden) || hidden.length > 6) {
    invalid(`${setting('autoencoder.hiddenLayers')} must be a list of up to 6 widths, such as [256], not ${describeValue(hidden)}.`);
  }
  const resolved: RunSettings = {
    k: clusterCount(given(top.k, d.k)),
    seed: wholeNumber(given(top.seed, d.seed), setting('seed'), 0, 2 ** 31 - 1),
    backend: oneOf(given(top.backend, d.backend), setting('backend'), BACKEND_CHOICES),
    features: {
      sampling: samplePlan(given(f.sampling, d.features.sampling)),
      sampleRows: trueOrFalse(given(f.sampleRows, d.features.sampleRows), setting('features.sampleRows')),
      stopWords: trueOrFalse(given(f.stopWords, d.features.stopWords), setting('features.stopWords')),
      stem: trueOrFalse(given(f.stem, d.features.stem), setting('features.stem')),
      minDf: docLimit(given(f.minDf, d.features.minDf), 'features.minDf'),
      maxDf: docLimit(given(f.maxDf, d.features.maxDf), 'features.maxDf'),
      maxFeatures: wholeNumber(given(f.maxFeatures, d.features.maxFeatures), setting('features.maxFeatures'), 10, 200_000),
      sublinearTf: trueOrFalse(given(f.sublinearTf, d.features.sublinearTf), setting('features.sublinearTf')),
      smoothIdf: trueOrFalse(given(f.smoothIdf, d.features.smoothIdf), setting('features.smoothIdf')),
      norm: oneOf(given(f.norm, d.features.norm), setting('features.norm'), ['l2', 'none'] as const),
      views: featureViews(given(f.views, d.features.views)),
      charNgrams: ngramRange(given(f.charNgrams, d.features.charNgrams)),
      dropNames: trueOrFalse(given(f.dropNames, d.features.dropNames), setting('features.dropNames')),
      dropMostFrequent: wholeNumber(given(f.dropMostFrequent, d.features.dropMostFrequent), setting('features.dropMostFrequent'), 0, 1_000_000),
    },
    embedding: oneOf(given(top.embedding, d.embedding), setting('embedding'), EMBEDDING_METHODS),
    lsaComponents: wholeNumber(given(top.lsaComponents, d.lsaComponents), setting('lsaComponents'), 1, 1000),
    autoencoder: {
      inputComponents: wholeNumber(given(a.inputComponents, d.autoencoder.inputComponents), setting('autoencoder.inputComponents'), 0, 1000),
      target: oneOf(given(a.target, d.autoencoder.target), setting('autoencoder.target'), ['self', 'bookMean', 'neighbourMean'] as const),
      targetNeighbours: wholeNumber(given(a.targetNeighbours, d.autoencoder.targetNeighbours), setting('autoencoder.targetNeighbours'), 1, 100),
      hiddenLayers: (hidden as unknown[]).map((w, i) => wholeNumber(w, setting(`autoencoder.hiddenLayers[${i}]`), 2, 4096)),
      embeddingSize: wholeNumber(given(a.embeddingSize, d.autoencoder.embeddingSize), setting('autoencoder.embeddingSize'), 2, 512),
      activation: oneOf(given(a.activation, d.autoencoder.activation), setting('autoencoder.activation'), ['selu', 'relu', 'elu', 'tanh'] as const),
      dropout: numberIn(given(a.dropout, d.autoencoder.dropout), setting('autoencoder.dropout'), 0, 0.9),
      epochs: wholeNumber(given(a.epochs, d.autoencoder.epochs), setting('autoencoder.epochs'), 1, 5000),
      steps: wholeNumber(given(a.steps, d.autoencoder.steps), setting('autoencoder.steps'), 0, 10_000_000),
      batchSize: wholeNumber(given(a.batchSize, d.autoencoder.batchSize), setting('autoencoder.batchSize'), 1, 4096),
      learningRate: numberIn(given(a.learningRate, d.autoencoder.learningRate), setting('autoencoder.learningRate'), 1e-6, 1),
      validationFraction: numberIn(given(a.validationFraction, d.autoencoder.validationFraction), setting('autoencoder.validationFraction'), 0, 0.5),
      patience: wholeNumber(given(a.patience, d.autoencoder.patience), setting('autoencoder.patience'), 0, 1000),
      ensemble: wholeNumber(given(a.ensemble, d.autoencoder.ensemble), setting('autoencoder.ensemble'), 1, 20),
      selfLabelRounds: wholeNumber(given(a.selfLabelRounds, d.autoencoder.selfLabelRounds), setting('autoencoder.selfLabelRounds'), 0, 100),
      selfLabelEpochs: wholeNumber(given(a.selfLabelEpochs, d.autoencoder.selfLabelEpochs), setting('autoencoder.selfLabelEpochs'), 1, 1000),
      reconstructionWeight: numberIn(given(a.reconstructionWeight, d.autoencoder.reconstructionWeight), setting('autoencoder.reconstructionWeight'), 0, 100),
      contrastiveWeight: numberIn(given(a.contrastiveWeight, d.autoencoder.contrastiveWeight), setting('autoencoder.contrastiveWeight'), 0, 100),
      temperature: numberIn(given(a.temperature, d.autoencoder.temperature), setting('autoencoder.temperature'), 0.01, 10),
      samplesPerBook: wholeNumber(given(a.samplesPerBook, d.autoencoder.samplesPerBook), setting('autoencoder.samplesPerBook'), 2, 100),
      pooling: oneOf(given(a.pooling, d.autoencoder.pooling), setting('autoencoder.pooling'), ['sampleMean', 'meanRow'] as const),
    },
    refine: {
      enabled: trueOrFalse(given(r.enabled, d.refine.enabled), setting('refine.enabled')),
      epochs: wholeNumber(given(r.epochs, d.refine.epochs), setting('refine.epochs'), 1, 1000),
      reconstructionWeight: numberIn(given(r.reconstructionWeight, d.refine.reconstructionWeight), setting('refine.reconstructionWeight'), 0, 100),
      learningRate: numberIn(given(r.learningRate, d.refine.learningRate), setting('refine.learningRate'), 1e-6, 1),
      tolerance: numberIn(given(r.tolerance, d.refine.tolerance), setting('refine.tolerance'), 0, 1),
    },
    kmeansRestarts: wholeNumber(given(top.kmeansRestarts, d.kmeansRestarts), setting('kmeansRestarts'), 1, 1000),
    consensusRuns: wholeNumber(given(top.consensusRuns, d.consensusRuns), setting('consensusRuns'), 0, 1000),
    normalizeEmbeddings: trueOrFalse(given(top.normalizeEmbeddings, d.normalizeEmbeddings), setting('normalizeEmbeddings')),
    kRange: kRange(section(top, 'kRange')),
  };
  // with no network the autoencoder's settings are kept (a form can switch back) but train nothing: only a network's are checked
  if (resolved.embedding === 'lsa') {
    if (resolved.refine.enabled) {
      invalid(`${setting('refine.enabled')} refines the autoencoder's embedding, and with "embedding": "lsa" there is no network: set refine.enabled to false, or embedding to "autoencoder".`);
    }
    return resolved;
  }
  if (resolved.k === 'auto' && resolved.autoencoder.selfLabelRounds > 0) {
    // self-labelling clusters the books while the network trains, before any sweep could run
    invalid(`${setting('autoencoder.selfLabelRounds')} needs a fixed k: set "k" to a number, or selfLabelRounds to 0, to choose k by a sweep.`);
  }
  contrastiveProblem(resolved);
  const tooLarge = modelMemoryProblem(resolved, resolved.backend);
  if (tooLarge) invalid(tooLarge);
  return resolved;
}

/** Refuses a training objective that cannot train: no loss at all, or a contrastive term without positives or negatives. */
function contrastiveProblem(resolved: RunSettings): void {
  const a = resolved.autoencoder;
  if (a.reconstructionWeight === 0 && a.contrastiveWeight === 0) {
    invalid(`${setting('autoencoder.reconstructionWeight')} and ${setting('autoencoder.contrastiveWeight')} are both 0: the network would learn nothing. Set either above 0.`);
  }
  if (a.contrastiveWeight! > 0 && (!resolved.features.sampleRows || resolved.features.sampling === null)) {
    invalid(
      `${setting('autoencoder.contrastiveWeight')} needs several samples of each book (its positives): set "features.sampleRows" to true and "features.sampling" to a plan, or contrastiveWeight to 0.`,
    );
  }
  if (a.contrastiveWeight! > 0 && a.batchSize < 2 * a.samplesPerBook!) {
    invalid(
      `${setting('autoencoder.batchSize')} (${a.batchSize}) must hold at least two books of ${setting('autoencoder.samplesPerBook')} (${a.samplesPerBook}) samples for the contrastive term: raise batchSize or lower samplesPerBook.`,
    );
  }
}

/** The value given, or the default when the field was left out (null is a value, and refused). */
function given<T>(value: unknown, fallback: T): unknown {
  return value === undefined ? fallback : value;
}

/**
 * What autoencoderTrainingBytes may come to on the wasm backend. Measured with tfjs-backend-wasm
 * 4.22 under Node 20 (one epoch, 64 rows of 20000 terms): estimates of 0.91 GiB trained, 1.09 GiB
 * and more aborted ("memory access out of bounds"): the kernels' temporaries about double it.
 */
export const WASM_MODEL_BUDGET_BYTES = 0.95 * 1024 ** 3;

/**
 * Bytes the autoencoder's training needs at the least: weights, their gradients and Adam's two
 * moments (4 float32 copies of every parameter), the widest input rows are counted at full width.
 */
export function autoencoderTrainingBytes(settings: Pick<RunSettings, 'features' | 'autoencoder'>, inputRows = 0): number {
  const { hiddenLayers, embeddingSize, batchSize } = settings.autoencoder;
  const encoder = [networkInputWidth(settings), ...hiddenLayers, embeddingSize];
  const widths = [...encoder, ...encoder.slice(0, -1).reverse()];
  let parameters = 0;
  for (let i = 0; i + 1 < widths.length; i++) parameters += widths[i] * widths[i + 1] + widths[i + 1];
  const activations = batchSize * widths.reduce((sum, w) => sum + w, 0) * 3;
  // the input rows live in the backend's memory too, once their number is known
  return (parameters * 4 + activations) * 4 + inputRows * networkInputWidth(settings) * 4;
}

/** What the network reads: an LSA view of inputComponents columns, or the TF-IDF terms themselves. */
function networkInputWidth(settings: Pick<RunSettings, 'features' | 'autoencoder'>): number {
  const components = settings.autoencoder.inputComponents;
  return components > 0 ? Math.min(components, settings.features.maxFeatures) : settings.features.maxFeatures;
}

/** Why a forced backend cannot hold this network, or null when it can (or the backend has no fixed limit). */
export function modelMemoryProblem(settings: Pick<RunSettings, 'features' | 'autoencoder'>, backend: BackendChoice, inputRows = 0): string | null {
  if (backend !== 'wasm') return null;
  const bytes = autoencoderTrainingBytes(settings, inputRows);
  if (bytes <= WASM_MODEL_BUDGET_BYTES) return null;
  const shape = [networkInputWidth(settings), ...settings.autoencoder.hiddenLayers, settings.autoencoder.embeddingSize].join('-');
  const rows = inputRows > 0 ? ` on ${inputRows} rows` : '';
  const gib = (n: number) => `${(n / 1024 ** 3).toFixed(2)} GB`;
  return (
    `A ${shape} autoencoder needs about ${gib(bytes)} to train${rows}, and the wasm backend holds at most ${gib(WASM_MODEL_BUDGET_BYTES)} for it. ` +
    'Lower "features.maxFeatures" (or read an LSA view: "autoencoder.inputComponents"), "autoencoder.hiddenLayers" or "autoencoder.batchSize", or use the tensorflow backend.'
  );
}
