import { afterEach, describe, expect, it } from 'vitest';
import { fitLsa, flatten, l2NormalizeRows, multiplyFlat, orthonormalizeColumns, projectRows, transpose, truncatedSvd, type LsaFit } from './lsa';
import { productBlocksTakenOver, setProductThreads } from './product-threads';
import type { SparseVector } from './tfidf';

/** A small seeded generator for test matrices, independent of the one inside lsa.ts. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
}

function toSparse(dense: number[][]): SparseVector[] {
  return dense.map((row) => {
    const indices: number[] = [];
    const values: number[] = [];
    row.forEach((v, j) => {
      if (v !== 0) {
        indices.push(j);
        values.push(v);
      }
    });
    return { indices: Int32Array.from(indices), values: Float32Array.from(values) };
  });
}

/** `count` orthonormal vectors of length `size`, by Gram-Schmidt on random ones. */
function randomOrthonormal(size: number, count: number, random: () => number): number[][] {
  const basis: number[][] = [];
  while (basis.length < count) {
    const v = Array.from({ length: size }, random);
    for (const b of basis) {
      const dot = v.reduce((s, x, i) => s + x * b[i], 0);
      b.forEach((x, i) => (v[i] -= dot * x));
    }
    const norm = Math.hypot(...v);
    basis.push(v.map((x) => x / norm));
  }
  return basis;
}

function columnNorms(coords: number[][], components: number): number[] {
  return Array.from({ length: components }, (_, c) => Math.hypot(...coords.map((row) => row[c])));
}

