// How the latest run ended, when that needs saying.
import type { RunState } from '../state/run-state';

export function RunStatus({ run, hasMap }: { run: RunState; hasMap: boolean }) {
  if (run.phase === 'failed') {
    return (
      <div className="alert error" role="alert" data-testid="run-error">
        <strong>The map could not be made.</strong>{' '}
        <span>{run.error ?? 'The run stopped without saying why.'}</span>
      </div>
    );
  }
  if (run.phase === 'cancelled') {
    return (
      <div className="alert" role="status" data-testid="run-cancelled">
        <strong>Run cancelled.</strong>{' '}
        <span>{hasMap ? 'The previous map is still shown.' : 'No map was made.'}</span>
      </div>
    );
  }
  return null;
}
