// Messages between a door and the engine's worker thread: plain data with sequence numbers,
// errors flattened to { kind, message }.
import type { ApiEventName, ApiEvents, ApiMethodName } from '../../src-shared/contract';
import type { SerializedError } from '../../src-shared/errors';

export interface WorkerOptions {
  /** The SQLite library file. */
  dbPath: string;
  /** better-sqlite3 built for another runtime (Electron's ABI), when not the default one. */
  sqliteBinding?: string;
}

export type ToWorker = { seq: number; method: ApiMethodName; arg: unknown };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'fatal'; error: SerializedError }
  | { type: 'reply'; seq: number; ok: true; result: unknown }
  | { type: 'reply'; seq: number; ok: false; error: SerializedError }
  | { [E in ApiEventName]: { type: 'event'; name: E; payload: ApiEvents[E] } }[ApiEventName];
