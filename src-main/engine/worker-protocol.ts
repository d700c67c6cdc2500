// Messages between a door and the engine's worker thread: plain data with sequence numbers,
// errors flattened to { kind, message }.
import type { ApiEventName, ApiEvents, ApiMethodName } from '../../src-shared/contract';
import type { SerializedError } from '../../src-shared/errors';
import type { StopFlag } from './worker-stop';

export interface WorkerOptions {
  /** The SQLite library file. */
  dbPath: string;
  /** better-sqlite3 built for another runtime (Electron's ABI), when not the default one. */
  sqliteBinding?: string;
}

/** What the thread is started with: the door's options and the flag close() raises (worker-stop.ts). */
export interface EngineWorkerData extends WorkerOptions {
  stop: StopFlag;
}

export type ToWorker = { seq: number; method: ApiMethodName; arg: unknown };

/** Sent by close() only to wake an idle thread, which exits on the stop flag before reading it. */
export const WAKE_TO_STOP = { seq: 0, method: 'stop', arg: null } as const;

export type FromWorker =
  | { type: 'ready' }
  | { type: 'fatal'; error: SerializedError }
  | { type: 'reply'; seq: number; ok: true; result: unknown }
  | { type: 'reply'; seq: number; ok: false; error: SerializedError }
  | { [E in ApiEventName]: { type: 'event'; name: E; payload: ApiEvents[E] } }[ApiEventName];
