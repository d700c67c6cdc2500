// Stopping a worker thread between its tasks, not inside one. terminate() can stop a thread in
// the middle of a synchronous zlib call (the store's deflate in the import's readers, its inflate
// in the features threads), after the call has made its native handle and before it has set it
// up; Node then aborts the whole process while cleaning the thread up (node_zlib.cc: "close
// before init"), which CI met once as a features test file's fork dying. So the owner raises a
// flag in shared memory, the thread looks at it as each message arrives and exits there, and
// terminate() is left for a thread that does not stop within the grace period.
import type { Worker } from 'node:worker_threads';

/** One Int32 in shared memory, set to 1 when the threads should stop; it goes to them in workerData. */
export type StopFlag = Int32Array;

export function stopFlag(): StopFlag {
  return new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
}

/** In the thread, first thing for every message: exits (code 0) once its owner has asked it to stop. */
export function exitIfAskedToStop(flag: StopFlag | undefined): void {
  if (flag && Atomics.load(flag, 0) === 1) process.exit(0);
}

/** How long a thread may take to finish the task it is in before it is terminated after all. */
export const STOP_GRACE_MS = 10_000;

/**
 * Asks `workers` to stop at their next message (an idle one is woken by `wake`, which it never
 * gets to read) and waits until each has exited; one still running after `graceMs` is terminated.
 */
export async function stopBetweenTasks(workers: readonly Worker[], flag: StopFlag, wake: unknown, graceMs = STOP_GRACE_MS): Promise<void> {
  Atomics.store(flag, 0, 1);
  await Promise.all(
    workers.map(async (worker) => {
      if (worker.threadId === -1) return; // it has exited already
      // not events.once: it would reject on the thread's 'error', which its owner handles already
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage(wake);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs)));
      const tooLate = await Promise.race([exited.then(() => false), late]);
      clearTimeout(timer);
      if (tooLate) await worker.terminate();
    }),
  );
}
