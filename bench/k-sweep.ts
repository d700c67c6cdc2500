// Choosing k on the real corpus: a default run with k = "auto" (a sweep over 2..30) for each
// seed, through the engine as a user runs it. Prints the sweep's time, every k's scores, the
// proposed k and why, what simpler rules would have picked, and the run's NMI against the
// manifest's genre column (12 genres).
//   npm run bench:k-sweep [-- --seeds 3 --from 1 --backend wasm --min 2 --max 30]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { KSweep } from '../src-shared/domain';
import type { SettingsInput } from '../src-shared/settings';
import { separationScore } from '../src-main/engine/cluster/k-sweep';
import { normalizedMutualInfo } from '../src-main/engine/evaluate';
import { CORPUS, loadGenres, openLibraryEngine, requireCorpus } from './bench-library';

const secs = (ms: number | undefined) => (ms === undefined ? '-' : (ms / 1000).toFixed(2));

function table(sweep: KSweep): string {
  const lines = ['  k    inertia  silhouette  stability  sil×stab'];
  for (const s of sweep.scores) {
    const marks = `${s.k === sweep.proposed ? '*' : ''}${s.k === sweep.elbow ? '<' : ''}`;
    lines.push(
      `  ${String(s.k).padEnd(2)}${marks.padEnd(3)}${s.inertia.toFixed(2).padStart(7)}  ${s.silhouette.toFixed(3).padStart(10)}  ${s.stability.toFixed(3).padStart(9)}  ${separationScore(s).toFixed(3).padStart(8)}`,
    );
  }
  return lines.join('\n');
}

/** The k a one-score rule would take (ties: the smaller k). */
function bestBy(sweep: KSweep, score: (s: KSweep['scores'][number]) => number): number {
  return sweep.scores.reduce((best, s) => (score(s) > score(best) + 1e-12 ? s : best)).k;
}

async function main() {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string', default: 'auto' },
      seeds: { type: 'string', default: '3' },
      from: { type: 'string', default: '1' },
      min: { type: 'string', default: '2' },
      max: { type: 'string', default: '30' },
    },
  });
  requireCorpus();
  const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => i + Number(values.from));
  const kRange = { min: Number(values.min), max: Number(values.max) };
  const genres = loadGenres();
  const dir = mkdtempSync(join(tmpdir(), 'shelfmap-bench-ksweep-'));
  const { store, engine, finishedRun } = openLibraryEngine(join(dir, 'library.sqlite'));
  console.log(
    `Shelfmap k sweep benchmark: ${genres.size} books, ${new Set(genres.values()).size} genres, k = auto over ${kRange.min}..${kRange.max}, ` +
      `seeds ${seeds.join(',')}, ${cpus().length} cores, node ${process.version}`,
  );
  const report = await engine.call('addFolder', { folder: join(CORPUS, 'books') });
  console.log(`add folder: ${report.added} books, ${report.rejected.length} left out`);

  const summary: string[] = [];
  for (const seed of seeds) {
    const settings: SettingsInput = { k: 'auto', kRange, seed, backend: values.backend as SettingsInput['backend'] };
    const runId = await finishedRun({ settings });
    const { run, points } = await engine.call('getRun', { runId });
    const sweep = run.kSweep!;
    const nmi = normalizedMutualInfo(
      points.map((p) => genres.get(p.path) ?? 'unknown'),
      points.map((p) => p.cluster),
    );
    const inside = sweep.proposed >= 8 && sweep.proposed <= 16;
    console.log(`\nseed ${seed} [${run.backend}]: sweep ${secs(sweep.ms)} s over k = ${sweep.min}..${sweep.max}; stages ${Object.entries(run.timings).map(([s, ms]) => `${s} ${secs(ms)}`).join(', ')}`);
    console.log(table(sweep));
    console.log(`  (* proposed, < where the inertia curve bends)`);
    console.log(`  proposed k = ${sweep.proposed} because ${sweep.reason}`);
    console.log(
      `  other rules: highest silhouette k = ${bestBy(sweep, (s) => s.silhouette)}, highest stability k = ${bestBy(sweep, (s) => s.stability)}, ` +
        `highest silhouette × stability k = ${bestBy(sweep, separationScore)}`,
    );
    console.log(`  run with k = ${sweep.proposed}: NMI against genre ${nmi.toFixed(3)}; proposed k ${inside ? 'inside' : 'OUTSIDE'} 8..16`);
    summary.push(`seed ${seed}: proposed k = ${sweep.proposed} (bend at ${sweep.elbow ?? 'none'}), sweep ${secs(sweep.ms)} s, cluster stage ${secs(run.timings.cluster)} s, NMI ${nmi.toFixed(3)}`);
  }
  console.log(`\nRule: ${(await engine.call('listRuns', {}))[0].kSweep!.rule}.`);
  console.log(summary.join('\n'));
  store.close();
  rmSync(dir, { recursive: true, force: true });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
