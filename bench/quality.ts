// Quality and end-to-end time of the default pipeline on the real corpus: NMI and ARI of the
// clusters against the manifest's genre column over several seeds, and the time of every
// stage from adding the folder to the saved map.
//   npm run bench:quality [-- --backend wasm --seeds 5 --k 12]
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseCsv } from '../src-shared/csv';
import type { ApiEvents } from '../src-shared/contract';
import type { SettingsInput } from '../src-shared/settings';
import { Engine } from '../src-main/engine/engine';
import { Store } from '../src-main/engine/store/store';
import { adjustedRandIndex, normalizedMutualInfo } from '../src-main/engine/evaluate';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CORPUS = resolve(root, '..', 'shared', 'corpus', 'gutenberg');

export function loadGenres(): Map<string, string> {
  const [header, ...rows] = parseCsv(readFileSync(join(CORPUS, 'manifest.csv'), 'utf8'));
  const file = header.indexOf('file');
  const genre = header.indexOf('genre');
  return new Map(rows.filter((r) => r.length === header.length).map((r) => [resolve(CORPUS, r[file]), r[genre]]));
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fmt = (x: number) => x.toFixed(3);
const secs = (ms: number | undefined) => (ms === undefined ? '-' : (ms / 1000).toFixed(2));

async function main() {
  const { values } = parseArgs({
    options: { backend: { type: 'string', default: 'auto' }, seeds: { type: 'string', default: '5' }, k: { type: 'string', default: '12' } },
  });
  if (!existsSync(join(CORPUS, 'manifest.csv'))) {
    console.error(`The corpus is not at ${CORPUS}: this benchmark needs ../shared/corpus/gutenberg beside the project.`);
    process.exit(1);
  }
  const genres = loadGenres();
  const dir = mkdtempSync(join(tmpdir(), 'shelfmap-bench-'));
  const store = new Store(join(dir, 'library.sqlite'));
  const finished: ApiEvents['runFinished'][] = [];
  const engine = new Engine(store, (name, payload) => {
    if (name === 'runFinished') finished.push(payload as ApiEvents['runFinished']);
  });
  console.log(`Shelfmap quality benchmark: ${genres.size} books, ${new Set(genres.values()).size} genres, ${cpus().length} cores, node ${process.version}`);

  const importStart = performance.now();
  const report = await engine.addFolder({ folder: join(CORPUS, 'books') });
  const importMs = performance.now() - importStart;
  console.log(`add folder: ${report.added} books in ${secs(importMs)} s (scan, read, decode, strip, tokenise, store); ${report.rejected.length} left out`);

  const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => i + 1);
  const nmis: number[] = [];
  const aris: number[] = [];
  const totals: number[] = [];
  console.log('\nseed  NMI    ARI    backend  features  embed  cluster  layout  save  run total (s)');
  for (const seed of seeds) {
    const settings: SettingsInput = { k: Number(values.k), seed, backend: values.backend as SettingsInput['backend'] };
    const { runId } = await engine.startRun({ settings });
    await engine.idle();
    const end = finished.find((f) => f.runId === runId)!;
    if (end.status !== 'done') throw new Error(`run ${runId} ${end.status}: ${end.error}`);
    const { run, points } = await engine.getRun({ runId });
    const truth = points.map((p) => genres.get(p.path) ?? 'unknown');
    const labels = points.map((p) => p.cluster);
    const nmi = normalizedMutualInfo(truth, labels);
    const ari = adjustedRandIndex(truth, labels);
    const t = run.timings;
    const total = Object.values(t).reduce((a, b) => a + (b ?? 0), 0);
    nmis.push(nmi);
    aris.push(ari);
    totals.push(total);
    console.log(
      `${String(seed).padEnd(5)} ${fmt(nmi)}  ${fmt(ari)}  ${run.backend.padEnd(8)} ${secs(t.features).padStart(8)} ${secs(t.embed).padStart(6)} ${secs(t.cluster).padStart(8)} ${secs(t.layout).padStart(7)} ${secs(t.save).padStart(5)} ${secs(total).padStart(10)}`,
    );
  }
  console.log(`\nmean NMI ${fmt(mean(nmis))} (min ${fmt(Math.min(...nmis))}), mean ARI ${fmt(mean(aris))} (min ${fmt(Math.min(...aris))})`);
  console.log(`end to end (add folder + one run), mean: ${secs(importMs + mean(totals))} s`);
  store.close();
  rmSync(dir, { recursive: true, force: true });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
