// The `shelfmap` command: the CLI door (add, list and remove books, cluster a folder, list and
// export runs) and the browser door (serve). Every argument is checked before any book is read;
// exit codes: 0 done, 1 the work failed, 2 the command or a setting was wrong, 130 cancelled.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiEvents, ClusterInfo, KSweep, LabelsSource, RunSummary } from '../../src-shared';
import { ERROR_KINDS, ShelfmapError, describeValue, isPlainObject, kText, plural, resolveArgument, resolveSettings, type SettingsInput } from '../../src-shared';
import { defaultLibraryPath } from '../engine/paths';
import { startEngineWorker, workerBeside, type EngineWorker } from '../engine/worker-client';
import { startServeServer } from '../serve/server';
import { ProgressBar } from './progress';
import { say, sidecarPath, unwritableReason, writeFileAtomic } from './output';
import { formatEvaluation } from './evaluation-report';

const DB_HELP = `  --db FILE     the library file (default: $SHELFMAP_DB, else ${defaultLibraryPath({})})`;

const COMMANDS: Record<string, { usage: string; summary: string; options: string }> = {
  cluster: {
    usage: `shelfmap cluster <folder> [--k N|auto] [--k-min N] [--k-max N] [--seed S] [--out labels.csv] [--db FILE]
                          [--backend auto|tensorflow|webgpu|wasm|cpu] [--epochs N]
                          [--embedding autoencoder|lsa] [--preset default|dec] [--refine on|off] [--settings FILE]`,
    summary:
      'Adds the folder\'s .txt books to the library, clusters them and writes CSV\n  (path,ebook_id,title,author,language,cluster,cluster_label,x,y,distance_to_centre,placed) to --out, or to\n  stdout. With --out labels.csv, the labels.json sidecar (settings, seed, backend, version, timings,\n  a fingerprint of the books, each cluster\'s terms and representative books) is written beside it.',
    options: `  --k N|auto    number of clusters (default 12), or auto: K-means with each k from --k-min to
                --k-max is scored (silhouette, stability, inertia) and one k proposed, with why
  --k-min N     smallest k auto tries (default 2)
  --k-max N     largest k auto tries (default 30; at most the number of books - 1)
  --seed S      seed for every random choice, so a run repeats (default 42)
  --out FILE    where to write the CSV (default: stdout), and its .json sidecar beside it; each
                written whole or not at all
  --backend B   TensorFlow.js backend; auto tries tensorflow, then webgpu on a GPU, then wasm, then cpu
  --embedding E autoencoder (the network, the default) or lsa: the samples' LSA 20 pooled per
                book, no network, no training (as good on the corpus, faster; docs/settings.md)
  --epochs N    autoencoder training epochs
  --preset P    autoencoder shape: default, or dec (d-500-500-2000-10, Xie et al. 2016)
  --refine X    DEC-style cluster refinement after K-means: on or off
  --settings F  a JSON file of run settings (any of them; flags above win), see docs/settings.md
${DB_HELP}`,
  },
  add: {
    usage: 'shelfmap add <folder> [--db FILE]',
    summary: 'Adds the folder\'s .txt books (and its subfolders\') to the library, reading only new or\n  changed files, and lists every file it left out with the reason. Ctrl-C cancels; what was\n  read stays.',
    options: DB_HELP,
  },
  books: {
    usage: 'shelfmap books [--missing] [--db FILE]',
    summary: 'Lists the folders added to the library, then every book in it: status (in the library,\n  or missing: its file was gone at the last scan), title, author, language, words, path.',
    options: `  --missing     only the books whose files are missing\n${DB_HELP}`,
  },
  remove: {
    usage: 'shelfmap remove <folder|file> [--db FILE]',
    summary: 'Removes a folder (its books and left-out files) or one book from the library. Past runs keep\n  their results; the files themselves are not touched.',
    options: DB_HELP,
  },
  runs: {
    usage: 'shelfmap runs [--db FILE]',
    summary: 'Lists the runs in the library, newest first: when, k, books, backend, status.',
    options: DB_HELP,
  },
  export: {
    usage: 'shelfmap export <run> [--out FILE] [--format csv|json] [--db FILE]',
    summary:
      "Writes the cluster labels of a past run as CSV (one row per book: path, ebook_id, title, author,\n  language, cluster, cluster_label, x, y, distance_to_centre, placed: 1 for a book placed on the run\n  later) to --out, or to stdout. With --out labels.csv, the sidecar labels.json is written beside\n  it: Shelfmap version, run, settings, seed, backend, timings, a fingerprint of the books, each cluster's terms and representative books.\n  Files are written whole or not at all.",
    options: `  --out FILE    where to write it (default: stdout)
  --format F    csv (default: the CSV, and the sidecar beside --out) or json (only the sidecar)
${DB_HELP}`,
  },
  'export-features': {
    usage: 'shelfmap export-features <run> --out FILE.parquet [--format parquet] [--db FILE]',
    summary:
      "Writes a finished run's features as Parquet for Spark MLlib, Dask or DuckDB (see docs/scale.md):\n  one row per book (book_id, ebook_id, path, title, shelfmap_run, cluster, x, y, tfidf_size,\n  tfidf_indices, tfidf_values, embedding), and the vocabulary (term_index, term, idf) beside it as\n  FILE.vocabulary.parquet. Each file is written whole or not at all.",
    options: `  --out FILE    the Parquet file to write (a .parquet name)
  --format F    parquet (the only format for now)
${DB_HELP}`,
  },
  'import-labels': {
    usage: 'shelfmap import-labels <file> [--name NAME] [--db FILE]',
    summary:
      "Makes a new run from a labels table clustered elsewhere (CSV or Parquet): a book column\n  (book_id, ebook_id or path) and a cluster column (cluster, or Spark's prediction). Clusters\n  are named as a run names them; the map comes from the run the table's shelfmap_run column\n  names, else from the embeddings of a run that holds the books. A row that names no book of\n  the library, has no cluster, or gives a book a second cluster refuses the whole table:\n  nothing changes then.",
    options: `  --name NAME   what the run says it was imported from (default: the file's name)
${DB_HELP}`,
  },
  place: {
    usage: 'shelfmap place <run> <folder> [--out FILE] [--db FILE]',
    summary:
      "Adds the folder's .txt books to the library and places those the run does not hold on it:\n  each is embedded with the run's own vocabulary, idf and network and given its nearest\n  cluster. The run's own books keep their clusters and places; nothing is refitted (make a new\n  run for that). Writes the run's CSV, every book with a placed column (1: placed), to --out\n  (whole or not at all), or to stdout.",
    options: `  --out FILE    where to write the CSV (default: stdout), and its .json sidecar beside it\n${DB_HELP}`,
  },
  evaluate: {
    usage: 'shelfmap evaluate <run> --labels FILE|subfolders [--id-column C] [--label-column C] [--db FILE]',
    summary:
      "Scores a run's clusters against labels you already have: NMI, ARI, V-measure, homogeneity,\n  completeness, and a table of clusters against labels. Books are matched by Gutenberg number (the\n  one its header gives, against the id column), else by file name without extension, else by path;\n  --labels subfolders takes each book's folder name as its label.",
    options: `  --labels F        a CSV table with a header row, or "subfolders"
  --id-column C     the column naming each book (default: ebook_id, id, file or path)
  --label-column C  the column holding the label (default: label, genre, class or category)
${DB_HELP}`,
  },
  rename: {
    usage: 'shelfmap rename <run> <cluster> <name> | --clear [--db FILE]',
    summary:
      "Gives cluster <cluster> of run <run> a name of your own (1 to 80 characters), shown in the\n  window and written as cluster_label in exports; --clear gives it back its automatic name. A\n  later run over mostly the same books carries the name to its matching cluster.",
    options: `  --clear       go back to the automatic name (then give no <name>)\n${DB_HELP}`,
  },
  serve: {
    usage: 'shelfmap serve [--port N] [--db FILE]',
    summary: 'Serves the Shelfmap app to a browser on 127.0.0.1 and prints its address.',
    options: `  --port N      port to listen on (default: a free one)\n${DB_HELP}`,
  },
};

