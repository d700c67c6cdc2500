// Adding books: the 197 corpus books into a fresh library (in a temp folder), then the same
// folder again unchanged, then a copy with LF line ends (the corpus files are CRLF), which holds
// no new book, then the first folder renamed, which holds the same books at new paths. Prints
// the time, MB/s and books/s and the counts of each step, and the library file's size against
// the text it indexes.
//   npm run bench:add
//   npm run bench:add -- --workers 1          one reader thread instead of one per core
//   npm run bench:add -- --folder /work/scale/books-1k
//                                             that folder (read in place) instead of the corpus: add it, then again
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ImportReport } from '../src-shared/domain';
import { Engine } from '../src-main/engine/engine';
import { Store } from '../src-main/engine/store/store';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BOOKS = resolve(root, '..', 'shared', 'corpus', 'gutenberg', 'books');

const USAGE = `Usage: npm run bench:add -- [--folder DIR] [--workers N]
  --folder DIR   add DIR (read where it is) and add it again, instead of the corpus's four steps
  --workers N    reader threads (default: one per core, ${availableParallelism()} here)`;

/** A copy of `from` with every CRLF (and lone CR) turned into LF. */
function copyWithLf(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const text = readFileSync(join(from, name), 'latin1'); // byte for byte, whatever the encoding
    writeFileSync(join(to, name), text.replace(/\r\n?/g, '\n'), 'latin1');
  }
}

/** Bytes of the .txt files under `folder`. */
function folderBytes(folder: string): number {
  let bytes = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.txt')) bytes += statSync(join(entry.parentPath, entry.name)).size;
  }
  return bytes;
}

function count(report: ImportReport, reason: string): number {
  return report.rejected.filter((r) => r.reason === reason).length;
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

async function main() {
  const { values } = parseArgs({ options: { folder: { type: 'string' }, workers: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 0)) {
    console.error(`--workers must be a whole number of threads (0 or more), got "${values.workers}".\n${USAGE}`);
    process.exit(2);
  }
  const source = values.folder ? resolve(values.folder) : BOOKS;
  if (!existsSync(source)) {
    console.error(
      values.folder ? `There is no folder ${source}.` : `The corpus is not at ${BOOKS}: this benchmark needs ../shared/corpus/gutenberg beside the project.`,
    );
    process.exit(1);
  }
  const dir = mkdtempSync(join(tmpdir(), 'shelfmap-bench-add-'));
  const dbPath = join(dir, 'library.sqlite');
  const store = new Store(dbPath);
  const engine = new Engine(store, () => undefined, { workers });
  try {
    const shelf = values.folder ? source : join(dir, 'shelf');
    if (!values.folder) cpSync(BOOKS, shelf, { recursive: true });
    const lf = join(dir, 'shelf-lf');
    if (!values.folder) copyWithLf(BOOKS, lf);
    const renamed = join(dir, 'shelf-renamed');
    const files = readdirSync(shelf, { recursive: true }).length;

    console.log(
      `Shelfmap add benchmark: ${files} files (${mb(folderBytes(shelf))} MB) in ${shelf}, ${cpus().length} cores, ` +
        `${workers ?? `${availableParallelism()} (one per core)`} reader threads, node ${process.version}`,
    );
    console.log('step                      seconds  CPU s   MB/s  books/s  found  added  unchanged  updated  moved  duplicate  other left out  books in library');
    const step = async (name: string, folder: string, before?: () => void) => {
      before?.();
      const bytes = folderBytes(folder);
      const start = performance.now();
      // CPU time of the whole process, reader threads included: steadier than seconds on a busy machine
      const cpuStart = process.cpuUsage();
      const report = await engine.call('addFolder', { folder });
      const seconds = (performance.now() - start) / 1000;
      const cpu = process.cpuUsage(cpuStart);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      const duplicates = count(report, 'duplicate');
      console.log(
        `${name.padEnd(25)} ${seconds.toFixed(3).padStart(7)}  ${cpuSeconds.toFixed(2).padStart(5)}  ${(bytes / 1e6 / seconds).toFixed(1).padStart(5)}  ${(report.found / seconds).toFixed(1).padStart(7)}  ` +
          `${String(report.found).padStart(5)}  ${String(report.added).padStart(5)}  ` +
          `${String(report.unchanged).padStart(9)}  ${String(report.updated).padStart(7)}  ${String(report.moved).padStart(5)}  ` +
          `${String(duplicates).padStart(9)}  ${String(report.rejected.length - duplicates).padStart(14)}  ${String(store.countBooks()).padStart(16)}`,
      );
    };
    await step(values.folder ? 'add the folder' : 'add the corpus', shelf);
    // the library's size with its write-ahead log folded in, against the text of the books it holds
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const library = statSync(dbPath).size;
    const text = (store.db.prepare('SELECT COALESCE(SUM(bytes), 0) FROM books').pluck().get() as number) || 1;
    console.log(`library file ${mb(library)} MB for ${mb(text)} MB of text in its books: ${((100 * library) / text).toFixed(1)}%`);
    await step('add it again, unchanged', shelf);
    if (!values.folder) {
      await step('add an LF copy', lf);
      await step('rename it, add it again', renamed, () => renameSync(shelf, renamed));
    }
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
