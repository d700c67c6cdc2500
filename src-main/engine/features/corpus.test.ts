// The features stage on the real 197-book corpus: shapes and norms are asserted; throughput and
// timings are only logged, as they depend on the machine.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { truncatedSvd } from './lsa';
import { csrRowViews, fitTransformTfidf, fitTransformTfidfInPasses, type SparseVector } from './tfidf';
import { countTerms, decodeCounts, encodeCounts, type TermCounts } from './tokenize';

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/gutenberg', import.meta.url));
const BOOKS = join(CORPUS, 'books');
const corpusPresent = existsSync(BOOKS);
if (!corpusPresent) console.log(`Skipping the corpus features test: no corpus at ${CORPUS}.`);

const TOKENIZE = { stopWords: true, stem: true };
const TFIDF = { minDocs: 2, maxDocFraction: 0.9, maxFeatures: 5000, sublinearTf: true };

/** UTF-8, or windows-1252 for the few books that are not valid UTF-8. */
function decode(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** A crude cut between the "*** START" and "*** END" lines; the real one belongs to the importer. */
function body(text: string): string {
  const start = text.search(/^\*\*\* ?START/m);
  const from = start < 0 ? 0 : text.indexOf('\n', start) + 1;
  const end = text.search(/^\*\*\* ?END/m);
  return text.slice(from, end > from ? end : text.length);
}

function mbPerSecond(bytes: number, ms: number): string {
  return `${(bytes / 1e6 / (ms / 1000)).toFixed(1)} MB/s`;
}

describe.skipIf(!corpusPresent)('features on the Gutenberg corpus', () => {
  const files = corpusPresent ? readdirSync(BOOKS).filter((f) => f.endsWith('.txt')) : [];
  let counts: TermCounts[] = [];
  let rows: SparseVector[] = [];

  it('tokenises every book', () => {
    const bodies = files.map((f) => body(decode(readFileSync(join(BOOKS, f)))));
    const bytes = bodies.reduce((sum, text) => sum + Buffer.byteLength(text, 'utf8'), 0);

    // The first pass also fills the process-wide stem cache; the second shows the steady rate.
    let tokens = 0;
    let started = performance.now();
    counts = bodies.map((text) => {
      const result = countTerms(text, TOKENIZE);
      tokens += result.tokens;
      return result.counts;
    });
    const coldMs = performance.now() - started;
    started = performance.now();
    for (const text of bodies) countTerms(text, TOKENIZE);
    const warmMs = performance.now() - started;

    const distinct = new Set<string>();
    for (const c of counts) for (const term of c.keys()) distinct.add(term);
    console.log(
      `tokenise ${files.length} books, ${(bytes / 1e6).toFixed(1)} MB, ${tokens} tokens, ${distinct.size} distinct terms: ` +
        `first pass ${coldMs.toFixed(0)} ms (${mbPerSecond(bytes, coldMs)}), ` +
        `second pass ${warmMs.toFixed(0)} ms (${mbPerSecond(bytes, warmMs)})`,
    );

    expect(counts).toHaveLength(197);
    expect(tokens).toBeGreaterThan(5_000_000);
    expect(distinct.size).toBeGreaterThan(50_000);
    for (const c of counts) expect(c.size).toBeGreaterThan(500);
  });

  it('round-trips every book’s counts through the binary form', () => {
    let started = performance.now();
    const blobs = counts.map(encodeCounts);
    const encodeMs = performance.now() - started;
    started = performance.now();
    const decoded = blobs.map(decodeCounts);
    const decodeMs = performance.now() - started;
    const blobBytes = blobs.reduce((sum, b) => sum + b.length, 0);
    const jsonBytes = counts.reduce((sum, c) => sum + Buffer.byteLength(JSON.stringify(Object.fromEntries(c))), 0);
    console.log(
      `counts blobs: ${(blobBytes / 1e6).toFixed(1)} MB (JSON would be ${(jsonBytes / 1e6).toFixed(1)} MB), ` +
        `encode ${encodeMs.toFixed(0)} ms, decode ${decodeMs.toFixed(0)} ms`,
    );
    expect(decoded.every((d, i) => d.size === counts[i].size && [...d].every(([t, n]) => counts[i].get(t) === n))).toBe(true);
  });

  it('fits TF-IDF with the default settings', () => {
    const started = performance.now();
    const fitted = fitTransformTfidf(counts, TFIDF);
    const fitMs = performance.now() - started;
    rows = fitted.rows;
    const { model } = fitted;
    const nonZeros = rows.reduce((sum, r) => sum + r.indices.length, 0);
    console.log(`TF-IDF fit + transform: ${fitMs.toFixed(0)} ms, ${model.vocabulary.length} terms, ${nonZeros} non-zeros`);

    expect(model.vocabulary).toHaveLength(5000);
    expect(model.idf).toHaveLength(5000);
    expect(model.vocabulary.every((term, i) => i === 0 || term > model.vocabulary[i - 1])).toBe(true);
    expect(Math.min(...model.idf)).toBeGreaterThan(1);
    expect(rows).toHaveLength(197);
    let worstNormError = 0;
    for (const row of rows) {
      expect(row.indices.length).toBeGreaterThan(100);
      expect(row.values).toHaveLength(row.indices.length);
      expect(row.indices.every((col, k) => col >= 0 && col < 5000 && (k === 0 || col > row.indices[k - 1]))).toBe(true);
      let sumSquares = 0;
      for (const v of row.values) sumSquares += v * v;
      worstNormError = Math.max(worstNormError, Math.abs(Math.sqrt(sumSquares) - 1));
    }
    expect(worstNormError).toBeLessThan(1e-5);
    expect(model.transform(counts.slice(0, 3))).toEqual(rows.slice(0, 3));
  });

  it('builds the same vocabulary, idf and rows in two passes into CSR arrays', async () => {
    // 10,000 terms of ~60,000 candidates: the cut-off falls among terms of equal total count
    for (const options of [TFIDF, { ...TFIDF, maxFeatures: 10_000 }]) {
      const old = fitTransformTfidf(counts, options);
      let started = performance.now();
      const { model, csr } = await fitTransformTfidfInPasses((visit) => counts.forEach(visit), options);
      console.log(`TF-IDF in two passes into CSR (${options.maxFeatures} terms): ${(performance.now() - started).toFixed(0)} ms`);
      started = performance.now();
      expect(model.vocabulary).toEqual(old.model.vocabulary);
      expect(model.idf).toEqual(old.model.idf);
      const streamed = csrRowViews(csr);
      expect(streamed).toHaveLength(old.rows.length);
      // byte for byte (a deep toEqual of ~400k numbers takes seconds)
      const bytes = (a: Int32Array | Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
      const differing = streamed.filter((row, r) => !bytes(row.indices).equals(bytes(old.rows[r].indices)) || !bytes(row.values).equals(bytes(old.rows[r].values)));
      expect(differing).toHaveLength(0);
      expect(csr.indices.length).toBe(old.rows.reduce((sum, row) => sum + row.indices.length, 0));
    }
  });

  it('reduces the rows with LSA', () => {
    const started = performance.now();
    const coords = truncatedSvd(rows, 5000, 50, 42);
    console.log(`LSA to 50 components: ${(performance.now() - started).toFixed(0)} ms`);
    expect(coords).toHaveLength(197);
    const columnNorms = Array.from({ length: 50 }, (_, c) => Math.hypot(...coords.map((row) => row[c])));
    // Singular values come out largest first and none is zero for 197 distinct books.
    for (let c = 1; c < 50; c++) expect(columnNorms[c]).toBeLessThanOrEqual(columnNorms[c - 1] + 1e-9);
    expect(columnNorms[49]).toBeGreaterThan(0.1);
  });
});
