// The features stage on several threads (parallel.ts, features-worker.ts), with real worker
// threads: the same vocabulary, idf and rows to the byte as one thread, a corrupt blob refused
// as on one thread, a thread that dies or a cancel stopping the stage with a clear error.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fitTransformTfidfFromBlobs } from './blob-tfidf';
import { fitTransformTfidfFromStored, setFeatureThreads, type FeatureThreadOptions } from './parallel';
import { FIXTURE_BOOKS_DIR } from '../../../fixtures/fixture-paths';
import { Engine } from '../engine';
import { Store } from '../store/store';
import { booksInScope, libraryFeatures, type LibraryFeatures } from '../pipeline';
import { resolveSettings } from '../../../src-shared/settings';
import { encodeCounts, encodeCountsList, type TermCounts } from './tokenize';
import type { CsrRows, TfidfOptions } from './tfidf';
import { packTerms } from '../store/packed';
import { createRandom } from '../random';
import { ShelfmapError } from '../../../src-shared/errors';

/** `books` blobs of 1-12 documents each, over a vocabulary with accents, CJK and astral letters; every third blob packed as the library stores it. */
function storedBlobs(seed: number, books: number): Buffer[] {
  const random = createRandom(seed);
  const words = Array.from({ length: 5000 }, (_, i) => `${['a', 'ab', 'é', 'ü', '漢字', '𝔘𝔫𝔦', 'zz', 'q'][i % 8]}${(i * 7919) % 5003}`);
  return Array.from({ length: books }, (_, b) => {
    const docs: TermCounts[] = Array.from({ length: 1 + Math.floor(random() * 12) }, () => {
      const doc: TermCounts = new Map();
      const size = Math.floor(random() * 200);
      for (let t = 0; t < size; t++) doc.set(words[Math.floor(random() ** 2 * words.length)], Math.floor(random() * 6));
      return doc;
    });
    const blob = b % 7 === 3 ? encodeCounts(docs[0]) : encodeCountsList(docs);
    return b % 3 === 0 ? packTerms(blob) : blob;
  });
}

const OPTIONS = (documents: number): TfidfOptions => ({ minDocs: 2, maxDocFraction: 0.9, maxFeatures: Math.min(800, documents), sublinearTf: true });

/** `readAll`: a pass that reads every blob, whatever `wanted` says (the stage must then ignore those its threads kept). */
function stored(blobs: Buffer[], threads: number, extra: Omit<FeatureThreadOptions, 'threads'> = {}, onVisit: (pass: number, i: number) => void = () => {}, readAll = false) {
  let pass = 0;
  return fitTransformTfidfFromStored(
    async (visit, wanted) => {
      pass++;
      for (const [i, blob] of blobs.entries()) {
        onVisit(pass, i);
        if (i % 8 === 0) await new Promise((resolve) => setImmediate(resolve));
        if (!readAll && wanted && !wanted(i)) continue;
        await visit(blob, i);
      }
    },
    blobs.length,
    OPTIONS,
    { threads, ...extra },
  );
}

const hex = (csr: CsrRows) => [csr.rowStart, csr.indices, csr.values].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex'));

