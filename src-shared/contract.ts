// The one typed contract all three doors speak: a map from method name to its argument and
// result, and a map from event name to its payload. Every method takes a single plain-data
// argument so the same call travels over a worker message, Electron IPC or an HTTP POST.
import type {
  Book,
  BookGroup,
  BookDetailsResult,
  BookTextResult,
  ClusterInfo,
  EvaluationReport,
  FeatureExportReport,
  ImportLabelsReport,
  ImportReport,
  LibraryFolder,
  LabelsSource,
  PlaceReport,
  RejectedFile,
  RunComparison,
  RunResult,
  RunSummary,
  StageName,
} from './domain';
import type { SettingsInput } from './settings';

export interface ApiMethods {
  /** Scan a folder (recursively) and add its .txt books to the library. */
  addFolder(arg: { folder: string }): Promise<ImportReport>;
  /** Every book in the library, by title. */
  listBooks(arg: Record<string, never>): Promise<Book[]>;
  /** Files the last imports left out, with their reasons. */
  listRejected(arg: Record<string, never>): Promise<RejectedFile[]>;
  /** Stop an import that is going; the books it already read stay in the library. */
  cancelImport(arg: Record<string, never>): Promise<{ cancelled: boolean }>;
  /**
   * Start a run over the library (or only the books under `folder`); resolves once it has
   * started: progress comes as events and the end as a runFinished event.
   */
  startRun(arg: { settings?: SettingsInput; folder?: string }): Promise<{ runId: number }>;
  /** Ask a running run to stop; it ends with status "cancelled". */
  cancelRun(arg: { runId: number }): Promise<{ cancelled: boolean }>;
  /** Past runs, newest first. */
  listRuns(arg: Record<string, never>): Promise<RunSummary[]>;
  /** A finished run's map: every book's cluster and x/y, and the clusters' names. */
  getRun(arg: { runId: number }): Promise<RunResult>;
  /** A run's cluster labels as CSV text (path,ebook_id,title,author,language,cluster,cluster_label,x,y,distance_to_centre,placed). */
  exportCsv(arg: { runId: number }): Promise<{ filename: string; csv: string }>;
  /**
   * A run's labels.json sidecar as text (settings, seed, backend, version, timings, a fingerprint
   * of the books, each cluster's terms and representative books): a RunLabelsSidecar as JSON.
   */
  exportJson(arg: { runId: number }): Promise<{ filename: string; json: string }>;
  /** The folders added to the library, each with its present and missing books and last scan. */
  listFolders(arg: Record<string, never>): Promise<LibraryFolder[]>;
  /**
   * Forget a folder: its books (those not also under another added folder) and left-out files
   * leave the library; past runs keep their results. Not while an import or a run is going.
   */
  removeFolder(arg: { folder: string }): Promise<{ folder: string; removedBooks: number }>;
  /** Remove one book from the library; past runs keep their results. Not while an import or a run is going. */
  removeBook(arg: { bookId: number }): Promise<{ bookId: number; path: string }>;
  /** Scores a finished run against known labels: NMI, ARI, V-measure, and a confusion table. */
  evaluateRun(arg: { runId: number; labels: LabelsSource }): Promise<EvaluationReport>;
  /** How two finished runs differ: books that changed cluster and the adjusted Rand index between them. */
  compareRuns(arg: { runA: number; runB: number }): Promise<RunComparison>;
  /**
   * Give a cluster of a finished run a name of one's own (trimmed, 1 to 80 characters, no
   * control characters), or an empty name to go back to the automatic one. Later runs over
   * mostly the same books carry it to their matching cluster.
   */
  renameCluster(arg: { runId: number; cluster: number; name: string }): Promise<ClusterInfo>;
  /**
   * Adds the folder to the library (as addFolder does), then places its books that the finished
   * run does not hold on that run: embedded with the run's own vocabulary, idf and network and
   * given the nearest of its clusters. The run's own books, clusters and map do not change.
   * Progress comes as 'scan', 'read' and 'place' events (runId: the run's, for 'place').
   */
  placeBooks(arg: { runId: number; folder: string }): Promise<PlaceReport>;
  /** Stop placing books (the import part included); nothing is placed. */
  cancelPlace(arg: Record<string, never>): Promise<{ cancelled: boolean }>;
  /**
   * One book of a finished run, for the book panel: the book, its cluster, the terms that set it
   * apart from the library, an excerpt, and its nearest books in the run's embedding.
   */
  bookDetails(arg: { runId: number; bookId: number }): Promise<BookDetailsResult>;
  /** A book's stored text (the Gutenberg header and licence cut), up to BOOK_TEXT_MAX_CHARS characters. */
  bookText(arg: { bookId: number }): Promise<BookTextResult>;
  /**
   * Keep books picked on a finished run's map as a named group of that run (name: trimmed, 1 to
   * 80 characters, not one the run's groups have already, in any case; books: the run's own).
   */
  saveGroup(arg: { runId: number; name: string; bookIds: number[] }): Promise<BookGroup>;
  /** A run's named groups, by name. */
  listGroups(arg: { runId: number }): Promise<BookGroup[]>;
  /** Forget a named group; its books stay in the library and the run. */
  deleteGroup(arg: { groupId: number }): Promise<{ groupId: number }>;
  /**
   * Writes a finished run's features as Parquet to `out` (a full path ending .parquet; written
   * whole or not at all): one row per book of the run with its sparse TF-IDF vector and
   * embedding, and the vocabulary beside it as "<name>.vocabulary.parquet" (docs/scale.md).
   */
  exportFeatures(arg: { runId: number; out: string; format?: 'parquet' }): Promise<FeatureExportReport>;
  /**
   * Makes a new run from a labels table (CSV or Parquet, a full path): a book column (book_id,
   * ebook_id or path) and a cluster column (cluster or prediction). Any row that names no book,
   * has no cluster or contradicts another refuses the whole table; nothing changes then.
   */
  importLabels(arg: { file: string; name?: string }): Promise<ImportLabelsReport>;
}

