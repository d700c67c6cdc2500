// The `shelfmap` command: the CLI door (cluster a folder into CSV) and the browser door (serve).
import { parseArgs } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiEvents, RunSummary } from '../../src-shared';
import { ShelfmapError, type SettingsInput } from '../../src-shared';
import { defaultLibraryPath } from '../engine/paths';
import { startEngineWorker, workerBeside } from '../engine/worker-client';
import { startServeServer } from '../serve/server';
import { ProgressBar } from './progress';

const HELP = `Shelfmap: a map of the clusters in a folder of plain-text books.

Usage:
  shelfmap cluster <folder> [--k N] [--seed S] [--out labels.csv] [--db FILE]
                            [--backend auto|tensorflow|webgpu|wasm|cpu] [--epochs N]
                            [--preset default|dec] [--refine on|off] [--settings FILE]
      Adds the folder's .txt books to the library, clusters them and writes CSV
      (path,title,author,language,cluster,cluster_label,x,y) to --out, or to stdout.
  shelfmap serve [--port N] [--db FILE]
      Serves the Shelfmap app to a browser on 127.0.0.1 and prints its address.

Options:
  --k N         number of clusters (default 12)
  --seed S      seed for every random choice, so a run repeats (default 42)
  --out FILE    where to write the CSV (default: stdout)
  --db FILE     the library file (default: ${defaultLibraryPath()})
  --backend B   TensorFlow.js backend; auto tries tensorflow, then webgpu on a GPU, then wasm, then cpu
  --epochs N    autoencoder training epochs
  --preset P    autoencoder shape: default, or dec (d-500-500-2000-10, Xie et al. 2016)
  --refine X    DEC-style cluster refinement after K-means: on or off
  --settings F  a JSON file of run settings (any of them; flags above win), see docs/settings.md
  --port N      port for serve (default: a free one)
`;

/** Exit codes: 0 done, 1 the work failed, 2 the command was wrong, 130 cancelled (Ctrl-C). */
class UsageError extends Error {}

function number(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`${flag} takes a whole number, not "${value}".`);
  return n;
}

function readSettingsFile(file: string): SettingsInput {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SettingsInput;
  } catch (error) {
    throw new UsageError(`--settings ${file}: ${(error as Error).message}`);
  }
}

function onOff(value: string | undefined, flag: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'on' || value === 'off') return value === 'on';
  throw new UsageError(`${flag} takes on or off, not "${value}".`);
}

/** Flags over the settings file over the defaults; the engine validates the result. */
function settingsFromFlags(values: Record<string, string | boolean | undefined>): SettingsInput {
  const str = (name: string) => values[name] as string | undefined;
  const file = str('settings') ? readSettingsFile(str('settings')!) : {};
  const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return {
    ...file,
    ...defined({ k: number(str('k'), '--k'), seed: number(str('seed'), '--seed'), backend: str('backend') as SettingsInput['backend'] }),
    autoencoder: {
      ...file.autoencoder,
      ...defined({ epochs: number(str('epochs'), '--epochs'), preset: str('preset') as 'default' | 'dec' | undefined }),
    },
    refine: { ...file.refine, ...defined({ enabled: onOff(str('refine'), '--refine') }) },
  };
}

function here(): string {
  return dirname(fileURLToPath(import.meta.url));
}

async function cluster(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      k: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      db: { type: 'string' },
      backend: { type: 'string' },
      epochs: { type: 'string' },
      preset: { type: 'string' },
      refine: { type: 'string' },
      settings: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('cluster takes one folder: shelfmap cluster <folder>');
  const folder = resolve(positionals[0]);
  const settings = settingsFromFlags(values);
  const dbPath = resolve(values.db ?? defaultLibraryPath());

  const engine = await startEngineWorker({ dbPath, workerFile: workerBeside(import.meta.url) });
  const bar = new ProgressBar();
  const finished = new Promise<ApiEvents['runFinished']>((resolveFinished) => {
    engine.subscribe((name, payload) => {
      if (name === 'progress') bar.update(payload as ApiEvents['progress']);
      if (name === 'runFinished') resolveFinished(payload as ApiEvents['runFinished']);
    });
  });
  let runId: number | null = null;
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write('\nCancelling… (Ctrl-C again to quit at once)\n');
    void (runId === null ? engine.call('cancelImport', {}) : engine.call('cancelRun', { runId }));
  };
  process.on('SIGINT', onSigint);
  try {
    const report = await engine.call('addFolder', { folder });
    bar.done();
    process.stderr.write(
      `${report.found} .txt files: ${report.added} added, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected.length} left out.\n`,
    );
    for (const r of report.rejected) process.stderr.write(`  left out (${r.reason}): ${r.message}\n`);
    if (interrupted) throw new ShelfmapError('cancelled', 'Cancelled.');

    ({ runId } = await engine.call('startRun', { settings, folder }));
    const end = await Promise.race([finished, engine.stopped.then((e) => Promise.reject(e))]);
    bar.done();
    if (end.status !== 'done') {
      throw new ShelfmapError(end.status === 'cancelled' ? 'cancelled' : 'internal', `Run ${runId} ${end.status}: ${end.error}`);
    }
    const result = await engine.call('getRun', { runId });
    const { csv } = await engine.call('exportCsv', { runId });
    if (values.out) writeFileSync(values.out, csv);
    else process.stdout.write(csv);
    printSummary(result.run, result.clusters, values.out);
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    await engine.close();
  }
}

function printSummary(run: RunSummary, clusters: { id: number; label: string; size: number }[], out?: string): void {
  const times = Object.entries(run.timings)
    .map(([stage, ms]) => `${stage} ${(ms / 1000).toFixed(1)} s`)
    .join(', ');
  process.stderr.write(`Run ${run.id}: ${run.bookCount} books, backend ${run.backend} (${run.backendDetail}); ${times}.\n`);
  for (const c of clusters) process.stderr.write(`  cluster ${c.id} (${c.size}): ${c.label}\n`);
  if (out) process.stderr.write(`Wrote ${run.bookCount} rows to ${out}\n`);
}

async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { port: { type: 'string' }, db: { type: 'string' } } });
  const dbPath = resolve(values.db ?? defaultLibraryPath());
  const engine = await startEngineWorker({ dbPath, workerFile: workerBeside(import.meta.url) });
  const server = await startServeServer({
    client: engine,
    staticDir: join(here(), '..', 'renderer'),
    port: number(values.port, '--port') ?? 0,
  });
  process.stdout.write(`Shelfmap is running at ${server.url}\n`);
  process.stderr.write(`Library: ${dbPath}\nOpen the address above in a browser. Ctrl-C stops the server.\n`);
  return new Promise((resolveExit) => {
    const stop = async () => {
      await server.close();
      await engine.close();
      resolveExit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    void engine.stopped.then((reason) => {
      process.stderr.write(`${reason.message}\n`);
      void server.close().then(() => resolveExit(1));
    });
  });
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === 'help' || command === '--help' || command === '-h') {
      process.stdout.write(HELP);
      return command ? 0 : 2;
    }
    if (command === 'cluster') return await cluster(rest);
    if (command === 'serve') return await serve(rest);
    throw new UsageError(`Unknown command "${command}".`);
  } catch (error) {
    if (error instanceof UsageError || (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`shelfmap: ${(error as Error).message}\nRun "shelfmap --help" for usage.\n`);
      return 2;
    }
    if (error instanceof ShelfmapError && error.kind === 'cancelled') {
      process.stderr.write('shelfmap: cancelled. The books already read stay in the library; run the command again to go on.\n');
      return 130;
    }
    process.stderr.write(`shelfmap: ${(error as Error).message}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
