// Real worker threads: each stops at its next message once asked, after the task it is in (a
// run of synchronous deflates, as the import's readers do), and exits of its own accord; one that
// never takes a message again is terminated after the grace period.
import { describe, expect, it } from 'vitest';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { stopBetweenTasks, stopFlag } from './worker-stop';

/** A thread that deflates for `ms` on every task, checking the flag first as exitIfAskedToStop does. */
function deflatingWorker(flag: Int32Array, ms: number): Worker {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { deflateRawSync } = require('node:zlib');
    parentPort.on('message', (task) => {
      if (Atomics.load(workerData.flag, 0) === 1) process.exit(0);
      const until = Date.now() + workerData.ms;
      while (Date.now() < until) deflateRawSync(Buffer.alloc(4096, task), { level: 1 });
      parentPort.postMessage(task);
    });`;
  return new Worker(code, { eval: true, workerData: { flag, ms } });
}

describe('stopBetweenTasks', () => {
  it('lets each busy or idle thread finish the task it is in and exit by itself, skipping the tasks queued behind', async () => {
    const flag = stopFlag();
    const busy = deflatingWorker(flag, 150);
    const idle = deflatingWorker(flag, 150);
    const done: number[] = [];
    busy.on('message', (task: number) => done.push(task));
    const codes = [busy, idle].map((w) => new Promise<number>((resolve) => w.once('exit', resolve)));
    await Promise.all([busy, idle].map((w) => once(w, 'online')));
    for (const task of [1, 2, 3, 4]) busy.postMessage(task);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await stopBetweenTasks([busy, idle], flag, 'stop');
    // exit code 0 is the thread's own process.exit(0); terminate() gives 1
    expect(await Promise.all(codes)).toEqual([0, 0]);
    expect(done).toEqual([1]);
  });

  it('terminates a thread that does not come back to its messages within the grace period', async () => {
    const flag = stopFlag();
    const stuck = new Worker(`require('node:worker_threads').parentPort.on('message', () => { for (;;); });`, { eval: true });
    stuck.postMessage('loop');
    const code = new Promise<number>((resolve) => stuck.once('exit', resolve));
    await stopBetweenTasks([stuck], flag, 'stop', 200);
    expect(await code).toBe(1);
  });

  it('passes over a thread that has exited already', async () => {
    const flag = stopFlag();
    const gone = new Worker(`process.exit(3)`, { eval: true });
    await new Promise((resolve) => gone.once('exit', resolve));
    await stopBetweenTasks([gone], flag, 'stop', 200);
    expect(gone.threadId).toBe(-1);
  });
});