export type ApiMethodName = keyof ApiMethods;
export type ApiArg<M extends ApiMethodName> = Parameters<ApiMethods[M]>[0];
export type ApiResult<M extends ApiMethodName> = Awaited<ReturnType<ApiMethods[M]>>;

export const API_METHODS: readonly ApiMethodName[] = [
  'addFolder',
  'listBooks',
  'listRejected',
  'cancelImport',
  'startRun',
  'cancelRun',
  'listRuns',
  'getRun',
  'exportCsv',
  'exportJson',
  'listFolders',
  'removeFolder',
  'removeBook',
  'evaluateRun',
  'compareRuns',
  'renameCluster',
  'placeBooks',
  'cancelPlace',
  'saveGroup',
  'listGroups',
  'deleteGroup',
  'bookDetails',
  'bookText',
  'exportFeatures',
  'importLabels',
];

export function isApiMethod(name: unknown): name is ApiMethodName {
  return typeof name === 'string' && (API_METHODS as readonly string[]).includes(name);
}

/** Progress within one stage. `total` is 0 when the amount of work is not known yet. */
export interface ProgressEvent {
  /** The run this belongs to, or null for an import. */
  runId: number | null;
  stage: StageName;
  done: number;
  total: number;
  message: string;
  /** Adding books ('read'): bytes of the files to read, read so far and in all. */
  bytesDone?: number;
  bytesTotal?: number;
  /** Bytes read per second so far, and the seconds left at that pace (once it is known). */
  bytesPerSecond?: number;
  secondsLeft?: number;
}

export interface ApiEvents {
  progress: ProgressEvent;
  /** One autoencoder epoch finished; valLoss is the loss on held-out books, when some are held out. */
  epoch: { runId: number; epoch: number; epochs: number; loss: number; valLoss: number | null; ms: number };
  /** A run ended, however it ended. */
  runFinished: { runId: number; status: RunSummary['status']; error: string | null };
  /** A file was left out of the library during an import. */
  rejected: RejectedFile;
}

export type ApiEventName = keyof ApiEvents;

export type EventListener = <E extends ApiEventName>(name: E, payload: ApiEvents[E]) => void;

/** What a door (preload bridge, HTTP client, worker client) gives the UI or the CLI. */
export interface ShelfmapClient {
  call<M extends ApiMethodName>(method: M, arg: ApiArg<M>): Promise<ApiResult<M>>;
  /** Subscribe to every event; returns an unsubscribe function. */
  subscribe(listener: EventListener): () => void;
}