function commandHelp(name: string): string {
  const c = COMMANDS[name];
  return `Usage: ${c.usage}\n\n  ${c.summary}\n\nOptions:\n${c.options}\n  --help        this help\n`;
}

const HELP = `Shelfmap: a map of the clusters in a folder of plain-text books.

Usage:
${Object.values(COMMANDS)
  .map((c) => `  ${c.usage}`)
  .join('\n')}
  shelfmap <command> --help     options of one command
  shelfmap --version

Exit codes: 0 done, 1 the work failed, 2 the command or a setting was wrong, 130 cancelled.
`;

/** A command that is wrong as typed: exit 2 with a pointer to its help. */
class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

function wholeNumberFlag(value: string | undefined, flag: string, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min) throw new UsageError(`${flag} takes a whole number${min > 0 ? ` of at least ${min}` : ''}, not "${value}".`);
  return n;
}

/** --k: a whole number, or auto (any case). */
function kFlag(value: string | undefined): number | 'auto' | undefined {
  if (value?.trim().toLowerCase() === 'auto') return 'auto';
  if (value !== undefined && !/^\s*\d+\s*$/.test(value)) throw new UsageError(`--k takes a whole number or auto, not "${value}".`);
  return wholeNumberFlag(value, '--k');
}

function onOff(value: string | undefined, flag: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'on' || value === 'off') return value === 'on';
  throw new UsageError(`${flag} takes on or off, not "${value}".`);
}

