// The library side of the UI: how many books there are, adding a folder, and what was left out.
import { useCallback, useEffect, useState } from 'react';
import type { ProgressEvent, ShelfmapClient } from '../../../src-shared/contract';
import type { Book, ImportReport, LibraryFolder, RejectedFile } from '../../../src-shared/domain';
import { ShelfmapError } from '../../../src-shared/errors';
import { plural } from '../format';
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
  /** Every file the library keeps as left out (listRejected), by any import, read with the books. */
  allRejected: RejectedFile[];
  error: string | null;
  /** Set when the last import was cancelled: what was read before the cancel stays. */
  cancelled: string | null;
  /** A cancel was asked for and the import has not stopped yet. */
  cancelRequested: boolean;
  /** The folders added to the library, with their book and missing counts. */
  folders: LibraryFolder[];
  /** Every book in the library, missing ones included. */
  books: Book[];
  /** What the last removal did, or why it could not. */
  removal: { ok: boolean; message: string } | null;
  addFolder(folder: string): Promise<void>;
  cancelImport(): Promise<void>;
  removeFolder(folder: string): Promise<void>;
  removeBook(bookId: number, title: string): Promise<void>;
  /** Reads the book count, books and folders again (after another part of the window changed them); the count of present books, or null. */
  refresh(): Promise<number | null>;
  /** Clears a cancelled import's notice (the next thing, a run, has begun). */
  dismissCancelled(): void;
}

export function useLibrary(client: ShelfmapClient): LibraryState {
  const [bookCount, setBookCount] = useState<number | null>(null);
  const [importing, setImporting] = useState(false);
  const [importProgress, setImportProgress] = useState<ProgressByStage>(NO_PROGRESS);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [rejected, setRejected] = useState<RejectedFile[]>([]);
  const [allRejected, setAllRejected] = useState<RejectedFile[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [cancelled, setCancelled] = useState<string | null>(null);
  const [cancelRequested, setCancelRequested] = useState(false);
  const [folders, setFolders] = useState<LibraryFolder[]>([]);
  const [books, setBooks] = useState<Book[]>([]);
  const [removal, setRemoval] = useState<LibraryState['removal']>(null);

  /** The book count and the folders, read again after anything that changes them. */
  /** Returns the books in the library now (missing ones aside), or null when they could not be read. */
  const refresh = useCallback(async (): Promise<number | null> => {
    try {
      const [all, added, left] = await Promise.all([client.call('listBooks', {}), client.call('listFolders', {}), client.call('listRejected', {})]);
      const present = all.filter((b) => b.status !== 'missing').length;
      setBookCount(present);
      setBooks(all);
      setFolders(added);
      setAllRejected(left);
      return present;
    } catch (failure) {
      setError(errorMessage(failure));
      return null;
    }
  }, [client]);

  useEffect(() => {
    let stale = false;
    Promise.all([client.call('listBooks', {}), client.call('listRejected', {}), client.call('listFolders', {})]).then(
      ([all, left, added]) => {
        if (stale) return;
        setBookCount((count) => count ?? all.filter((b) => b.status !== 'missing').length);
        setBooks(all);
        setRejected((current) => (current.length > 0 ? current : left));
        setAllRejected(left);
        setFolders(added);
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
      setCancelled(null);
      setCancelRequested(false);
      setRemoval(null);
      try {
        const result = await client.call('addFolder', { folder });
        setReport(result);
        setRejected(result.rejected);
      } catch (failure) {
        if (!(failure instanceof ShelfmapError && failure.kind === 'cancelled')) setError(errorMessage(failure));
        else {
          // read the library once, for the notice and the lists alike
          const count = await refresh();
          setCancelled(
            `Import of ${folder} cancelled. The books read before the cancel stay in the library${count !== null ? ` (${plural(count, 'book')} now)` : ''}; add the folder again to go on.`,
          );
          return;
        }
      } finally {
        setImporting(false);
        setCancelRequested(false);
      }
      await refresh();
    },
    [client, refresh],
  );

  const cancelImport = useCallback(async () => {
    setCancelRequested(true);
    try {
      await client.call('cancelImport', {});
    } catch (failure) {
      setError(errorMessage(failure));
      setCancelRequested(false);
    }
  }, [client]);

  const removeFolder = useCallback(
    async (folder: string) => {
      try {
        const { removedBooks } = await client.call('removeFolder', { folder });
        setRemoval({ ok: true, message: `Removed ${folder} and its ${plural(removedBooks, 'book')} from the library. Past maps keep their results.` });
        setReport(null);
        setRejected(await client.call('listRejected', {}));
      } catch (failure) {
        setRemoval({ ok: false, message: errorMessage(failure) });
      }
      await refresh();
    },
    [client, refresh],
  );

  const removeBook = useCallback(
    async (bookId: number, title: string) => {
      try {
        await client.call('removeBook', { bookId });
        setRemoval({
          ok: true,
          message: `Removed “${title}” from the library. Past maps keep their results. The library follows its folders: if the file is still there, reading its folder again brings the book back.`,
        });
      } catch (failure) {
        setRemoval({ ok: false, message: errorMessage(failure) });
      }
      await refresh();
    },
    [client, refresh],
  );

  const dismissCancelled = useCallback(() => setCancelled(null), []);

  return {
    bookCount,
    importing,
    importProgress,
    report,
    rejected,
    allRejected,
    error,
    cancelled,
    cancelRequested,
    folders,
    books,
    removal,
    addFolder,
    cancelImport,
    removeFolder,
    removeBook,
    refresh,
    dismissCancelled,
  };
}
