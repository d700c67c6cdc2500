// One of the features stage's worker threads (features/parallel.ts): unpacks, tallies and weighs
// the batches of stored count blobs it is sent, with blob-tfidf.ts's own functions, and sends
// back plain arrays. Built as its own entry (out/main/features-worker.js).
import { parentPort, workerData } from 'node:worker_threads';
import { ShelfmapError } from '../../../src-shared/errors';
import { ByteTermTable, RowScratch, TermRecord, tallyBlob, weighBlob, weighRecorded, weighing, type RecordedTerms, type Weighing } from './blob-tfidf';
import { CsrBuilder } from './tfidf';
import { batchBlob, partsBuffers, type FeatureWorkerData, type FromFeatureWorker, type ToFeatureWorker } from './parallel';
import { DONE, FAILED, multiplyRows, type ProductTask } from './product-threads';
import { exitIfAskedToStop } from '../worker-stop';

const data = workerData as FeatureWorkerData;
/** One builder for every batch (its arrays are copied into each reply, whole: a little spare capacity goes too). */
const builder = new CsrBuilder();
const scratch = new RowScratch();
let table = new ByteTermTable();
let vocabulary: Weighing | null = null;
/**
 * The batches whose documents the first pass kept (TermRecord), by batch, while they fit in
 * data.keepBytes: the second pass weighs these without the blobs being read, unpacked and
 * parsed again; the vocabulary comes with the column of each of this thread's term numbers.
 */
const kept = new Map<number, { documents: Int32Array; terms: RecordedTerms }>();
const record = new TermRecord(data.keepBytes ?? 0);
let keeping = (data.keepBytes ?? 0) > 0;
/** Each of the tally's term numbers' column in the vocabulary (-1: not kept), once it comes. */
let columnOfId: Int32Array | null = null;

function post(message: FromFeatureWorker, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(message, transfer);
}

/** Tests only: die as asked on the first batch of the pass named. */
function crashHere(pass: 1 | 2): void {
  if (data.crashOn?.pass !== pass) return;
  if (data.crashOn.how === 'exit') process.exit(3);
  // thrown outside the handler's try, so the thread dies of it
  throw new Error(`injected crash in pass ${pass}`);
}

/** An LSA product's block (product-threads.ts): computed into shared memory, then the waiting thread is woken. */
function product(task: ProductTask): void {
  let state = DONE;
  try {
    if (data.crashOn?.pass === 'lsa' && data.crashOn.how === 'exit') process.exit(3);
    if (data.crashOn?.pass === 'lsa') throw new Error('injected crash in an LSA product');
    multiplyRows({ count: task.to, rowStart: task.rowStart, indices: task.indices, values: task.values }, task.x, task.width, task.y, task.from, task.to);
  } catch {
    state = FAILED; // the waiting thread computes the block itself
  }
  Atomics.store(task.control, task.slot, state);
  Atomics.notify(task.control, task.slot);
}

parentPort!.on('message', (message: ToFeatureWorker | ProductTask) => {
  exitIfAskedToStop(data.stop);
  if (message.kind === 'product') {
    product(message);
    return;
  }
  if (message.kind === 'tally') crashHere(1);
  if (message.kind === 'weigh' || message.kind === 'weighKept') crashHere(2);
  try {
    if (message.kind === 'tally') {
      const documents = new Int32Array(message.offsets.length - 1);
      // recorded until a batch finds no room left: from then on the books are read again
      for (let i = 0; i < documents.length; i++) documents[i] = tallyBlob(batchBlob(message, i), table, scratch, keeping ? record : null);
      const terms = keeping ? record.take() : null;
      if (terms) kept.set(message.batch, { documents: documents.slice(), terms });
      keeping = terms !== null;
      post({ kind: 'tallied', batch: message.batch, documents, kept: terms !== null }, [documents.buffer]);
    } else if (message.kind === 'tallyEnd') {
      const parts = table.parts();
      table = new ByteTermTable(16); // let the tally go
      post({ kind: 'tally', parts }, partsBuffers(parts));
    } else if (message.kind === 'vocabulary') {
      vocabulary = weighing(message.vocabulary, message.idf, message.resolved);
      columnOfId = message.columnOfId;
    } else if (message.kind === 'weighKept') {
      const batch = kept.get(message.batch);
      if (!vocabulary || !columnOfId || !batch) throw new ShelfmapError('internal', `A features thread was asked to weigh batch ${message.batch}, which it does not hold.`);
      kept.delete(message.batch);
      builder.clear();
      weighRecorded(record.release(batch.terms), columnOfId, vocabulary, scratch, builder);
      post({ kind: 'weighed', batch: message.batch, documents: batch.documents, csr: builder.view() }, [batch.documents.buffer as ArrayBuffer]);
    } else {
      if (!vocabulary) throw new ShelfmapError('internal', 'A features thread was sent books to weigh before the vocabulary.');
      builder.clear();
      const documents = new Int32Array(message.offsets.length - 1);
      for (let i = 0; i < documents.length; i++) documents[i] = weighBlob(batchBlob(message, i), vocabulary, scratch, builder);
      // copied, not handed over: the copy is made by the receiving thread, and this thread's
      // arrays serve the next batch, so the rows never pile up in this thread's share of the
      // C heap (glibc keeps a thread's freed memory for that thread: the 1k run peaked ~150 MB higher)
      post({ kind: 'weighed', batch: message.batch, documents, csr: builder.view() });
    }
  } catch (error) {
    post({ kind: 'failed', message: (error as Error).message, ...(error instanceof ShelfmapError ? { shelfmapKind: error.kind } : {}) });
  }
});
