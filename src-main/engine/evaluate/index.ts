// Agreement between a clustering and known labels (e.g. genres), as scikit-learn computes it.
export { adjustedRandIndex, normalizedMutualInfo, type Labeling } from './metrics';
