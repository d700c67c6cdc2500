// The import's worker threads (issue 10, part 1): one per core, each preparing one file at a
// time (import-work.ts), so reading, decoding and counting use every core while the engine's
// thread stays the one SQLite writer. A worker that dies on a file (throws, exits, runs out
// of memory) has that file answered as left out with the reason, and is replaced.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { workerSource } from './worker-source';
import { stopBetweenTasks, stopFlag, type StopFlag } from './worker-stop';
import type { FilePath } from './library/file-path';
import type { PreparedFile } from './import-work';

export interface PoolTask {
  id: number;
  file: FilePath;
}

export interface PoolReply {
  id: number;
  result: PreparedFile;
}

export interface PoolWorkerData {
  maxBytes?: number;
  /** Fingerprints already in the library (see PrepareOptions.known). */
  known: string[];
  /** Tests only: die on the file with this name, by throwing, by exiting or by running out of memory. */
  crashOn?: { name: string; how: 'throw' | 'exit' | 'oom' };
  /** Raised when the pool closes: each reader exits at its next message (worker-stop.ts). */
  stop?: StopFlag;
}

/**
 * The most heap one reader may take: the largest file allowed (64 MiB) decoded, cut and counted
 * needs well under this; past it the reader alone is stopped (ERR_WORKER_OUT_OF_MEMORY), not
 * the engine.
 */
export const READER_HEAP_MB = 2048;

/** One worker per core (at least one). */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

interface QueuedFile {
  id: number;
  file: FilePath;
  resolve: (r: PreparedFile) => void;
}

/**
 * Files sent to a reader at once: the one it prepares and the next, so it never waits on the
 * engine's thread (busy with a batch of SQLite writes) for its next file. It prepares them one
 * after the other, in order (import-worker.ts).
 */
export const FILES_PER_READER = 2;

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  /** The files sent to this reader and not answered yet, oldest (the one it is preparing) first. */
  sent: QueuedFile[];
}

export class ImportPool {
  private readonly slots: Slot[] = [];
  private readonly queue: QueuedFile[] = [];
  private readonly source = workerSource(import.meta.url, 'import-worker');
  private nextId = 0;
  private closed = false;
  private readonly stop = stopFlag();

  constructor(
    private readonly data: PoolWorkerData,
    readonly size = defaultWorkers(),
    private readonly heapMb = READER_HEAP_MB,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.start());
  }

  private start(): Slot {
    const worker = new Worker(this.source, { workerData: { ...this.data, stop: this.stop }, resourceLimits: { maxOldGenerationSizeMb: this.heapMb } });
    let markReady: () => void = () => {};
    const slot: Slot = { worker, ready: new Promise<void>((resolve) => (markReady = resolve)), sent: [] };
    worker.on('message', (message: PoolReply | { ready: true }) => {
      if ('ready' in message) {
        markReady();
        this.feed(slot);
        return;
      }
      // a reader answers its files in the order they were sent
      const task = slot.sent[0];
      if (!task || task.id !== message.id) return;
      slot.sent.shift();
      task.resolve(message.result);
      this.feed(slot);
    });
    let failed: Error | null = null;
    worker.on('error', (error) => (failed = error));
    worker.on('exit', (code) => {
      markReady();
      if (this.closed) return;
      // the file it was reading (the oldest it held) is left out with the reason; the ones sent
      // after it go back to the front of the queue, and a new reader takes its place
      const [task, ...unread] = slot.sent;
      slot.sent = [];
      this.queue.unshift(...unread);
      if (task) {
        const name = basename(task.file.path);
        const why = failed ? failed.message : `it stopped with exit code ${code}`;
        task.resolve({
          ok: false,
          rejected: { path: task.file.path, reason: 'unreadable', message: `${name} could not be read: the reader crashed on it (${why}). The rest of the folder was added.` },
        });
      }
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots[index] = this.start();
      // the files put back may have a free reader already
      for (const other of this.slots) void other.ready.then(() => this.feed(other));
    });
    return slot;
  }

  private feed(slot: Slot): void {
    // a slot whose worker died was replaced: its successor takes the queue when ready
    if (this.closed || !this.slots.includes(slot)) return;
    while (slot.sent.length < FILES_PER_READER && this.queue.length > 0) {
      const task = this.queue.shift()!;
      slot.sent.push(task);
      slot.worker.postMessage({ id: task.id, file: task.file } satisfies PoolTask);
    }
  }

  /** Prepares one file on the next free worker. */
  prepare(file: FilePath): Promise<PreparedFile> {
    if (this.closed) return Promise.reject(new Error('The import pool is closed.'));
    return new Promise((resolve) => {
      this.queue.push({ id: ++this.nextId, file, resolve });
      // the least loaded reader takes it (when it is ready)
      const free = this.slots.reduce<Slot | null>((best, s) => (s.sent.length < FILES_PER_READER && (!best || s.sent.length < best.sent.length) ? s : best), null);
      if (free) void free.ready.then(() => this.feed(free));
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    // between files, never inside one (worker-stop.ts): a reader cut off in a deflate can abort the process
    await stopBetweenTasks(
      this.slots.map((s) => s.worker),
      this.stop,
      'stop',
    );
  }
}
