// A ShelfmapClient that runs the engine in a worker thread. All three doors use it.
import { SHARE_ENV, Worker } from 'node:worker_threads';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiArg, ApiMethodName, ApiResult, EventListener, ShelfmapClient } from '../../src-shared/contract';
import { ShelfmapError, deserializeError } from '../../src-shared/errors';
import { WAKE_TO_STOP, type EngineWorkerData, type FromWorker, type WorkerOptions } from './worker-protocol';
import { stopBetweenTasks, stopFlag } from './worker-stop';

export interface EngineWorker extends ShelfmapClient {
  close(): Promise<void>;
  /** Settles with the reason when the engine thread ends (a crash, or close()). */
  readonly stopped: Promise<ShelfmapError>;
}

/**
 * The built worker beside an entry bundle (out/main/worker.js). Entries pass their own
 * import.meta.url: this module may be bundled into a shared chunk in another folder.
 */
export function workerBeside(entryUrl: string): string {
  return join(dirname(fileURLToPath(entryUrl)), 'worker.js');
}

export function startEngineWorker(options: WorkerOptions & { workerFile: string }): Promise<EngineWorker> {
  const { workerFile, ...workerData } = options;
  // The real environment, not a copy: native libraries the engine loads read it (Mesa's EGL
  // reads EGL_PLATFORM, which the webgpu backend sets before Dawn loads).
  const stop = stopFlag();
  const worker = new Worker(workerFile, { workerData: { ...workerData, stop } satisfies EngineWorkerData, env: SHARE_ENV });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Set<EventListener>();
  let seq = 0;
  let exited: ShelfmapError | null = null;
  let closing = false;
  let announceStop: (reason: ShelfmapError) => void = () => {};
  const stopped = new Promise<ShelfmapError>((resolve) => (announceStop = resolve));

  const client: EngineWorker = {
    call<M extends ApiMethodName>(method: M, arg: ApiArg<M>): Promise<ApiResult<M>> {
      if (exited) return Promise.reject(exited);
      const id = ++seq;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        worker.postMessage({ seq: id, method, arg });
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      // an exit we asked for is not a crash
      closing = true;
      // between two messages, not inside one: terminate() could cut the thread off inside a
      // synchronous zlib call of the store's and abort the whole process (worker-stop.ts)
      await stopBetweenTasks([worker], stop, WAKE_TO_STOP);
    },
    stopped,
  };

  return new Promise((resolve, reject) => {
    worker.on('message', (message: FromWorker) => {
      switch (message.type) {
        case 'ready':
          resolve(client);
          break;
        case 'fatal':
          reject(deserializeError(message.error));
          break;
        case 'reply': {
          const waiter = pending.get(message.seq);
          pending.delete(message.seq);
          if (message.ok) waiter?.resolve(message.result);
          else waiter?.reject(deserializeError(message.error));
          break;
        }
        case 'event':
          for (const listener of listeners) listener(message.name, message.payload as never);
          break;
      }
    });
    // a crash in the engine (out of memory, a native fault) fails what was waiting, with a reason
    const fail = (error: Error) => {
      exited = new ShelfmapError('internal', `The engine stopped unexpectedly: ${error.message}`);
      for (const waiter of pending.values()) waiter.reject(exited);
      pending.clear();
      reject(exited);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!exited && code !== 0 && !closing) fail(new Error(`exit code ${code}`));
      exited ??= new ShelfmapError('internal', 'The engine has been closed.');
      for (const waiter of pending.values()) waiter.reject(exited);
      pending.clear();
      announceStop(exited);
    });
  });
}
