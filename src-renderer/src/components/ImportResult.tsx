// What the last import did, and how many files it left out, in one line with a link to the
// Library tab, where each left-out file is listed with its reason (a long list here would push
// "Make map" out of view). It stays on screen until the next import.
import type { ImportReport, RejectedFile } from '../../../src-shared/domain';
import { importSummaryText, plural } from '../format';

interface ImportResultProps {
  importing: boolean;
  report: ImportReport | null;
  rejected: RejectedFile[];
  error: string | null;
  /** Opens the Library tab at its list of left-out files. */
  onShowLeftOut(): void;
}

export function ImportResult({ importing, report, rejected, error, onShowLeftOut }: ImportResultProps) {
  return (
    <>
      {error && (
        <p className="alert error" role="alert" data-testid="import-error">
          {error}
        </p>
      )}
      {report && (
        <p
          className="import-summary"
          data-testid="import-summary"
          data-added={report.added}
          data-updated={report.updated}
          data-unchanged={report.unchanged}
          data-rejected={report.rejected.length}
          data-library-books={report.libraryBooks}
        >
          <strong>{importSummaryText(report)}</strong>
          <span className="import-found">
            {plural(report.found, '.txt file')} found in {report.folder}
          </span>
        </p>
      )}
      {rejected.length > 0 && (
        <p className="left-out-line" data-testid="left-out-summary" data-count={rejected.length}>
          {importing ? `${plural(rejected.length, 'file')} left out so far` : report ? `${plural(rejected.length, 'file')} left out` : `${plural(rejected.length, 'file')} left out by earlier imports`}
          {' · '}
          <button type="button" className="link-button" data-testid="show-left-out" onClick={onShowLeftOut}>
            See why in the Library tab
          </button>
        </p>
      )}
    </>
  );
}
