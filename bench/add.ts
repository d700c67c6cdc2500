// Adding books: the 197 corpus books into a fresh library (in a temp folder), then the same
// folder again unchanged, then a copy with LF line ends (the corpus files are CRLF), which holds
// no new book, then the first folder renamed, which holds the same books at new paths. Prints
// the time and the counts of each step.
//   npm run bench:add
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImportReport } from '../src-shared/domain';
import { Engine } from '../src-main/engine/engine';
import { Store } from '../src-main/engine/store/store';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BOOKS = resolve(root, '..', 'shared', 'corpus', 'gutenberg', 'books');

/** A copy of `from` with every CRLF (and lone CR) turned into LF. */
function copyWithLf(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const text = readFileSync(join(from, name), 'latin1'); // byte for byte, whatever the encoding
    writeFileSync(join(to, name), text.replace(/\r\n?/g, '\n'), 'latin1');
  }
}

function count(report: ImportReport, reason: string): number {
  return report.rejected.filter((r) => r.reason === reason).length;
}

async function main() {
  if (!existsSync(BOOKS)) {
    console.error(`The corpus is not at ${BOOKS}: this benchmark needs ../shared/corpus/gutenberg beside the project.`);
    process.exit(1);
  }
  const dir = mkdtempSync(join(tmpdir(), 'shelfmap-bench-add-'));
  const store = new Store(join(dir, 'library.sqlite'));
  const engine = new Engine(store, () => undefined);
  try {
    const shelf = join(dir, 'shelf');
    cpSync(BOOKS, shelf, { recursive: true });
    const lf = join(dir, 'shelf-lf');
    copyWithLf(BOOKS, lf);
    const renamed = join(dir, 'shelf-renamed');

    console.log(`Shelfmap add benchmark: ${readdirSync(BOOKS).length} corpus files, ${cpus().length} cores, node ${process.version}`);
    console.log('step                      seconds  found  added  unchanged  updated  moved  duplicate  other left out  books in library');
    const step = async (name: string, folder: string, before?: () => void) => {
      before?.();
      const start = performance.now();
      const report = await engine.call('addFolder', { folder });
      const seconds = (performance.now() - start) / 1000;
      const duplicates = count(report, 'duplicate');
      // `moved` exists from schema 3 on; the code before it has no such count
      const moved = (report as Partial<ImportReport>).moved;
      console.log(
        `${name.padEnd(25)} ${seconds.toFixed(3).padStart(7)}  ${String(report.found).padStart(5)}  ${String(report.added).padStart(5)}  ` +
          `${String(report.unchanged).padStart(9)}  ${String(report.updated).padStart(7)}  ${String(moved ?? '-').padStart(5)}  ` +
          `${String(duplicates).padStart(9)}  ${String(report.rejected.length - duplicates).padStart(14)}  ${String(store.countBooks()).padStart(16)}`,
      );
    };
    await step('add the corpus', shelf);
    await step('add it again, unchanged', shelf);
    await step('add an LF copy', lf);
    await step('rename it, add it again', renamed, () => renameSync(shelf, renamed));
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
