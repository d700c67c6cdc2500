// Placing new books on a run without refitting it, on the real corpus: for each split (seeded)
// 10% of the books are held out, the default pipeline runs on the other 90%, and the held-out
// books are placed on that run. Prints the time to place them and how often a book's cluster's
// majority genre (over the run's own books) is the book's own genre: for the placed books, and
// for the run's own books (the same measure, the run's purity), so the two can be compared.
//   npm run bench:place [-- --splits 3 --backend wasm --held-out 0.1 --settings '{...}']
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BookPoint } from '../src-shared/domain';
import type { SettingsInput } from '../src-shared/settings';
import { createRandom, shuffleInPlace } from '../src-main/engine/random';
import { normalizedMutualInfo } from '../src-main/engine/evaluate';
import { embedForRun, nearestCentre } from '../src-main/engine/place';
import { l2NormalizeRows } from '../src-main/engine/features';
import { cosineDistance } from '../src-main/engine/cluster/layout';
import { CORPUS, loadGenres, openLibraryEngine } from './bench-library';

const BOOKS = join(CORPUS, 'books');

/** Each cluster's most common genre among `points`, ties to the genre first in name order. */
function majorityGenres(points: BookPoint[], genreOf: (p: BookPoint) => string): Map<number, string> {
  const counts = new Map<number, Map<string, number>>();
  for (const p of points) {
    const byGenre = counts.get(p.cluster) ?? new Map<string, number>();
    byGenre.set(genreOf(p), (byGenre.get(genreOf(p)) ?? 0) + 1);
    counts.set(p.cluster, byGenre);
  }
  return new Map([...counts].map(([cluster, byGenre]) => [cluster, [...byGenre].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0]]));
}

