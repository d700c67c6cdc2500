// Downloads the run's cluster labels as CSV, the same file the CLI writes.
import { useState } from 'react';
import type { ShelfmapClient } from '../../../src-shared/contract';
import { saveTextFile } from '../download';
import { errorMessage } from '../state/events';

export function ExportButton({ client, runId }: { client: ShelfmapClient; runId: number }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function exportCsv() {
    setBusy(true);
    setError(null);
    try {
      const { filename, csv } = await client.call('exportCsv', { runId });
      saveTextFile(filename, csv, 'text/csv;charset=utf-8');
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="export">
      <button type="button" className="button" data-testid="export-csv" onClick={exportCsv} disabled={busy}>
        <svg viewBox="0 0 16 16" aria-hidden="true" className="button-icon">
          <path d="M8 2v8m0 0 3-3m-3 3L5 7M3 12.5h10" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        {busy ? 'Exporting…' : 'Export CSV'}
      </button>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
