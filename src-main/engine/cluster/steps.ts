// Long computations here are written as generators that yield between units of work (a Lloyd
// iteration, a UMAP epoch). One generator then serves two callers: a plain synchronous call,
// and an async call that gives the event loop a turn at each yield so a cancel can arrive.
import { checkpoint, throwIfCancelled } from '../cancel';

export type Steps<T> = Generator<void, T, void>;

/** Runs to the end synchronously, checking the signal at each step. */
export function runSteps<T>(steps: Steps<T>, signal: AbortSignal | undefined): T {
  throwIfCancelled(signal);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    throwIfCancelled(signal);
  }
}

/** Yields to the event loop at most every `sliceMs` (a cancel message can then land), checking the signal. */
export async function runStepsAsync<T>(steps: Steps<T>, signal: AbortSignal | undefined, sliceMs = 20): Promise<T> {
  await checkpoint(signal);
  let sliceStart = performance.now();
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await checkpoint(signal);
      sliceStart = performance.now();
    } else throwIfCancelled(signal);
  }
}
