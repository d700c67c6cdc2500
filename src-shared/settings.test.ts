// Table tests of the settings resolver: what it accepts, and the message for each kind of mistake.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, RUN_PRESETS, autoencoderTrainingBytes, modelMemoryProblem, resolveSettings, WASM_MODEL_BUDGET_BYTES, type SettingsInput } from './settings';
import { ShelfmapError } from './errors';

function messageOf(input: unknown): string {
  try {
    resolveSettings(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ShelfmapError);
    expect((error as ShelfmapError).kind).toBe('invalid-argument');
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

describe('resolveSettings', () => {
  it('fills every default from nothing, and keeps what is given', () => {
    expect(resolveSettings({})).toEqual(DEFAULT_SETTINGS);
    expect(resolveSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    const s = resolveSettings({ k: 7, features: { stem: true }, autoencoder: { epochs: 3 }, refine: { enabled: true } });
    expect(s.k).toBe(7);
    expect(s.features).toEqual({ ...DEFAULT_SETTINGS.features, stem: true });
    expect(s.autoencoder.epochs).toBe(3);
    expect(s.refine.enabled).toBe(true);
    expect(resolveSettings({ features: { sampling: null } }).features.sampling).toBeNull();
    expect(resolveSettings({ autoencoder: { preset: 'dec' } }).autoencoder.hiddenLayers).toEqual([500, 500, 2000]);
  });

  it.each<[string, unknown, RegExp]>([
    ['settings as a string', 'k=3', /settings must be an object, not the text "k=3"/],
    ['settings as a list', [1, 2], /settings must be an object, not a list/],
    ['settings as null', null, /settings must be an object, not null/],
    ['a misspelt top-level key', { kk: 3 }, /Unknown setting "kk"\. Did you mean "k"\?/],
    ['a misspelt nested key', { autoencoder: { epoch: 3 } }, /Unknown setting "autoencoder\.epoch"\. Did you mean "autoencoder\.epochs"\?/],
    ['a key with no near neighbour', { colour: 'red' }, /Unknown setting "colour"\. Known: k, seed/],
    ['a section of the wrong type', { features: 5 }, /Setting "features" must be an object, not 5/],
    ['a section that is null', { refine: null }, /Setting "refine" must be an object, not null/],
    ['a field that is null', { k: null }, /Setting "k" must be a whole number from 1 to 500, not null/],
    ['k of 0', { k: 0 }, /Setting "k" must be a whole number from 1 to 500, not 0/],
    ['k as text', { k: '12' }, /Setting "k" must be a whole number from 1 to 500, not the text "12"/],
    ['a fractional seed', { seed: 1.5 }, /Setting "seed" must be a whole number/],
    ['an unknown backend', { backend: 'gpu' }, /Setting "backend" must be one of auto, tensorflow, webgpu, wasm, cpu, not the text "gpu"/],
    ['a backend typo', { backend: 'wsam' }, /Did you mean "wasm"\?/],
    ['a wrong boolean', { features: { stem: 'yes' } }, /Setting "features\.stem" must be true or false/],
    ['a learning rate out of range', { autoencoder: { learningRate: 5 } }, /"autoencoder\.learningRate" must be a number from 0\.000001 to 1|"autoencoder\.learningRate" must be a number from 1e-6 to 1/],
    ['hidden layers not a list', { autoencoder: { hiddenLayers: 256 } }, /"autoencoder\.hiddenLayers" must be a list of up to 6 widths/],
    ['a hidden width out of range', { autoencoder: { hiddenLayers: [256, 1] } }, /"autoencoder\.hiddenLayers\[1\]" must be a whole number from 2 to 4096/],
    ['an unknown preset', { autoencoder: { preset: 'big' } }, /"autoencoder\.preset" must be one of default, dec/],
    ['a doc limit of both kinds', { features: { minDf: { docs: 2, fraction: 0.1 } } }, /"features\.minDf" must be \{ "docs": N \} or \{ "fraction": F \}/],
    ['a sample plan with a stray key', { features: { sampling: { samples: 3, words: 100, size: 2 } } }, /Unknown setting "features\.sampling\.size"/],
  ])('refuses %s', (_, input, expected) => {
    expect(messageOf(input)).toMatch(expected);
  });

  it('refuses a network the wasm backend cannot hold, naming the sizes and the way out', () => {
    const huge = { backend: 'wasm', features: { maxFeatures: 200_000 }, autoencoder: { inputComponents: 0, hiddenLayers: [4096, 4096] } };
    expect(messageOf(huge)).toMatch(/A 200000-4096-4096-16 autoencoder needs about [\d.]+ GB to train, and the wasm backend holds at most 0\.95 GB/);
    expect(messageOf(huge)).toMatch(/features\.maxFeatures/);
    // auto and tensorflow may hold it: the embed stage checks again once auto has chosen
    expect(() => resolveSettings({ ...huge, backend: 'tensorflow' })).not.toThrow();
    expect(() => resolveSettings({ ...huge, backend: 'auto' })).not.toThrow();
    // reading an LSA view of 30 columns instead of 200000 terms, the same layers fit
    expect(() => resolveSettings({ ...huge, autoencoder: { inputComponents: 30, hiddenLayers: [4096, 4096] } })).not.toThrow();
  });
});

describe('model memory estimate', () => {
  it('counts weights, gradients and both Adam moments for every layer of encoder and decoder', () => {
    const settings = resolveSettings({ features: { maxFeatures: 100 }, autoencoder: { inputComponents: 0, hiddenLayers: [10], embeddingSize: 2, batchSize: 1 } });
    // 100-10-2-10-100: (100*10+10) + (10*2+2) + (2*10+10) + (10*100+100) parameters
    const parameters = 1010 + 22 + 30 + 1100;
    const activations = 1 * (100 + 10 + 2 + 10 + 100) * 3;
    expect(autoencoderTrainingBytes(settings)).toBe((parameters * 4 + activations) * 4);
    expect(autoencoderTrainingBytes(settings, 50)).toBe((parameters * 4 + activations) * 4 + 50 * 100 * 4);
  });

  it('refuses on wasm the shape measured to abort there, and lets through the one measured to train', () => {
    // measured: 20000-1800-16 aborted in tfjs-backend-wasm, 20000-1500-16 trained (see WASM_MODEL_BUDGET_BYTES)
    const shape = (width: number) => ({ backend: 'wasm', features: { maxFeatures: 20_000 }, autoencoder: { inputComponents: 0, hiddenLayers: [width] } });
    expect(messageOf(shape(1800))).toMatch(/wasm backend holds at most/);
    expect(() => resolveSettings(shape(1500))).not.toThrow();
  });

  it('lets the default network through on wasm, with room to spare', () => {
    expect(autoencoderTrainingBytes(DEFAULT_SETTINGS)).toBeLessThan(WASM_MODEL_BUDGET_BYTES / 10);
    expect(modelMemoryProblem(DEFAULT_SETTINGS, 'wasm')).toBeNull();
  });
});

describe('run presets', () => {
  it('merges a run over its preset, one level deep', () => {
    const classic = resolveSettings({ preset: 'classic', seed: 3, features: { stem: true } });
    expect(classic.features).toEqual({ ...DEFAULT_SETTINGS.features, ...RUN_PRESETS.classic.features, stem: true });
    expect(classic.autoencoder.inputComponents).toBe(0);
    expect(classic.autoencoder.target).toBe('self');
    expect(classic.consensusRuns).toBe(0);
    expect(classic.seed).toBe(3);
    expect(resolveSettings({ preset: 'default' })).toEqual(resolveSettings({}));
  });

  it('names an unknown preset', () => {
    expect(() => resolveSettings({ preset: 'fast' })).toThrow(ShelfmapError);
    expect(() => resolveSettings({ preset: 'fast' })).toThrow(/"preset" must be one of default, lsa, classic/);
  });
});

describe('"embedding": "lsa" (no network)', () => {
  it('is what the lsa preset sets, with LSA 20 unless lsaComponents says otherwise; the default keeps the autoencoder', () => {
    expect(resolveSettings({})).toMatchObject({ embedding: 'autoencoder', lsaComponents: 20 });
    expect(resolveSettings({ preset: 'lsa' })).toEqual({ ...resolveSettings({}), embedding: 'lsa' });
    expect(resolveSettings({ preset: 'lsa', lsaComponents: 30 })).toMatchObject({ embedding: 'lsa', lsaComponents: 30 });
  });

  it.each<[string, unknown, RegExp]>([
    ['another method', { embedding: 'pca' }, /Setting "embedding" must be one of autoencoder, lsa/],
    ['no components', { embedding: 'lsa', lsaComponents: 0 }, /Setting "lsaComponents" must be a whole number from 1 to 1000, not 0/],
    ['refinement, which trains the network', { preset: 'lsa', refine: { enabled: true } }, /"refine\.enabled" refines the autoencoder's embedding, and with "embedding": "lsa" there is no network/],
  ])('refuses %s', (_, input, expected) => {
    expect(messageOf(input)).toMatch(expected);
  });

  it.each<[string, SettingsInput, RegExp]>([
    ['a network too large for wasm', { autoencoder: { inputComponents: 0 }, features: { maxFeatures: 200000 }, backend: 'wasm' }, /autoencoder needs about .* GB to train/],
    ['an objective with no loss', { autoencoder: { reconstructionWeight: 0 } }, /would learn nothing/],
    ['self-labelling with k chosen by a sweep', { k: 'auto', autoencoder: { selfLabelRounds: 2 } }, /needs a fixed k/],
  ])('checks %s only when a network will train', (_, input, refusal) => {
    expect(messageOf(input)).toMatch(refusal);
    const noNetwork = resolveSettings({ ...input, preset: 'lsa' });
    expect(noNetwork.embedding).toBe('lsa');
    // the network's settings are kept as given, so switching back to the autoencoder meets the same check
    expect(noNetwork.autoencoder).toMatchObject(input.autoencoder!);
  });
});

describe('k = "auto" and kRange', () => {
  it('takes "auto" with the default range 2..30, or a range of its own', () => {
    expect(resolveSettings({ k: 'auto' })).toMatchObject({ k: 'auto', kRange: { min: 2, max: 30 } });
    expect(resolveSettings({ k: 'auto', kRange: { max: 16 } }).kRange).toEqual({ min: 2, max: 16 });
    expect(resolveSettings({ k: 'auto', kRange: { min: 5, max: 5 } }).kRange).toEqual({ min: 5, max: 5 });
    // a range beside a fixed k is kept (and unused), so a settings file can switch k alone
    expect(resolveSettings({ k: 7, kRange: { min: 3 } })).toMatchObject({ k: 7, kRange: { min: 3, max: 30 } });
  });

  it.each<[string, unknown, RegExp]>([
    ['another word', { k: 'automatic' }, /Setting "k" must be a whole number from 1 to 500, not the text "automatic"; or "auto", to let a sweep over kRange choose it/],
    ['"Auto" in capitals', { k: 'Auto' }, /Setting "k" must be a whole number .*; or "auto"/],
    ['a range of the wrong type', { k: 'auto', kRange: [2, 30] }, /Setting "kRange" must be an object, not a list/],
    ['a range from 1', { k: 'auto', kRange: { min: 1 } }, /Setting "kRange\.min" must be a whole number from 2 to 500, not 1/],
    ['a range beyond 500', { k: 'auto', kRange: { max: 501 } }, /Setting "kRange\.max" must be a whole number from 2 to 500, not 501/],
    ['a range upside down', { k: 'auto', kRange: { min: 20, max: 10 } }, /Setting "kRange" must have min no larger than max, not 20\.\.10/],
    ['a misspelt range key', { k: 'auto', kRange: { maxx: 10 } }, /Unknown setting "kRange\.maxx"\. Did you mean "kRange\.max"\?/],
    ['self-labelling, which needs k while training', { k: 'auto', autoencoder: { selfLabelRounds: 2 } }, /"autoencoder\.selfLabelRounds" needs a fixed k/],
  ])('refuses %s', (_, input, expected) => {
    expect(messageOf(input)).toMatch(expected);
  });
});

describe('issue 11 settings', () => {
  it('checks each new field', () => {
    expect(() => resolveSettings({ features: { sampleRows: 'yes' } })).toThrow(/features.sampleRows/);
    expect(() => resolveSettings({ autoencoder: { inputComponents: -1 } })).toThrow(/autoencoder.inputComponents/);
    expect(() => resolveSettings({ autoencoder: { target: 'book' } })).toThrow(/autoencoder.target/);
    expect(() => resolveSettings({ autoencoder: { ensemble: 0 } })).toThrow(/autoencoder.ensemble/);
    expect(() => resolveSettings({ autoencoder: { selfLabelRounds: 1.5 } })).toThrow(/autoencoder.selfLabelRounds/);
    expect(() => resolveSettings({ consensusRuns: -2 })).toThrow(/consensusRuns/);
    expect(resolveSettings({ autoencoder: { target: 'neighbourMean', targetNeighbours: 3 } }).autoencoder).toMatchObject({ target: 'neighbourMean', targetNeighbours: 3 });
  });
});

describe('autoencoder.steps (issue 10)', () => {
  it('defaults to a budget of 3000 steps, takes 0 for none, and refuses what is not a whole number', () => {
    expect(resolveSettings({}).autoencoder.steps).toBe(3000);
    expect(resolveSettings({ autoencoder: { steps: 0 } }).autoencoder.steps).toBe(0);
    expect(resolveSettings({ autoencoder: { steps: 500 } }).autoencoder.steps).toBe(500);
    expect(() => resolveSettings({ autoencoder: { steps: -1 } })).toThrow(/autoencoder\.steps/);
    expect(() => resolveSettings({ autoencoder: { steps: 2.5 } })).toThrow(/autoencoder\.steps/);
    expect(() => resolveSettings({ autoencoder: { steps: '3000' } })).toThrow(/autoencoder\.steps/);
  });
});

describe('feature views (issue 11)', () => {
  it('keeps the words alone by default and accepts every view, alone or joined', () => {
    const d = resolveSettings({}).features;
    expect(d).toMatchObject({ views: ['words'], charNgrams: { min: 3, max: 5 }, dropNames: false, dropMostFrequent: 0 });
    const f = resolveSettings({ features: { views: ['words', 'charNgrams'], charNgrams: { min: 2 }, dropNames: true, dropMostFrequent: 100 } }).features;
    expect(f).toMatchObject({ views: ['words', 'charNgrams'], charNgrams: { min: 2, max: 5 }, dropNames: true, dropMostFrequent: 100 });
    expect(resolveSettings({ features: { views: ['functionWords'] } }).features.views).toEqual(['functionWords']);
  });

  it.each<[string, unknown, RegExp]>([
    ['no view', { features: { views: [] } }, /"features\.views" must be a list of one or more of "words", "functionWords", "charNgrams"/],
    ['a view given as text', { features: { views: 'words' } }, /"features\.views" must be a list/],
    ['an unknown view', { features: { views: ['words', 'charNgram'] } }, /"features\.views\[1\]" must be one of words, functionWords, charNgrams.*Did you mean "charNgrams"\?/],
    ['a view twice', { features: { views: ['words', 'words'] } }, /"features\.views" names "words" twice/],
    ['n-grams longer at the short end', { features: { charNgrams: { min: 5, max: 3 } } }, /"features\.charNgrams" must have min no larger than max, not 5\.\.3/],
    ['n-grams of 0 characters', { features: { charNgrams: { min: 0, max: 3 } } }, /"features\.charNgrams\.min" must be a whole number from 1 to 10/],
    ['n-grams with a stray key', { features: { charNgrams: { min: 3, max: 5, step: 1 } } }, /Unknown setting "features\.charNgrams\.step"/],
    ['n-grams as a number', { features: { charNgrams: 4 } }, /"features\.charNgrams" must be \{ "min": N, "max": M \}/],
    ['dropNames as text', { features: { dropNames: 'yes' } }, /"features\.dropNames" must be true or false/],
    ['a negative dropMostFrequent', { features: { dropMostFrequent: -1 } }, /"features\.dropMostFrequent" must be a whole number from 0/],
  ])('refuses %s', (_, input, expected) => {
    expect(messageOf(input)).toMatch(expected);
  });
});

describe('the contrastive term (issue 11)', () => {
  it('is off by default, and takes its weight, temperature and samples per book', () => {
    expect(resolveSettings({}).autoencoder).toMatchObject({ reconstructionWeight: 1, contrastiveWeight: 0, temperature: 0.1, samplesPerBook: 2 });
    const on = resolveSettings({ autoencoder: { reconstructionWeight: 0, contrastiveWeight: 2, temperature: 0.5, samplesPerBook: 4 } }).autoencoder;
    expect(on).toMatchObject({ reconstructionWeight: 0, contrastiveWeight: 2, temperature: 0.5, samplesPerBook: 4 });
  });

  it.each([
    ['a negative weight', { autoencoder: { contrastiveWeight: -1 } }, /"autoencoder\.contrastiveWeight" must be/],
    ['a temperature of 0', { autoencoder: { contrastiveWeight: 1, temperature: 0 } }, /"autoencoder\.temperature" must be/],
    ['one sample per book', { autoencoder: { contrastiveWeight: 1, samplesPerBook: 1 } }, /"autoencoder\.samplesPerBook" must be/],
    ['no loss at all', { autoencoder: { reconstructionWeight: 0 } }, /both 0: the network would learn nothing/],
    ['one row per book', { features: { sampleRows: false }, autoencoder: { contrastiveWeight: 1 } }, /needs several samples of each book/],
    ['whole books', { features: { sampling: null }, autoencoder: { contrastiveWeight: 1 } }, /needs several samples of each book/],
    ['a batch without room for two books', { autoencoder: { contrastiveWeight: 1, samplesPerBook: 20, batchSize: 32 } }, /must hold at least two books/],
  ])('refuses %s', (_, input, expected) => {
    expect(messageOf(input)).toMatch(expected);
  });
});
