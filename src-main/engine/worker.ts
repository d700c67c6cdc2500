// The engine's thread. Every door starts one: the UI thread (Electron main, the HTTP server,
// the CLI's progress bar) never waits on TF-IDF, training or SQLite.
import { parentPort, workerData } from 'node:worker_threads';
import { isApiMethod } from '../../src-shared/contract';
import { ShelfmapError, serializeError } from '../../src-shared/errors';
import { Engine } from './engine';
import { Store } from './store/store';
import type { EngineWorkerData, FromWorker, ToWorker } from './worker-protocol';
import { exitIfAskedToStop } from './worker-stop';

function post(message: FromWorker): void {
  parentPort!.postMessage(message);
}

function start(): void {
  const options = workerData as EngineWorkerData;
  let engine: Engine;
  try {
    const store = new Store(options.dbPath, { nativeBinding: options.sqliteBinding });
    engine = new Engine(store, (name, payload) => post({ type: 'event', name, payload } as FromWorker));
  } catch (error) {
    post({ type: 'fatal', error: serializeError(error) });
    return;
  }
  parentPort!.on('message', async ({ seq, method, arg }: ToWorker) => {
    exitIfAskedToStop(options.stop);
    try {
      if (!isApiMethod(method)) throw new ShelfmapError('invalid-argument', `Unknown method "${String(method)}".`);
      // engine.call resolves and checks the argument: the one gate for every door
      const result = await engine.call(method, arg);
      post({ type: 'reply', seq, ok: true, result });
    } catch (error) {
      post({ type: 'reply', seq, ok: false, error: serializeError(error) });
    }
  });
  post({ type: 'ready' });
}

start();
