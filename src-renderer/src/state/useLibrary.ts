// The library side of the UI: how many books there are, adding a folder, and what was left out.
import { useCallback, useEffect, useState } from 'react';
import type { ProgressEvent, ShelfmapClient } from '../../../src-shared/contract';
import type { ImportReport, RejectedFile } from '../../../src-shared/domain';
import { errorMessage, useShelfmapEvents } from './events';

export interface ProgressByStage {
  stages: Partial<Record<ProgressEvent['stage'], ProgressEvent>>;
  current: ProgressEvent['stage'] | null;
}

export const NO_PROGRESS: ProgressByStage = { stages: {}, current: null };

export interface LibraryState {
  /** null until the first count arrives. */
  bookCount: number | null;
  importing: boolean;
  importProgress: ProgressByStage;
  /** The last import's report in this session. */
  report: ImportReport | null;
  /** Files left out: by the last import, or (on opening) by earlier ones. */
  rejected: RejectedFile[];
  error: string | null;
  addFolder(folder: string): Promise<void>;
}

export function useLibrary(client: ShelfmapClient): LibraryState {
  const [bookCount, setBookCount] = useState<number | null>(null);
  const [importing, setImporting] = useState(false);
  const [importProgress, setImportProgress] = useState<ProgressByStage>(NO_PROGRESS);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [rejected, setRejected] = useState<RejectedFile[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stale = false;
    Promise.all([client.call('listBooks', {}), client.call('listRejected', {})]).then(
      ([books, left]) => {
        if (stale) return;
        setBookCount((count) => count ?? books.length);
        setRejected((current) => (current.length > 0 ? current : left));
      },
      (failure: unknown) => {
        if (!stale) setError(errorMessage(failure));
      },
    );
    return () => {
      stale = true;
    };
  }, [client]);

  useShelfmapEvents(client, (event) => {
    if (!importing) return;
    if (event.name === 'progress' && event.payload.runId === null) {
      const progress = event.payload;
      setImportProgress((p) => ({ stages: { ...p.stages, [progress.stage]: progress }, current: progress.stage }));
    } else if (event.name === 'rejected') {
      const file = event.payload;
      setRejected((list) => (list.some((r) => r.path === file.path) ? list : [...list, file]));
    }
  });

  const addFolder = useCallback(
    async (folder: string) => {
      setImporting(true);
      setImportProgress(NO_PROGRESS);
      setReport(null);
      setRejected([]);
      setError(null);
      try {
        const result = await client.call('addFolder', { folder });
        setReport(result);
        setRejected(result.rejected);
        setBookCount(result.libraryBooks);
      } catch (failure) {
        setError(errorMessage(failure));
      } finally {
        setImporting(false);
      }
    },
    [client],
  );

  return { bookCount, importing, importProgress, report, rejected, error, addFolder };
}
