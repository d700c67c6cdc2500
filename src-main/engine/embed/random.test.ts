import { describe, expect, it } from 'vitest';
import { createRandom, deriveSeed, shuffleInPlace } from './random';

describe('createRandom', () => {
  it('repeats for a seed and differs between seeds', () => {
    const a = createRandom(7);
    const b = createRandom(7);
    const c = createRandom(8);
    const first = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(first);
  });

  it('gives floats in [0, 1) spread over the interval', () => {
    const random = createRandom(123);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const value = random();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
      buckets[Math.floor(value * 10)]++;
    }
    for (const count of buckets) expect(count).toBeGreaterThan(900);
  });
});

describe('deriveSeed', () => {
  it('gives distinct 32-bit seeds for different indices and seeds', () => {
    const seeds = new Set<number>();
    for (let seed = 0; seed < 20; seed++) for (let index = 0; index < 20; index++) seeds.add(deriveSeed(seed, index));
    expect(seeds.size).toBe(400);
    for (const s of seeds) expect(s >>> 0).toBe(s);
  });
});

describe('shuffleInPlace', () => {
  it('makes a seeded permutation', () => {
    const order = Int32Array.from({ length: 50 }, (_, i) => i);
    shuffleInPlace(order, createRandom(1));
    expect([...order].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...order]).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    const again = Int32Array.from({ length: 50 }, (_, i) => i);
    shuffleInPlace(again, createRandom(1));
    expect(again).toEqual(order);
  });
});
