import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, RUN_PRESETS, resolveSettings } from './settings';
import { ShelfmapError } from './errors';

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
    expect(() => resolveSettings({ preset: 'fast' })).toThrow(/"preset" must be one of default, classic/);
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