function readSettingsFile(file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--settings ${file}: ${(error as Error).message}`);
  }
  if (!isPlainObject(parsed)) throw new UsageError(`--settings ${file} must hold a JSON object of settings, not ${describeValue(parsed)}.`);
  return parsed;
}

/** Flags over the settings file over the defaults; a section of the wrong type is left for the resolver to name. */
function settingsFromFlags(values: Record<string, string | boolean | undefined>): SettingsInput {
  const str = (name: string) => values[name] as string | undefined;
  const merged: Record<string, unknown> = str('settings') ? readSettingsFile(str('settings')!) : {};
  const put = (sectionName: string | null, key: string, value: unknown) => {
    if (value === undefined) return;
    if (sectionName === null) {
      merged[key] = value;
      return;
    }
    const current = merged[sectionName] ?? {};
    if (isPlainObject(current)) merged[sectionName] = { ...current, [key]: value };
  };
  put(null, 'k', kFlag(str('k')));
  put('kRange', 'min', wholeNumberFlag(str('k-min'), '--k-min'));
  put('kRange', 'max', wholeNumberFlag(str('k-max'), '--k-max'));
  put(null, 'seed', wholeNumberFlag(str('seed'), '--seed'));
  put(null, 'backend', str('backend'));
  put(null, 'embedding', str('embedding'));
  put('autoencoder', 'epochs', wholeNumberFlag(str('epochs'), '--epochs'));
  put('autoencoder', 'preset', str('preset'));
  put('refine', 'enabled', onOff(str('refine'), '--refine'));
  return merged as SettingsInput;
}

function here(): string {
  return dirname(fileURLToPath(import.meta.url));
}

function version(): string {
  return (JSON.parse(readFileSync(join(here(), '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/** Parses one command's flags strictly: --help and --db everywhere, positionals counted. */
function parseCommand(name: string, args: string[], options: NonNullable<ParseArgsConfig['options']>, positionals: string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { ...options, db: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    throw new UsageError((error as Error).message, name);
  }
  if (parsed.values.help) return null;
  if (parsed.positionals.length !== positionals.length) {
    throw new UsageError(
      positionals.length === 0 ? `${name} takes no ${parsed.positionals.length === 1 ? 'argument' : 'arguments'}` : `${name} takes ${positionals.map((p) => `<${p}>`).join(' ')}: ${COMMANDS[name].usage}`,
      name,
    );
  }
  const dbPath = resolve((parsed.values.db as string | undefined) ?? defaultLibraryPath());
  return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals, dbPath };
}

function requireFolder(path: string): string {
  const folder = resolve(path);
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    throw new ShelfmapError('folder-missing', `The folder ${folder} does not exist.`);
  }
  if (!isFolder) throw new UsageError(`${folder} is a file; give the folder that holds the books.`);
  return folder;
}

function checkOut(out: string | undefined, command?: string): string | undefined {
  if (out === undefined) return undefined;
  const file = resolve(out);
  const reason = unwritableReason(file);
  if (reason) throw new UsageError(`--out ${out}: cannot write there: ${reason}.`, command);
  return file;
}

/** --out for a CSV and its sidecar, both checked before any work; undefined for stdout. */
function checkCsvOut(out: string | undefined, command: string): { csv: string; json: string } | undefined {
  const csv = checkOut(out, command);
  if (csv === undefined) return undefined;
  if (/\.json$/i.test(csv)) {
    throw new UsageError(`--out ${out}: the CSV's sidecar would be written over it; give the CSV a .csv name${command === 'export' ? ', or ask for --format json' : ''}.`, command);
  }
  const json = sidecarPath(csv);
  const reason = unwritableReason(json);
  if (reason) throw new UsageError(`--out ${out}: cannot write its sidecar ${json}: ${reason}.`, command);
  return { csv, json };
}

async function withEngine<T>(dbPath: string, work: (engine: EngineWorker) => Promise<T>): Promise<T> {
  const engine = await startEngineWorker({ dbPath, workerFile: workerBeside(import.meta.url) });
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}

/** Ctrl-C asks `cancel` once; a second Ctrl-C quits at once. */
function onInterrupt(cancel: () => void): { interrupted: () => boolean; dispose: () => void } {
  let interrupted = false;
  const handler = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    say('\nCancelling… (Ctrl-C again to quit at once)\n');
    cancel();
  };
  process.on('SIGINT', handler);
  return { interrupted: () => interrupted, dispose: () => process.off('SIGINT', handler) };
}

