import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ByteTermTable, RowScratch, TermRecord, fitTransformTfidfFromBlobs, fitWeighing, tallyBlob, weighBlob, weighRecorded, weighing } from './blob-tfidf';
import { CsrBuilder, fitTransformTfidfInPasses, type CsrRows, type TfidfOptions } from './tfidf';
import { decodeCounts, decodeCountsList, encodeCounts, encodeCountsList, type TermCounts } from './tokenize';
import { createRandom } from '../random';

const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('./__fixtures__/sklearn-tfidf.json', import.meta.url)), 'utf8')) as {
  docs: Record<string, number>[];
};
const fixtureDocs: TermCounts[] = fixture.docs.map((doc) => new Map(Object.entries(doc)));

const BASE: TfidfOptions = { minDocs: 1, maxDocFraction: 1, maxFeatures: 1000, sublinearTf: false };

/** Documents of terms drawn from a small vocabulary with accents, CJK, astral letters and clashing prefixes. */
function randomDocs(seed: number, count: number): TermCounts[] {
  const random = createRandom(seed);
  const words = Array.from({ length: 3000 }, (_, i) => {
    const stem = ['a', 'ab', 'abc', 'é', 'ü', '漢字', '𝔘𝔫𝔦', 'zz', 'q'][i % 9];
    return `${stem}${(i * 7919) % 3001}`;
  });
  return Array.from({ length: count }, () => {
    const doc: TermCounts = new Map();
    const size = Math.floor(random() * 300);
    for (let t = 0; t < size; t++) doc.set(words[Math.floor(random() ** 2 * words.length)], Math.floor(random() * 6));
    return doc;
  });
}

/** The same documents packed into blobs as the library keeps them: lists of `perBlob` (sample rows), or one document a blob. */
function blobsOf(docs: TermCounts[], perBlob: number | null): Buffer[] {
  if (perBlob === null) return docs.map(encodeCounts);
  const blobs: Buffer[] = [];
  for (let i = 0; i < docs.length; i += perBlob) blobs.push(encodeCountsList(docs.slice(i, i + perBlob)));
  return blobs;
}

async function fromBlobs(blobs: Buffer[], options: TfidfOptions | ((n: number) => TfidfOptions)) {
  let passes = 0;
  const held: number[] = [];
  const fitted = await fitTransformTfidfFromBlobs((visit) => {
    passes++;
    for (const blob of blobs) {
      const documents = visit(blob);
      if (passes === 1) held.push(documents);
    }
  }, options);
  return { ...fitted, passes, held };
}

/** What the decoded way gives the same blobs. */
async function decoded(blobs: Buffer[], options: TfidfOptions | ((n: number) => TfidfOptions)) {
  return fitTransformTfidfInPasses((visit) => {
    for (const blob of blobs) (blob[0] === 0x4c ? decodeCountsList(blob) : [decodeCounts(blob)]).forEach(visit);
  }, options);
}

const bytes = (csr: CsrRows) => [csr.rowStart, csr.indices, csr.values].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex'));

describe('fitTransformTfidfFromBlobs', () => {
  const tied: TermCounts[] = Array.from({ length: 3 }, () => new Map(Array.from({ length: 40 }, (_, i) => [`t${String(39 - i).padStart(2, '0')}`, 1])));
  tied[0].set('t39', 5);
  const cases: [string, TermCounts[], number | null, TfidfOptions][] = [
    ['fixture, one document a blob', fixtureDocs, null, BASE],
    ['fixture as sample lists, min 2 docs, sublinear', fixtureDocs, 3, { ...BASE, minDocs: 2, sublinearTf: true }],
    ['fixture, max 60% and 8 features', fixtureDocs, 2, { minDocs: 2, maxDocFraction: 0.6, maxFeatures: 8, sublinearTf: true }],
    ['fixture, no idf smoothing, no norm', fixtureDocs, null, { ...BASE, smoothIdf: false, norm: 'none' }],
    ['ties at the cut-off', tied, 1, { ...BASE, maxFeatures: 4 }],
    ['zero counts and an empty document', [new Map([['a', 1], ['b', 0]]), new Map(), new Map([['b', 2]])], 3, { ...BASE, maxDocFraction: 0.7 }],
    ['600 random documents in lists of 10, astral and accented terms', randomDocs(1, 600), 10, { minDocs: 2, maxDocFraction: 0.95, maxFeatures: 700, sublinearTf: true }],
    ['600 random documents, one a blob, every term kept', randomDocs(2, 600), null, { ...BASE, maxFeatures: 10_000 }],
  ];
  for (const [name, docs, perBlob, options] of cases) {
    it(`gives the decoded documents' vocabulary, idf and rows byte for byte: ${name}`, async () => {
      const blobs = blobsOf(docs, perBlob);
      const expected = await decoded(blobs, options);
      const got = await fromBlobs(blobs, options);
      expect(got.passes).toBe(2);
      expect(got.documents).toBe(docs.length);
      expect(got.held.reduce((a, b) => a + b, 0)).toBe(docs.length);
      expect(got.model.vocabulary).toEqual(expected.model.vocabulary);
      expect([...got.model.idf]).toEqual([...expected.model.idf]);
      expect(got.model.options).toEqual(expected.model.options);
      expect(bytes(got.csr)).toEqual(bytes(expected.csr));
    });
  }

  it('grows its term table past its first size without losing a term', async () => {
    // 200,000 distinct terms: the table starts at 65,536 and its slots at 131,072
    const docs: TermCounts[] = Array.from({ length: 20 }, (_, d) => new Map(Array.from({ length: 10_000 }, (_, t) => [`w${d * 10_000 + t}`, 1 + (t % 3)])));
    docs.push(new Map([['w5', 1], ['w199999', 2]]));
    const blobs = blobsOf(docs, 5);
    const options = { ...BASE, maxFeatures: 300_000 };
    const got = await fromBlobs(blobs, options);
    const expected = await decoded(blobs, options);
    expect(got.model.vocabulary).toHaveLength(200_000);
    expect(got.model.vocabulary).toEqual(expected.model.vocabulary);
    expect(bytes(got.csr)).toEqual(bytes(expected.csr));
  });

  it('takes options from the number of documents the first pass counted', async () => {
    const seen: number[] = [];
    await fromBlobs(blobsOf(fixtureDocs, 4), (n) => {
      seen.push(n);
      return BASE;
    });
    expect(seen).toEqual([fixtureDocs.length]);
  });

  it('refuses damaged blobs as decodeCounts does', async () => {
    const good = encodeCounts(new Map([['alpha', 2], ['beta', 1]]));
    const wrongFormat = Buffer.from(good);
    wrongFormat[0] = 9;
    await expect(fromBlobs([wrongFormat], BASE)).rejects.toThrow(/not in format/);
    await expect(fromBlobs([good.subarray(0, good.length - 1)], BASE)).rejects.toThrow(/truncated/);
    await expect(fromBlobs([Buffer.concat([good, Buffer.from([1])])], BASE)).rejects.toThrow(/trailing bytes/);
    const list = encodeCountsList([new Map([['a', 1]])]);
    await expect(fromBlobs([list.subarray(0, list.length - 2)], BASE)).rejects.toThrow(/truncated/);
    // three terms said, two in the block
    const fewer = Buffer.from(good);
    fewer[1] = 3;
    await expect(fromBlobs([fewer], BASE)).rejects.toThrow(/term list does not match|truncated/);
  });

  it('refuses a second pass that does not give the same documents', async () => {
    let pass = 0;
    const blobs = blobsOf(fixtureDocs, null);
    await expect(fitTransformTfidfFromBlobs((visit) => void blobs.slice(0, ++pass === 1 ? 5 : 4).forEach(visit), BASE)).rejects.toThrow(/second pass/);
  });

  it('refuses options out of range before reading any blob', async () => {
    let read = 0;
    await expect(fitTransformTfidfFromBlobs(() => void read++, { ...BASE, minDocs: 0 })).rejects.toThrow(/minDocs/);
    expect(read).toBe(0);
  });
});

