// The features stage on every core (issue 10): the books' count blobs, as the library stores
// them, are unpacked, tallied and weighed in worker threads (features-worker.ts), a batch of
// books at a time, while this thread only reads them from SQLite, in order, and puts the parts
// together. Every number comes out as on one thread, to the bit: a term's document frequency and
// total count are sums of whole numbers (exact in any order), each row is weighed by itself, and
// the rows are put back in the books' order. A thread that dies stops the stage with a clear
// error; the stage writes nothing to the library but the counts it had to make, so nothing is lost.
// The first pass's threads keep what they read of each book (its terms' numbers and counts, up
// to KEPT_BYTES), so the second pass weighs those books without reading, unpacking or parsing
// their blobs again: at 10,000 books that was 40% of the threads' work.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { workerSource } from '../worker-source';
import { stopBetweenTasks, stopFlag, type StopFlag } from '../worker-stop';
import { ShelfmapError } from '../../../src-shared/errors';
import { unpackTerms } from '../store/packed';
import { ByteTermTable, RowScratch, fitWeighing, tallyBlob, weighBlob, weighing, type TallyParts } from './blob-tfidf';
import { CsrBuilder, resolveOptions, type CsrRows, type FittedTfidf, type TfidfOptions } from './tfidf';

/**
 * One pass over the books' count blobs as stored (packed or not: store.cachedTerms(id, key,
 * true)), in the same order every time; the pass awaits what `visit` gives before reading the
 * next book, so no more books are read ahead than the threads can take. With `wanted`, a book
 * it refuses (by its place in the pass) is neither read nor visited: the threads hold its terms.
 */
export type StoredBlobPasses = (visit: (stored: Uint8Array, index: number) => Promise<void> | void, wanted?: (index: number) => boolean) => Promise<void>;

export interface FeatureThreadOptions {
  /** Threads that do the work: 1 is this thread alone; default featureThreads(blobs). */
  threads?: number;
  signal?: AbortSignal;
  /** Tests only: every worker dies on its first batch of this pass, by throwing or by exiting. */
  crashOn?: { pass: 1 | 2; how: 'throw' | 'exit' };
  /** Tests and benchmarks: the threads' budget for the documents kept between passes (default KEPT_BYTES; 0: none). */
  keepBytes?: number;
}

/** Below this many books one thread does it: starting threads costs more than it saves (the corpus's 197 books take 0.4 s). */
export const PARALLEL_MIN_BLOBS = 500;
/** Books sent to a thread at once, and the most a thread has queued. */
const BATCH_BOOKS = 16;
const BATCH_BYTES = 1 << 20;
const QUEUED_PER_THREAD = 3;
/**
 * The first pass's record of the documents the threads keep for the second (blob-tfidf.ts
 * TermRecord), all threads together: at 10,000 books they take ~250 MB, and the second pass
 * then reads, unpacks and parses no blob again. Past it, the later books are read again.
 */
const KEPT_BYTES = 384 * 1024 * 1024;

let threadsOverride: number | undefined;
let crashOverride: FeatureThreadOptions['crashOn'];
let keepOverride: number | undefined;

/**
 * Benchmarks and tests: use this many threads whatever the size (undefined: back to the
 * default); tests may have the workers die (crashOn) where the run starts them.
 */
export function setFeatureThreads(threads: number | undefined, options: { crashOn?: FeatureThreadOptions['crashOn']; keepBytes?: number } = {}): void {
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) throw new RangeError(`threads must be a whole number of at least 1, got ${threads}.`);
  threadsOverride = threads;
  crashOverride = options.crashOn;
  keepOverride = options.keepBytes;
}

/** One per core from PARALLEL_MIN_BLOBS books up, else one. */
export function featureThreads(blobs: number): number {
  if (threadsOverride !== undefined) return threadsOverride;
  return blobs >= PARALLEL_MIN_BLOBS ? Math.max(1, availableParallelism()) : 1;
}

// ---- messages ----------------------------------------------------------------------------------

/** A batch of stored blobs, one after another in `bytes`, blob i at offsets[i]..offsets[i+1]. */
export interface BlobBatch {
  batch: number;
  bytes: Uint8Array;
  offsets: Int32Array;
}

export type ToFeatureWorker =
  | ({ kind: 'tally' } & BlobBatch)
  | { kind: 'tallyEnd' }
  /** columnOfId: the column of each of the thread's own term numbers (its tally's), -1 where not kept. */
  | { kind: 'vocabulary'; vocabulary: TallyParts; idf: Float64Array; resolved: Required<TfidfOptions>; columnOfId: Int32Array }
  | ({ kind: 'weigh' } & BlobBatch)
  | { kind: 'weighKept'; batch: number };

