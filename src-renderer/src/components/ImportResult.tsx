// What the last import did, and the files it left out with the reason for each. It stays on
// screen until the next import so a librarian can go and fix the files.
import type { ImportReport, RejectedFile } from '../../../src-shared/domain';
import { fileName, importSummaryText, plural } from '../format';

interface ImportResultProps {
  importing: boolean;
  report: ImportReport | null;
  rejected: RejectedFile[];
  error: string | null;
}

export function ImportResult({ importing, report, rejected, error }: ImportResultProps) {
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
        <div className="left-out">
          <h3>{importing ? 'Left out so far' : report ? 'Left out' : 'Left out by earlier imports'}</h3>
          <ul className="rejected-list" data-testid="rejected-list">
            {rejected.map((file) => (
              <li key={file.path} className="rejected-item" data-testid="rejected-item" data-reason={file.reason}>
                <div className="rejected-head">
                  <span className="rejected-name" title={file.path}>
                    {fileName(file.path)}
                  </span>
                  <span className={`reason reason-${file.reason}`}>{file.reason}</span>
                </div>
                <p className="rejected-message">{file.message}</p>
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
