// How well a 2-D map keeps like with like: for each point, the share of its k nearest points on
// the map (Euclidean, exact) that carry its label (a genre, say), averaged over the points.
// A grid of cells makes the search near linear, so maps of 70,000 books can be measured.
import { ShelfmapError } from '../../../src-shared/errors';

export function neighbourPurity(coords: readonly (readonly number[])[], labels: ArrayLike<number | string>, k = 5): number {
  const n = coords.length;
  if (labels.length !== n) throw new ShelfmapError('invalid-argument', `There are ${n} points but ${labels.length} labels.`);
  if (n <= k) throw new ShelfmapError('invalid-argument', `Neighbour purity needs more than ${k} points (got ${n}).`);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of coords) {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  const side = Math.max(1, Math.ceil(Math.sqrt(n / 2)));
  const cellW = (maxX - minX) / side || 1;
  const cellH = (maxY - minY) / side || 1;
  const cellOf = (v: number, min: number, size: number) => Math.min(side - 1, Math.floor((v - min) / size));
  const cells: number[][] = Array.from({ length: side * side }, () => []);
  coords.forEach(([x, y], i) => cells[cellOf(y, minY, cellH) * side + cellOf(x, minX, cellW)].push(i));

  let total = 0;
  const bestD: number[] = [];
  const bestI: number[] = [];
  for (let i = 0; i < n; i++) {
    const [x, y] = coords[i];
    const cx = cellOf(x, minX, cellW);
    const cy = cellOf(y, minY, cellH);
    bestD.length = 0;
    bestI.length = 0;
    for (let ring = 0; ring < side; ring++) {
      for (let gy = cy - ring; gy <= cy + ring; gy++) {
        if (gy < 0 || gy >= side) continue;
        for (let gx = cx - ring; gx <= cx + ring; gx++) {
          if (gx < 0 || gx >= side) continue;
          if (Math.max(Math.abs(gx - cx), Math.abs(gy - cy)) !== ring) continue;
          for (const j of cells[gy * side + gx]) {
            if (j === i) continue;
            const d = (coords[j][0] - x) ** 2 + (coords[j][1] - y) ** 2;
            if (bestD.length < k || d < bestD[bestD.length - 1] || (d === bestD[bestD.length - 1] && j < bestI[bestI.length - 1])) {
              let at = bestD.length;
              while (at > 0 && (bestD[at - 1] > d || (bestD[at - 1] === d && bestI[at - 1] > j))) at--;
              bestD.splice(at, 0, d);
              bestI.splice(at, 0, j);
              if (bestD.length > k) {
                bestD.pop();
                bestI.pop();
              }
            }
          }
        }
      }
      // every point beyond this ring is at least `ring` cells away
      const reach = ring * Math.min(cellW, cellH);
      if (bestD.length === k && bestD[k - 1] <= reach * reach) break;
    }
    let same = 0;
    for (const j of bestI) if (labels[j] === labels[i]) same++;
    total += same / k;
  }
  return total / n;
}
