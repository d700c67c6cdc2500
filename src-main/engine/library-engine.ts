// An engine over a library file whose runs can be awaited to their end: what the tests and
// benchmarks that work on real SQLite files share.
import type { ApiArg, ApiEvents } from '../../src-shared/contract';
import { Engine } from './engine';
import { Store } from './store/store';

export interface LibraryEngine {
  store: Store;
  engine: Engine;
  /** Every run that ended, in the order they ended. */
  finished: ApiEvents['runFinished'][];
  /** Starts a run, waits for its end and gives its id; throws unless it finished. */
  finishedRun(arg: ApiArg<'startRun'>): Promise<number>;
}

export function openLibraryEngine(dbPath: string): LibraryEngine {
  const store = new Store(dbPath);
  const finished: ApiEvents['runFinished'][] = [];
  const engine = new Engine(store, (name, payload) => {
    if (name === 'runFinished') finished.push(payload as ApiEvents['runFinished']);
  });
  return {
    store,
    engine,
    finished,
    async finishedRun(arg) {
      const { runId } = await engine.call('startRun', arg);
      await engine.idle();
      const end = finished.find((f) => f.runId === runId);
      if (end?.status !== 'done') throw new Error(`run ${runId} ${end?.status ?? 'did not end'}: ${end?.error ?? ''}`);
      return runId;
    },
  };
}
