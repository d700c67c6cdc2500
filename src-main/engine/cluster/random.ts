// Small seeded random helpers, so every random choice in clustering and layout repeats.

/** mulberry32 (one PRNG for the whole engine), under the name clustering code knows it by. */
export { createRandom as mulberry32 } from '../random';

/**
 * A seed for sub-stream `stream` of `seed` (e.g. the i-th k-means restart), mixed so that
 * neighbouring seeds and streams give unrelated sequences. Result is in [1, 2^31 - 1].
 */
export function deriveSeed(seed: number, stream: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul((stream + 1) >>> 0, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return (h % 0x7ffffffe) + 1;
}
