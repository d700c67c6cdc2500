// Every run in the library, newest first: switch the map to any finished run, or compare one
// with the map on show (how many books changed cluster, the adjusted Rand index between them).
import { useState } from 'react';
import type { RunComparison, RunSummary } from '../../../src-shared/domain';
import { errorMessage } from '../state/events';
import { formatDuration, kText, plural } from '../format';

interface RunListProps {
  runs: RunSummary[];
  /** The run whose map is on show. */
  shownRunId: number | null;
  onShow(runId: number): void;
  onCompare(runA: number, runB: number): Promise<RunComparison>;
}

function took(run: RunSummary): string | null {
  return run.finishedAt ? formatDuration(Date.parse(run.finishedAt) - Date.parse(run.startedAt)) : null;
}

export function RunList({ runs, shownRunId, onShow, onCompare }: RunListProps) {
  const [comparison, setComparison] = useState<RunComparison | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  if (runs.length === 0) return null;

  async function compare(runId: number) {
    if (shownRunId === null) return;
    setProblem(null);
    try {
      setComparison(await onCompare(shownRunId, runId));
    } catch (failure) {
      setComparison(null);
      setProblem(errorMessage(failure));
    }
  }

  return (
    <section className="card" aria-labelledby="runs-title">
      <h2 id="runs-title">Runs</h2>
      <ul className="run-list" data-testid="run-list">
        {runs.map((run) => {
          const shown = run.id === shownRunId;
          const duration = took(run);
          return (
            <li key={run.id} className={`run-item${shown ? ' shown' : ''}`} data-testid="run-item" data-run-id={run.id} data-status={run.status}>
              <div className="run-item-head">
                <span className="run-item-title">
                  Run {run.id} · k = {kText(run)}
                </span>
                <span className={`run-status status-${run.status}`}>{shown ? 'on show' : run.status}</span>
              </div>
              <p className="run-item-meta">
                {new Date(run.startedAt).toLocaleString()} · {plural(run.bookCount, 'book')}
                {run.backend && ` · ${run.backend}`}
                {duration && ` · ${duration}`} · seed {run.settings.seed}
              </p>
              {run.status === 'done' && !shown && (
                <div className="run-item-actions">
                  <button type="button" className="button small" data-testid="show-run" onClick={() => onShow(run.id)}>
                    Show
                  </button>
                  {shownRunId !== null && (
                    <button type="button" className="button small" data-testid="compare-run" onClick={() => void compare(run.id)}>
                      Compare with run {shownRunId}
                    </button>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {comparison && (
        <p className="comparison" role="status" data-testid="run-comparison" data-changed={comparison.changedCluster} data-ari={comparison.ari}>
          Run {comparison.runB} against run {comparison.runA}: {plural(comparison.changedCluster, 'book')} of {comparison.commonBooks} changed
          cluster; adjusted Rand index {comparison.ari.toFixed(3)} (1 is the same grouping).
        </p>
      )}
      {problem && (
        <p className="inline-error" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