async function addFolder(engine: EngineWorker, folder: string, bar: ProgressBar): Promise<void> {
  const unsubscribe = engine.subscribe((name, payload) => {
    if (name === 'progress') bar.update(payload as ApiEvents['progress']);
  });
  const interrupt = onInterrupt(() => void engine.call('cancelImport', {}));
  try {
    const report = await engine.call('addFolder', { folder });
    bar.done();
    const moved = report.moved > 0 ? `, ${report.moved} moved` : '';
    const missing = report.missing > 0 ? `, ${report.missing} missing (their files are gone: left out of new runs until they return)` : '';
    say(`${report.found} .txt files: ${report.added} added, ${report.updated} updated${moved}, ${report.unchanged} unchanged, ${report.rejected.length} left out${missing}.\n`);
    for (const r of report.rejected) say(`  left out (${r.reason}): ${r.message}\n`);
    say(`The library now holds ${plural(report.libraryBooks, 'book')}.\n`);
    if (interrupt.interrupted()) throw new ShelfmapError('cancelled', 'Cancelled.');
  } finally {
    unsubscribe();
    interrupt.dispose();
  }
}

async function add(args: string[]): Promise<number> {
  const parsed = parseCommand('add', args, {}, ['folder']);
  if (!parsed) return help('add');
  const folder = requireFolder(parsed.positionals[0]);
  await withEngine(parsed.dbPath, (engine) => addFolder(engine, folder, new ProgressBar()));
  return 0;
}

/** Rows of cells as aligned columns, the last one left ragged. */
function columns(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ') + '\n';
  return line(header) + rows.map(line).join('');
}

async function books(args: string[]): Promise<number> {
  const parsed = parseCommand('books', args, { missing: { type: 'boolean' } }, []);
  if (!parsed) return help('books');
  return withEngine(parsed.dbPath, async (engine) => {
    const [folders, all] = await Promise.all([engine.call('listFolders', {}), engine.call('listBooks', {})]);
    const shown = parsed.values.missing ? all.filter((b) => b.status === 'missing') : all;
    if (folders.length > 0) {
      const rows = folders.map((f) => [
        String(f.books),
        String(f.missing),
        f.lastScannedAt ? f.lastScannedAt.replace('T', ' ').slice(0, 16) : 'never',
        f.exists ? f.path : `${f.path}  (not there now)`,
      ]);
      say(columns(['books', 'missing', 'scanned (UTC)', 'folder'], rows) + '\n', process.stdout);
    }
    if (shown.length === 0) {
      say(all.length === 0 ? 'The library is empty: add a folder with "shelfmap add <folder>".\n' : 'No book is missing.\n');
      return 0;
    }
    const rows = shown.map((b) => [b.status === 'missing' ? 'missing' : 'ok', b.title, b.author || '-', b.language || '-', String(b.words), b.path]);
    say(columns(['status', 'title', 'author', 'language', 'words', 'path'], rows), process.stdout);
    const missing = all.filter((b) => b.status === 'missing').length;
    say(`${plural(all.length, 'book')}${missing > 0 ? `, ${missing} missing (left out of new runs until their files return)` : ''}.\n`);
    return 0;
  });
}

async function remove(args: string[]): Promise<number> {
  const parsed = parseCommand('remove', args, {}, ['folder|file']);
  if (!parsed) return help('remove');
  const target = resolve(parsed.positionals[0]);
  return withEngine(parsed.dbPath, async (engine) => {
    const folders = await engine.call('listFolders', {});
    if (folders.some((f) => f.path === target)) {
      const { removedBooks } = await engine.call('removeFolder', { folder: target });
      say(`Removed the folder ${target} and its ${plural(removedBooks, 'book')} from the library. Past runs keep their results.\n`);
      return 0;
    }
    const book = (await engine.call('listBooks', {})).find((b) => b.path === target);
    if (!book) {
      throw new ShelfmapError('not-found', `${target} is neither a folder added to the library nor a book in it (see "shelfmap books").`);
    }
    await engine.call('removeBook', { bookId: book.id });
    say(`Removed "${book.title}" (${target}) from the library. Past runs keep their results.\n`);
    if (book.status === 'present') {
      say('The library follows its folders: while the file is there, adding its folder again brings the book back. Move or delete the file to keep it out.\n');
    }
    return 0;
  });
}

