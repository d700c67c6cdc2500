// The run side of the UI: start and cancel runs, follow their progress, and keep the map of
// the latest finished run (loaded on opening, so reopening the app shows the last map).
import { useCallback, useEffect, useReducer, useState } from 'react';
import type { ShelfmapClient } from '../../../src-shared/contract';
import type { RunComparison, RunResult, RunSummary } from '../../../src-shared/domain';
import type { SettingsInput } from '../../../src-shared/settings';
import { errorMessage, useShelfmapEvents } from './events';
import { INITIAL_RUN_STATE, runReducer, type RunState } from './run-state';

export interface RunsState {
  run: RunState;
  /** The map on show: the newest finished run. */
  result: RunResult | null;
  /** A problem loading runs (not a run's own failure, which is in run.error). */
  loadError: string | null;
  /** Every run in the library, newest first. */
  runs: RunSummary[];
  startRun(settings: SettingsInput): Promise<void>;
  cancelRun(): Promise<void>;
  /** Puts a finished run's map on show. */
  showRun(runId: number): Promise<void>;
  compareRuns(runA: number, runB: number): Promise<RunComparison>;
  /** Renames a cluster of the map on show ("" for its automatic name); rejects with the reason. */
  renameCluster(cluster: number, name: string): Promise<void>;
  /** Clears a cancelled run's notice (the next import or run has begun). */
  dismissCancelled(): void;
}

export function useRuns(client: ShelfmapClient): RunsState {
  const [run, dispatch] = useReducer(runReducer, INITIAL_RUN_STATE);
  const [result, setResult] = useState<RunResult | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [runs, setRuns] = useState<RunSummary[]>([]);

  const refreshRuns = useCallback(async () => {
    try {
      setRuns(await client.call('listRuns', {}));
    } catch (failure) {
      setLoadError(errorMessage(failure));
    }
  }, [client]);

  const showRun = useCallback(
    async (runId: number) => {
      try {
        setResult(await client.call('getRun', { runId }));
        setLoadError(null);
      } catch (failure) {
        setLoadError(`The finished map could not be loaded: ${errorMessage(failure)}`);
      }
    },
    [client],
  );

  useEffect(() => {
    let stale = false;
    (async () => {
      const all = await client.call('listRuns', {});
      if (stale) return;
      setRuns(all);
      const running = all.find((r) => r.status === 'running');
      if (running) dispatch({ type: 'watch', runId: running.id });
      const latest = all.find((r) => r.status === 'done');
      if (!latest) return;
      const shown = await client.call('getRun', { runId: latest.id });
      // A run made meanwhile wins over the one found on opening.
      if (!stale) setResult((current) => current ?? shown);
    })().catch((failure: unknown) => {
      if (!stale) setLoadError(errorMessage(failure));
    });
    return () => {
      stale = true;
    };
  }, [client]);

  // runs made by another door (the CLI, another tab) show up when the window is looked at again
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible') void refreshRuns();
    };
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('focus', onVisible);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('focus', onVisible);
    };
  }, [refreshRuns]);

  useShelfmapEvents(client, (event) => {
    switch (event.name) {
      case 'progress':
        dispatch({ type: 'progress', event: event.payload });
        break;
      case 'epoch':
        dispatch({ type: 'epoch', event: event.payload });
        break;
      case 'runFinished': {
        const { runId, status } = event.payload;
        const ours = run.runId === runId || (run.phase === 'starting' && run.runId === null);
        dispatch({ type: 'finished', event: event.payload });
        if (ours && status === 'done') void showRun(runId);
        void refreshRuns();
        break;
      }
    }
  });

  const startRun = useCallback(
    async (settings: SettingsInput) => {
      dispatch({ type: 'start-requested' });
      try {
        const { runId } = await client.call('startRun', { settings });
        dispatch({ type: 'started', runId });
        void refreshRuns();
      } catch (failure) {
        dispatch({ type: 'start-failed', message: errorMessage(failure) });
      }
    },
    [client, refreshRuns],
  );

  const runId = run.runId;
  const cancelRun = useCallback(async () => {
    if (runId === null) return;
    dispatch({ type: 'cancel-requested' });
    try {
      await client.call('cancelRun', { runId });
    } catch (failure) {
      setLoadError(`Could not cancel: ${errorMessage(failure)}`);
    }
  }, [client, runId]);

  const compareRuns = useCallback((runA: number, runB: number) => client.call('compareRuns', { runA, runB }), [client]);

  const shownRunId = result?.run.id ?? null;
  const renameCluster = useCallback(
    async (cluster: number, name: string) => {
      if (shownRunId === null) return;
      try {
        const renamed = await client.call('renameCluster', { runId: shownRunId, cluster, name });
        setResult((current) =>
          current && current.run.id === shownRunId ? { ...current, clusters: current.clusters.map((c) => (c.id === renamed.id ? renamed : c)) } : current,
        );
      } catch (failure) {
        throw new Error(errorMessage(failure));
      }
    },
    [client, shownRunId],
  );

  const dismissCancelled = useCallback(() => dispatch({ type: 'dismiss-cancelled' }), []);

  return { run, result, loadError, runs, startRun, cancelRun, showRun, compareRuns, renameCluster, dismissCancelled };
}
