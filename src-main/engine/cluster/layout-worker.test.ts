// The map's layout in its own worker thread (layout.ts startLayoutWorker): the same coordinates
// as layout2d on this thread, bit for bit; a cancel ends the thread; a thread that fails says so.
import { afterEach, describe, expect, it } from 'vitest';
import { ShelfmapError } from '../../../src-shared/errors';
import { seededBlobs } from '../../../bench/layout-data';
import { layout2d, layoutWorkerFaults, startLayoutWorker } from './layout';

afterEach(() => {
  layoutWorkerFaults.crash = null;
});

/** The coordinates' bytes as doubles: equal only when every value is the same bit for bit (-0 and 0 differ). */
function bytesOf(xy: number[][]): Buffer {
  return Buffer.from(Float64Array.from(xy.flat()).buffer);
}

describe('startLayoutWorker', () => {
  const { points } = seededBlobs(400, { seed: 2, groups: 4, separation: 4 });

  it('gives layout2d\'s coordinates bit for bit, by umap-js and on the large-map path, for each seed', async () => {
    for (const options of [{ seed: 7 }, { seed: 8 }, { seed: 7, largeFrom: 100 }, { seed: 3, metric: 'euclidean' as const }]) {
      const here = layout2d(points.slice(0, 200), options);
      const job = startLayoutWorker(points.slice(0, 200), options);
      const there = await job.result;
      expect(there.xy).toHaveLength(200);
      expect(bytesOf(there.xy).equals(bytesOf(here))).toBe(true);
      expect(there.ms).toBeGreaterThan(0);
      expect(await job.ended).toBe('finished');
    }
    // the fallbacks too: no points, one point, no spread
    for (const few of [[], [[3, 4]], Array.from({ length: 9 }, () => [1, 1])]) {
      expect((await startLayoutWorker(few, { seed: 1 }).result).xy).toEqual(layout2d(few, { seed: 1 }));
    }
  });

  it('refuses bad points here, before any thread starts', () => {
    expect(() => startLayoutWorker([[1, 2], [1]], { seed: 1 })).toThrow(/has 1 values/);
    expect(() => startLayoutWorker([[1]], { seed: 1.5 })).toThrow(ShelfmapError);
  });

  it('ends the thread on a cancel, and on stop()', async () => {
    const many = seededBlobs(3000, { seed: 1, groups: 6, separation: 3 }).points;
    const controller = new AbortController();
    const job = startLayoutWorker(many, { seed: 1, signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    await expect(job.result).rejects.toMatchObject({ kind: 'cancelled' });
    // the thread ended without sending a map: it was stopped, not left to finish
    expect(await job.ended).toBe('stopped');

    const stopped = startLayoutWorker(many, { seed: 1 });
    stopped.stop();
    await expect(stopped.result).rejects.toMatchObject({ kind: 'cancelled' });
    expect(await stopped.ended).toBe('stopped');

    const aborted = new AbortController();
    aborted.abort();
    const never = startLayoutWorker(many, { seed: 1, signal: aborted.signal });
    await expect(never.result).rejects.toMatchObject({ kind: 'cancelled' });
    expect(await never.ended).toBe('stopped');
  });

  it('says plainly when its thread dies or throws', async () => {
    layoutWorkerFaults.crash = 'exit';
    const exited = startLayoutWorker(points, { seed: 1 });
    await expect(exited.result).rejects.toThrow(/map could not be laid out: its worker thread stopped with exit code 3/);
    await expect(exited.result).rejects.toMatchObject({ kind: 'internal' });
    layoutWorkerFaults.crash = 'throw';
    await expect(startLayoutWorker(points, { seed: 1 }).result).rejects.toThrow(/map could not be laid out: its worker thread failed \(injected crash/);
  });
});