describe('truncatedSvd', () => {
  it('recovers a scaled permutation matrix exactly', () => {
    // Row i has a single entry s_i, so the singular values are the s_i and U·S puts s_i on its own axis.
    const scales = [2, 5, 0.5, 4, 1, 3];
    const dense = scales.map((s, i) => {
      const row = new Array(8).fill(0);
      row[(i * 3) % 8] = s;
      return row;
    });
    const coords = truncatedSvd(toSparse(dense), 8, 4, 1);
    const byRank = [...scales].sort((a, b) => b - a);
    scales.forEach((s, i) => {
      const rank = byRank.indexOf(s);
      for (let c = 0; c < 4; c++) expect(coords[i][c]).toBeCloseTo(c === rank ? s : 0, 9);
    });
  });

  it('finds the leading singular values and vectors of a matrix with a known spectrum', () => {
    // A = U·diag(s)·Vᵀ with random orthonormal U (30 x 8) and V (20 x 8).
    const random = lcg(7);
    const spectrum = [10, 7, 5, 3, 2, 1, 0.5, 0.25];
    const u = randomOrthonormal(30, spectrum.length, random);
    const v = randomOrthonormal(20, spectrum.length, random);
    const dense = Array.from({ length: 30 }, (_, i) =>
      Array.from({ length: 20 }, (_, j) => spectrum.reduce((sum, s, k) => sum + s * u[k][i] * v[k][j], 0)),
    );
    const components = 3;
    const coords = truncatedSvd(toSparse(dense), 20, components, 42);
    expect(coords).toHaveLength(30);
    coords.forEach((row) => expect(row).toHaveLength(components));
    // Values are stored as float32, so agreement is to float32 precision.
    columnNorms(coords, components).forEach((norm, c) => expect(norm).toBeCloseTo(spectrum[c], 4));
    for (let c = 0; c < components; c++) {
      // U·S column c is ±s_c·u_c.
      const dot = coords.reduce((sum, row, i) => sum + row[c] * u[c][i], 0);
      expect(Math.abs(dot)).toBeCloseTo(spectrum[c], 4);
    }
  });

  it('agrees with singular values from an independent power iteration on a random sparse matrix', () => {
    const random = lcg(123);
    const n = 40;
    const dim = 60;
    const dense = Array.from({ length: n }, () =>
      Array.from({ length: dim }, () => (random() > 0.2 ? 0 : Math.abs(random()) * 4)),
    );
    // Eigenvalues of A·Aᵀ (n x n) by power iteration with deflation.
    const gram = dense.map((a) => dense.map((b) => a.reduce((s, x, j) => s + x * b[j], 0)));
    const expected: number[] = [];
    for (let k = 0; k < 3; k++) {
      let x = Array.from({ length: n }, (_, i) => 1 + i / n);
      let lambda = 0;
      for (let it = 0; it < 5000; it++) {
        const y = gram.map((row) => row.reduce((s, g, j) => s + g * x[j], 0));
        lambda = Math.hypot(...y);
        x = y.map((value) => value / lambda);
      }
      expected.push(Math.sqrt(lambda));
      gram.forEach((row, i) => row.forEach((_, j) => (row[j] -= lambda * x[i] * x[j])));
    }
    const coords = truncatedSvd(toSparse(dense), dim, 3, 9);
    columnNorms(coords, 3).forEach((norm, c) => expect(norm).toBeCloseTo(expected[c], 4));
    // Columns of U·S are orthogonal.
    const dot01 = coords.reduce((s, row) => s + row[0] * row[1], 0);
    expect(Math.abs(dot01)).toBeLessThan(1e-6);
  });

  it('gives zero columns beyond the rank', () => {
    const dense = [
      [1, 1, 0],
      [2, 2, 0],
      [0, 0, 3],
    ];
    const coords = truncatedSvd(toSparse(dense), 3, 3, 5);
    const norms = columnNorms(coords, 3);
    expect(norms[0]).toBeCloseTo(Math.sqrt(10), 6);
    expect(norms[1]).toBeCloseTo(3, 6);
    expect(norms[2]).toBeCloseTo(0, 6);
  });

  it('asks for more components than rows or columns without failing', () => {
    const coords = truncatedSvd(toSparse([[3, 0], [0, 2]]), 2, 5, 1);
    expect(coords).toEqual([
      [3, 0, 0, 0, 0],
      [0, 2, 0, 0, 0],
    ].map((row) => row.map((x) => expect.closeTo(x, 9))));
  });

  it('repeats exactly for a seed, with each column’s largest entry positive', () => {
    const random = lcg(3);
    const dense = Array.from({ length: 25 }, () => Array.from({ length: 15 }, () => Math.max(0, random())));
    const rows = toSparse(dense);
    const a = truncatedSvd(rows, 15, 4, 11);
    expect(truncatedSvd(rows, 15, 4, 11)).toEqual(a);
    for (let c = 0; c < 4; c++) {
      const column = a.map((row) => row[c]);
      const largest = column.reduce((m, x) => (Math.abs(x) > Math.abs(m) ? x : m), 0);
      expect(largest).toBeGreaterThan(0);
    }
    // Another seed gives the same leading component up to rounding.
    const b = truncatedSvd(rows, 15, 4, 12);
    a.forEach((row, i) => expect(row[0]).toBeCloseTo(b[i][0], 6));
  });

  it('handles no rows and rejects a bad component count', () => {
    expect(truncatedSvd([], 10, 2, 1)).toEqual([]);
    expect(() => truncatedSvd([], 10, 0, 1)).toThrow(RangeError);
  });
});

describe('l2NormalizeRows', () => {
  it('scales rows to unit length and leaves zero rows alone', () => {
    const expected = [[0.6, 0.8], [0, 0], [0, -1]];
    expect(l2NormalizeRows([[3, 4], [0, 0], [0, -2]])).toEqual(expected.map((row) => row.map((x) => expect.closeTo(x, 12))));
  });
});

