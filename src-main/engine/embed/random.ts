// Seeded randomness for training: batch order and per-layer initialiser seeds. Math.random and
// tf.util.shuffle (which uses Math.random) would make runs unrepeatable.

export { createRandom, shuffleInPlace } from '../random';

/** A seed for the `index`-th consumer of `seed`, decorrelated from its neighbours (splitmix32 finaliser). */
export function deriveSeed(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
