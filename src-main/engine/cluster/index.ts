// The cluster stage: k-means over the embeddings, cluster names by class-based TF-IDF, a 2-D map.
export { kmeansBest, kmeansBestAsync, type KMeansBestResult, type KMeansOptions } from './kmeans';
export { classTfidfTerms, clusterLabel, distinctiveTerms, nameWorthy, type ClassTfidfOptions, type ClusterTerms, type NamingBook, type DistinctiveTermOptions, type SparseRow } from './terms';
export { layout2d, layout2dAsync, type LayoutMetric, type LayoutOptions } from './layout';
export { consensusKmeans, consensusKmeansAsync, consensusOfViewsAsync, CONSENSUS_MAX_POINTS, CONSENSUS_SAMPLE_POINTS, type ConsensusOptions } from './consensus';