export type FromFeatureWorker =
  | { kind: 'tallied'; batch: number; documents: Int32Array; kept: boolean }
  | { kind: 'tally'; parts: TallyParts }
  | { kind: 'weighed'; batch: number; documents: Int32Array; csr: CsrRows }
  | { kind: 'failed'; message: string; shelfmapKind?: string };

export interface FeatureWorkerData {
  /** Tests only: die on the first batch of a TF-IDF pass, or on the first block of an LSA product (product-threads.ts). */
  crashOn?: FeatureThreadOptions['crashOn'] | { pass: 'lsa'; how: 'throw' | 'exit' };
  /** At most this many bytes of the first pass's documents kept for the second (0: none). */
  keepBytes?: number;
  /** Raised when the stage is done with the threads: each exits at its next message (worker-stop.ts). */
  stop?: StopFlag;
}

/** The arrays a tally's parts hold, to hand them over rather than copy them. */
export function partsBuffers(parts: TallyParts): ArrayBuffer[] {
  return [parts.bytes, parts.starts, parts.lengths, parts.hashes, parts.docFreq, parts.totalCount].map((a) => a.buffer as ArrayBuffer);
}

// ---- the threads ---------------------------------------------------------------------------------

/** features-worker.js (or its source under tsx), as import-pool.ts starts its readers. */
export function featureWorkerSource(): URL | string {
  return workerSource(import.meta.url, 'features-worker');
}

interface Thread {
  worker: Worker;
  queued: number;
}

/** The worker threads of one features stage, and the replies they owe. */
class FeatureThreads {
  private readonly threads: Thread[] = [];
  private failure: Error | null = null;
  private closing = false;
  /** Called whenever a reply comes or a thread fails: wakes whoever waits for room or for the end. */
  private wake: (() => void) | null = null;
  private readonly replies: Reply[] = [];
  private readonly stop = stopFlag();

  constructor(count: number, data: FeatureWorkerData, private readonly signal?: AbortSignal) {
    const source = featureWorkerSource();
    for (let i = 0; i < count; i++) {
      const worker = new Worker(source, { workerData: { ...data, stop: this.stop } });
      const thread: Thread = { worker, queued: 0 };
      worker.on('message', (message: FromFeatureWorker) => {
        if (message.kind === 'failed') {
          const error = message.shelfmapKind ? new ShelfmapError(message.shelfmapKind as never, message.message) : new Error(message.message);
          this.fail(error);
          return;
        }
        thread.queued--;
        this.replies.push({ ...message, thread: this.threads.indexOf(thread) });
        this.poke();
      });
      worker.on('error', (error) => this.fail(stopped(error.message)));
      worker.on('exit', (code) => {
        if (!this.closing) this.fail(stopped(`it exited with code ${code}`));
      });
      this.threads.push(thread);
    }
    signal?.addEventListener('abort', this.poke);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.poke();
  }

  private readonly poke = (): void => {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  };

  private check(): void {
    if (this.signal?.aborted) throw new ShelfmapError('cancelled', 'Cancelled.');
    if (this.failure) throw this.failure;
  }

  /** Waits for the next reply, a failure or a cancel. */
  private next(): Promise<void> {
    this.check();
    return new Promise<void>((resolve) => (this.wake = resolve)).then(() => this.check());
  }

  get count(): number {
    return this.threads.length;
  }

  /** Sends to the thread with the least queued (or to thread `to`), once it has room. */
  async send(message: ToFeatureWorker, transfer: ArrayBuffer[], to?: number): Promise<void> {
    for (;;) {
      this.check();
      const thread = to === undefined ? this.threads.reduce((a, b) => (b.queued < a.queued ? b : a)) : this.threads[to];
      if (thread.queued < QUEUED_PER_THREAD) {
        thread.queued++;
        thread.worker.postMessage(message, transfer);
        return;
      }
      await this.next();
    }
  }

  /** Sends to thread `to` at once, no reply expected. */
  tell(to: number, message: ToFeatureWorker, transfer: ArrayBuffer[]): void {
    this.check();
    this.threads[to].worker.postMessage(message, transfer);
  }

  /** Sends to every thread (no reply expected unless `replies`). */
  broadcast(message: ToFeatureWorker, replies: boolean): void {
    this.check();
    for (const thread of this.threads) {
      if (replies) thread.queued++;
      thread.worker.postMessage(message);
    }
  }

  /** Waits until every thread has answered all it was sent; gives the replies since the last call. */
  async drain(): Promise<Reply[]> {
    while (this.threads.some((t) => t.queued > 0)) await this.next();
    this.check();
    return this.replies.splice(0);
  }

  /** The replies so far, without waiting. */
  take(): Reply[] {
    return this.replies.splice(0);
  }

