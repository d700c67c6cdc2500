// Placing new books on the run on show: a folder is added to the library, and its books that
// the run does not hold are embedded with the run's own model and given its nearest cluster.
// The run's clusters and its books' places stay as they are; refitting is a new run.
import { useState } from 'react';
import type { ProgressEvent, ShelfmapClient } from '../../../src-shared/contract';
import { STAGES_PLACE, type PlaceReport } from '../../../src-shared/domain';
import { ShelfmapError } from '../../../src-shared/errors';
import { plural } from '../format';
import { errorMessage, useShelfmapEvents } from '../state/events';
import { NO_PROGRESS, type ProgressByStage } from '../state/useLibrary';
import { FolderPathForm } from './AddBooks';
import { StageProgress } from './StageProgress';

const PLACE_FOLDER = { label: 'Place books', inputTestId: 'place-folder-path', buttonTestId: 'place-books', placeholder: '/home/you/New books' };

interface PlaceBooksProps {
  client: ShelfmapClient;
  desktop: ShelfmapDesktopApi | null;
  runId: number;
  /** Something else is going (an import, a run): placing would be refused. */
  busy: boolean;
  /** Books were placed on the run: show it again, and count the library again. */
  onPlaced(report: PlaceReport): void;
  onClose(): void;
}

/** What the notice says once books are placed. */
export function placedNotice(report: PlaceReport): string {
  const already = report.alreadyInRun.length;
  return (
    `${plural(report.placed.length, 'book')} placed on run ${report.runId} (clusters unchanged)` +
    (already > 0 ? `; ${plural(already, 'book')} of the folder ${already === 1 ? 'was' : 'were'} in the run already.` : '.')
  );
}

export function PlaceBooks({ client, desktop, runId, busy, onPlaced, onClose }: PlaceBooksProps) {
  const [placing, setPlacing] = useState(false);
  const [progress, setProgress] = useState<ProgressByStage>(NO_PROGRESS);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [cancelRequested, setCancelRequested] = useState(false);

  useShelfmapEvents(client, (event) => {
    if (!placing || event.name !== 'progress') return;
    const p: ProgressEvent = event.payload;
    // the import's own stages, then this run's placing
    if ((p.runId === null && (p.stage === 'scan' || p.stage === 'read')) || (p.runId === runId && p.stage === 'place')) {
      setProgress((current) => ({ stages: { ...current.stages, [p.stage]: p }, current: p.stage }));
    }
  });

  async function place(path: string) {
    setPlacing(true);
    setProgress(NO_PROGRESS);
    setNotice(null);
    setProblem(null);
    setCancelRequested(false);
    try {
      const report = await client.call('placeBooks', { runId, folder: path });
      setNotice(placedNotice(report));
      onPlaced(report);
    } catch (failure) {
      setProblem(
        failure instanceof ShelfmapError && failure.kind === 'cancelled'
          ? `Placing was cancelled: nothing was placed on run ${runId}. Books already read from the folder stay in the library.`
          : errorMessage(failure),
      );
    } finally {
      setPlacing(false);
    }
  }

  async function choose() {
    if (!desktop) return;
    setProblem(null);
    try {
      const picked = await desktop.pickFolder();
      if (picked) await place(picked);
    } catch (failure) {
      setProblem(`The folder dialog did not open: ${errorMessage(failure)}`);
    }
  }

  async function cancel() {
    setCancelRequested(true);
    try {
      await client.call('cancelPlace', {});
    } catch (failure) {
      setProblem(errorMessage(failure));
    }
  }

  return (
    <div className="place-books" data-testid="place-panel" aria-label={`Place new books on run ${runId}`} role="group">
      <div className="place-head">
        <p className="hint">
          New books are placed on run {runId} with its own model and given its nearest cluster; its clusters and books stay as they are. To
          refit everything, make a new map.
        </p>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close placing" disabled={placing}>
          ×
        </button>
      </div>
      {desktop ? (
        <button type="button" className="button primary" data-testid="place-choose-folder" disabled={busy || placing} onClick={() => void choose()}>
          Choose folder to place…
        </button>
      ) : (
        <FolderPathForm busy={busy || placing} onAdd={place} label="Folder of new books on the computer running Shelfmap" action={PLACE_FOLDER} />
      )}
      {placing && (
        <>
          <StageProgress stages={STAGES_PLACE} progress={progress} testId="place-progress" label="Placing progress" />
          <div className="actions">
            <button type="button" className="button small" data-testid="cancel-place" onClick={() => void cancel()} disabled={cancelRequested}>
              {cancelRequested ? 'Cancelling…' : 'Cancel'}
            </button>
          </div>
        </>
      )}
      {notice && (
        <p className="alert" role="status" data-testid="place-notice">
          {notice}
        </p>
      )}
      {problem && (
        <p className="alert error" role="alert" data-testid="place-error">
          {problem}
        </p>
      )}
    </div>
  );
}
