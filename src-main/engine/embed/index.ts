// The embed stage: pick a TensorFlow.js backend, train the autoencoder, hand embeddings on.
export { selectBackend, defaultLoaders } from './backend';
export type { BackendLoaders, SelectedBackend, Tf, WasmBackendModule } from './backend';
export { trainAutoencoder, embeddingsToRows, DEFAULT_DESIGN } from './autoencoder';
export type { AutoencoderDesign, EpochReport, ReconstructionLoss, TrainOptions, TrainedEmbeddings } from './autoencoder';
export type { Activation } from './model';
