// The engine behind all three doors: it implements the contract's methods over one Store and
// reports through one event callback. It runs under plain Node (a worker thread in the app and
// in `serve`, the same in the CLI) and knows nothing of Electron or HTTP.
import { stat } from 'node:fs/promises';
import type { ApiArg, ApiMethodName, ApiResult } from '../../src-shared/contract';
import { resolveArgument, type ResolvedArg } from '../../src-shared/arguments';
import type { EvaluationReport, LibraryFolder, PlaceReport, RunComparison, RunResult } from '../../src-shared/domain';
import { ShelfmapError, serializeError } from '../../src-shared/errors';
import { clusterLabelsCsv } from '../../src-shared/csv';
import { runLabelsJson } from './export';
import { expandFolder } from './paths';
import { adjustedRandIndex, confusionTable, homogeneityCompleteness, normalizedMutualInfo } from './evaluate';
import { labelsForBooks } from './evaluate/labels';
import { matchClusters } from './cluster/match';
import { sweepRange } from './cluster/k-sweep';
import type { EmitEvent } from './events';
import { importFolder, type ImportOptions } from './importer';
import { booksInScope, runPipeline } from './pipeline';
import { BookDetailsReader } from './book-details';
import { placeableRun, placeBooksOnRun } from './place';
import { exportRunFeatures } from './export-features';
import { importLabelsRun } from './import-labels';
import { HEARTBEAT_MS, type Store } from './store/store';

/**
 * The contract's methods as the engine implements them: each takes its argument already
 * resolved and checked by src-shared/arguments.ts (the dispatcher in worker.ts does that).
 */
export type EngineMethods = { [M in ApiMethodName]: (arg: ResolvedArg<M>) => Promise<ApiResult<M>> };

export class Engine implements EngineMethods {
  private activeImport: AbortController | null = null;
  private activeRun: { runId: number; abort: AbortController; finished: Promise<void> } | null = null;
  private activePlace: { runId: number; abort: AbortController } | null = null;
  private readonly bookReader: BookDetailsReader;

  constructor(
    private readonly store: Store,
    private readonly emit: EmitEvent,
    /** How adding books runs (reader threads: see importer.ts ImportOptions.workers); benchmarks set it. */
    private readonly importOptions: Pick<ImportOptions, 'workers'> = {},
  ) {
    this.bookReader = new BookDetailsReader(store);
  }

  /**
   * The dispatcher every door goes through (the worker calls it for each message): the
   * argument is resolved and checked by the method's resolver, then the method runs.
   */
  call<M extends ApiMethodName>(method: M, arg: ApiArg<M> | unknown): Promise<ApiResult<M>> {
    let resolved: ResolvedArg<M>;
    try {
      resolved = resolveArgument(method, arg);
    } catch (error) {
      return Promise.reject(error);
    }
    return (this[method] as (a: ResolvedArg<M>) => Promise<ApiResult<M>>).call(this, resolved);
  }

  private assertIdle(what: string): void {
    if (this.activeImport) throw new ShelfmapError('busy', `A folder is being added; wait for it or cancel it before ${what}.`);
    if (this.activeRun) throw new ShelfmapError('busy', `Run ${this.activeRun.runId} is going; wait for it or cancel it before ${what}.`);
    if (this.activePlace) throw new ShelfmapError('busy', `Books are being placed on run ${this.activePlace.runId}; wait for it or cancel it before ${what}.`);
  }

  async addFolder(arg: ResolvedArg<'addFolder'>) {
    const folder = expandFolder(arg.folder);
    this.assertIdle('adding a folder');
    const abort = new AbortController();
    this.activeImport = abort;
    try {
      return await importFolder(this.store, folder, { ...this.importOptions, signal: abort.signal, emit: this.emit });
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

  async startRun(arg: ResolvedArg<'startRun'>) {
    const { settings } = arg;
    this.assertIdle('starting a run');
    const folder = arg.folder === undefined ? undefined : expandFolder(arg.folder);
    const books = booksInScope(this.store, folder);
    if (books.length === 0) {
      throw new ShelfmapError(
        'no-books',
        folder ? `No books from ${folder} are in the library: add the folder first.` : 'The library is empty: add a folder of .txt books first.',
      );
    }
    // k = "auto" on too few books is refused now, before a run is recorded
    if (settings.k === 'auto') sweepRange(settings.kRange, books.length);
    const runId = this.store.createRun(settings, books.length);
    const abort = new AbortController();
    // other processes opening the library see this run is alive and leave it alone
    const heartbeat = setInterval(() => {
      try {
        this.store.heartbeat(runId);
      } catch {
        // a busy library this once: the next beat, or the owner's pid, still tells
      }
    }, HEARTBEAT_MS);
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
        clearInterval(heartbeat);
        this.activeRun = null;
      });
    this.activeRun = { runId, abort, finished };
    return { runId };
  }

