// The cluster stage: k-means over the embeddings, cluster names from TF-IDF terms, a 2-D map.
export { kmeansBest, kmeansBestAsync, type KMeansBestResult, type KMeansOptions } from './kmeans';
export { clusterLabel, displayTerms, distinctiveTerms, nameWorthy, type DistinctiveTermOptions, type SparseRow } from './terms';
export { layout2d, layout2dAsync, type LayoutMetric, type LayoutOptions } from './layout';
export { consensusKmeans, consensusKmeansAsync, consensusOfViewsAsync, CONSENSUS_MAX_POINTS, type ConsensusOptions } from './consensus';