const CLUSTER_OPTIONS = {
  k: { type: 'string' },
  'k-min': { type: 'string' },
  'k-max': { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
  backend: { type: 'string' },
  epochs: { type: 'string' },
  embedding: { type: 'string' },
  preset: { type: 'string' },
  refine: { type: 'string' },
  settings: { type: 'string' },
} as const;

async function cluster(args: string[]): Promise<number> {
  const parsed = parseCommand('cluster', args, CLUSTER_OPTIONS, ['folder']);
  if (!parsed) return help('cluster');
  // every argument is checked before a single book is read
  const settings = settingsFromFlags(parsed.values);
  const resolved = resolveSettings(settings);
  if (resolved.k !== 'auto' && (parsed.values['k-min'] !== undefined || parsed.values['k-max'] !== undefined)) {
    throw new UsageError('--k-min and --k-max set the range "--k auto" tries; give them with --k auto.', 'cluster');
  }
  const out = checkCsvOut(parsed.values.out as string | undefined, 'cluster');
  const folder = requireFolder(parsed.positionals[0]);

  return withEngine(parsed.dbPath, async (engine) => {
    const bar = new ProgressBar();
    await addFolder(engine, folder, bar);
    const finished = new Promise<ApiEvents['runFinished']>((resolveFinished) => {
      engine.subscribe((name, payload) => {
        if (name === 'progress') bar.update(payload as ApiEvents['progress']);
        if (name === 'runFinished') resolveFinished(payload as ApiEvents['runFinished']);
      });
    });
    const { runId } = await engine.call('startRun', { settings, folder });
    const interrupt = onInterrupt(() => void engine.call('cancelRun', { runId }));
    try {
      const end = await Promise.race([finished, engine.stopped.then((e) => Promise.reject(e))]);
      bar.done();
      if (end.status !== 'done') {
        throw new ShelfmapError(end.status === 'cancelled' ? 'cancelled' : 'internal', `Run ${runId} ${end.status}: ${end.error}`);
      }
    } finally {
      interrupt.dispose();
    }
    const result = await engine.call('getRun', { runId });
    await writeLabels(engine, runId, out);
    printSummary(result.run, result.clusters, out?.csv, new Map(result.points.map((p) => [p.bookId, p.title])));
    if (out) say(`Wrote the sidecar (settings, seed, backend, version, books fingerprint, clusters) to ${out.json}\n`);
    return 0;
  });
}

/** The run's CSV to stdout, or to --out with its labels.json sidecar beside it (each whole or not at all). */
async function writeLabels(engine: EngineWorker, runId: number, out: { csv: string; json: string } | undefined): Promise<void> {
  const { csv } = await engine.call('exportCsv', { runId });
  if (!out) {
    process.stdout.write(csv);
    return;
  }
  const { json } = await engine.call('exportJson', { runId });
  writeFileAtomic(out.json, json);
  writeFileAtomic(out.csv, csv);
}

function printSummary(run: RunSummary, clusters: ClusterInfo[], out: string | undefined, titles: Map<number, string>): void {
  const times = Object.entries(run.timings)
    .map(([stage, ms]) => `${stage} ${(ms / 1000).toFixed(1)} s`)
    .join(', ');
  const how = run.backend ? `backend ${run.backend} (${run.backendDetail})` : run.backendDetail;
  say(`Run ${run.id}: ${plural(run.bookCount, 'book')}, ${how}; ${times}.\n`);
  if (run.kSweep) say(sweepReport(run.kSweep));
  for (const c of clusters) {
    const typical = c.representatives.slice(0, 3).map((id) => titles.get(id)).filter(Boolean);
    say(`  cluster ${c.id} (${c.size}): ${c.label}${typical.length > 0 ? `  (e.g. ${typical.join('; ')})` : ''}\n`);
  }
  if (out) say(`Wrote ${plural(run.bookCount, 'row')} to ${out}\n`);
}

/** k = auto: the proposal and why, then every k's scores (* the proposed k, < the inertia curve's bend). */
function sweepReport(sweep: KSweep): string {
  const clamped = sweep.asked.max !== sweep.max || sweep.asked.min !== sweep.min ? ` (${sweep.asked.min}..${sweep.asked.max} asked; at most books - 1)` : '';
  const rows = sweep.scores.map((s) => [
    `${s.k}${s.k === sweep.proposed ? ' *' : ''}${s.k === sweep.elbow ? ' <' : ''}`,
    s.silhouette.toFixed(3),
    s.stability.toFixed(3),
    (Math.max(0, s.silhouette) * Math.max(0, s.stability)).toFixed(3),
    s.inertia.toPrecision(4),
  ]);
  return (
    `k = auto over ${sweep.min}..${sweep.max}${clamped}, ${(sweep.ms / 1000).toFixed(1)} s: proposed k = ${sweep.proposed} because ${sweep.reason}\n` +
    `  Rule: ${sweep.rule}.\n` +
    columns(['k', 'silhouette', 'stability', 'sil×stab', 'inertia'], rows)
      .split('\n')
      .map((line) => (line ? `  ${line}` : line))
      .join('\n') +
    '  (* proposed, < where the inertia curve bends)\n'
  );
}

function runIdArgument(text: string, command = 'export'): number {
  const id = Number(text);
  if (!Number.isInteger(id) || id < 1) throw new UsageError(`<run> is a run number (see "shelfmap runs"), not "${text}".`, command);
  return id;
}

async function exportRun(args: string[]): Promise<number> {
  const parsed = parseCommand('export', args, { out: { type: 'string' }, format: { type: 'string' } }, ['run']);
  if (!parsed) return help('export');
  const runId = runIdArgument(parsed.positionals[0]);
  const format = (parsed.values.format as string | undefined) ?? 'csv';
  if (format !== 'csv' && format !== 'json') throw new UsageError(`--format takes csv or json, not "${format}".`, 'export');
  const outFlag = parsed.values.out as string | undefined;
  if (format === 'json') {
    const out = checkOut(outFlag, 'export');
    return withEngine(parsed.dbPath, async (engine) => {
      const { json } = await engine.call('exportJson', { runId });
      if (!out) process.stdout.write(json);
      else {
        writeFileAtomic(out, json);
        say(`Wrote the labels.json of run ${runId} to ${out}\n`);
      }
      return 0;
    });
  }
  const out = checkCsvOut(outFlag, 'export');
  return withEngine(parsed.dbPath, async (engine) => {
    await writeLabels(engine, runId, out);
    if (out) say(`Wrote the labels of run ${runId} to ${out.csv}, and its sidecar to ${out.json}\n`);
    return 0;
  });
}

async function exportFeatures(args: string[]): Promise<number> {
  const parsed = parseCommand('export-features', args, { out: { type: 'string' }, format: { type: 'string' } }, ['run']);
  if (!parsed) return help('export-features');
  const runId = runIdArgument(parsed.positionals[0], 'export-features');
  const format = (parsed.values.format as string | undefined) ?? 'parquet';
  if (format !== 'parquet') throw new UsageError(`--format takes parquet, not "${format}".`, 'export-features');
  const outFlag = parsed.values.out as string | undefined;
  if (outFlag === undefined) throw new UsageError('export-features needs --out FILE.parquet: Parquet is not written to the terminal.', 'export-features');
  if (!/\.parquet$/i.test(outFlag)) throw new UsageError(`--out ${outFlag}: give the file a .parquet name (its vocabulary goes beside it).`, 'export-features');
  const out = checkOut(outFlag, 'export-features')!;
  return withEngine(parsed.dbPath, async (engine) => {
    const report = await engine.call('exportFeatures', { runId, out, format: 'parquet' });
    say(
      `Wrote ${plural(report.books, 'book')} of run ${runId} to ${report.path} (${(report.bytes / 1e6).toFixed(1)} MB: TF-IDF over ${plural(report.vocabularySize, 'term')}, ` +
        `embeddings of ${report.embeddingSize}), and the vocabulary to ${report.vocabularyPath}\n`,
    );
    return 0;
  });
}

async function importLabels(args: string[]): Promise<number> {
  const parsed = parseCommand('import-labels', args, { name: { type: 'string' } }, ['file']);
  if (!parsed) return help('import-labels');
  const file = resolve(parsed.positionals[0]);
  let isFile = false;
  try {
    isFile = statSync(file).isFile();
  } catch {
    throw new ShelfmapError('not-found', `The labels file ${file} does not exist.`);
  }
  if (!isFile) throw new UsageError(`${file} is a folder; give the labels file (CSV or Parquet).`, 'import-labels');
  const name = parsed.values.name as string | undefined;
  if (name !== undefined && name.trim() === '') throw new UsageError('--name needs some text.', 'import-labels');
  return withEngine(parsed.dbPath, async (engine) => {
    const report = await engine.call('importLabels', name === undefined ? { file } : { file, name });
    const layout =
      report.layout === 'source-run'
        ? `the map of run ${report.sourceRun}`
        : report.layout === 'embedding'
          ? `a layout of run ${report.sourceRun}'s embeddings`
          : "each cluster around its own point (no run holds these books' embeddings)";
    say(`Run ${report.runId}: ${plural(report.books, 'book')} in ${plural(report.clusters, 'cluster')} from ${file} (books by "${report.idColumn}", clusters by "${report.clusterColumn}"); map: ${layout}.\n`);
    for (const c of report.clusterNames) say(`  cluster ${c.cluster} (${c.size}, "${c.from}" in the table): ${c.label}\n`);
    if (report.notInTable > 0) say(`${plural(report.notInTable, 'book')} of the library ${report.notInTable === 1 ? 'is' : 'are'} not in the table and not in the run.\n`);
    return 0;
  });
}

async function place(args: string[]): Promise<number> {
  const parsed = parseCommand('place', args, { out: { type: 'string' } }, ['run', 'folder']);
  if (!parsed) return help('place');
  // every argument is checked before a single book is read
  const runId = runIdArgument(parsed.positionals[0], 'place');
  const out = checkCsvOut(parsed.values.out as string | undefined, 'place');
  const folder = requireFolder(parsed.positionals[1]);
  return withEngine(parsed.dbPath, async (engine) => {
    const bar = new ProgressBar();
    const unsubscribe = engine.subscribe((name, payload) => {
      if (name === 'progress') bar.update(payload as ApiEvents['progress']);
    });
    const interrupt = onInterrupt(() => void engine.call('cancelPlace', {}));
    let report;
    try {
      report = await engine.call('placeBooks', { runId, folder });
      bar.done();
    } finally {
      unsubscribe();
      interrupt.dispose();
    }
    const { import: imported, placed, alreadyInRun } = report;
    say(`${imported.found} .txt files: ${imported.added} added to the library, ${imported.unchanged} unchanged, ${imported.rejected.length} left out.\n`);
    for (const r of imported.rejected) say(`  left out (${r.reason}): ${r.message}\n`);
    const { clusters } = await engine.call('getRun', { runId });
    const byCluster = new Map<number, number>();
    for (const p of placed) byCluster.set(p.cluster, (byCluster.get(p.cluster) ?? 0) + 1);
    say(`Placed ${plural(placed.length, 'book')} on run ${runId} (${report.backend ? `backend ${report.backend}` : 'no network'}, ${(report.ms / 1000).toFixed(1)} s; its clusters unchanged):\n`);
    for (const c of clusters.filter((c) => byCluster.has(c.id))) say(`  cluster ${c.id} (${c.label}): ${byCluster.get(c.id)}\n`);
    if (alreadyInRun.length > 0) say(`${alreadyInRun.length} ${alreadyInRun.length === 1 ? 'book was' : 'books were'} in run ${runId} already and kept ${alreadyInRun.length === 1 ? 'its' : 'their'} place.\n`);
    await writeLabels(engine, runId, out);
    if (out) say(`Wrote the labels of run ${runId} (placed books marked) to ${out.csv}, and its sidecar to ${out.json}\n`);
    return 0;
  });
}

function duration(run: RunSummary): string {
  if (!run.finishedAt) return '';
  const seconds = (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000;
  return seconds < 100 ? `${seconds.toFixed(1)} s` : `${Math.round(seconds / 60)} min`;
}

async function runs(args: string[]): Promise<number> {
  const parsed = parseCommand('runs', args, {}, []);
  if (!parsed) return help('runs');
  return withEngine(parsed.dbPath, async (engine) => {
    const list = await engine.call('listRuns', {});
    if (list.length === 0) {
      say('No runs yet: run "shelfmap cluster <folder>" first.\n');
      return 0;
    }
    const rows = list.map((r) => [String(r.id), r.startedAt.replace('T', ' ').slice(0, 19), kText(r), String(r.bookCount), r.backend || r.backendDetail || '-', r.status, duration(r)]);
    say(columns(['run', 'started (UTC)', 'k', 'books', 'backend', 'status', 'took'], rows), process.stdout);
    return 0;
  });
}

function labelsArgument(values: Record<string, string | boolean | undefined>): LabelsSource {
  const labels = values.labels as string | undefined;
  if (!labels) throw new UsageError('evaluate needs --labels FILE (a CSV table) or --labels subfolders.', 'evaluate');
  const idColumn = values['id-column'] as string | undefined;
  const labelColumn = values['label-column'] as string | undefined;
  if (labels === 'subfolders') {
    if (idColumn || labelColumn) throw new UsageError('--id-column and --label-column go with a labels table, not subfolders.', 'evaluate');
    return { kind: 'subfolders' };
  }
  let csv: string;
  try {
    csv = readFileSync(resolve(labels), 'utf8');
  } catch (error) {
    throw new UsageError(`--labels ${labels}: ${(error as Error).message}`, 'evaluate');
  }
  return { kind: 'table', csv, name: basename(labels), ...(idColumn ? { idColumn } : {}), ...(labelColumn ? { labelColumn } : {}) };
}

async function evaluate(args: string[]): Promise<number> {
  const parsed = parseCommand('evaluate', args, { labels: { type: 'string' }, 'id-column': { type: 'string' }, 'label-column': { type: 'string' } }, ['run']);
  if (!parsed) return help('evaluate');
  const runId = runIdArgument(parsed.positionals[0], 'evaluate');
  const labels = labelsArgument(parsed.values);
  return withEngine(parsed.dbPath, async (engine) => {
    say(formatEvaluation(await engine.call('evaluateRun', { runId, labels })), process.stdout);
    return 0;
  });
}

async function rename(args: string[]): Promise<number> {
  const clear = args.includes('--clear');
  const parsed = parseCommand('rename', args, { clear: { type: 'boolean' } }, clear ? ['run', 'cluster'] : ['run', 'cluster', 'name']);
  if (!parsed) return help('rename');
  const [runText, clusterText, name = ''] = parsed.positionals;
  const runId = runIdArgument(runText, 'rename');
  const cluster = Number(clusterText);
  if (clusterText.trim() === '' || !Number.isInteger(cluster) || cluster < 0) {
    throw new UsageError(`<cluster> is a cluster number (0, 1, … as "shelfmap export" lists them), not "${clusterText}".`, 'rename');
  }
  if (!clear && name.trim() === '') throw new UsageError('<name> is empty: give a name, or --clear to go back to the automatic one.', 'rename');
  // the name is checked here as the engine will check it, before the library is opened
  const arg = { runId, cluster, name };
  resolveArgument('renameCluster', arg);
  return withEngine(parsed.dbPath, async (engine) => {
    const renamed = await engine.call('renameCluster', arg);
    say(
      renamed.customLabel
        ? `Run ${runId}, cluster ${cluster} is now named "${renamed.label}" (automatic name: ${renamed.automaticLabel ?? '-'}).\n`
        : `Run ${runId}, cluster ${cluster} has its automatic name again: ${renamed.label}.\n`,
      process.stdout,
    );
    return 0;
  });
}

async function serve(args: string[]): Promise<number> {
  const parsed = parseCommand('serve', args, { port: { type: 'string' } }, []);
  if (!parsed) return help('serve');
  const port = wholeNumberFlag(parsed.values.port as string | undefined, '--port') ?? 0;
  if (port > 65535) throw new UsageError(`--port takes a number from 0 to 65535, not ${port}.`, 'serve');
  const engine = await startEngineWorker({ dbPath: parsed.dbPath, workerFile: workerBeside(import.meta.url) });
  const server = await startServeServer({ client: engine, staticDir: join(here(), '..', 'renderer'), port }).catch(async (error: unknown) => {
    await engine.close();
    throw error;
  });
  process.stdout.write(`Shelfmap is running at ${server.url}\n`);
  say(`Library: ${parsed.dbPath}\nOpen the address above in a browser; it keeps working until the server stops. Ctrl-C stops the server.\n`);
  return new Promise((resolveExit) => {
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      await server.close();
      await engine.close();
      say('Shelfmap stopped.\n');
      resolveExit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    void engine.stopped.then((reason) => {
      if (stopping) return;
      say(`${reason.message}\n`);
      void server.close().then(() => resolveExit(1));
    });
  });
}

function help(command: string): number {
  process.stdout.write(commandHelp(command));
  return 0;
}

const HANDLERS: Record<string, (args: string[]) => Promise<number>> = {
  cluster,
  add,
  books,
  remove,
  runs,
  export: exportRun,
  'export-features': exportFeatures,
  'import-labels': importLabels,
  evaluate,
  place,
  rename,
  serve,
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command) {
      process.stderr.write(HELP);
      return 2;
    }
    if (command === 'help' || command === '--help' || command === '-h') {
      if (rest[0] && COMMANDS[rest[0]]) return help(rest[0]);
      process.stdout.write(HELP);
      return 0;
    }
    if (command === '--version' || command === '-v' || command === 'version') {
      process.stdout.write(`shelfmap ${version()}\n`);
      return 0;
    }
    const handler = HANDLERS[command];
    if (!handler) throw new UsageError(`Unknown command "${command}". Commands: ${Object.keys(COMMANDS).join(', ')}.`);
    return await handler(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      say(`shelfmap: ${error.message}\nRun "shelfmap ${error.command ? `${error.command} ` : ''}--help" for usage.\n`);
      return 2;
    }
    if (error instanceof ShelfmapError) {
      if (error.kind === 'cancelled') {
        say('shelfmap: cancelled. The books already read stay in the library; run the command again to go on.\n');
        return 130;
      }
      say(`shelfmap: ${error.message}\n`);
      return ERROR_KINDS[error.kind].exit;
    }
    say(`shelfmap: ${(error as Error).message}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
