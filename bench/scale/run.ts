// Runs the built `shelfmap` CLI on a generated folder, the way a user would, and measures it:
// `shelfmap add`, `shelfmap cluster --out labels.csv` (whose sidecar gives the run's stage
// timings) and `shelfmap export <run> --out` (the CSV on its own), each a child process under
// GNU time for its wall time and peak resident memory. The CLI is one process (its engine runs
// in a worker thread), so the peak RSS is the whole command's.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseCsv } from '../../src-shared/csv';
import { STAGES_RUN, type RejectReason } from '../../src-shared/domain';
import { adjustedRandIndex, normalizedMutualInfo } from '../../src-main/engine/evaluate/metrics';
import { openLibraryEngine } from '../../src-main/engine/library-engine';

export interface ScaleRunOptions {
  /** A folder the generator wrote, with its manifest.csv. */
  folder: string;
  /** Where the library, the CSV and the time files go. */
  work: string;
  k: number;
  /** More arguments for `shelfmap cluster`. */
  clusterArgs: string[];
  projectRoot: string;
  seed: number;
  /** Also time `shelfmap export-features` and `shelfmap import-labels` (of the run's own CSV). */
  parquet?: boolean;
}

export interface CommandMeasure {
  command: string;
  seconds: number;
  peakMb: number;
}

export interface ScaleReport {
  folder: string;
  books: number;
  files: number;
  textMb: number;
  cores: number;
  node: string;
  commands: { add: CommandMeasure; cluster: CommandMeasure; csv: CommandMeasure; exportFeatures?: CommandMeasure; importLabels?: CommandMeasure };
  /** With --parquet: the features file's size, and its vocabulary file's. */
  parquet?: { featuresMb: number; vocabularyMb: number };
  add: { mbPerSecond: number; booksPerSecond: number; added: number };
  /** The run's own stage timings, seconds (from the labels.json sidecar). */
  stages: Record<string, number>;
  /** The cluster command's time outside the run's stages: starting, the unchanged re-add, writing the CSV. */
  clusterOverheadSeconds: number;
  /** add + cluster + csv wall time. */
  endToEndSeconds: number;
  libraryMb: number;
  libraryPercentOfText: number;
  runId: number;
  k: number;
  clustered: number;
  matched: number;
  nmi: number;
  ari: number;
  rejected: { expected: Record<string, number>; got: Record<string, number>; mismatches: string[] };
}

interface ManifestEntry {
  path: string;
  ebookId: number | null;
  genre: string;
  expected: string;
}