async function main() {
  const { values } = parseArgs({
    options: {
      splits: { type: 'string', default: '3' },
      backend: { type: 'string', default: 'auto' },
      'held-out': { type: 'string', default: '0.1' },
      settings: { type: 'string', default: '{}' },
    },
  });
  if (!existsSync(BOOKS)) {
    console.error(`The corpus is not at ${BOOKS}: this benchmark needs ../shared/corpus/gutenberg beside the project.`);
    process.exit(1);
  }
  const genres = loadGenres();
  const files = readdirSync(BOOKS).filter((f) => f.endsWith('.txt')).sort();
  const heldOutCount = Math.round(files.length * Number(values['held-out']));
  const settings: SettingsInput = { ...(JSON.parse(values.settings!) as SettingsInput), backend: values.backend as SettingsInput['backend'] };
  console.log(
    `Shelfmap place benchmark: ${files.length} books, ${heldOutCount} held out per split, default pipeline ${values.settings}, backend ${values.backend}, ${cpus().length} cores, node ${process.version}`,
  );
  console.log(
    'split  run books  k   run NMI  run s   place s  per book ms  placed in majority-genre cluster  run books in majority-genre cluster' +
      '  | run books nearest their own centre  placed by 10-NN vote instead  held-out books in a refit run',
  );

  const totals = { placed: 0, placedRight: 0, own: 0, ownRight: 0, placeMs: 0, ownNearest: 0, knnRight: 0, refitRight: 0 };
  const rate = (right: number, all: number) => `${right}/${all} = ${(right / all).toFixed(3)}`;
  for (let split = 1; split <= Number(values.splits); split++) {
    const dir = mkdtempSync(join(tmpdir(), 'shelfmap-bench-place-'));
    try {
      // copies in a temp folder (never in the project): the run's books and the held-out ones apart
      const order = Int32Array.from(files, (_, i) => i);
      shuffleInPlace(order, createRandom(split));
      const held = new Set(Array.from(order.subarray(0, heldOutCount), (i) => files[i]));
      for (const part of ['run', 'held-out']) mkdirSync(join(dir, part));
      for (const f of files) cpSync(join(BOOKS, f), join(dir, held.has(f) ? 'held-out' : 'run', f));

      const { store, engine, finishedRun } = openLibraryEngine(join(dir, 'library.sqlite'));
      try {
        await engine.call('addFolder', { folder: join(dir, 'run') });
        const runStart = performance.now();
        const runId = await finishedRun({ settings, folder: join(dir, 'run') });
        const runSeconds = (performance.now() - runStart) / 1000;

        const placeStart = performance.now();
        const report = await engine.call('placeBooks', { runId, folder: join(dir, 'held-out') });
        const placeMs = performance.now() - placeStart;
        const { run, points } = await engine.call('getRun', { runId });
        const genreOf = (p: BookPoint) => genres.get(join(BOOKS, basename(p.path))) ?? '?';
        const own = points.filter((p) => !p.placed);
        const majority = majorityGenres(own, genreOf);
        const right = (ps: BookPoint[]) => ps.filter((p) => majority.get(p.cluster) === genreOf(p)).length;
        const placedRight = right(report.placed);
        const ownRight = right(own);
        const nmi = normalizedMutualInfo(own.map(genreOf), own.map((p) => p.cluster));

        // for comparison: the same nearest-centre rule on the run's own books; a vote of the 10
        // nearest run books instead of the nearest centre; and the held-out books in a run refitted on all
        const { placement, embeddings } = await embedForRun({ store, run, books: report.placed.map((p) => store.book(p.bookId)!) });
        const space = (e: ArrayLike<number>) => (placement.normalize ? l2NormalizeRows([Array.from(e)])[0] : Array.from(e));
        const ownNearest = own.filter((p) => nearestCentre(space(placement.embeddings.get(p.bookId)!), placement.centres).cluster === p.cluster).length;
        const ownVectors = own.map((p) => Array.from(placement.embeddings.get(p.bookId)!));
        const knnRight = report.placed.filter((p, i) => {
          const votes = new Map<number, number>();
          ownVectors
            .map((v, j) => ({ j, d: cosineDistance(embeddings[i], v) }))
            .sort((a, b) => a.d - b.d)
            .slice(0, 10)
            .forEach(({ j }) => votes.set(own[j].cluster, (votes.get(own[j].cluster) ?? 0) + 1));
          const cluster = [...votes].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
          return majority.get(cluster) === genreOf(p);
        }).length;
        const refitPoints = (await engine.call('getRun', { runId: await finishedRun({ settings }) })).points;
        const heldIds = new Set(report.placed.map((p) => p.bookId));
        const refitMajority = majorityGenres(refitPoints.filter((p) => !heldIds.has(p.bookId)), genreOf);
        const refitRight = refitPoints.filter((p) => heldIds.has(p.bookId) && refitMajority.get(p.cluster) === genreOf(p)).length;

        totals.placed += report.placed.length;
        totals.placedRight += placedRight;
        totals.own += own.length;
        totals.ownRight += ownRight;
        totals.placeMs += placeMs;
        totals.ownNearest += ownNearest;
        totals.knnRight += knnRight;
        totals.refitRight += refitRight;
        console.log(
          `${String(split).padEnd(6)} ${String(own.length).padStart(9)}  ${String(run.settings.k).padEnd(3)} ${nmi.toFixed(3).padStart(7)}  ${runSeconds.toFixed(1).padStart(5)}  ${(placeMs / 1000).toFixed(2).padStart(7)}  ${(report.ms / report.placed.length).toFixed(0).padStart(11)}  ${rate(placedRight, report.placed.length).padStart(32)}  ${rate(ownRight, own.length).padStart(35)}  | ${rate(ownNearest, own.length).padStart(34)}  ${rate(knnRight, report.placed.length).padStart(28)}  ${rate(refitRight, report.placed.length).padStart(29)}   [${report.backend}]`,
        );
      } finally {
        store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(
    `all    placed books in their genre's majority cluster ${rate(totals.placedRight, totals.placed)}; run books ${rate(totals.ownRight, totals.own)}; ` +
      `placing (import of the folder included) ${(totals.placeMs / 1000 / Number(values.splits)).toFixed(2)} s per split\n` +
      `       run books nearest their own centre ${rate(totals.ownNearest, totals.own)}; placed by 10-NN vote ${rate(totals.knnRight, totals.placed)}; held-out books in a refit run ${rate(totals.refitRight, totals.placed)}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
