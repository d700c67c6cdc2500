import { describe, expect, it } from 'vitest';
import type { KSweepScore } from '../../../src-shared/domain';
import { ShelfmapError } from '../../../src-shared/errors';
import { ELBOW_WINDOW, inertiaElbow, proposeK, separationScore, subsampleStability, sweepK, sweepRange, SWEEP_MAX_POINTS } from './k-sweep';
import { mulberry32 } from './random';

/** `groups` seeded Gaussian blobs of `per` points in `dims` dimensions, centres `gap` apart on the axes. */
function blobs(groups: number, per: number, dims: number, gap: number, seed: number): number[][] {
  const random = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const points: number[][] = [];
  for (let g = 0; g < groups; g++) {
    for (let i = 0; i < per; i++) points.push(Array.from({ length: dims }, (_, d) => (d === g % dims ? gap * (1 + Math.floor(g / dims)) : 0) + gauss()));
  }
  return points;
}

const uniform = (n: number, dims: number, seed: number) => {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => Array.from({ length: dims }, () => random()));
};

const score = (k: number, inertia: number, silhouette: number, stability: number): KSweepScore => ({ k, inertia, silhouette, stability });

describe('sweepK on points with a known number of groups', () => {
  for (const groups of [3, 5, 8]) {
    it(`finds ${groups} well-separated groups, with the bend of the inertia curve there`, async () => {
      const points = blobs(groups, 20, 8, 10, 100 + groups);
      const sweep = await sweepK(points, { min: 2, max: 12, seed: 7, restarts: 5 });
      expect(sweep.proposed).toBe(groups);
      expect(sweep.elbow).toBe(groups);
      const at = sweep.scores.find((s) => s.k === groups)!;
      expect(at.stability).toBeGreaterThan(0.99);
      expect(at.silhouette).toBeGreaterThan(0.6);
      expect(sweep.reason).toContain(`bends at k = ${groups}`);
    });
  }

  it('records every k of the range, in order, with the range asked and the time', async () => {
    const points = blobs(3, 10, 4, 8, 1);
    const sweep = await sweepK(points, { min: 2, max: 6, seed: 1, restarts: 2 });
    expect(sweep.scores.map((s) => s.k)).toEqual([2, 3, 4, 5, 6]);
    expect(sweep).toMatchObject({ asked: { min: 2, max: 6 }, min: 2, max: 6 });
    expect(sweep.ms).toBeGreaterThanOrEqual(0);
    // inertia never rises with k on the best of several starts here
    for (let i = 1; i < sweep.scores.length; i++) expect(sweep.scores[i].inertia).toBeLessThanOrEqual(sweep.scores[i - 1].inertia + 1e-9);
  });

  it('repeats exactly with the same seed', async () => {
    const points = uniform(60, 5, 3);
    const a = await sweepK(points, { min: 2, max: 8, seed: 11, restarts: 3 });
    const b = await sweepK(points, { min: 2, max: 8, seed: 11, restarts: 3 });
    expect({ ...b, ms: 0 }).toEqual({ ...a, ms: 0 });
  });
});

describe('sweepRange', () => {
  it('clamps the range to the number of books - 1', () => {
    expect(sweepRange({ min: 2, max: 30 }, 12)).toEqual({ min: 2, max: 11 });
    expect(sweepRange({ min: 2, max: 30 }, 197)).toEqual({ min: 2, max: 30 });
    expect(sweepRange({ min: 20, max: 30 }, 12)).toEqual({ min: 11, max: 11 });
    expect(sweepRange({ min: 2, max: 30 }, 3)).toEqual({ min: 2, max: 2 });
  });

  it('refuses fewer than 3 books, saying what to do', () => {
    expect(() => sweepRange({ min: 2, max: 30 }, 2)).toThrow(ShelfmapError);
    expect(() => sweepRange({ min: 2, max: 30 }, 2)).toThrow(/k = "auto" needs at least 3 books .* has 2\); set k to a number instead/);
  });
});

describe('stability', () => {
  it('is 1 for groups that are plain to see, and well below for points without groups', () => {
    expect(subsampleStability(blobs(4, 15, 6, 12, 5), 4, 9)).toBeCloseTo(1, 9);
    expect(subsampleStability(uniform(80, 6, 5), 6, 9)).toBeLessThan(0.8);
  });
});

