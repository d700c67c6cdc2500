// The map's layout in a worker thread of its own (layout.ts startLayoutWorker), so it runs on the
// second core while the engine's thread finds the clusters and names them. Built as its own
// entry (out/main/layout-worker.js). Gets the points as one Float64Array (the same doubles), lays
// them out with layout2d exactly as the engine's thread would, and sends back the coordinates
// and when they were done.
import { parentPort, workerData } from 'node:worker_threads';
import { ShelfmapError } from '../../../src-shared/errors';
import { layout2d, wallClockMs } from './layout';
import type { LayoutWorkerData, LayoutWorkerReply } from './layout';

const data = workerData as LayoutWorkerData;
// tests' ways to make the layout fail: by throwing, or by the thread exiting
if (data.crash === 'exit') process.exit(3);
if (data.crash === 'throw') throw new Error('injected crash in the layout worker');
let reply: LayoutWorkerReply;
try {
  const points = Array.from({ length: data.count }, (_, i) => Array.from(data.values.subarray(i * data.dims, (i + 1) * data.dims)));
  const xy = layout2d(points, data.options);
  const flat = new Float64Array(2 * xy.length);
  xy.forEach((p, i) => flat.set(p, 2 * i));
  reply = { ok: true, xy: flat, finishedAt: wallClockMs() };
} catch (error) {
  reply = {
    ok: false,
    kind: error instanceof ShelfmapError ? error.kind : 'internal',
    message: error instanceof Error ? error.message : String(error),
  };
}
parentPort!.postMessage(reply, reply.ok ? [reply.xy.buffer as ArrayBuffer] : []);
