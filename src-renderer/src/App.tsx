// The window: adding books and making maps on the left, the map in the middle, the clusters
// and the chosen book on the right. Everything goes through the ShelfmapClient it is given.
import { useState } from 'react';
import type { ShelfmapClient } from '../../src-shared/contract';
import { STAGES_IMPORT, STAGES_RUN } from '../../src-shared/domain';
import { DEFAULT_SETTINGS } from '../../src-shared/settings';
import { AddBooks } from './components/AddBooks';
import { BookDetails } from './components/BookDetails';
import { ClusterList } from './components/ClusterList';
import { Header } from './components/Header';
import { ImportResult } from './components/ImportResult';
import { MapPanel } from './components/MapPanel';
import { RunControls } from './components/RunControls';
import { RunStatus } from './components/RunStatus';
import { RunList } from './components/RunList';
import { LibraryFolders } from './components/LibraryFolders';
import { StageProgress } from './components/StageProgress';
import { isRunActive } from './state/run-state';
import { useLibrary } from './state/useLibrary';
import { useRuns } from './state/useRuns';

interface AppProps {
  client: ShelfmapClient;
  desktop: ShelfmapDesktopApi | null;
}

/** What is highlighted or chosen on the map, tied to the run it was chosen in. */
interface Selection {
  runId: number;
  cluster: number | null;
  bookId: number | null;
}

export function App({ client, desktop }: AppProps) {
  const library = useLibrary(client);
  const runs = useRuns(client);
  const [selection, setSelection] = useState<Selection | null>(null);
  // the book the map was last asked to centre on (search, similar books); a new nonce centres again
  const [centreOn, setCentreOn] = useState<{ runId: number; bookId: number; nonce: number } | null>(null);

  const result = runs.result;
  const active = isRunActive(runs.run);
  // A new map clears what was chosen on the old one.
  const chosen = result && selection?.runId === result.run.id ? selection : null;
  const highlighted = chosen?.cluster ?? null;
  const selectedBook = chosen?.bookId != null ? result?.points.find((p) => p.bookId === chosen.bookId) : undefined;

  function choose(change: Partial<Omit<Selection, 'runId'>>) {
    if (!result) return;
    setSelection({ runId: result.run.id, cluster: highlighted, bookId: chosen?.bookId ?? null, ...change });
  }

  /** Centres the map on a book of the run on show and opens its panel. */
  function goToBook(bookId: number) {
    if (!result) return;
    choose({ bookId });
    setCentreOn({ runId: result.run.id, bookId, nonce: (centreOn?.nonce ?? 0) + 1 });
  }

  return (
    <div className="app">
      <Header bookCount={library.bookCount} />
      {runs.loadError && (
        <p className="banner" role="alert" data-testid="load-error">
          {runs.loadError}
        </p>
      )}
      <main className="layout">
        <aside className="sidebar">
          <AddBooks desktop={desktop} busy={library.importing || active} onAdd={library.addFolder} />
          {(library.importing || library.report || library.rejected.length > 0 || library.error || library.cancelled) && (
            <section className="card" aria-label="Import">
              {library.importing && (
                <>
                  <StageProgress stages={STAGES_IMPORT} progress={library.importProgress} testId="import-progress" label="Import progress" />
                  <div className="actions">
                    <button
                      type="button"
                      className="button"
                      data-testid="cancel-import"
                      onClick={() => void library.cancelImport()}
                      disabled={library.cancelRequested}
                    >
                      {library.cancelRequested ? 'Cancelling…' : 'Cancel import'}
                    </button>
                  </div>
                </>
              )}
              {library.cancelled && (
                <p className="alert" role="status" data-testid="import-cancelled">
                  {library.cancelled}
                </p>
              )}
              <ImportResult importing={library.importing} report={library.report} rejected={library.rejected} error={library.error} />
            </section>
          )}
          <LibraryFolders
            folders={library.folders}
            books={library.books}
            busy={library.importing || active}
            removal={library.removal}
            onRescan={(folder) => void library.addFolder(folder)}
            onRemove={(folder) => void library.removeFolder(folder)}
            onRemoveBook={(bookId, title) => void library.removeBook(bookId, title)}
          />
          <section className="card" aria-labelledby="run-title">
            <h2 id="run-title">Make a map</h2>
            <RunControls
              // A newly shown map resets the fields to the settings that made it.
              key={result?.run.id ?? 'defaults'}
              initial={result?.run.settings ?? DEFAULT_SETTINGS}
              sweep={result?.run.kSweep ?? null}
              bookCount={library.bookCount}
              active={active}
              cancelRequested={runs.run.cancelRequested}
              disabled={library.importing}
              onStart={(settings) => void runs.startRun(settings)}
              onCancel={() => void runs.cancelRun()}
            />
          </section>
          <RunList
            runs={runs.runs}
            shownRunId={result?.run.id ?? null}
            onShow={(runId) => void runs.showRun(runId)}
            onCompare={runs.compareRuns}
          />
        </aside>
        <MapPanel
          client={client}
          result={result}
          bookCount={library.bookCount}
          making={active}
          activity={
            active ? (
              <StageProgress
                stages={STAGES_RUN}
                progress={{ stages: runs.run.stages, current: runs.run.currentStage }}
                epoch={runs.run.epoch}
                testId="run-progress"
                label="Map progress"
              />
            ) : runs.run.phase === 'failed' || runs.run.phase === 'cancelled' ? (
              <RunStatus run={runs.run} hasMap={result !== null} />
            ) : null
          }
          highlightedCluster={highlighted}
          selectedBookId={selectedBook?.bookId ?? null}
          onSelectBook={(bookId) => choose({ bookId })}
          desktop={desktop}
          busy={library.importing || active}
          onPlaced={(report) => {
            void runs.showRun(report.runId);
            void library.refresh();
          }}
          onOpenBook={goToBook}
          centreOn={centreOn && result && centreOn.runId === result.run.id ? centreOn : null}
        />
        {result && (
          <aside className="inspector">
            {selectedBook && (
              <BookDetails
                key={`${result.run.id}:${selectedBook.bookId}`}
                client={client}
                runId={result.run.id}
                book={selectedBook}
                cluster={result.clusters.find((c) => c.id === selectedBook.cluster)}
                desktop={desktop}
                onGoTo={goToBook}
                onClose={() => choose({ bookId: null })}
                removeDisabled={library.importing || active}
                onRemove={() => void library.removeBook(selectedBook.bookId, selectedBook.title)}
              />
            )}
            <ClusterList
              clusters={result.clusters}
              points={result.points}
              highlighted={highlighted}
              onHighlight={(cluster) => choose({ cluster })}
              onRename={runs.renameCluster}
            />
          </aside>
        )}
      </main>
    </div>
  );
}