describe('TermRecord: the first pass\'s documents kept for the second', () => {
  /** Each blob tallied with a record, then weighed from the records: the rows weighBlob gives the blobs. */
  function compare(blobs: Buffer[], options: TfidfOptions, slabBytes: number) {
    const table = new ByteTermTable(16);
    const scratch = new RowScratch();
    const record = new TermRecord(slabBytes);
    const taken = blobs.map((blob) => {
      tallyBlob(blob, table, scratch, record);
      return record.take();
    });
    const documents = taken.reduce((sum, t, i) => sum + (t ? t.documentEnds.length : tallyBlob(blobs[i], new ByteTermTable(16), scratch)), 0);
    const { model, vocabularyParts, resolved, selected } = fitWeighing(table, documents, options);
    const columnOfId = new Int32Array(table.size).fill(-1);
    selected.forEach((id, col) => (columnOfId[id] = col));
    const w = weighing(vocabularyParts, model.idf, resolved);
    const fromBlobs = new CsrBuilder();
    const fromRecords = new CsrBuilder();
    const lengths: number[] = [];
    blobs.forEach((blob, i) => {
      weighBlob(blob, w, scratch, fromBlobs);
      const t = taken[i];
      if (t) weighRecorded(record.release(t), columnOfId, w, scratch, fromRecords);
      else weighBlob(blob, w, scratch, fromRecords);
      lengths.push(record.slabLength);
    });
    return { expected: bytes(fromBlobs.finish()), got: bytes(fromRecords.finish()), taken, lengths, vocabulary: model.vocabulary.length };
  }

  it('gives the rows weighBlob gives, counts past a byte included, and gives the slab back as it goes', () => {
    const random = createRandom(4);
    const docs = randomDocs(3, 400).map((doc) => {
      for (const term of [...doc.keys()].slice(0, 5)) doc.set(term, [254, 255, 256, 70_000, 2 ** 40][Math.floor(random() * 5)]);
      return doc;
    });
    const blobs = blobsOf(docs, 8);
    const options = { minDocs: 2, maxDocFraction: 0.95, maxFeatures: 500, sublinearTf: true };
    const all = compare(blobs, options, 16 << 20);
    expect(all.vocabulary).toBeGreaterThan(100);
    expect(all.taken.every((t) => t !== null)).toBe(true);
    expect(all.got).toEqual(all.expected);
    // released in the order taken, each one shrinks the slab, to nothing at the end
    expect(all.lengths.every((length, i) => i === 0 || length < all.lengths[i - 1])).toBe(true);
    expect(all.lengths[all.lengths.length - 1]).toBe(0);
    // a slab with room for some: those past it are not kept (null), the rows the same
    const some = compare(blobs, options, 40_000);
    const keptCount = some.taken.filter((t) => t !== null).length;
    expect(keptCount).toBeGreaterThan(0);
    expect(keptCount).toBeLessThan(blobs.length);
    expect(some.got).toEqual(some.expected);
    expect(compare(blobs, options, 0).taken.every((t) => t === null)).toBe(true);
  });
});
