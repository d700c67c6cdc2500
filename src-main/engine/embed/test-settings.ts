// The small, fast network the embed tests train: every AutoencoderSettings field spelled out
// once, each test overriding only what it is about.
import type { AutoencoderSettings } from '../../../src-shared/settings';

export function smallNetworkSettings(overrides: Partial<AutoencoderSettings> = {}): AutoencoderSettings {
  return {
    inputComponents: 0,
    target: 'self',
    targetNeighbours: 5,
    hiddenLayers: [16],
    embeddingSize: 4,
    activation: 'selu',
    dropout: 0,
    epochs: 6,
    steps: 0,
    batchSize: 8,
    learningRate: 0.01,
    validationFraction: 0,
    patience: 0,
    ensemble: 1,
    selfLabelRounds: 0,
    selfLabelEpochs: 1,
    ...overrides,
  };
}
