// The centre of the window: the map of the run on show, how it was made, and its export; or,
// before there is a map, a word on how to get one.
import { useState, type ReactNode } from 'react';
import { BookSearch } from './BookSearch';
import type { ShelfmapClient } from '../../../src-shared/contract';
import type { PlaceReport, RunResult } from '../../../src-shared/domain';
import { ClusterMap } from './ClusterMap';
import { ExportButton } from './ExportButton';
import { PlaceBooks } from './PlaceBooks';
import { RunInfo } from './RunInfo';
import { ScorePanel } from './ScorePanel';

interface MapPanelProps {
  client: ShelfmapClient;
  result: RunResult | null;
  bookCount: number | null;
  /** A run is under way. */
  making: boolean;
  /** Progress of the run under way, or how the last one ended. */
  activity: ReactNode;
  highlightedCluster: number | null;
  selectedBookId: number | null;
  onSelectBook(bookId: number): void;
  desktop: ShelfmapDesktopApi | null;
  /** An import or a run is going. */
  busy: boolean;
  /** Books were placed on the run on show. */
  onPlaced(report: PlaceReport): void;
  /** Centre the map on a book and open it (a search result). */
  onOpenBook(bookId: number): void;
  /** The book the map was last asked to centre on. */
  centreOn: { bookId: number; nonce: number } | null;
}

export function MapPanel({ client, result, bookCount, making, activity, highlightedCluster, selectedBookId, onSelectBook, desktop, busy, onPlaced, onOpenBook, centreOn }: MapPanelProps) {
  // the books the search matches, tied to the run they were found in
  const [matches, setMatches] = useState<{ runId: number; ids: ReadonlySet<number> | null } | null>(null);
  // the run whose scores are open, and the run the placing panel was opened on: another run on show closes them
  const [scoring, setScoring] = useState<number | null>(null);
  const scoresOpen = result !== null && scoring === result.run.id;
  const [placingOn, setPlacingOn] = useState<number | null>(null);
  const shownRun = result?.run.id ?? null;
  return (
    <section className="card map-card" aria-labelledby="map-title">
      <div className="map-toolbar">
        <div>
          <h2 id="map-title" tabIndex={-1}>
            Map
          </h2>
          {result && <RunInfo run={result.run} />}
        </div>
        {result && (
          <div className="map-actions">
            <button
              type="button"
              className="button"
              data-testid="score-open"
              aria-expanded={scoresOpen}
              disabled={result.run.status !== 'done'}
              onClick={() => setScoring(scoresOpen ? null : result.run.id)}
            >
              Score against labels…
            </button>
            <button
              type="button"
              className="button"
              data-testid="place-open"
              aria-expanded={placingOn === shownRun}
              onClick={() => setPlacingOn(placingOn === shownRun ? null : shownRun)}
            >
              Place new books…
            </button>
            <ExportButton client={client} runId={result.run.id} />
          </div>
        )}
      </div>
      {result && (
        <div className="map-search-bar">
          <BookSearch
            key={result.run.id}
            points={result.points}
            onMatches={(ids) => setMatches((old) => (old?.runId === result.run.id && old.ids === ids ? old : { runId: result.run.id, ids }))}
            onOpen={onOpenBook}
          />
        </div>
      )}
      {result && placingOn === shownRun && (
        <div className="map-activity">
          <PlaceBooks key={result.run.id} client={client} desktop={desktop} runId={result.run.id} busy={busy} onPlaced={onPlaced} onClose={() => setPlacingOn(null)} />
        </div>
      )}
      {activity && <div className="map-activity">{activity}</div>}
      <div className="map-body">
        {result ? (
          <>
            <ClusterMap
              runId={result.run.id}
              points={result.points}
              clusters={result.clusters}
              highlightedCluster={highlightedCluster}
              selectedBookId={selectedBookId}
              onSelectBook={onSelectBook}
              emphasis={matches?.runId === result.run.id ? matches.ids : null}
              centreOn={centreOn}
              client={client}
            />
            {scoresOpen && <ScorePanel key={result.run.id} client={client} runId={result.run.id} clusters={result.clusters} onClose={() => setScoring(null)} />}
          </>
        ) : (
          <div className="empty-map">
            <svg viewBox="0 0 120 80" aria-hidden="true" className="empty-art">
              <circle cx="30" cy="30" r="5" fill="#4e79a7" opacity=".55" />
              <circle cx="40" cy="22" r="4" fill="#4e79a7" opacity=".4" />
              <circle cx="24" cy="42" r="4" fill="#4e79a7" opacity=".35" />
              <circle cx="80" cy="24" r="5" fill="#f28e2b" opacity=".55" />
              <circle cx="90" cy="34" r="4" fill="#f28e2b" opacity=".4" />
              <circle cx="62" cy="58" r="5" fill="#59a14f" opacity=".55" />
              <circle cx="72" cy="64" r="4" fill="#59a14f" opacity=".4" />
              <circle cx="54" cy="66" r="3.5" fill="#59a14f" opacity=".35" />
            </svg>
            <p className="empty-title">{making ? 'Making the map…' : 'No map yet'}</p>
            <p className="muted">
              {making
                ? 'This takes a little while: Shelfmap reads every book, learns from them, then groups them.'
                : bookCount === 0
                ? 'Add a folder of plain-text books, then choose how many clusters to look for.'
                : 'Choose how many clusters to look for and press Make map.'}
            </p>
          </div>
        )}
      </div>
    </section>
  );
}
