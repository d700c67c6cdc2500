// Seeded synthetic stand-ins for book embeddings, for the layout and clustering benchmarks and
// tests: `groups` Gaussian blobs in `dims` dimensions with unequal sizes and overlapping spread.
import { createRandom } from '../src-main/engine/random';

export interface Blobs {
  points: number[][];
  labels: number[];
}

function gaussian(random: () => number): number {
  // Box-Muller, one value per call
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** n points around `groups` seeded centres (spread 1 per axis; centres drawn with spread `separation` per axis, so they overlap). */
export function seededBlobs(n: number, options: { groups?: number; dims?: number; seed?: number; separation?: number } = {}): Blobs {
  const groups = options.groups ?? 12;
  const dims = options.dims ?? 16;
  const random = createRandom(options.seed ?? 1);
  const separation = options.separation ?? 1;
  const centres = Array.from({ length: groups }, () => Array.from({ length: dims }, () => gaussian(random) * separation / Math.SQRT2));
  // unequal group sizes, as genres are: weights 1..2
  const weights = Array.from({ length: groups }, () => 1 + random());
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  let running = 0;
  for (const w of weights) cumulative.push((running += w / total));
  const points: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = random();
    let g = cumulative.findIndex((c) => r < c);
    if (g < 0) g = groups - 1;
    points.push(centres[g].map((c) => c + gaussian(random)));
    labels.push(g);
  }
  return { points, labels };
}
