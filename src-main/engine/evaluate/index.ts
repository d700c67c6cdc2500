// Agreement between a clustering and known labels (e.g. genres), as scikit-learn computes it.
export {
  adjustedRandIndex,
  confusionTable,
  homogeneityCompleteness,
  normalizedMutualInfo,
  type ClusterAgreement,
  type ConfusionTable,
  type Labeling,
} from './metrics';
