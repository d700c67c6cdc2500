// Cooperative cancellation: long loops check the signal and yield so a cancel message can
// arrive (the engine shares one thread with its message handler).
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ShelfmapError } from '../../src-shared/errors';

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ShelfmapError('cancelled', 'Cancelled.');
}

/** Lets queued messages (a cancel, a list request) run, then checks for a cancel. */
export async function checkpoint(signal: AbortSignal | undefined): Promise<void> {
  await nextTurn();
  throwIfCancelled(signal);
}
