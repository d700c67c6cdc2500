// The LSA's big products (sparse rows times a dense matrix, lsa.ts multiplyFlat) on every core,
// still called synchronously: the rows, the dense matrix and the product live in shared memory
// (SharedArrayBuffer); each worker thread (features-worker.ts) computes a block of the product's
// rows while this thread computes the first, then this thread waits (Atomics.wait) for theirs.
// The product is split by its rows, never by the summed dimension, so every entry is the same sum
// in the same order as on one thread, to the bit. A thread that fails or does not answer in time
// has its block computed here instead (the same numbers) and is not used again.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { featureWorkerSource } from './parallel';

/** Sparse rows as lsa.ts FlatRows: row i's entries at rowStart[i]..rowStart[i+1]. */
export interface ProductRows {
  count: number;
  rowStart: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/**
 * y[from..to) rows of Y = A · X (X row-major, width columns): each y[i][c] summed over row i's
 * entries in their order, four entries per read and write of y (JavaScript never fuses a
 * multiply and an add, so the roundings are a plain `y += v * x` loop's). `y` starts at zero.
 */
export function multiplyRows(a: ProductRows, x: Float64Array, width: number, y: Float64Array, from: number, to: number): void {
  const { rowStart, indices, values } = a;
  for (let i = from; i < to; i++) {
    const o = i * width;
    const end = rowStart[i + 1];
    let k = rowStart[i];
    for (; k + 3 < end; k += 4) {
      const v0 = values[k];
      const v1 = values[k + 1];
      const v2 = values[k + 2];
      const v3 = values[k + 3];
      const p0 = indices[k] * width;
      const p1 = indices[k + 1] * width;
      const p2 = indices[k + 2] * width;
      const p3 = indices[k + 3] * width;
      for (let c = 0; c < width; c++) {
        let sum = y[o + c];
        sum += v0 * x[p0 + c];
        sum += v1 * x[p1 + c];
        sum += v2 * x[p2 + c];
        sum += v3 * x[p3 + c];
        y[o + c] = sum;
      }
    }
    for (; k < end; k++) {
      const v = values[k];
      const p = indices[k] * width;
      for (let c = 0; c < width; c++) y[o + c] += v * x[p + c];
    }
  }
}

/** A block of a product for a worker: rows from..to of y = a · x. */
export interface ProductTask {
  kind: 'product';
  control: Int32Array;
  slot: number;
  rowStart: Int32Array;
  indices: Int32Array;
  values: Float32Array;
  x: Float64Array;
  y: Float64Array;
  width: number;
  from: number;
  to: number;
}

/** control[slot]: what a worker's block is at. */
export const PENDING = 0;
export const DONE = 1;
export const FAILED = 2;

/** From this many multiply-adds a product is shared out; below, waking a thread costs more than it saves. */
const MIN_SHARED_WORK = 2_000_000;
/** How long to wait for a block before computing it here: the first includes the thread's start-up. */
const FIRST_WAIT_MS = 60_000;
const WAIT_MS = 30_000;

let threadsOverride: number | undefined;
let takenOver = 0;

/** Blocks this thread computed because a worker failed or was late, since the process began (tests look). */
export function productBlocksTakenOver(): number {
  return takenOver;
}
let waitOverride: number | undefined;
let crashOverride: 'throw' | 'exit' | undefined;

/** Benchmarks and tests: this many threads in all (1: this one alone; undefined: one per core). */
export function setProductThreads(threads: number | undefined, options: { waitMs?: number; crashOn?: 'throw' | 'exit' } = {}): void {
  threadsOverride = threads;
  waitOverride = options.waitMs;
  crashOverride = options.crashOn;
}

/** Rows of a product at or past which fitLsa and projectRows use the threads. */
export const PARALLEL_MIN_ROWS = 5000;

export class ProductThreads {
  private readonly workers: Worker[] = [];
  private readonly control = new Int32Array(new SharedArrayBuffer(64 * 4));
  private readonly answered: boolean[] = [];
  private broken = false;

  /** Threads for products of `rows` rows: null when one thread should do them. */
  static open(rows: number): ProductThreads | null {
    const threads = threadsOverride ?? (rows >= PARALLEL_MIN_ROWS ? availableParallelism() : 1);
    return threads > 1 ? new ProductThreads(Math.min(threads - 1, 63)) : null;
  }

  private constructor(count: number) {
    const source = featureWorkerSource();
    for (let i = 0; i < count; i++) {
      const worker = new Worker(source, { workerData: { crashOn: crashOverride ? { pass: 'lsa', how: crashOverride } : undefined } });
      worker.unref(); // never what keeps a process alive
      worker.on('error', () => {}); // seen as a block that never comes (see multiply)
      this.workers.push(worker);
      this.answered.push(false);
    }
  }

  /** A zeroed Float64Array in shared memory (what multiply reads and writes). */
  static shared(length: number): Float64Array {
    return new Float64Array(new SharedArrayBuffer(Math.max(1, length) * 8), 0, length);
  }

  /** Y = A · X into `y` (zeroed), A, X and Y in shared memory; gives `y`, or a copy of it if a thread was given up on. */
  multiply(a: ProductRows, x: Float64Array, width: number, y: Float64Array): Float64Array {
    const entries = a.rowStart[a.count];
    if (this.broken || entries * width < MIN_SHARED_WORK) {
      multiplyRows(a, x, width, y, 0, a.count);
      return y;
    }
    // blocks of about equal entries: this thread takes the first, each worker one after
    const parts = this.workers.length + 1;
    const bounds = [0];
    for (let p = 1; p < parts; p++) bounds.push(rowAtEntry(a.rowStart, a.count, Math.round((entries * p) / parts), bounds[p - 1]));
    bounds.push(a.count);
    for (let w = 0; w < this.workers.length; w++) {
      Atomics.store(this.control, w, PENDING);
      const task: ProductTask = { kind: 'product', control: this.control, slot: w, rowStart: a.rowStart, indices: a.indices, values: a.values, x, y, width, from: bounds[w + 1], to: bounds[w + 2] };
      this.workers[w].postMessage(task);
    }
    multiplyRows(a, x, width, y, bounds[0], bounds[1]);
    const late: number[] = [];
    for (let w = 0; w < this.workers.length; w++) {
      const wait = waitOverride ?? (this.answered[w] ? WAIT_MS : FIRST_WAIT_MS);
      const deadline = performance.now() + wait;
      let state = Atomics.load(this.control, w);
      while (state === PENDING && performance.now() < deadline) {
        Atomics.wait(this.control, w, PENDING, Math.max(1, deadline - performance.now()));
        state = Atomics.load(this.control, w);
      }
      if (state === DONE) {
        this.answered[w] = true;
        continue;
      }
      late.push(w);
    }
    if (late.length === 0) return y;
    // failed or late: no more work for any thread, and their blocks computed here, into a copy
    // this thread alone holds, since a late thread may still be writing its block into y
    this.close();
    const own = Float64Array.from(y);
    for (const w of late) {
      takenOver++;
      own.fill(0, bounds[w + 1] * width, bounds[w + 2] * width);
      multiplyRows(a, x, width, own, bounds[w + 1], bounds[w + 2]);
    }
    return own;
  }

  close(): void {
    this.broken = true;
    for (const worker of this.workers.splice(0)) void worker.terminate();
  }
}

/** The first row at or after `from` whose entries start at or past `entry`. */
function rowAtEntry(rowStart: Int32Array, count: number, entry: number, from: number): number {
  let lo = from;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rowStart[mid] < entry) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
