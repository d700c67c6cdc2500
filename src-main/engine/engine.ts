// The engine behind all three doors: it implements the contract's methods over one Store and
// reports through one event callback. It runs under plain Node (a worker thread in the app and
// in `serve`, the same in the CLI) and knows nothing of Electron or HTTP.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ApiMethods } from '../../src-shared/contract';
import type { LibraryFolder, RunResult } from '../../src-shared/domain';
import { ShelfmapError, serializeError } from '../../src-shared/errors';
import { resolveSettings } from '../../src-shared/settings';
import { clusterLabelsCsv } from '../../src-shared/csv';
import type { EmitEvent } from './events';
import { importFolder } from './importer';
import { booksInScope, runPipeline } from './pipeline';
import type { Store } from './store/store';

function requireText(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ShelfmapError('invalid-argument', `"${name}" must be a non-empty text.`);
  }
  return value;
}

function requireId(value: unknown, name: string, what = 'run'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ShelfmapError('invalid-argument', `"${name}" must be a ${what} number.`);
  }
  return value;
}

export class Engine implements ApiMethods {
  private activeImport: AbortController | null = null;
  private activeRun: { runId: number; abort: AbortController; finished: Promise<void> } | null = null;

  constructor(
    private readonly store: Store,
    private readonly emit: EmitEvent,
  ) {}

  private assertIdle(what: string): void {
    if (this.activeImport) throw new ShelfmapError('busy', `A folder is being added; wait for it or cancel it before ${what}.`);
    if (this.activeRun) throw new ShelfmapError('busy', `Run ${this.activeRun.runId} is going; wait for it or cancel it before ${what}.`);
  }

  async addFolder(arg: { folder: string }) {
    const folder = resolve(requireText(arg?.folder, 'folder'));
    this.assertIdle('adding a folder');
    const abort = new AbortController();
    this.activeImport = abort;
    try {
      return await importFolder(this.store, folder, { signal: abort.signal, emit: this.emit });
    } finally {
      this.activeImport = null;
    }
  }

  async cancelImport() {
    if (!this.activeImport) return { cancelled: false };
    this.activeImport.abort();
    return { cancelled: true };
  }

  async listBooks() {
    return this.store.listBooks();
  }

  async listRejected() {
    return this.store.listRejected();
  }

  async startRun(arg: { settings?: unknown; folder?: string } = {}) {
    const settings = resolveSettings(arg?.settings ?? {});
    this.assertIdle('starting a run');
    const folder = arg?.folder === undefined ? undefined : resolve(requireText(arg.folder, 'folder'));
    const books = booksInScope(this.store, folder);
    if (books.length === 0) {
      throw new ShelfmapError(
        'no-books',
        folder ? `No books from ${folder} are in the library: add the folder first.` : 'The library is empty: add a folder of .txt books first.',
      );
    }
    const runId = this.store.createRun(settings, books.length);
    const abort = new AbortController();
    const finished = runPipeline({ store: this.store, runId, settings, books, signal: abort.signal, emit: this.emit })
      .then(
        () => this.emit('runFinished', { runId, status: 'done', error: null }),
        (error: unknown) => {
          const { kind, message } = serializeError(error);
          const status = kind === 'cancelled' ? 'cancelled' : 'failed';
          const text = status === 'cancelled' ? 'Cancelled before it finished.' : message;
          this.store.finishRun(runId, status, text);
          this.emit('runFinished', { runId, status, error: text });
        },
      )
      .finally(() => {
        this.activeRun = null;
      });
    this.activeRun = { runId, abort, finished };
    return { runId };
  }

  async cancelRun(arg: { runId: number }) {
    const runId = requireId(arg?.runId, 'runId');
    if (this.activeRun?.runId !== runId) return { cancelled: false };
    this.activeRun.abort.abort();
    return { cancelled: true };
  }

  /** Resolves when the run going now (if any) has ended; for the CLI and tests. */
  async idle(): Promise<void> {
    await this.activeRun?.finished;
  }

  async listRuns() {
    return this.store.listRuns();
  }

  async getRun(arg: { runId: number }): Promise<RunResult> {
    const runId = requireId(arg?.runId, 'runId');
    const run = this.store.getRun(runId);
    return { run, points: this.store.runPoints(runId), clusters: this.store.runClusters(runId) };
  }

  async exportCsv(arg: { runId: number }) {
    const { run, points, clusters } = await this.getRun(arg);
    if (run.status !== 'done') {
      throw new ShelfmapError('not-found', `Run ${run.id} has no clusters to export (it ${run.status === 'running' ? 'is still going' : run.status}).`);
    }
    return { filename: `shelfmap-run-${run.id}-clusters.csv`, csv: clusterLabelsCsv(points, clusters) };
  }

  async listFolders(): Promise<LibraryFolder[]> {
    const folders = this.store.listFolders();
    const present = await Promise.all(
      folders.map((f) =>
        stat(f.path).then(
          (stats) => stats.isDirectory(),
          () => false,
        ),
      ),
    );
    return folders.map((f, i) => ({ ...f, exists: present[i] }));
  }

  async removeFolder(arg: { folder: string }) {
    const folder = resolve(requireText(arg?.folder, 'folder'));
    this.assertIdle('removing a folder');
    const removedBooks = this.store.removeFolder(folder);
    if (removedBooks === null) throw new ShelfmapError('not-found', `The folder ${folder} is not in the library.`);
    return { folder, removedBooks };
  }

  async removeBook(arg: { bookId: number }) {
    const bookId = requireId(arg?.bookId, 'bookId', 'book');
    this.assertIdle('removing a book');
    const book = this.store.book(bookId);
    if (!book || !this.store.removeBook(bookId)) throw new ShelfmapError('not-found', `There is no book ${bookId} in the library.`);
    return { bookId, path: book.path };
  }
}
