import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../src-shared/contract';
import { INITIAL_RUN_STATE, isRunActive, runReducer, type RunAction, type RunState } from './run-state';

function play(actions: RunAction[], from: RunState = INITIAL_RUN_STATE): RunState {
  return actions.reduce(runReducer, from);
}

const progress = (runId: number | null, stage: ProgressEvent['stage'], done: number, total: number): RunAction => ({
  type: 'progress',
  event: { runId, stage, done, total, message: `${stage} ${done}/${total}` },
});

describe('runReducer', () => {
  it('follows a run from start to done', () => {
    const state = play([
      { type: 'start-requested' },
      { type: 'started', runId: 5 },
      progress(5, 'features', 1, 1),
      progress(5, 'embed', 3, 60),
      { type: 'epoch', event: { runId: 5, epoch: 3, epochs: 60, loss: 0.25, valLoss: null, ms: 12 } },
      { type: 'finished', event: { runId: 5, status: 'done', error: null } },
    ]);
    expect(state.phase).toBe('done');
    expect(state.runId).toBe(5);
    expect(state.currentStage).toBe('embed');
    expect(state.stages.embed?.done).toBe(3);
    expect(state.stages.features?.total).toBe(1);
    expect(state.epoch?.loss).toBe(0.25);
    expect(isRunActive(state)).toBe(false);
  });

  it('adopts the run id from events that arrive before startRun resolves', () => {
    const state = play([{ type: 'start-requested' }, progress(9, 'features', 0, 10)]);
    expect(state).toMatchObject({ phase: 'starting', runId: 9, currentStage: 'features' });
    expect(runReducer(state, { type: 'started', runId: 9 }).phase).toBe('running');
  });

  it('keeps a failure that arrived before startRun resolved', () => {
    const state = play([
      { type: 'start-requested' },
      { type: 'finished', event: { runId: 3, status: 'failed', error: 'k is larger than the number of books' } },
      { type: 'started', runId: 3 },
    ]);
    expect(state.phase).toBe('failed');
    expect(state.error).toBe('k is larger than the number of books');
  });

  it('ignores import progress and other runs', () => {
    const running = play([{ type: 'start-requested' }, { type: 'started', runId: 2 }]);
    const after = play(
      [
        progress(null, 'read', 4, 10),
        progress(7, 'embed', 1, 2),
        { type: 'finished', event: { runId: 7, status: 'failed', error: 'other' } },
      ],
      running,
    );
    expect(after).toBe(running);
  });

  it('records cancellation and a failed start', () => {
    const cancelled = play([
      { type: 'start-requested' },
      { type: 'started', runId: 1 },
      { type: 'cancel-requested' },
    ]);
    expect(cancelled.cancelRequested).toBe(true);
    const ended = runReducer(cancelled, { type: 'finished', event: { runId: 1, status: 'cancelled', error: null } });
    expect(ended).toMatchObject({ phase: 'cancelled', cancelRequested: false });
    expect(runReducer(ended, { type: 'cancel-requested' })).toBe(ended);
    // the next thing (an import) clears the cancelled notice; a failure or a run going is kept
    expect(runReducer(ended, { type: 'dismiss-cancelled' })).toEqual(INITIAL_RUN_STATE);
    expect(runReducer(cancelled, { type: 'dismiss-cancelled' })).toBe(cancelled);

    const refused = play([{ type: 'start-requested' }, { type: 'start-failed', message: 'A run is already going.' }]);
    expect(refused).toMatchObject({ phase: 'failed', error: 'A run is already going.' });
    expect(runReducer(refused, { type: 'dismiss-cancelled' })).toBe(refused);
  });

  it('watches a run found running on opening, and a new start forgets the last run', () => {
    const watched = play([{ type: 'watch', runId: 11 }, progress(11, 'cluster', 2, 10)]);
    expect(watched).toMatchObject({ phase: 'running', runId: 11, currentStage: 'cluster' });
    const restarted = runReducer(watched, { type: 'start-requested' });
    expect(restarted).toEqual({ ...INITIAL_RUN_STATE, phase: 'starting' });
  });
});
