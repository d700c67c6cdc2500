// The window: adding books and making maps on the left, the map (or, in its own tab, the
// library as a table) in the middle, the clusters and the chosen book on the right. Everything
// goes through the ShelfmapClient it is given.
import { useEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { ShelfmapClient } from '../../src-shared/contract';
import { STAGES_IMPORT, STAGES_RUN } from '../../src-shared/domain';
import { DEFAULT_SETTINGS } from '../../src-shared/settings';
import { AddBooks } from './components/AddBooks';
import { BookDetails } from './components/BookDetails';
import { ClusterList } from './components/ClusterList';
import { Header } from './components/Header';
import { ImportResult } from './components/ImportResult';
import { LibraryView } from './components/LibraryView';
import { MapPanel } from './components/MapPanel';
import { RunControls } from './components/RunControls';
import { RunStatus } from './components/RunStatus';
import { RunList } from './components/RunList';
import { LibraryFolders } from './components/LibraryFolders';
import { StageProgress } from './components/StageProgress';
import { panelId, tabId, ViewTabs } from './components/ViewTabs';
import { kText } from './format';
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

type View = 'map' | 'library';
const VIEWS = [
  { id: 'map', label: 'Map' },
  { id: 'library', label: 'Library' },
] as const satisfies readonly { id: View; label: string }[];

export function App({ client, desktop }: AppProps) {
  const library = useLibrary(client);
  const runs = useRuns(client);
  const [selection, setSelection] = useState<Selection | null>(null);
  const [view, setView] = useState<View>('map');
  const leftOutHeading = useRef<HTMLHeadingElement>(null);
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

  // the Library tab lists every file kept as left out, and those the import under way leaves out meanwhile
  const leftOut = useMemo(() => {
    const known = new Set(library.allRejected.map((r) => r.path));
    return [...library.allRejected, ...library.rejected.filter((r) => !known.has(r.path))];
  }, [library.allRejected, library.rejected]);

  const mapBooks = useMemo(() => (result ? { runId: result.run.id, bookIds: new Set(result.points.map((p) => p.bookId)) } : null), [result]);

  // the sidebar's "see why" link: the Library tab, with focus on its left-out list (shown first)
  function showLeftOut() {
    flushSync(() => setView('library'));
    leftOutHeading.current?.focus();
    leftOutHeading.current?.scrollIntoView({ block: 'start' });
  }

  // When a run ends, the button that started it is disabled and then (a new map resets the form)
  // replaced, and focus would drop to the top of the page: put it on the map's heading instead
  // (or the shown tab), where the notice or the new map is. Focus a person put elsewhere stays.
  const wasActive = useRef(active);
  const runEnded = useRef(false);
  const shownRunId = result?.run.id ?? null;
  useEffect(() => {
    if (wasActive.current !== active) runEnded.current = !active;
    wasActive.current = active;
    if (!runEnded.current) return;
    const focused = document.activeElement;
    if (focused !== null && focused !== document.body && focused.isConnected && !(focused as HTMLButtonElement).disabled) return;
    runEnded.current = false;
    const target = view === 'map' ? document.getElementById('map-title') : document.getElementById(tabId('view', view));
    target?.focus();
  }, [active, shownRunId, view]);

  // The progress area names the run it follows: "Run 4, k = 12".
  const [requestedK, setRequestedK] = useState<string | null>(null);
  const followed = runs.runs.find((r) => r.id === runs.run.runId);
  const runTitle =
    runs.run.runId === null
      ? `New run${requestedK ? `, k = ${requestedK}` : ''}`
      : `Run ${runs.run.runId}${followed ? `, k = ${kText(followed)}` : requestedK ? `, k = ${requestedK}` : ''}`;

  function addFolder(folder: string): Promise<void> {
    runs.dismissCancelled();
    return library.addFolder(folder);
  }

  /** Centres the map on a book of the run on show and opens its panel. */
  function goToBook(bookId: number) {
    if (!result) return;
    choose({ bookId });
    setCentreOn({ runId: result.run.id, bookId, nonce: (centreOn?.nonce ?? 0) + 1 });
  }

  return (
    <div className="app">
      <Header bookCount={library.bookCount} importing={library.importing} />
      {runs.loadError && (
        <p className="banner" role="alert" data-testid="load-error">
          {runs.loadError}
        </p>
      )}
      <main className="layout">
        <aside className="sidebar" aria-label="Add books and make maps">
          <AddBooks desktop={desktop} busy={library.importing || active} onAdd={addFolder} />
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
              <ImportResult
                importing={library.importing}
                report={library.report}
                rejected={library.rejected}
                error={library.error}
                onShowLeftOut={showLeftOut}
              />
            </section>
          )}
          {view === 'map' && library.removal && (
            // a removal made from the book panel is told here; the Library tab tells its own
            <p className={library.removal.ok ? 'card hint' : 'card inline-error'} role={library.removal.ok ? 'status' : 'alert'} data-testid="removal-message">
              {library.removal.message}
            </p>
          )}
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
              onStart={(settings) => {
                library.dismissCancelled();
                setRequestedK(settings.k === undefined ? null : String(settings.k));
                void runs.startRun(settings);
              }}
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
        <div className="centre">
          <ViewTabs<View> tabs={VIEWS} selected={view} onSelect={setView} idPrefix="view" label="Views" />
          <div className="tab-panel" role="tabpanel" id={panelId('view', 'map')} aria-labelledby={tabId('view', 'map')} hidden={view !== 'map'}>
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
                    title={runTitle}
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
                runs.dismissCancelled();
                void runs.showRun(report.runId);
                void library.refresh();
              }}
              onOpenBook={goToBook}
              centreOn={centreOn && result && centreOn.runId === result.run.id ? centreOn : null}
            />
          </div>
          <div
            className="tab-panel library-panel"
            role="tabpanel"
            id={panelId('view', 'library')}
            aria-labelledby={tabId('view', 'library')}
            hidden={view !== 'library'}
          >
            <LibraryFolders
              folders={library.folders}
              books={library.books}
              busy={library.importing || active}
              removal={view === 'library' ? library.removal : null}
              onRescan={(folder) => void addFolder(folder)}
              onRemove={(folder) => void library.removeFolder(folder)}
              onRemoveBook={(bookId, title) => void library.removeBook(bookId, title)}
            />
            <LibraryView
              books={library.books}
              rejected={leftOut}
              folders={library.folders}
              map={mapBooks}
              leftOutHeadingRef={leftOutHeading}
              onShowOnMap={(bookId) => {
                setView('map');
                goToBook(bookId);
              }}
            />
          </div>
        </div>
        {result && (
          <aside className="inspector" aria-label="Clusters and the chosen book">
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
