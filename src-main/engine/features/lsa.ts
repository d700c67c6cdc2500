// Latent semantic analysis: a truncated SVD of the sparse TF-IDF rows (not centred, like
// sklearn's TruncatedSVD), by randomized subspace iteration (Halko, Martinsson & Tropp 2011).
// A benchmark baseline against the autoencoder and a fallback for the 2-D layout.
import type { SparseVector } from './tfidf';
import { createRandom } from '../random';
import { ProductThreads, multiplyRows } from './product-threads';

/** Extra random directions beyond the requested components; they sharpen the leading ones. */
const OVERSAMPLES = 10;
/**
 * Rounds of A·Aᵀ applied to the random start; each widens the gap between singular values.
 * sklearn uses 5; 7 keeps the leading values to 4 digits even on a flat spectrum.
 */
const POWER_ITERATIONS = 7;


function seededGaussian(seed: number): () => number {
  const uniform = createRandom(seed);
  return () => {
    const u = 1 - uniform(); // (0, 1], so the log is finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}

// Dense matrices below are row-major Float64Arrays of rows * width.

/**
 * Sparse rows as three flat arrays (tfidf.ts CsrRows, with their number): the products below
 * read them without a row object apiece.
 */
export interface FlatRows {
  count: number;
  rowStart: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/** `shared`: in shared memory, for product-threads.ts. */
export function flatten(rows: SparseVector[], shared = false): FlatRows {
  const rowStart = int32s(rows.length + 1, shared);
  for (let i = 0; i < rows.length; i++) rowStart[i + 1] = rowStart[i] + rows[i].indices.length;
  const indices = int32s(rowStart[rows.length], shared);
  const values = float32s(rowStart[rows.length], shared);
  rows.forEach((row, i) => {
    indices.set(row.indices, rowStart[i]);
    values.set(row.values, rowStart[i]);
  });
  return { count: rows.length, rowStart, indices, values };
}

const int32s = (length: number, shared: boolean) => (shared ? new Int32Array(new SharedArrayBuffer(Math.max(1, length) * 4), 0, length) : new Int32Array(length));
const float32s = (length: number, shared: boolean) => (shared ? new Float32Array(new SharedArrayBuffer(Math.max(1, length) * 4), 0, length) : new Float32Array(length));
const float64s = (length: number, shared: boolean) => (shared ? ProductThreads.shared(length) : new Float64Array(length));

/** Aᵀ as rows: row j holds column j's entries of A, in ascending row order. */
export function transpose(a: FlatRows, dim: number, shared = false): FlatRows {
  const rowStart = int32s(dim + 1, shared);
  for (let k = 0; k < a.indices.length; k++) rowStart[a.indices[k] + 1]++;
  for (let j = 0; j < dim; j++) rowStart[j + 1] += rowStart[j];
  const next = rowStart.slice(0, dim);
  const indices = int32s(a.indices.length, shared);
  const values = float32s(a.indices.length, shared);
  for (let i = 0; i < a.count; i++) {
    for (let k = a.rowStart[i]; k < a.rowStart[i + 1]; k++) {
      const at = next[a.indices[k]]++;
      indices[at] = i;
      values[at] = a.values[k];
    }
  }
  return { count: dim, rowStart, indices, values };
}

/**
 * Y (a.count x width) = A · X, with X row-major (columns of A) x width. Each y[i][c] is the sum
 * over row i's entries in their order, as a plain `y += v * x` loop makes it, bit for bit: four
 * entries are added per read and write of y (JavaScript never fuses a multiply and an add, so
 * the roundings are the same), which the profile showed to be the cost (the LSA's 17 products
 * were 39% of the features and embed stages at 10,000 books). See product-threads.ts multiplyRows.
 */
export function multiplyFlat(a: FlatRows, x: Float64Array, width: number): Float64Array {
  const y = new Float64Array(a.count * width);
  multiplyRows(a, x, width, y, 0, a.count);
  return y;
}

/**
 * multiplyFlat into `y` (a.count x width, overwritten), on the threads when there are some (A, X
 * and Y then in shared memory): the same numbers. Gives `y`, or a copy of it to use instead when
 * a thread was given up on (which may still write into `y`: it is then not to be used again).
 * Reusing the outputs keeps the shared memory the threads see from growing with every product.
 */
function multiplyInto(threads: ProductThreads | null, a: FlatRows, x: Float64Array, width: number, y: Float64Array): Float64Array {
  y.fill(0);
  if (!threads) {
    multiplyRows(a, x, width, y, 0, a.count);
    return y;
  }
  return threads.multiply(a, x, width, y);
}

/**
 * Orthonormalises the columns of M (rows x width) in place by classical Gram-Schmidt applied
 * twice ("twice is enough", as stable as modified Gram-Schmidt), sweeping whole rows so the
 * row-major matrix is read contiguously. A column that is numerically dependent on earlier
 * ones becomes zero.
 */
export function orthonormalizeColumns(m: Float64Array, rows: number, width: number): void {
  // Each column c: its squared length and its dot products with the earlier columns, the
  // projection off, the dot products again, the projection off again, its squared length, then
  // scaled. Every sum runs over the rows in ascending order and what a row adds depends on that
  // row alone, so each sweep over the rows also does the next step's sums for that row: three
  // sweeps a column instead of seven, every number as the seven give it (tested).
  // The sweeps take ROW_BLOCK rows at a time: their projections are separate sums, computed side
  // by side, and each dot product still adds the rows one after another in ascending order, so
  // every number is the one a row at a time gives (tested); one row's projection was a chain of
  // dependent additions, waiting on each other (the 10,000-book LSA's 15 calls: 1.45 s).
  const dots = new Float64Array(width);
  const again = new Float64Array(width);
  let original = 0;
  for (let r = 0; r < rows; r++) original += m[r * width] ** 2;
  const blocked = rows - (rows % ROW_BLOCK);
  for (let c = 0; c < width; c++) {
    // dots: the first pass's dot products of column c with the earlier ones (the sweep before made them)
    // first projection off, and the second pass's dot products with the column as it now is
    again.fill(0, 0, c);
    let r = 0;
    for (; r < blocked; r += ROW_BLOCK) {
      const o0 = r * width;
      const o1 = o0 + 1 * width;
      const o2 = o0 + 2 * width;
      const o3 = o0 + 3 * width;
      let p0 = 0;
      let p1 = 0;
      let p2 = 0;
      let p3 = 0;
      for (let prev = 0; prev < c; prev++) {
        const d = dots[prev];
        p0 += d * m[o0 + prev];
        p1 += d * m[o1 + prev];
        p2 += d * m[o2 + prev];
        p3 += d * m[o3 + prev];
      }
      const x0 = (m[o0 + c] -= p0);
      const x1 = (m[o1 + c] -= p1);
      const x2 = (m[o2 + c] -= p2);
      const x3 = (m[o3 + c] -= p3);
      for (let prev = 0; prev < c; prev++) {
        let s = again[prev];
        s += x0 * m[o0 + prev];
        s += x1 * m[o1 + prev];
        s += x2 * m[o2 + prev];
        s += x3 * m[o3 + prev];
        again[prev] = s;
      }
    }
    for (; r < rows; r++) {
      const offset = r * width;
      let projection = 0;
      for (let prev = 0; prev < c; prev++) projection += dots[prev] * m[offset + prev];
      m[offset + c] -= projection;
      const x = m[offset + c];
      for (let prev = 0; prev < c; prev++) again[prev] += x * m[offset + prev];
    }
    // second projection off, and the length that is left
    let remaining = 0;
    r = 0;
    for (; r < blocked; r += ROW_BLOCK) {
      const o0 = r * width;
      const o1 = o0 + 1 * width;
      const o2 = o0 + 2 * width;
      const o3 = o0 + 3 * width;
      let p0 = 0;
      let p1 = 0;
      let p2 = 0;
      let p3 = 0;
      for (let prev = 0; prev < c; prev++) {
        const a = again[prev];
        p0 += a * m[o0 + prev];
        p1 += a * m[o1 + prev];
        p2 += a * m[o2 + prev];
        p3 += a * m[o3 + prev];
      }
      const x0 = (m[o0 + c] -= p0);
      const x1 = (m[o1 + c] -= p1);
      const x2 = (m[o2 + c] -= p2);
      const x3 = (m[o3 + c] -= p3);
      remaining += x0 ** 2;
      remaining += x1 ** 2;
      remaining += x2 ** 2;
      remaining += x3 ** 2;
    }
    for (; r < rows; r++) {
      const offset = r * width;
      let projection = 0;
      for (let prev = 0; prev < c; prev++) projection += again[prev] * m[offset + prev];
      m[offset + c] -= projection;
      remaining += m[offset + c] ** 2;
    }
    // Lost nearly all of its length to earlier columns: it carries no new direction.
    const scale = remaining > 1e-20 * original ? 1 / Math.sqrt(remaining) : 0;
    const next = c + 1;
    if (next === width) {
      for (let r = 0; r < rows; r++) m[r * width + c] *= scale;
      break;
    }
    // scaled, and the next column's length and first dot products with the columns so far
    original = 0;
    dots.fill(0, 0, next);
    r = 0;
    for (; r < blocked; r += ROW_BLOCK) {
      const o0 = r * width;
      const o1 = o0 + 1 * width;
      const o2 = o0 + 2 * width;
      const o3 = o0 + 3 * width;
      m[o0 + c] *= scale;
      m[o1 + c] *= scale;
      m[o2 + c] *= scale;
      m[o3 + c] *= scale;
      const x0 = m[o0 + next];
      const x1 = m[o1 + next];
      const x2 = m[o2 + next];
      const x3 = m[o3 + next];
      original += x0 ** 2;
      original += x1 ** 2;
      original += x2 ** 2;
      original += x3 ** 2;
      for (let prev = 0; prev < next; prev++) {
        let s = dots[prev];
        s += x0 * m[o0 + prev];
        s += x1 * m[o1 + prev];
        s += x2 * m[o2 + prev];
        s += x3 * m[o3 + prev];
        dots[prev] = s;
      }
    }
    for (; r < rows; r++) {
      const offset = r * width;
      m[offset + c] *= scale;
      const x = m[offset + next];
      original += x ** 2;
      for (let prev = 0; prev < next; prev++) dots[prev] += x * m[offset + prev];
    }
  }
}

/** Rows a sweep of orthonormalizeColumns takes at a time (its loops are written out for four). */
const ROW_BLOCK = 4;

/**
 * Eigen-decomposition of a symmetric size x size matrix by cyclic Jacobi rotations.
 * Returns eigenvalues and eigenvectors (as the columns of a row-major matrix).
 */
function symmetricEigen(matrix: Float64Array, size: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(size * size);
  for (let i = 0; i < size; i++) v[i * size + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let offDiagonal = 0;
    let diagonal = 0;
    for (let p = 0; p < size; p++) {
      diagonal += a[p * size + p] ** 2;
      for (let q = p + 1; q < size; q++) offDiagonal += a[p * size + q] ** 2;
    }
    if (offDiagonal <= 1e-30 * diagonal || offDiagonal === 0) break;
    for (let p = 0; p < size; p++) {
      for (let q = p + 1; q < size; q++) {
        const apq = a[p * size + q];
        if (apq === 0) continue;
        const theta = (a[q * size + q] - a[p * size + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < size; k++) {
          const akp = a[k * size + p];
          const akq = a[k * size + q];
          a[k * size + p] = c * akp - s * akq;
          a[k * size + q] = s * akp + c * akq;
        }
        for (let k = 0; k < size; k++) {
          const apk = a[p * size + k];
          const aqk = a[q * size + k];
          a[p * size + k] = c * apk - s * aqk;
          a[q * size + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < size; k++) {
          const vkp = v[k * size + p];
          const vkq = v[k * size + q];
          v[k * size + p] = c * vkp - s * vkq;
          v[k * size + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(size);
  for (let i = 0; i < size; i++) values[i] = a[i * size + i];
  return { values, vectors: v };
}

/** A fitted LSA: the documents' coordinates and the directions that project any row onto them. */
export interface LsaFit {
  /** U·S: each document's coordinate on each component, n x components. */
  coordinates: number[][];
  /** V: dim x components, row-major, so a row's coordinates are row · V (zero columns past the rank). */
  basis: Float64Array;
  components: number;
}

/**
 * Truncated SVD of the n x dim matrix whose rows are `rows`: the documents' coordinates U·S on
 * the first `components` singular directions, largest first. Components beyond the matrix's
 * rank come out as zero columns. Each column's sign is fixed so its largest-magnitude entry is
 * positive (sklearn's svd_flip on U), so the same input and seed always give the same output.
 */
export function truncatedSvd(rows: SparseVector[], dim: number, components: number, seed: number): number[][] {
  return fitLsa(rows, dim, components, seed).coordinates;
}

/**
 * truncatedSvd that also keeps the basis V, to project rows it did not see (A·V = U·S). With
 * more rows than `maxFitRows`, the basis comes from a seeded sample of that many rows and every
 * row's coordinates are its projection on it, so the cost past that size grows only by one
 * product with the basis (the power iterations cost ~17 products of the rows by a dim x 40 matrix).
 */
export function fitLsa(rows: SparseVector[], dim: number, components: number, seed: number, maxFitRows = Infinity): LsaFit {
  if (!Number.isInteger(components) || components < 1) {
    throw new RangeError(`components must be a whole number of at least 1, got ${components}.`);
  }
  // the products on every core for a large matrix (product-threads.ts): the same numbers
  const threads = ProductThreads.open(Math.min(rows.length, maxFitRows));
  try {
    if (rows.length > maxFitRows) {
      const fit = fitOn(sampleRows(rows, maxFitRows, seed), dim, components, seed, threads);
      return { ...fit, coordinates: projectOn(rows, fit, threads) };
    }
    return fitOn(rows, dim, components, seed, threads);
  } finally {
    threads?.close();
  }
}

function fitOn(rows: SparseVector[], dim: number, components: number, seed: number, threads: ProductThreads | null): LsaFit {
  const n = rows.length;
  const shared = threads !== null;
  const width = Math.min(components + OVERSAMPLES, n, dim);
  const result = Array.from({ length: n }, () => new Array<number>(components).fill(0));
  const basis = new Float64Array(dim * components);
  if (width === 0) return { coordinates: result, basis, components };

  // Range finder: Q spans (A·Aᵀ)^q · A · Ω for a Gaussian Ω, re-orthonormalised at every step.
  const gaussian = seededGaussian(seed);
  const omega = float64s(dim * width, shared);
  for (let i = 0; i < omega.length; i++) omega[i] = gaussian();
  // Aᵀ·Q as A's transpose times Q: each entry summed in ascending row order, as a loop over
  // A's rows adding into it does
  const a = flatten(rows, shared);
  const aT = transpose(a, dim, shared);
  // one Q and one Z, each product written over the last (it reads only the other)
  let q = multiplyInto(threads, a, omega, width, float64s(n * width, shared));
  orthonormalizeColumns(q, n, width);
  let z = float64s(dim * width, shared);
  for (let iteration = 0; iteration < POWER_ITERATIONS; iteration++) {
    z = multiplyInto(threads, aT, q, width, z);
    orthonormalizeColumns(z, dim, width);
    q = multiplyInto(threads, a, z, width, q);
    orthonormalizeColumns(q, n, width);
  }

  // B = Qᵀ·A is small (width x dim); from B·Bᵀ = W·S²·Wᵀ, A ≈ Q·B gives U·S = Q·W·S and V = Bᵀ·W/S.
  const bT = multiplyInto(threads, aT, q, width, z); // Bᵀ, dim x width, over Z (done with)
  const gram = new Float64Array(width * width);
  for (let j = 0; j < dim; j++) {
    const offset = j * width;
    for (let a = 0; a < width; a++) {
      const x = bT[offset + a];
      if (x === 0) continue;
      for (let b = a; b < width; b++) gram[a * width + b] += x * bT[offset + b];
    }
  }
  for (let a = 0; a < width; a++) for (let b = 0; b < a; b++) gram[a * width + b] = gram[b * width + a];
  const { values, vectors } = symmetricEigen(gram, width);
  const order = Array.from({ length: width }, (_, i) => i).sort((a, b) => values[b] - values[a]);

  for (let c = 0; c < Math.min(components, width); c++) {
    const e = order[c];
    const singular = Math.sqrt(Math.max(values[e], 0));
    const column = new Float64Array(n);
    let largest = 0;
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let k = 0; k < width; k++) sum += q[i * width + k] * vectors[k * width + e];
      column[i] = sum * singular;
      if (Math.abs(column[i]) > Math.abs(largest)) largest = column[i];
    }
    const sign = largest < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) result[i][c] = sign * column[i];
    if (singular > 0) {
      for (let j = 0; j < dim; j++) {
        let sum = 0;
        for (let k = 0; k < width; k++) sum += bT[j * width + k] * vectors[k * width + e];
        basis[j * components + c] = (sign * sum) / singular;
      }
    }
  }
  return { coordinates: result, basis, components };
}

/** A seeded sample of `count` of the rows, in their order. */
function sampleRows(rows: SparseVector[], count: number, seed: number): SparseVector[] {
  const random = createRandom(seed ^ SAMPLE_STREAM);
  const picked = Int32Array.from({ length: rows.length }, (_, i) => i);
  // a partial Fisher-Yates shuffle: the first `count` entries are a uniform sample
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (picked.length - i));
    const t = picked[i];
    picked[i] = picked[j];
    picked[j] = t;
  }
  return Array.from(picked.subarray(0, count).sort(), (r) => rows[r]);
}

const SAMPLE_STREAM = 0x5a17;

/** Each row's coordinates on a fitted basis (row · V), for rows the fit did not see. */
export function projectRows(rows: SparseVector[], fit: Pick<LsaFit, 'basis' | 'components'>): number[][] {
  const threads = ProductThreads.open(rows.length);
  try {
    return projectOn(rows, fit, threads);
  } finally {
    threads?.close();
  }
}

function projectOn(rows: SparseVector[], fit: Pick<LsaFit, 'basis' | 'components'>, threads: ProductThreads | null): number[][] {
  // in blocks of rows through multiplyFlat: the same sums, without a flat copy of every row at once
  const width = fit.components;
  const out: number[][] = new Array(rows.length);
  if (!threads) {
    for (let from = 0; from < rows.length; from += BLOCK) {
      const block = rows.slice(from, from + BLOCK);
      const y = multiplyFlat(flatten(block), fit.basis, width);
      for (let r = 0; r < block.length; r++) out[from + r] = Array.from(y.subarray(r * width, (r + 1) * width));
    }
    return out;
  }
  // on the threads, through one set of shared arrays, filled afresh for each (larger) block
  const block = BLOCK * 4;
  const basis = ProductThreads.shared(fit.basis.length);
  basis.set(fit.basis);
  let most = 0;
  for (let from = 0; from < rows.length; from += block) {
    let entries = 0;
    for (let r = from; r < Math.min(rows.length, from + block); r++) entries += rows[r].indices.length;
    most = Math.max(most, entries);
  }
  const flat: FlatRows = { count: 0, rowStart: int32s(block + 1, true), indices: int32s(most, true), values: float32s(most, true) };
  let y = ProductThreads.shared(block * width);
  for (let from = 0; from < rows.length; from += block) {
    const count = Math.min(block, rows.length - from);
    flat.count = count;
    for (let r = 0; r < count; r++) {
      const row = rows[from + r];
      const at = flat.rowStart[r];
      flat.indices.set(row.indices, at);
      flat.values.set(row.values, at);
      flat.rowStart[r + 1] = at + row.indices.length;
    }
    const got = multiplyInto(threads, flat, basis, width, y.subarray(0, count * width));
    for (let r = 0; r < count; r++) out[from + r] = Array.from(got.subarray(r * width, (r + 1) * width));
    // a copy means a thread was given up on and may still write into y: a fresh one for the rest
    if (got.buffer !== y.buffer) y = new Float64Array(block * width);
  }
  return out;
}

const BLOCK = 4096;

/** Copies of the rows scaled to unit length; all-zero rows stay zero. */
export function l2NormalizeRows(rows: number[][]): number[][] {
  return rows.map((row) => {
    let sumSquares = 0;
    for (const x of row) sumSquares += x * x;
    const scale = sumSquares > 0 ? 1 / Math.sqrt(sumSquares) : 0;
    return row.map((x) => x * scale);
  });
}