describe('inertiaElbow', () => {
  it('is the k farthest below the straight line from the first k to the last', () => {
    // normalised: x = 0, .25, .5, .75, 1; y = 1, .3, .2, .1, 0: below = 0, .45, .3, .15, 0
    const curve = [score(2, 100, 0, 0), score(3, 30, 0, 0), score(4, 20, 0, 0), score(5, 10, 0, 0), score(6, 0, 0, 0)];
    expect(inertiaElbow(curve)).toBe(3);
  });

  it('is null on a straight line, on a rising curve and with fewer than three k', () => {
    expect(inertiaElbow([2, 3, 4, 5].map((k) => score(k, 10 - k, 0, 0)))).toBeNull();
    expect(inertiaElbow([2, 3, 4].map((k) => score(k, k, 0, 0)))).toBeNull();
    expect(inertiaElbow([score(2, 10, 0, 0), score(3, 1, 0, 0)])).toBeNull();
  });
});

describe('proposeK', () => {
  // bends at 6; k = 3 scores highest overall, k = 7 highest near the bend
  const curve = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((k) =>
    score(k, k <= 6 ? 100 - 15 * (k - 2) : 40 - 2 * (k - 6), 0.2, k === 3 ? 0.9 : k === 7 ? 0.7 : 0.5),
  );

  it('takes the best silhouette × stability within the window around the bend, and says what scored higher elsewhere', () => {
    const proposal = proposeK(curve);
    expect(proposal.elbow).toBe(6);
    expect(proposal.proposed).toBe(7);
    expect(Math.abs(proposal.proposed - proposal.elbow!)).toBeLessThanOrEqual(ELBOW_WINDOW);
    expect(proposal.reason).toBe(
      'the inertia curve bends at k = 6, and silhouette 0.200 × stability 0.700 = 0.140 is the highest of k = 4..8. ' +
        'Over the whole range k = 3 scores higher (0.180), a coarser grouping far from the bend.',
    );
    expect(proposal.rule).toMatch(/within 2 of where the inertia curve bends/);
  });

  it('takes the best of the whole range when the curve does not bend', () => {
    const straight = [2, 3, 4, 5].map((k) => score(k, 10 - k, 0.1 * k, 0.5));
    const proposal = proposeK(straight);
    expect(proposal).toMatchObject({ proposed: 5, elbow: null });
    expect(proposal.reason).toMatch(/^the inertia curve does not bend over 2\.\.5, and silhouette 0\.500 × stability 0\.500 = 0\.250 is the highest of the range\.$/);
  });

  it('counts a negative silhouette or stability as no better than none, and breaks ties towards the smaller k', () => {
    expect(separationScore(score(2, 1, -0.5, -0.5))).toBe(0);
    const tied = [2, 3, 4, 5].map((k) => score(k, 10 - k, 0.3, 0.5));
    expect(proposeK(tied).proposed).toBe(2);
  });

  it('proposes the only k of a range of one', () => {
    expect(proposeK([score(2, 3, 0.4, 0.9)])).toMatchObject({ proposed: 2, reason: 'it is the only k the range allows (silhouette 0.400 × stability 0.900 = 0.360).' });
  });
});

describe('sweepK progress and cancelling', () => {
  it('reports each k before it is tried', async () => {
    const seen: string[] = [];
    await sweepK(blobs(3, 8, 3, 8, 2), { min: 2, max: 5, seed: 1, restarts: 1, onK: (k, i, n, r) => seen.push(`${k} ${i}/${n} ${r.min}..${r.max}`) });
    expect(seen).toEqual(['2 0/4 2..5', '3 1/4 2..5', '4 2/4 2..5', '5 3/4 2..5']);
  });

  it('stops between k values when cancelled', async () => {
    const abort = new AbortController();
    const tried: number[] = [];
    const sweep = sweepK(uniform(40, 4, 1), {
      min: 2,
      max: 10,
      seed: 1,
      restarts: 1,
      signal: abort.signal,
      onK: (k) => {
        tried.push(k);
        if (k === 4) abort.abort();
      },
    });
    await expect(sweep).rejects.toMatchObject({ kind: 'cancelled' });
    expect(tried).toEqual([2, 3, 4]);
  });
});

describe('sweepK above SWEEP_MAX_POINTS', () => {
  it('scores a seeded sample of the books, says so, and still finds the groups', async () => {
    expect(SWEEP_MAX_POINTS).toBe(2000);
    const points = blobs(4, 501, 6, 10, 5); // 2004 points
    const sweep = await sweepK(points, { min: 2, max: 6, seed: 3, restarts: 2 });
    expect(sweep.proposed).toBe(4);
    expect(sweep.reason).toMatch(/seeded sample of 2,000 of the 2,004 books/);
    expect(await sweepK(points, { min: 2, max: 6, seed: 3, restarts: 2 })).toMatchObject({ scores: sweep.scores });
    const whole = await sweepK(points.slice(0, 2000), { min: 2, max: 3, seed: 3, restarts: 1 });
    expect(whole.reason).not.toMatch(/sample/);
  });
});