export function readManifest(folder: string): ManifestEntry[] {
  const [header, ...rows] = parseCsv(readFileSync(join(folder, 'manifest.csv'), 'utf8')).filter((r) => r.length > 1);
  const at = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${join(folder, 'manifest.csv')} has no "${name}" column.`);
    return i;
  };
  const [path, id, genre, expected] = [at('path'), at('ebook_id'), at('genre'), at('expected')];
  return rows.map((r) => ({ path: r[path], ebookId: r[id] === '' ? null : Number(r[id]), genre: r[genre], expected: r[expected] }));
}

/** A command that exited with an error, with what was measured of it. */
export class CommandFailed extends Error {
  constructor(
    readonly measure: CommandMeasure & { exit: number | null; lastLines: string[] },
  ) {
    super(`${measure.command} exited with ${measure.exit}: ${measure.lastLines.join(' | ')}`);
  }
}

/** What was measured before a command failed: printed, with a JSON line, instead of the report. */
export class ScaleRunFailed extends Error {
  constructor(
    message: string,
    readonly partial: { folder: string; textMb: number; commands: CommandMeasure[]; stagesSoFar: Record<string, number>; failed: CommandFailed['measure'] },
  ) {
    super(message);
  }
}

/** Runs `node bin/shelfmap.js args` under /usr/bin/time; throws CommandFailed when it fails. */
async function timed(projectRoot: string, work: string, name: string, args: string[]): Promise<CommandMeasure & { output: string }> {
  const timeFile = join(work, `time-${name}.txt`);
  const bin = join(projectRoot, 'bin', 'shelfmap.js');
  const useTime = existsSync('/usr/bin/time');
  const argv = useTime ? ['-f', '%e %M', '-o', timeFile, process.execPath, bin, ...args] : [bin, ...args];
  const started = performance.now();
  const child = spawn(useTime ? '/usr/bin/time' : process.execPath, argv, { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // the progress bar redraws with \r: keep only finished lines
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolveCode) => child.on('close', resolveCode));
  const wall = (performance.now() - started) / 1000;
  let seconds = wall;
  let peakMb = NaN;
  if (useTime && existsSync(timeFile)) {
    // GNU time puts "Command exited with non-zero status N" before its own line
    const [elapsed, maxRssKb] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
    seconds = elapsed;
    peakMb = maxRssKb / 1024;
  }
  const command = `shelfmap ${args.join(' ')}`;
  if (code !== 0) {
    const lastLines = output.split(/[\r\n]+/).filter((line) => line.trim() !== '').slice(-3);
    throw new CommandFailed({ command, seconds, peakMb, exit: code, lastLines });
  }
  return { command, seconds, peakMb, output };
}

function counts(items: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[item] = (out[item] ?? 0) + 1;
  return out;
}

function fileMb(path: string): number {
  return existsSync(path) ? statSync(path).size / 1e6 : 0;
}

export async function runScaleBenchmark(options: ScaleRunOptions): Promise<ScaleReport> {
  const { folder, work, projectRoot, k } = options;
  if (!existsSync(join(projectRoot, 'out', 'main', 'cli.js'))) throw new Error('The CLI is not built: run "npm run build" first.');
  mkdirSync(work, { recursive: true });
  const manifest = readManifest(folder);
  const textBytes = manifest.reduce((sum, entry) => sum + statSync(join(folder, entry.path)).size, 0);
  const db = join(work, 'library.sqlite');
  if (existsSync(db)) throw new Error(`${db} exists: the benchmark needs a fresh library.`);
  const labels = join(work, 'labels.csv');

  console.error(`shelfmap add ${folder} ...`);
  const add = await timed(projectRoot, work, 'add', ['add', folder, '--db', db]);
  console.error(`  ${add.seconds.toFixed(1)} s, peak ${add.peakMb.toFixed(0)} MB`);
  console.error(`shelfmap cluster ${folder} --k ${k} --out ${labels} ...`);
  let cluster: Awaited<ReturnType<typeof timed>>;
  try {
    cluster = await timed(projectRoot, work, 'cluster', ['cluster', folder, '--k', String(k), '--out', labels, '--db', db, ...options.clusterArgs]);
  } catch (error) {
    if (!(error instanceof CommandFailed)) throw error;
    // the stages the run got through, as it recorded them
    const library = openLibraryEngine(db);
    let stagesSoFar: Record<string, number> = {};
    try {
      const [latest] = await library.engine.call('listRuns', {});
      if (latest) stagesSoFar = Object.fromEntries(Object.entries(latest.timings).map(([stage, ms]) => [stage, (ms as number) / 1000]));
    } finally {
      library.store.close();
    }
    const strip = ({ command, seconds, peakMb }: CommandMeasure) => ({ command, seconds, peakMb });
    throw new ScaleRunFailed(error.message, { folder, textMb: textBytes / 1e6, commands: [strip(add)], stagesSoFar, failed: error.measure });
  }
  console.error(`  ${cluster.seconds.toFixed(1)} s, peak ${cluster.peakMb.toFixed(0)} MB`);
  const sidecar = JSON.parse(readFileSync(join(work, 'labels.json'), 'utf8')) as { runId: number; timings: Record<string, number> };
  const csv = await timed(projectRoot, work, 'csv', ['export', String(sidecar.runId), '--out', join(work, 'export.csv'), '--db', db]);
  let exportFeatures: CommandMeasure | undefined;
  let importLabels: CommandMeasure | undefined;
  if (options.parquet) {
    console.error(`shelfmap export-features ${sidecar.runId} ...`);
    exportFeatures = await timed(projectRoot, work, 'export-features', ['export-features', String(sidecar.runId), '--out', join(work, 'features.parquet'), '--db', db]);
    // the run's own CSV back in (by ebook_id): a new run with the same clusters
    console.error('shelfmap import-labels labels.csv ...');
    importLabels = await timed(projectRoot, work, 'import-labels', ['import-labels', labels, '--db', db]);
  }

  // what the library left out, through the engine (after every CLI process has ended)
  const library = openLibraryEngine(db);
  let rejectedList: { path: string; reason: RejectReason }[];
  let added: number;
  try {
    rejectedList = await library.engine.call('listRejected', {});
    added = (await library.engine.call('listBooks', {})).length;
  } finally {
    library.store.close();
  }
  const byAbsolute = new Map(manifest.map((m) => [join(folder, m.path), m]));
  const mismatches: string[] = [];
  const rejectedPaths = new Map(rejectedList.map((r) => [r.path, r.reason]));
  for (const [absolute, entry] of byAbsolute) {
    const got = rejectedPaths.get(absolute) ?? 'ok';
    if (got !== entry.expected) mismatches.push(`${entry.path}: expected ${entry.expected}, got ${got}`);
  }
  for (const [path, reason] of rejectedPaths) if (!byAbsolute.has(path)) mismatches.push(`${path}: not in the manifest, left out (${reason})`);

  // clusters against genres, matched by eBook number
  const genreById = new Map(manifest.filter((m) => m.ebookId !== null && m.expected === 'ok').map((m) => [m.ebookId as number, m.genre]));
  const [header, ...rows] = parseCsv(readFileSync(labels, 'utf8')).filter((r) => r.length > 1);
  const idAt = header.indexOf('ebook_id');
  const clusterAt = header.indexOf('cluster');
  const truth: string[] = [];
  const predicted: string[] = [];
  for (const row of rows) {
    const genre = genreById.get(Number(row[idAt]));
    if (genre === undefined) continue;
    truth.push(genre);
    predicted.push(row[clusterAt]);
  }

  const stages: Record<string, number> = {};
  for (const stage of STAGES_RUN) if (sidecar.timings[stage] !== undefined) stages[stage] = sidecar.timings[stage] / 1000;
  for (const [stage, ms] of Object.entries(sidecar.timings)) if (!(stage in stages)) stages[stage] = ms / 1000;
  // the layout runs in its own thread beside the cluster stage (pipeline.ts), so only the longer
  // of the two counts towards the command's wall time
  const { cluster: clusterStage = 0, layout: layoutStage = 0, ...serial } = stages;
  const stageSum = Object.values(serial).reduce((a, b) => a + b, 0) + Math.max(clusterStage, layoutStage);
  const textMb = textBytes / 1e6;
  const libraryMb = fileMb(db) + fileMb(`${db}-wal`);
  const strip = ({ command, seconds, peakMb }: CommandMeasure) => ({ command, seconds, peakMb });
  return {
    folder,
    books: manifest.filter((m) => m.expected === 'ok').length,
    files: manifest.length,
    textMb,
    cores: cpus().length,
    node: process.version,
    commands: {
      add: strip(add),
      cluster: strip(cluster),
      csv: strip(csv),
      ...(exportFeatures ? { exportFeatures: strip(exportFeatures) } : {}),
      ...(importLabels ? { importLabels: strip(importLabels) } : {}),
    },
    ...(options.parquet ? { parquet: { featuresMb: fileMb(join(work, 'features.parquet')), vocabularyMb: fileMb(join(work, 'features.vocabulary.parquet')) } } : {}),
    add: { mbPerSecond: textMb / add.seconds, booksPerSecond: added / add.seconds, added },
    stages,
    clusterOverheadSeconds: cluster.seconds - stageSum,
    endToEndSeconds: add.seconds + cluster.seconds + csv.seconds,
    libraryMb,
    libraryPercentOfText: (100 * libraryMb) / textMb,
    runId: sidecar.runId,
    k,
    clustered: rows.length,
    matched: truth.length,
    nmi: normalizedMutualInfo(truth, predicted),
    ari: adjustedRandIndex(truth, predicted),
    rejected: {
      expected: counts(manifest.filter((m) => m.expected !== 'ok').map((m) => m.expected)),
      got: counts(rejectedList.map((r) => r.reason)),
      mismatches,
    },
  };
}

const f1 = (n: number) => n.toFixed(1);

export function formatScaleFailure(p: ScaleRunFailed['partial']): string {
  const lines = [`Shelfmap scale benchmark FAILED: ${f1(p.textMb)} MB of text, ${p.folder}`];
  for (const c of p.commands) lines.push(`  ${c.command}: ${f1(c.seconds)} s, peak ${c.peakMb.toFixed(0)} MB`);
  lines.push(`  ${p.failed.command}: exited with ${p.failed.exit} after ${f1(p.failed.seconds)} s, peak ${p.failed.peakMb.toFixed(0)} MB`);
  lines.push(`  its stages before it stopped: ${Object.entries(p.stagesSoFar).map(([s, sec]) => `${s} ${f1(sec)} s`).join(', ') || 'none'}`);
  for (const line of p.failed.lastLines) lines.push(`  | ${line}`);
  return lines.join('\n');
}

export function formatScaleReport(r: ScaleReport): string {
  const lines: string[] = [];
  lines.push(`Shelfmap scale benchmark: ${r.books} books + ${r.files - r.books} bad files, ${f1(r.textMb)} MB of text, ${r.folder}`);
  lines.push(`${r.cores} cores, node ${r.node}`);
  lines.push('');
  lines.push('stage                      seconds   peak MB');
  lines.push(`add (command)              ${f1(r.commands.add.seconds).padStart(7)}   ${r.commands.add.peakMb.toFixed(0).padStart(7)}   ${f1(r.add.mbPerSecond)} MB/s, ${f1(r.add.booksPerSecond)} books/s`);
  lines.push(`cluster (command)          ${f1(r.commands.cluster.seconds).padStart(7)}   ${r.commands.cluster.peakMb.toFixed(0).padStart(7)}`);
  for (const [stage, seconds] of Object.entries(r.stages)) lines.push(`  ${stage.padEnd(24)} ${f1(seconds).padStart(7)}${stage === 'layout' ? '             in its own thread, beside cluster' : ''}`);
  lines.push(`  (outside the stages)     ${f1(r.clusterOverheadSeconds).padStart(7)}   start, unchanged re-add, CSV + sidecar`);
  lines.push(`csv (export command)       ${f1(r.commands.csv.seconds).padStart(7)}   ${r.commands.csv.peakMb.toFixed(0).padStart(7)}`);
  lines.push(`end to end                 ${f1(r.endToEndSeconds).padStart(7)}`);
  const { exportFeatures, importLabels } = r.commands;
  if (exportFeatures && r.parquet) {
    lines.push(`export-features            ${f1(exportFeatures.seconds).padStart(7)}   ${exportFeatures.peakMb.toFixed(0).padStart(7)}   ${f1(r.parquet.featuresMb)} MB Parquet + ${f1(r.parquet.vocabularyMb)} MB vocabulary`);
  }
  if (importLabels) lines.push(`import-labels (run's CSV)  ${f1(importLabels.seconds).padStart(7)}   ${importLabels.peakMb.toFixed(0).padStart(7)}`);
  lines.push('');
  lines.push(`library file: ${f1(r.libraryMb)} MB (${f1(r.libraryPercentOfText)}% of the text)`);
  lines.push(`run ${r.runId}, k ${r.k}: ${r.clustered} books clustered, ${r.matched} matched to a genre by ebook_id: NMI ${r.nmi.toFixed(3)}, ARI ${r.ari.toFixed(3)}`);
  const fmt = (c: Record<string, number>) => Object.entries(c).sort().map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  lines.push(`left out: expected ${fmt(r.rejected.expected)}; got ${fmt(r.rejected.got)}; ${r.rejected.mismatches.length} mismatch(es)`);
  for (const m of r.rejected.mismatches.slice(0, 20)) lines.push(`  ${m}`);
  return lines.join('\n');
}
