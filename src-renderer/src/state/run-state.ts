// What the UI knows about the run it is watching, as a pure reducer over the contract's
// events. startRun resolves only after the run has begun, so its first events (or even its end,
// when it fails at once) may arrive before we know its id: while "starting", the first run
// event we see names the run.
import type { ApiEvents, ProgressEvent } from '../../../src-shared/contract';
import type { StageName } from '../../../src-shared/domain';

export type RunPhase = 'idle' | 'starting' | 'running' | 'done' | 'failed' | 'cancelled';

export interface RunState {
  phase: RunPhase;
  runId: number | null;
  /** Latest progress of each stage seen in this run. */
  stages: Partial<Record<StageName, ProgressEvent>>;
  currentStage: StageName | null;
  epoch: ApiEvents['epoch'] | null;
  error: string | null;
  cancelRequested: boolean;
}

export type RunAction =
  | { type: 'start-requested' }
  | { type: 'started'; runId: number }
  | { type: 'start-failed'; message: string }
  | { type: 'watch'; runId: number }
  | { type: 'progress'; event: ProgressEvent }
  | { type: 'epoch'; event: ApiEvents['epoch'] }
  | { type: 'finished'; event: ApiEvents['runFinished'] }
  | { type: 'cancel-requested' }
  /** The next thing happened (an import, a run): a cancelled run's notice has said its piece. */
  | { type: 'dismiss-cancelled' };

export const INITIAL_RUN_STATE: RunState = {
  phase: 'idle',
  runId: null,
  stages: {},
  currentStage: null,
  epoch: null,
  error: null,
  cancelRequested: false,
};

export function isRunActive(state: RunState): boolean {
  return state.phase === 'starting' || state.phase === 'running';
}

/** The state with the run id settled, or null when the event belongs to another run. */
function adopt(state: RunState, runId: number | null): RunState | null {
  if (runId === null) return null;
  if (state.phase === 'starting' && state.runId === null) return { ...state, runId };
  return state.runId === runId && isRunActive(state) ? state : null;
}

export function runReducer(state: RunState, action: RunAction): RunState {
  switch (action.type) {
    case 'start-requested':
      return { ...INITIAL_RUN_STATE, phase: 'starting' };
    case 'watch':
      return { ...INITIAL_RUN_STATE, phase: 'running', runId: action.runId };
    case 'started':
      // The run may already have ended (its runFinished came first): keep that ending.
      if (state.runId === action.runId && !isRunActive(state)) return state;
      if (state.phase !== 'starting') return state;
      return { ...state, phase: 'running', runId: action.runId };
    case 'start-failed':
      return { ...state, phase: 'failed', error: action.message };
    case 'progress': {
      const next = adopt(state, action.event.runId);
      if (!next) return state;
      return {
        ...next,
        stages: { ...next.stages, [action.event.stage]: action.event },
        currentStage: action.event.stage,
      };
    }
    case 'epoch': {
      const next = adopt(state, action.event.runId);
      return next ? { ...next, epoch: action.event } : state;
    }
    case 'finished': {
      const next = adopt(state, action.event.runId);
      if (!next) return state;
      const phase: RunPhase = action.event.status === 'running' ? 'running' : action.event.status;
      return { ...next, phase, error: action.event.error, cancelRequested: false };
    }
    case 'cancel-requested':
      return isRunActive(state) ? { ...state, cancelRequested: true } : state;
    case 'dismiss-cancelled':
      return state.phase === 'cancelled' ? INITIAL_RUN_STATE : state;
  }
}