describe('the features stage on several threads', () => {
  const blobs = storedBlobs(5, 300);

  it('gives the one-thread vocabulary, idf, rows and documents per book, byte for byte', async () => {
    const one = await stored(blobs, 1);
    // and one thread is the blob path it replaced (fitTransformTfidfFromBlobs over the unpacked blobs)
    const { unpackTerms } = await import('../store/packed');
    const before = await fitTransformTfidfFromBlobs((visit) => blobs.forEach((b) => visit(unpackTerms(b))), OPTIONS);
    expect(one.model.vocabulary).toEqual(before.model.vocabulary);
    expect(Buffer.from(one.model.idf.buffer).equals(Buffer.from(before.model.idf.buffer))).toBe(true);
    expect(hex(one.csr)).toEqual(hex(before.csr));
    expect(one.model.vocabulary.length).toBeGreaterThan(100);
    for (const threads of [2, 3]) {
      const many = await stored(blobs, threads);
      expect(many.model.vocabulary).toEqual(one.model.vocabulary);
      expect(Buffer.from(many.model.idf.buffer).equals(Buffer.from(one.model.idf.buffer))).toBe(true);
      expect(hex(many.csr)).toEqual(hex(one.csr));
      expect(Array.from(many.documentsPerBlob)).toEqual(Array.from(one.documentsPerBlob));
      expect(many.documents).toBe(one.documents);
    }
  }, 60_000);

  it('gives the same bytes whether the threads keep every book between passes, some or none', async () => {
    // counts past a byte (TermRecord.large) in some documents, so the record's escape is used
    const random = createRandom(11);
    const heavy = blobs.map((blob, b) => {
      if (b % 5 !== 1) return blob;
      const doc: TermCounts = new Map();
      for (let t = 0; t < 300; t++) doc.set(`w${Math.floor(random() * 900)}`, [1, 254, 255, 256, 70_000, 2 ** 40][t % 6]);
      return encodeCountsList([doc, new Map([['w1', 3]])]);
    });
    const one = await stored(heavy, 1);
    /** The books the second pass reads, with this budget for the kept documents. */
    const secondReads = async (keepBytes?: number) => {
      const reads: number[] = [];
      let pass = 0;
      const got = await fitTransformTfidfFromStored(
        async (visit, wanted) => {
          pass++;
          for (const [i, blob] of heavy.entries()) {
            if (wanted && !wanted(i)) continue;
            if (pass === 2) reads.push(i);
            await visit(blob, i);
          }
        },
        heavy.length,
        OPTIONS,
        { threads: 2, keepBytes },
      );
      return { got, reads };
    };
    const all = await secondReads();
    expect(all.reads).toEqual([]); // every batch kept: nothing read again
    const none = await secondReads(0);
    expect(none.reads.length).toBe(heavy.length);
    // a budget for some of the books only: the rest, a tail in order, are read again
    const some = await secondReads(120_000);
    expect(some.reads.length).toBeGreaterThan(0);
    expect(some.reads.length).toBeLessThan(heavy.length);
    expect(some.reads).toEqual(Array.from({ length: some.reads.length }, (_, k) => heavy.length - some.reads.length + k));
    for (const got of [all.got, none.got, some.got, await stored(heavy, 3), await stored(heavy, 3, { keepBytes: 120_000 }), await stored(heavy, 2, {}, () => {}, true)]) {
      expect(got.model.vocabulary).toEqual(one.model.vocabulary);
      expect(Buffer.from(got.model.idf.buffer).equals(Buffer.from(one.model.idf.buffer))).toBe(true);
      expect(hex(got.csr)).toEqual(hex(one.csr));
      expect(Array.from(got.documentsPerBlob)).toEqual(Array.from(one.documentsPerBlob));
    }
  }, 60_000);

  it('refuses a corrupt blob as one thread does', async () => {
    const bad = [...blobs];
    bad[150] = Buffer.concat([encodeCounts(new Map([['x', 1]])), Buffer.from([1])]);
    await expect(stored(bad, 1)).rejects.toThrow(/trailing bytes/);
    await expect(stored(bad, 2)).rejects.toThrow(/trailing bytes/);
  }, 60_000);

  for (const pass of [1, 2] as const) {
    for (const how of ['exit', 'throw'] as const) {
      it(`stops with a clear error when a thread dies in pass ${pass} (${how})`, async () => {
        const failed = await stored(blobs, 2, { crashOn: { pass, how } }).catch((error: unknown) => error);
        expect(failed).toBeInstanceOf(ShelfmapError);
        expect((failed as ShelfmapError).kind).toBe('internal');
        expect((failed as Error).message).toMatch(/thread weighing the books' terms stopped .*Nothing in the library was changed/);
      }, 60_000);
    }
  }

  it('stops at a cancel, in either pass', async () => {
    for (const at of [1, 2]) {
      const controller = new AbortController();
      const failed = await stored(blobs, 2, { signal: controller.signal }, (pass, i) => {
        if (pass === at && i === 100) controller.abort();
      }).catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(ShelfmapError);
      expect((failed as ShelfmapError).kind).toBe('cancelled');
    }
  }, 60_000);
});

describe('the features stage of a real library on several threads', () => {
  const dirs: string[] = [];
  afterEach(() => {
    setFeatureThreads(undefined);
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** Every book and every cached count of the library, as text to compare. */
  const contents = (store: Store) =>
    JSON.stringify([
      store.db.prepare('SELECT id, path, fingerprint, words FROM books ORDER BY id').all(),
      (store.db.prepare('SELECT book_id, tokenizer, tokens, hex(counts) AS counts FROM book_terms ORDER BY book_id, tokenizer').all() as object[]).length,
      store.db.prepare('SELECT hex(counts) FROM book_terms ORDER BY book_id, tokenizer').pluck().all().join(''),
    ]);

  it('gives the one-thread features, and leaves the library as it was when a thread dies or the stage is cancelled', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shelfmap-parallel-'));
    dirs.push(dir);
    const store = new Store(join(dir, 'library.sqlite'));
    try {
      await new Engine(store, () => {}).call('addFolder', { folder: FIXTURE_BOOKS_DIR });
      const books = booksInScope(store);
      const { features } = resolveSettings({});
      const digest = (f: LibraryFeatures) => [f.vocabulary.join('\n'), Buffer.from(f.idf.buffer).toString('hex'), ...hex(f.csr), Array.from(f.bookOfRow).join(',')];
      setFeatureThreads(1);
      const one = await libraryFeatures(store, books, features);
      setFeatureThreads(2);
      expect(digest(await libraryFeatures(store, books, features))).toEqual(digest(one));
      const before = contents(store);
      setFeatureThreads(2, { crashOn: { pass: 2, how: 'exit' } });
      await expect(libraryFeatures(store, books, features)).rejects.toThrow(/stopped .*Nothing in the library was changed/);
      expect(contents(store)).toBe(before);
      setFeatureThreads(2);
      const controller = new AbortController();
      const cancelled = libraryFeatures(store, books, features, controller.signal, (done) => {
        if (done > books.length) controller.abort();
      });
      await expect(cancelled).rejects.toThrow(/Cancelled/);
      expect(contents(store)).toBe(before);
    } finally {
      store.close();
    }
  }, 120_000);
});
