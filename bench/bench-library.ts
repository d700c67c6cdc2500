// What the corpus benchmarks share: where the corpus is and its genres, and (from the engine)
// an engine over a library file whose runs are awaited to their end.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../src-shared/csv';
export { openLibraryEngine } from '../src-main/engine/library-engine';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CORPUS = resolve(root, '..', 'shared', 'corpus', 'gutenberg');

/** Each corpus book's absolute path -> its genre in the manifest. */
export function loadGenres(): Map<string, string> {
  const [header, ...rows] = parseCsv(readFileSync(join(CORPUS, 'manifest.csv'), 'utf8'));
  const file = header.indexOf('file');
  const genre = header.indexOf('genre');
  return new Map(rows.filter((r) => r.length === header.length).map((r) => [resolve(CORPUS, r[file]), r[genre]]));
}

/** Ends the benchmark with a plain message when the corpus is not beside the project. */
export function requireCorpus(): void {
  if (!existsSync(join(CORPUS, 'manifest.csv'))) {
    console.error(`The corpus is not at ${CORPUS}: this benchmark needs ../shared/corpus/gutenberg beside the project.`);
    process.exit(1);
  }
}
