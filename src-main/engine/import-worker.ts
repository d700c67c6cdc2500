// One of the import's worker threads (import-pool.ts): prepares the files it is sent, one at a
// time in the order sent, reading each without waiting (it has nothing else to do), and sends
// back plain data (import-work.ts). Built as its own entry (out/main/import-worker.js).
import { parentPort, workerData } from 'node:worker_threads';
import { basename } from 'node:path';
import { prepareFileSync } from './import-work';
import type { PoolTask, PoolReply, PoolWorkerData } from './import-pool';
import { exitIfAskedToStop } from './worker-stop';

const data = workerData as PoolWorkerData;
const known = new Set(data.known);

parentPort!.on('message', (task: PoolTask) => {
  exitIfAskedToStop(data.stop);
  // a test's way to make a reader die on a given file (see ImportOptions.crashOn)
  if (data.crashOn && basename(task.file.path) === data.crashOn.name) {
    if (data.crashOn.how === 'exit') process.exit(3);
    if (data.crashOn.how === 'oom') {
      const hoard: number[][] = [];
      for (;;) hoard.push(Array.from({ length: 1 << 16 }, (_, i) => i));
    }
    throw new Error(`injected crash on ${data.crashOn.name}`);
  }
  // a path that is not UTF-8 comes as bytes, which arrive here as a plain Uint8Array
  const { path, fsPath } = task.file;
  const file = { path, fsPath: typeof fsPath === 'string' ? fsPath : Buffer.from(fsPath) };
  const result = prepareFileSync(file, { maxBytes: data.maxBytes, known });
  const reply: PoolReply = { id: task.id, result };
  const transfer = result.ok ? [result.spans.spans.buffer, ...(result.spans.bytes ? [result.spans.bytes.buffer] : []), ...(result.counts ? [result.counts.terms.buffer] : [])] : [];
  parentPort!.postMessage(reply, transfer as ArrayBuffer[]);
});
parentPort!.postMessage({ ready: true });
