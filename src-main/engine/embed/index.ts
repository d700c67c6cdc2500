// The embed stage: pick a TensorFlow.js backend, train the autoencoder, hand embeddings on, and
// optionally refine clusters and embeddings together (DEC/IDEC).
export { selectBackend, defaultLoaders } from './backend';
export type { BackendLoaders, SelectedBackend, Tf, WasmBackendModule } from './backend';
export { trainAutoencoder, embeddingsToRows, splitRows, DEFAULT_DESIGN } from './autoencoder';
export type { AutoencoderDesign, EpochReport, ReconstructionLoss, TrainOptions, TrainedEmbeddings } from './autoencoder';
export { loadAutoencoder, lsaOnlyEmbedding, storesNoNetwork, withLsaFront, TOPOLOGY_FORMAT } from './trained';
export type { AutoencoderTopology, TrainedAutoencoder } from './trained';
export { refineClusters } from './refine';
export type { RefineEpochReport, RefineOptions, RefinedClusters } from './refine';
export type { Activation } from './model';
export { embedBooks, lsaBookEmbeddings, meanRowOfBook, neighbourhoodMean, networkInput, poolByBook, refinementStart, unitRowsOf } from './books';
export type { BookEmbeddings, EmbedInput } from './books';
