// What the corpus benchmarks share: where the corpus is and its genres, and an engine over a
// library file whose runs are awaited to their end.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../src-shared/csv';
import type { ApiArg, ApiEvents } from '../src-shared/contract';
import { Engine } from '../src-main/engine/engine';
import { Store } from '../src-main/engine/store/store';

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

export interface BenchLibrary {
  store: Store;
  engine: Engine;
  /** Starts a run, waits for its end and gives its id; throws unless it finished. */
  finishedRun(arg: ApiArg<'startRun'>): Promise<number>;
}

export function openBenchLibrary(dbPath: string): BenchLibrary {
  const store = new Store(dbPath);
  const finished: ApiEvents['runFinished'][] = [];
  const engine = new Engine(store, (name, payload) => {
    if (name === 'runFinished') finished.push(payload as ApiEvents['runFinished']);
  });
  return {
    store,
    engine,
    async finishedRun(arg) {
      const { runId } = await engine.call('startRun', arg);
      await engine.idle();
      const end = finished.find((f) => f.runId === runId);
      if (end?.status !== 'done') throw new Error(`run ${runId} ${end?.status ?? 'did not end'}: ${end?.error ?? ''}`);
      return runId;
    },
  };
}