  async cancelRun({ runId }: ResolvedArg<'cancelRun'>) {
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

  async getRun({ runId }: ResolvedArg<'getRun'>): Promise<RunResult> {
    const run = this.store.getRun(runId);
    return { run, points: this.store.runPoints(runId), clusters: this.store.runClusters(runId) };
  }

  /** A finished run's result, for an export; a run that did not finish has nothing to export. */
  private async exportable(arg: { runId: number }): Promise<RunResult> {
    const result = await this.getRun(arg);
    const { run } = result;
    if (run.status !== 'done') {
      throw new ShelfmapError('not-found', `Run ${run.id} has no clusters to export (it ${run.status === 'running' ? 'is still going' : run.status}).`);
    }
    return result;
  }

  async exportCsv(arg: ResolvedArg<'exportCsv'>) {
    const { run, points, clusters } = await this.exportable(arg);
    return { filename: `shelfmap-run-${run.id}-clusters.csv`, csv: clusterLabelsCsv(points, clusters) };
  }

  async exportJson(arg: ResolvedArg<'exportJson'>) {
    const result = await this.exportable(arg);
    return { filename: `shelfmap-run-${result.run.id}-clusters.json`, json: runLabelsJson(result, this.store.runFingerprints(result.run.id)) };
  }

  async evaluateRun({ runId, labels: source }: ResolvedArg<'evaluateRun'>): Promise<EvaluationReport> {
    const { run, points } = await this.getRun({ runId });
    if (run.status !== 'done') throw new ShelfmapError('not-found', `Run ${runId} has no clusters to score (it ${run.status === 'running' ? 'is still going' : run.status}).`);
    const { labels, unmatched, idColumn, labelColumn } = labelsForBooks(points, source);
    const scored = points.filter((p) => labels.has(p.bookId));
    if (scored.length === 0) {
      throw new ShelfmapError(
        'invalid-argument',
        `No book of run ${runId} has a label in ${source.kind === 'table' ? (source.name ?? 'the table') : 'its folders'}` +
          (source.kind === 'table' ? ` (matched by the "${idColumn}" column against Gutenberg numbers, file names without extension and paths).` : '.'),
      );
    }
    const truth = scored.map((p) => labels.get(p.bookId)!);
    const clusters = scored.map((p) => p.cluster);
    const table = confusionTable(clusters, truth);
    return {
      runId,
      source: source.kind === 'table' ? `${source.name ?? 'table'} (id "${idColumn}", label "${labelColumn}")` : 'subfolders',
      matched: scored.length,
      unmatched: unmatched.slice(0, 50),
      unmatchedCount: unmatched.length,
      scores: { nmi: normalizedMutualInfo(truth, clusters), ari: adjustedRandIndex(truth, clusters), ...homogeneityCompleteness(truth, clusters) },
      confusion: { clusters: table.rows, labels: table.columns, counts: table.counts },
    };
  }

  async compareRuns({ runA, runB }: ResolvedArg<'compareRuns'>): Promise<RunComparison> {
    const clustersOf = async (runId: number) => {
      const { run, points } = await this.getRun({ runId });
      if (run.status !== 'done') throw new ShelfmapError('not-found', `Run ${runId} has no clusters to compare (it ${run.status === 'running' ? 'is still going' : run.status}).`);
      return new Map(points.map((p) => [p.bookId, p.cluster]));
    };
    const a = await clustersOf(runA);
    const b = await clustersOf(runB);
    const matching = matchClusters(a, b);
    const common = [...a.keys()].filter((id) => b.has(id));
    return {
      runA,
      runB,
      commonBooks: matching.commonBooks,
      changedCluster: matching.changedCluster,
      ari: adjustedRandIndex(common.map((id) => a.get(id)!), common.map((id) => b.get(id)!)),
      pairs: matching.pairs.map((p) => ({ clusterA: p.from, clusterB: p.to, shared: p.shared })),
    };
  }

  async renameCluster({ runId, cluster, name }: ResolvedArg<'renameCluster'>) {
    const run = this.store.getRun(runId);
    if (run.status !== 'done') {
      throw new ShelfmapError('not-found', `Run ${runId} has no clusters to rename (it ${run.status === 'running' ? 'is still going' : run.status}).`);
    }
    const renamed = this.store.renameCluster(runId, cluster, name);
    if (!renamed) {
      const k = this.store.runClusters(runId).length;
      throw new ShelfmapError('not-found', `Run ${runId} has no cluster ${cluster}: its clusters are 0 to ${k - 1}.`);
    }
    return renamed;
  }

  async placeBooks(arg: ResolvedArg<'placeBooks'>): Promise<PlaceReport> {
    const folder = expandFolder(arg.folder);
    this.assertIdle('placing books');
    const run = this.store.getRun(arg.runId);
    // a run books cannot go on is refused before the folder is read
    placeableRun(this.store, run);
    const abort = new AbortController();
    this.activePlace = { runId: run.id, abort };
    // cancelImport stops the import part as it stops any import
    this.activeImport = abort;
    try {
      const report = await importFolder(this.store, folder, { ...this.importOptions, signal: abort.signal, emit: this.emit });
      this.activeImport = null;
      const start = performance.now();
      const inRun = new Set(this.store.runPoints(run.id).map((p) => p.bookId));
      const underFolder = booksInScope(this.store, folder);
      const fresh = underFolder.filter((b) => !inRun.has(b.id));
      const alreadyInRun = underFolder.filter((b) => inRun.has(b.id)).map((b) => ({ bookId: b.id, path: b.path, title: b.title }));
      if (fresh.length === 0) {
        throw new ShelfmapError(
          'no-books',
          underFolder.length === 0
            ? `${folder} holds no books to place${report.rejected.length > 0 ? ` (${report.rejected.length} ${report.rejected.length === 1 ? 'file was' : 'files were'} left out: see the left-out files)` : ''}.`
            : `No new books in ${folder}: its ${underFolder.length === 1 ? 'one book is' : `${underFolder.length} books are all`} in run ${run.id} already.`,
        );
      }
      const { points, backend } = await placeBooksOnRun({ store: this.store, run, books: fresh, signal: abort.signal, emit: this.emit });
      try {
        this.store.savePlacedBooks(run.id, points);
      } catch (error) {
        // another process sharing the library placed some of them meanwhile: nothing of ours was written
        if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw error;
        throw new ShelfmapError('busy', `Some of these books were placed on run ${run.id} by another Shelfmap meanwhile; nothing was placed now. Place the folder again to place the rest.`);
      }
      return { runId: run.id, folder, import: report, placed: points, alreadyInRun, backend, ms: Math.round(performance.now() - start) };
    } finally {
      if (this.activeImport === abort) this.activeImport = null;
      this.activePlace = null;
    }
  }

  async cancelPlace() {
    if (!this.activePlace) return { cancelled: false };
    this.activePlace.abort.abort();
    return { cancelled: true };
  }

  async saveGroup({ runId, name, bookIds }: ResolvedArg<'saveGroup'>) {
    const run = this.store.getRun(runId);
    if (run.status !== 'done') {
      throw new ShelfmapError('not-found', `Run ${runId} has no map to pick books from (it ${run.status === 'running' ? 'is still going' : run.status}).`);
    }
    const inRun = new Set(this.store.runPoints(runId).map((p) => p.bookId));
    const strangers = bookIds.filter((id) => !inRun.has(id));
    if (strangers.length > 0) {
      const shown = strangers.slice(0, 5).join(', ') + (strangers.length > 5 ? ` and ${strangers.length - 5} more` : '');
      throw new ShelfmapError('invalid-argument', `Run ${runId} has no book ${shown}: a group holds books of its run's map.`);
    }
    const group = this.store.saveGroup(runId, name, bookIds);
    if (!group) throw new ShelfmapError('invalid-argument', `Run ${runId} has a group named "${name}" already: choose another name, or delete that group first.`);
    return group;
  }

  async listGroups({ runId }: ResolvedArg<'listGroups'>) {
    this.store.getRun(runId);
    return this.store.listGroups(runId);
  }

  async deleteGroup({ groupId }: ResolvedArg<'deleteGroup'>) {
    if (!this.store.deleteGroup(groupId)) throw new ShelfmapError('not-found', `There is no group ${groupId}.`);
    return { groupId };
  }

  async bookDetails({ runId, bookId }: ResolvedArg<'bookDetails'>) {
    return this.bookReader.details(runId, bookId);
  }

  async bookText({ bookId }: ResolvedArg<'bookText'>) {
    return this.bookReader.text(bookId);
  }

  async exportFeatures({ runId, out }: ResolvedArg<'exportFeatures'>) {
    return exportRunFeatures(this.store, this.store.getRun(runId), expandFolder(out));
  }

  async importLabels({ file, name }: ResolvedArg<'importLabels'>) {
    this.assertIdle('importing labels');
    return importLabelsRun(this.store, { file: expandFolder(file), ...(name === undefined ? {} : { name }) });
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

  async removeFolder(arg: ResolvedArg<'removeFolder'>) {
    const folder = expandFolder(arg.folder);
    this.assertIdle('removing a folder');
    const removedBooks = this.store.removeFolder(folder);
    if (removedBooks === null) throw new ShelfmapError('not-found', `The folder ${folder} is not in the library.`);
    return { folder, removedBooks };
  }

  async removeBook({ bookId }: ResolvedArg<'removeBook'>) {
    this.assertIdle('removing a book');
    const book = this.store.book(bookId);
    if (!book || !this.store.removeBook(bookId)) throw new ShelfmapError('not-found', `There is no book ${bookId} in the library.`);
    return { bookId, path: book.path };
  }
}