describe('fitLsa and projectRows', () => {
  it('keeps a basis that projects the fitted rows onto their own coordinates', () => {
    const random = lcg(17);
    const dense = Array.from({ length: 30 }, () => Array.from({ length: 12 }, () => (random() > 0.2 ? random() + 0.5 : 0)));
    const rows = toSparse(dense);
    const fit = fitLsa(rows, 12, 4, 3);
    expect(fit.coordinates).toEqual(truncatedSvd(rows, 12, 4, 3));
    const projected = projectRows(rows, fit);
    projected.forEach((row, i) => row.forEach((v, c) => expect(v).toBeCloseTo(fit.coordinates[i][c], 5)));
  });

  it('fits on a seeded sample of rows past maxFitRows and projects every row on that basis', () => {
    // 400 rows near a 3-dimensional subspace of 40 columns: a sample of 100 finds the same subspace
    const random = lcg(29);
    const v = randomOrthonormal(40, 3, random);
    const spectrum = [5, 3, 2];
    const dense = Array.from({ length: 400 }, () => {
      const w = spectrum.map((s) => s * random());
      return Array.from({ length: 40 }, (_, j) => w.reduce((sum, x, k) => sum + x * v[k][j], 0) + 0.01 * random());
    });
    const rows = toSparse(dense);
    expect(fitLsa(rows, 40, 3, 5, 400)).toEqual(fitLsa(rows, 40, 3, 5));
    const sampled = fitLsa(rows, 40, 3, 5, 100);
    const full = fitLsa(rows, 40, 3, 5);
    expect(sampled.coordinates).toHaveLength(400);
    expect(sampled.coordinates).toEqual(projectRows(rows, sampled));
    expect(fitLsa(rows, 40, 3, 5, 100)).toEqual(sampled);
    expect(sampled.coordinates).not.toEqual(full.coordinates);
    // the same directions up to sign: |cos| of each basis column with the full fit's near 1
    for (let c = 0; c < 3; c++) {
      let dot = 0;
      for (let j = 0; j < 40; j++) dot += sampled.basis[j * 3 + c] * full.basis[j * 3 + c];
      expect(Math.abs(dot)).toBeGreaterThan(0.99);
    }
  });
});

describe('the sparse products the LSA is made of', () => {
  // what the products were before they added four entries per write: one `+=` per entry
  function plainProduct(rows: SparseVector[], x: Float64Array, width: number): Float64Array {
    const y = new Float64Array(rows.length * width);
    rows.forEach(({ indices, values }, i) => {
      for (let k = 0; k < indices.length; k++) for (let c = 0; c < width; c++) y[i * width + c] += values[k] * x[indices[k] * width + c];
    });
    return y;
  }
  function plainTransposedProduct(rows: SparseVector[], dim: number, y: Float64Array, width: number): Float64Array {
    const z = new Float64Array(dim * width);
    rows.forEach(({ indices, values }, i) => {
      for (let k = 0; k < indices.length; k++) for (let c = 0; c < width; c++) z[indices[k] * width + c] += values[k] * y[i * width + c];
    });
    return z;
  }
  const random = lcg(99);
  const dim = 300;
  const width = 13;
  // rows of 0 to 40 entries (so every remainder of four), some columns never used
  const rows = Array.from({ length: 500 }, (_, i) => {
    const dense = new Array<number>(dim).fill(0);
    for (let e = 0; e < i % 41; e++) dense[Math.floor((random() + 0.5) * (dim - 20))] = random() * 3;
    return dense;
  });
  const sparse = toSparse(rows);
  const x = Float64Array.from({ length: dim * width }, () => random());
  const y = Float64Array.from({ length: sparse.length * width }, () => random());
  const bits = (a: Float64Array) => Buffer.from(a.buffer).toString('hex');

  it('A·X bit for bit as one addition per entry makes it', () => {
    expect(bits(multiplyFlat(flatten(sparse), x, width))).toBe(bits(plainProduct(sparse, x, width)));
  });

  it('Aᵀ·Y as the transpose times Y, bit for bit as adding each row into it makes it', () => {
    expect(bits(multiplyFlat(transpose(flatten(sparse), dim), y, width))).toBe(bits(plainTransposedProduct(sparse, dim, y, width)));
  });

  it('projects rows on a basis bit for bit as one addition per entry does', () => {
    const fit = fitLsa(sparse, dim, 5, 3);
    const projected = projectRows(sparse, fit);
    const plain = plainProduct(sparse, fit.basis, 5);
    expect(bits(Float64Array.from(projected.flat()))).toBe(bits(plain));
  });
});