  async close(): Promise<void> {
    this.closing = true;
    this.signal?.removeEventListener('abort', this.poke);
    // between batches, never inside one (worker-stop.ts): a thread cut off in an inflate can abort the process
    await stopBetweenTasks(
      this.threads.map((t) => t.worker),
      this.stop,
      { kind: 'stop' },
    );
  }
}

/** A reply, with the thread it came from. */
type Reply = FromFeatureWorker & { thread: number };

function stopped(why: string): ShelfmapError {
  return new ShelfmapError(
    'internal',
    `A thread weighing the books' terms stopped (${why}), so the features could not be built. Nothing in the library was changed; run the clustering again.`,
  );
}

/** Gathers blobs into batches of about BATCH_BOOKS books, copied into one buffer to hand over. */
class Batcher {
  private blobs: Uint8Array[] = [];
  private bytes = 0;
  count = 0;

  add(blob: Uint8Array): boolean {
    this.blobs.push(blob);
    this.bytes += blob.length;
    return this.blobs.length >= BATCH_BOOKS || this.bytes >= BATCH_BYTES;
  }

  /** The gathered blobs as one batch (null when none), and a fresh start. */
  take(): BlobBatch | null {
    if (this.blobs.length === 0) return null;
    const bytes = new Uint8Array(this.bytes);
    const offsets = new Int32Array(this.blobs.length + 1);
    this.blobs.forEach((blob, i) => {
      bytes.set(blob, offsets[i]);
      offsets[i + 1] = offsets[i] + blob.length;
    });
    this.blobs = [];
    this.bytes = 0;
    return { batch: this.count++, bytes, offsets };
  }
}

/** Blob i of a batch, unpacked. */
export function batchBlob(batch: Pick<BlobBatch, 'bytes' | 'offsets'>, i: number): Buffer {
  const { bytes, offsets } = batch;
  return unpackTerms(Buffer.from(bytes.buffer, bytes.byteOffset + offsets[i], offsets[i + 1] - offsets[i]));
}

export interface StoredTfidf {
  model: FittedTfidf;
  csr: CsrRows;
  documents: number;
  /** How many documents (rows) each blob held, in the passes' order. */
  documentsPerBlob: Int32Array;
}

/**
 * fitTransformTfidfFromBlobs (blob-tfidf.ts) over stored blobs on `threads` threads: the same
 * vocabulary, idf and rows, to the byte, as one thread gives (tested). With one thread it is
 * that path, on this thread.
 */
export async function fitTransformTfidfFromStored(
  passes: StoredBlobPasses,
  blobs: number,
  options: TfidfOptions | ((documents: number) => TfidfOptions),
  threadOptions: FeatureThreadOptions = {},
): Promise<StoredTfidf> {
  if (typeof options !== 'function') resolveOptions(options); // refuse bad options before reading
  const count = threadOptions.threads ?? featureThreads(blobs);
  const data: FeatureWorkerData = { crashOn: threadOptions.crashOn ?? crashOverride, keepBytes: Math.floor((threadOptions.keepBytes ?? keepOverride ?? KEPT_BYTES) / count) };
  const threads = count > 1 ? new FeatureThreads(count, data, threadOptions.signal) : null;
  try {
    return await inPasses(passes, options, threads);
  } finally {
    await threads?.close();
  }
}

