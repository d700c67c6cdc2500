// Downloads the run's cluster labels as CSV, or its labels.json sidecar (settings, seed, backend,
// version, a fingerprint of the books, each cluster's terms and typical books): the files the CLI writes.
import { useState } from 'react';
import type { ShelfmapClient } from '../../../src-shared/contract';
import { saveTextFile } from '../download';
import { errorMessage } from '../state/events';

type Format = 'csv' | 'json';

async function exportFile(client: ShelfmapClient, runId: number, format: Format): Promise<void> {
  if (format === 'csv') {
    const { filename, csv } = await client.call('exportCsv', { runId });
    saveTextFile(filename, csv, 'text/csv;charset=utf-8');
  } else {
    const { filename, json } = await client.call('exportJson', { runId });
    saveTextFile(filename, json, 'application/json;charset=utf-8');
  }
}

const FORMATS: { format: Format; label: string; title: string }[] = [
  { format: 'csv', label: 'Export CSV', title: 'One row per book: path, ebook_id, title, author, language, cluster, cluster_label, x, y, distance_to_centre' },
  {
    format: 'json',
    label: 'JSON',
    title: "labels.json: settings, seed, backend, Shelfmap version, timings, a fingerprint of the books, each cluster's terms and representative books",
  },
];

const DownloadIcon = () => (
  <svg viewBox="0 0 16 16" aria-hidden="true" className="button-icon">
    <path d="M8 2v8m0 0 3-3m-3 3L5 7M3 12.5h10" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
  </svg>
);

export function ExportButton({ client, runId }: { client: ShelfmapClient; runId: number }) {
  const [busy, setBusy] = useState<Format | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function run(format: Format) {
    setBusy(format);
    setError(null);
    try {
      await exportFile(client, runId, format);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="export">
      <div className="export-buttons" role="group" aria-label="Export this map">
        {FORMATS.map(({ format, label, title }) => (
          <button key={format} type="button" className="button" data-testid={`export-${format}`} onClick={() => void run(format)} disabled={busy !== null} title={title}>
            <DownloadIcon />
            {busy === format ? 'Exporting…' : label}
          </button>
        ))}
      </div>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