/** The seven-sweep Gram-Schmidt the fused one replaced (classical, twice), as it was. */
function orthonormalizeSevenSweeps(m: Float64Array, rows: number, width: number): void {
  const dots = new Float64Array(width);
  for (let c = 0; c < width; c++) {
    let original = 0;
    for (let r = 0; r < rows; r++) original += m[r * width + c] ** 2;
    for (let pass = 0; pass < 2; pass++) {
      dots.fill(0, 0, c);
      for (let r = 0; r < rows; r++) {
        const x = m[r * width + c];
        for (let prev = 0; prev < c; prev++) dots[prev] += x * m[r * width + prev];
      }
      for (let r = 0; r < rows; r++) {
        let projection = 0;
        for (let prev = 0; prev < c; prev++) projection += dots[prev] * m[r * width + prev];
        m[r * width + c] -= projection;
      }
    }
    let remaining = 0;
    for (let r = 0; r < rows; r++) remaining += m[r * width + c] ** 2;
    const scale = remaining > 1e-20 * original ? 1 / Math.sqrt(remaining) : 0;
    for (let r = 0; r < rows; r++) m[r * width + c] *= scale;
  }
}

describe('the fused Gram-Schmidt', () => {
  it('gives the seven sweeps’ numbers bit for bit, a dependent column becoming zero', () => {
    const random = lcg(99);
    // rows a multiple of the sweeps' block of four and not (1, 2 and 3 left over), and fewer
    for (const [rows, width] of [[1, 1], [7, 3], [300, 40], [50, 12], [4, 4], [2, 2], [2001, 40], [1003, 31]]) {
      const m = Float64Array.from({ length: rows * width }, random);
      // column 2 a copy of column 0 scaled: numerically dependent
      if (width > 2) for (let r = 0; r < rows; r++) m[r * width + 2] = 3 * m[r * width];
      const expected = Float64Array.from(m);
      orthonormalizeSevenSweeps(expected, rows, width);
      orthonormalizeColumns(m, rows, width);
      expect(Buffer.from(m.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
      if (width > 2 && rows > 3) expect(Array.from({ length: rows }, (_, r) => m[r * width + 2]).every((x) => x === 0)).toBe(true);
    }
  });
});

describe('the LSA on several threads', () => {
  /** Rows enough that every product is shared out (product-threads.ts MIN_SHARED_WORK). */
  function bigRows(count: number, dim: number, seed: number): SparseVector[] {
    const random = lcg(seed);
    return Array.from({ length: count }, () => {
      const cols = new Set<number>();
      while (cols.size < 60) cols.add(Math.floor((random() + 0.5) * dim));
      const indices = Int32Array.from([...cols].sort((a, b) => a - b));
      return { indices, values: Float32Array.from(indices, () => random() + 0.6) };
    });
  }
  const bytesOf = (fit: LsaFit) => [Buffer.from(Float64Array.from(fit.coordinates.flat()).buffer).toString('hex'), Buffer.from(fit.basis.buffer).toString('hex')];
  const rows = bigRows(3000, 900, 3);

  afterEach(() => setProductThreads(undefined));

  it('gives the one-thread coordinates and basis bit for bit, fitted whole or on a sample', () => {
    setProductThreads(1);
    const whole = bytesOf(fitLsa(rows, 900, 30, 8));
    const sampled = bytesOf(fitLsa(rows, 900, 30, 8, 1000));
    for (const threads of [2, 3]) {
      setProductThreads(threads);
      const taken = productBlocksTakenOver();
      expect(bytesOf(fitLsa(rows, 900, 30, 8))).toEqual(whole);
      expect(bytesOf(fitLsa(rows, 900, 30, 8, 1000))).toEqual(sampled);
      expect(productBlocksTakenOver()).toBe(taken); // the threads did their blocks
    }
  }, 120_000);

  for (const how of ['throw', 'exit'] as const) {
    it(`computes a failed thread's blocks itself, to the same numbers (${how})`, () => {
      setProductThreads(1);
      const expected = bytesOf(fitLsa(rows, 900, 30, 8));
      setProductThreads(2, { crashOn: how, waitMs: how === 'exit' ? 5000 : undefined });
      const taken = productBlocksTakenOver();
      expect(bytesOf(fitLsa(rows, 900, 30, 8))).toEqual(expected);
      expect(productBlocksTakenOver()).toBe(taken + 1); // its first block, then no more threads
    }, 120_000);
  }
});