async function inPasses(passes: StoredBlobPasses, options: TfidfOptions | ((documents: number) => TfidfOptions), threads: FeatureThreads | null): Promise<StoredTfidf> {
  const scratch = new RowScratch();
  let table: ByteTermTable | null = new ByteTermTable();
  /** By thread: each of its tally's term numbers' number in `table`. */
  const mergedIds: Int32Array[] = [];
  const perBlob: number[] = [];

  // first pass: each term's document frequency and total count
  const tallied: Int32Array[] = [];
  /** By batch: the thread that kept its documents for the second pass, or -1 (to be read again). */
  const keptBy: number[] = [];
  /** By batch: its first blob's place in the pass (the last entry: the number of blobs). */
  const batchStarts: number[] = [0];
  const keepTallied = (replies: Reply[]) => {
    for (const reply of replies) {
      if (reply.kind !== 'tallied') continue;
      tallied[reply.batch] = reply.documents;
      keptBy[reply.batch] = reply.kept ? reply.thread : -1;
    }
  };
  const batcher = new Batcher();
  let blobsSeen = 0;
  const sendTally = async () => {
    const batch = batcher.take();
    if (batch) {
      batchStarts.push(blobsSeen);
      await threads!.send({ kind: 'tally', ...batch }, [batch.bytes.buffer as ArrayBuffer]);
    }
    keepTallied(threads!.take());
  };
  await passes((stored) => {
    if (!threads) {
      perBlob.push(tallyBlob(unpackTerms(Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength)), table!, scratch));
      return;
    }
    blobsSeen++;
    if (batcher.add(stored)) return sendTally();
  });
  if (threads) {
    await sendTally();
    keepTallied(await threads.drain());
    threads.broadcast({ kind: 'tallyEnd' }, true);
    for (const reply of await threads.drain()) if (reply.kind === 'tally') mergedIds[reply.thread] = table.merge(reply.parts);
    for (let b = 0; b < batcher.count; b++) perBlob.push(...tallied[b]);
  }
  const documentsPerBlob = Int32Array.from(perBlob);
  const documents = perBlob.reduce((sum, n) => sum + n, 0);

  const { model, vocabularyParts, resolved, selected } = fitWeighing(table, documents, options);
  const distinctTerms = table.size;
  // one weight for each document a kept term is in: the rows' size, to make room for once
  let weights = 0;
  for (const id of selected) weights += table.docFreq[id];
  table = null; // every distinct term: let it go before the rows are made

  // second pass: the rows, over the kept vocabulary
  let csr: CsrRows;
  const weighedPerBlob: number[] = [];
  let seen = 0;
  if (!threads) {
    const w = weighing(vocabularyParts, model.idf, resolved);
    const builder = new CsrBuilder();
    builder.expect(weights);
    await passes((stored) => {
      seen += weighBlob(unpackTerms(Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength)), w, scratch, builder);
    });
    csr = builder.finish();
  } else {
    const columnOfMerged = new Int32Array(distinctTerms).fill(-1);
    selected.forEach((id, col) => (columnOfMerged[id] = col));
    for (let t = 0; t < threads.count; t++) {
      const columnOfId = mergedIds[t].map((id) => columnOfMerged[id]);
      threads.tell(t, { kind: 'vocabulary', vocabulary: vocabularyParts, idf: model.idf, resolved, columnOfId }, [columnOfId.buffer]);
    }
    // each batch's rows joined to the rest as soon as those before it are in, so the threads'
    // batches are let go as they come (not all held, then copied at the end)
    const builder = new CsrBuilder();
    builder.expect(weights);
    const waiting = new Map<number, { documents: Int32Array; csr: CsrRows }>();
    let joined = 0;
    const keepWeighed = (replies: Reply[]) => {
      for (const reply of replies) if (reply.kind === 'weighed') waiting.set(reply.batch, reply);
      for (let next = waiting.get(joined); next; next = waiting.get(joined)) {
        waiting.delete(joined++);
        for (const n of next.documents) weighedPerBlob.push(n);
        seen += next.csr.rowStart.length - 1;
        builder.append(next.csr);
      }
    };
    // the batches in the first pass's bounds: a kept one is weighed by the thread holding it,
    // the others read again and sent to any thread, in the order of the books
    const batches = batcher.count;
    const batchOfBlob = new Int32Array(batchStarts[batches]);
    for (let b = 0; b < batches; b++) batchOfBlob.fill(b, batchStarts[b], batchStarts[b + 1]);
    let sent = 0;
    const sendKeptBefore = async (batch: number) => {
      for (; sent < batch && keptBy[sent] >= 0; sent++) {
        await threads.send({ kind: 'weighKept', batch: sent }, [], keptBy[sent]);
        keepWeighed(threads.take());
      }
    };
    let gathered = new Batcher();
    await passes(
      async (stored, index) => {
        if (!(index < batchOfBlob.length)) throw new ShelfmapError('internal', `The second pass over the books read more of them than the first (${batchOfBlob.length}).`);
        const batch = batchOfBlob[index];
        if (keptBy[batch] >= 0) return; // read though not wanted: its thread holds it
        await sendKeptBefore(batch);
        gathered.add(stored);
        if (index + 1 < batchStarts[batch + 1]) return;
        const taken = gathered.take()!;
        gathered = new Batcher();
        await threads.send({ kind: 'weigh', ...taken, batch }, [taken.bytes.buffer as ArrayBuffer]);
        sent = batch + 1;
        keepWeighed(threads.take());
      },
      (index) => !(index < batchOfBlob.length) || keptBy[batchOfBlob[index]] < 0,
    );
    await sendKeptBefore(batches);
    keepWeighed(await threads.drain());
    if (sent !== batches || joined !== batches) throw new ShelfmapError('internal', `The threads weighed ${joined} of ${batches} batches of books.`);
    csr = builder.finish();
    if (weighedPerBlob.some((n, i) => n !== documentsPerBlob[i]) || weighedPerBlob.length !== documentsPerBlob.length) {
      throw new ShelfmapError('internal', 'The second pass over the books found other documents than the first.');
    }
  }
  if (seen !== documents) {
    throw new ShelfmapError('internal', `The second pass over the documents saw ${seen} of them, the first ${documents}.`);
  }
  return { model, csr, documents, documentsPerBlob };
}
