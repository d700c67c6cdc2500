// Agreement between two labelings of the same items (e.g. clusters vs. known genres), computed
// the way scikit-learn does, special cases included, so numbers can be compared with its output.
import { ShelfmapError } from '../../../src-shared/errors';

export type Labeling = ArrayLike<number | string>;

interface Contingency {
  n: number;
  /** Items per label of the first labeling. */
  rowSums: number[];
  /** Items per label of the second labeling. */
  columnSums: number[];
  /** Non-zero cells: items with label i in the first and j in the second. */
  cells: { row: number; column: number; count: number }[];
}

function contingency(a: Labeling, b: Labeling): Contingency {
  if (a.length !== b.length) {
    throw new ShelfmapError('invalid-argument', `The labelings differ in length (${a.length} and ${b.length}).`);
  }
  const rowIds = new Map<number | string, number>();
  const columnIds = new Map<number | string, number>();
  const cellIds = new Map<string, number>();
  const rowSums: number[] = [];
  const columnSums: number[] = [];
  const cells: Contingency['cells'] = [];
  for (let i = 0; i < a.length; i++) {
    let row = rowIds.get(a[i]);
    if (row === undefined) {
      row = rowSums.push(0) - 1;
      rowIds.set(a[i], row);
    }
    let column = columnIds.get(b[i]);
    if (column === undefined) {
      column = columnSums.push(0) - 1;
      columnIds.set(b[i], column);
    }
    rowSums[row]++;
    columnSums[column]++;
    const key = `${row},${column}`;
    const cell = cellIds.get(key);
    if (cell === undefined) {
      cellIds.set(key, cells.length);
      cells.push({ row, column, count: 1 });
    } else cells[cell].count++;
  }
  return { n: a.length, rowSums, columnSums, cells };
}

/** Shannon entropy (natural log) of a labeling given its label counts. */
function entropy(counts: number[], n: number): number {
  if (counts.length <= 1) return 0;
  let h = 0;
  for (const count of counts) h -= (count / n) * (Math.log(count) - Math.log(n));
  return h;
}

/**
 * Normalised mutual information with the arithmetic-mean normaliser, MI / ((H(a) + H(b)) / 2):
 * 1 for identical partitions (whatever the label names), near 0 for unrelated ones. Like
 * scikit-learn, two single-cluster (or empty) labelings score 1, and zero MI scores 0.
 */
export function normalizedMutualInfo(a: Labeling, b: Labeling): number {
  const table = contingency(a, b);
  const { n, rowSums, columnSums } = table;
  if (rowSums.length === columnSums.length && rowSums.length <= 1) return 1;
  const mi = mutualInfo(table);
  if (mi === 0) return 0;
  return mi / ((entropy(rowSums, n) + entropy(columnSums, n)) / 2);
}

function mutualInfo({ n, rowSums, columnSums, cells }: Contingency): number {
  // A single-cluster labeling carries no information.
  if (rowSums.length === 1 || columnSums.length === 1) return 0;
  let mi = 0;
  for (const { row, column, count } of cells) {
    // Same grouping of logarithms as scikit-learn, to stay within rounding of its result.
    const p = count / n;
    const term = p * (Math.log(count) - Math.log(n)) + p * (-Math.log(rowSums[row] * columnSums[column]) + 2 * Math.log(n));
    // scikit-learn zeroes terms that are pure rounding noise.
    if (Math.abs(term) >= Number.EPSILON) mi += term;
  }
  return Math.max(0, mi);
}

/**
 * Adjusted Rand index: pair-counting agreement corrected for chance; 1 for identical partitions,
 * about 0 for random ones, negative for worse than chance. Pair counts use BigInt, as scikit-learn
 * uses Python integers, so large inputs do not lose precision before the final division.
 */
export function adjustedRandIndex(a: Labeling, b: Labeling): number {
  const { n, rowSums, columnSums, cells } = contingency(a, b);
  // Ordered pair counts, as in scikit-learn's pair_confusion_matrix.
  const N = BigInt(n);
  let sumSquares = 0n;
  for (const { count } of cells) sumSquares += BigInt(count) * BigInt(count);
  let rowsDotColumns = 0n; // Σ_cells count · (size of its column)
  let columnsDotRows = 0n; // Σ_cells count · (size of its row)
  for (const { row, column, count } of cells) {
    rowsDotColumns += BigInt(count) * BigInt(columnSums[column]);
    columnsDotRows += BigInt(count) * BigInt(rowSums[row]);
  }
  const tp = sumSquares - N;
  const fp = rowsDotColumns - sumSquares;
  const fn = columnsDotRows - sumSquares;
  const tn = N * N - fp - fn - sumSquares;
  if (fn === 0n && fp === 0n) return 1;
  const numerator = 2n * (tp * tn - fn * fp);
  const denominator = (tp + fn) * (fn + tn) + (tp + fp) * (fp + tn);
  return Number(numerator) / Number(denominator);
}

export interface ClusterAgreement {
  /** Each cluster holds members of one class only: 1 - H(class | cluster) / H(class). */
  homogeneity: number;
  /** All members of a class are in one cluster: 1 - H(cluster | class) / H(cluster). */
  completeness: number;
  /** Their harmonic mean (beta = 1); equal to NMI with the arithmetic normaliser. */
  vMeasure: number;
}

/**
 * Homogeneity, completeness and V-measure of `predicted` clusters against `truth` classes, as
 * scikit-learn's homogeneity_completeness_v_measure(truth, predicted) computes them.
 */
export function homogeneityCompleteness(truth: Labeling, predicted: Labeling): ClusterAgreement {
  const table = contingency(truth, predicted);
  if (table.n === 0) return { homogeneity: 1, completeness: 1, vMeasure: 1 };
  const classEntropy = entropy(table.rowSums, table.n);
  const clusterEntropy = entropy(table.columnSums, table.n);
  const mi = mutualInfo(table);
  const homogeneity = classEntropy ? mi / classEntropy : 1;
  const completeness = clusterEntropy ? mi / clusterEntropy : 1;
  const vMeasure = homogeneity + completeness === 0 ? 0 : (2 * homogeneity * completeness) / (homogeneity + completeness);
  return { homogeneity, completeness, vMeasure };
}

export interface ConfusionTable<R, C> {
  rows: R[];
  columns: C[];
  /** counts[i][j]: items with rows[i] in the first labeling and columns[j] in the second. */
  counts: number[][];
}

/** Items per pair of labels, rows and columns sorted (numbers numerically, text alphabetically). */
export function confusionTable<R extends number | string, C extends number | string>(a: ArrayLike<R>, b: ArrayLike<C>): ConfusionTable<R, C> {
  if (a.length !== b.length) throw new ShelfmapError('invalid-argument', `The labelings differ in length (${a.length} and ${b.length}).`);
  const order = <T extends number | string>(values: T[]) =>
    [...new Set(values)].sort((x, y) => (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))));
  const rows = order(Array.from(a));
  const columns = order(Array.from(b));
  const rowIndex = new Map(rows.map((r, i) => [r, i]));
  const columnIndex = new Map(columns.map((c, i) => [c, i]));
  const counts = rows.map(() => columns.map(() => 0));
  for (let i = 0; i < a.length; i++) counts[rowIndex.get(a[i])!][columnIndex.get(b[i])!]++;
  return { rows, columns, counts };
}
