// Domain types shared by the engine and all three doors. Plain data only: everything here
// crosses a worker boundary, an IPC channel or an HTTP body as JSON.

/**
 * A book kept in the library. A book is its text, not its path: the same text at a new path is
 * the same book (moved), and a file that is gone leaves its book "missing" until it returns.
 */
export interface Book {
  id: number;
  /**
   * Absolute path of the file where the book is now (or was last seen, when missing). A name
   * that is not valid UTF-8 shows each such byte as \xNN.
   */
  path: string;
  /** 'missing' when the file was gone at the last scan of its folder: left out of runs until it returns. */
  status: BookStatus;
  title: string;
  author: string;
  /** Language as the Gutenberg header gives it ("English"), or "" when unknown. */
  language: string;
  /** The Project Gutenberg eBook number its header gives ("[EBook #1342]"), or null when it gives none (or was not read yet: see docs/architecture.md). */
  ebookId: number | null;
  bytes: number;
  /** SHA-256 of the file's raw bytes, hex. */
  sha256: string;
  /** SHA-256 of the normalised text (see library/fingerprint.ts): what makes two files one book. */
  fingerprint: string;
  /** Encoding the bytes were decoded with. */
  encoding: TextEncodingName;
  /** Number of word tokens in the body (after the Gutenberg header and licence are cut). */
  words: number;
  /** ISO time the book was first added. */
  addedAt: string;
}

export type BookStatus = 'present' | 'missing';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'iso-8859-1' | 'iso-8859-15' | 'windows-1252';

/** A folder the user added to the library. */
export interface LibraryFolder {
  /** Absolute path, as it was added. */
  path: string;
  /** False when the folder itself is not there now (moved, renamed, or a drive not mounted). */
  exists: boolean;
  addedAt: string;
  /** ISO time of the last scan that went through the whole folder; null before the first. */
  lastScannedAt: string | null;
  /** Books under the folder whose files were there at its last scan. */
  books: number;
  /** Books under the folder whose files were gone at its last scan. */
  missing: number;
}

/** Why a file was not taken into the library. */
export type RejectReason =
  | 'empty'
  | 'binary'
  | 'unreadable'
  | 'too-large'
  | 'too-short'
  | 'duplicate'
  | 'vanished'
  /** an HTML page saved as .txt: its markup would pass for words */
  | 'html'
  /** a link whose real path leaves the folder that was added */
  | 'outside-folder';

/** A file that was looked at and left out, with a message a librarian can act on. */
export interface RejectedFile {
  path: string;
  reason: RejectReason;
  message: string;
  /** For a duplicate: the path of the book in the library with the same text. */
  duplicateOf?: string;
}

/** What adding a folder did. */
export interface ImportReport {
  folder: string;
  /** .txt files found under the folder. */
  found: number;
  added: number;
  /** Files whose path, size and modification time matched the library: not read again. */
  unchanged: number;
  /** Files already in the library whose content changed: read again and replaced. */
  updated: number;
  /** Books found at a new path while their old file is gone (moved or renamed): same book, new path. */
  moved: number;
  /** Books whose file was gone from the folder in this scan, now marked missing. */
  missing: number;
  rejected: RejectedFile[];
  /** Books in the library after the import. */
  libraryBooks: number;
}

export type StageName = 'scan' | 'read' | 'features' | 'embed' | 'cluster' | 'refine' | 'layout' | 'save' | 'place';

export const STAGES_IMPORT: readonly StageName[] = ['scan', 'read'];
export const STAGES_RUN: readonly StageName[] = ['features', 'embed', 'cluster', 'refine', 'layout', 'save'];
/** Placing new books on a finished run: the folder is imported, then its new books placed. */
export const STAGES_PLACE: readonly StageName[] = ['scan', 'read', 'place'];

export type BackendName = 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';
export type BackendChoice = 'auto' | BackendName;

export type RunStatus = 'running' | 'done' | 'failed' | 'cancelled';

/** One recorded run of features -> embeddings -> clusters -> layout over the library. */
export interface RunSummary {
  id: number;
  status: RunStatus;
  settings: import('./settings').RunSettings;
  /** The TensorFlow.js backend that trained the autoencoder ("" until the embed stage starts). */
  backend: BackendName | '';
  /** How it ran and why faster backends were passed over, e.g. "WebAssembly, SIMD; tensorflow unavailable: …". */
  backendDetail: string;
  /** Milliseconds spent in each stage that ran. */
  timings: Partial<Record<StageName, number>>;
  startedAt: string;
  finishedAt: string | null;
  bookCount: number;
  error: string | null;
  /** How k was chosen when the run's k was "auto": every k's scores and the proposal; null (or absent) for a fixed k. */
  kSweep?: KSweep | null;
}

/** One k tried by a k sweep: K-means on the book embeddings (as the clustering sees them) with that k. */
export interface KSweepScore {
  k: number;
  /** Sum of squared distances from each book to its cluster's mean (best of the K-means restarts). */
  inertia: number;
  /** Mean silhouette of that clustering on the embeddings (Euclidean), -1 to 1: higher is better separated. */
  silhouette: number;
  /** Mean adjusted Rand index between clusterings of random subsamples, over the books they share: 1 = the same groups every time. */
  stability: number;
}

/** A run's k sweep: what was tried, what was proposed and why, in words a user can check against the scores. */
export interface KSweep {
  /** The range asked for, and the one swept (clamped to the number of books - 1). */
  asked: { min: number; max: number };
  min: number;
  max: number;
  scores: KSweepScore[];
  /** The k the run then clustered with. */
  proposed: number;
  /** Where the inertia curve bends most (the knee of the curve), or null when it does not bend. */
  elbow: number | null;
  /** The rule, stated once ("highest silhouette × stability among k with stability ≥ 0.8"). */
  rule: string;
  /** Why this k, with its numbers, to follow "proposed k = 12 because": "the inertia curve bends at k = 11, and silhouette 0.19 × stability 0.61 = 0.11 is the highest of k = 9..13." */
  reason: string;
  /** Milliseconds the sweep took. */
  ms: number;
}

/** A book's place on the map in one run. */
export interface BookPoint {
  bookId: number;
  path: string;
  title: string;
  author: string;
  language: string;
  /** The Gutenberg eBook number, as the library knew it when the run was made; null when unknown. */
  ebookId: number | null;
  cluster: number;
  x: number;
  y: number;
  /** Distance to the mean of its cluster in the space the clusters were found in; null for runs made before it was kept. */
  distanceToCentre: number | null;
  /**
   * True for a book placed on the run after it was made (placeBooks): embedded with the run's
   * model and given its nearest cluster, without refitting. Absent or false for the run's own books.
   */
  placed?: boolean;
}

export interface ClusterInfo {
  id: number;
  /** Its name: the one a person gave it (or that was carried over to it), else the one built from its most distinctive terms. */
  label: string;
  /** The name built from its most distinctive terms, whatever it was renamed to (runs read from the library always have it). */
  automaticLabel?: string;
  /** The name a person gave it, or that was carried to it from an earlier run; null when it has the automatic name. */
  customLabel?: string | null;
  /** Where a carried-over name came from; null when it was given in this run or it has none. */
  carried?: CarriedName | null;
  /** Most distinctive terms, best first. */
  terms: string[];
  size: number;
  /** Its most representative books (nearest its mean), nearest first, by book id; empty for runs made before they were kept. */
  representatives: number[];
  /**
   * Its colour, as an index into the window's palette: carried from the matching cluster of the
   * closest earlier run (see cluster/colours.ts), so a cluster keeps its colour from run to run.
   * Runs made before colours were kept (and clusters built outside the store) use their id.
   */
  colour?: number;
}

/** A name carried to a cluster from the matching cluster of an earlier run over mostly the same books. */
export interface CarriedName {
  fromRun: number;
  fromCluster: number;
  /** Books of the earlier cluster that are in this one. */
  shared: number;
  /** Books of the earlier cluster. */
  of: number;
}

/** Books of a run a person picked on its map and gave a name, kept in the library with the run. */
export interface BookGroup {
  id: number;
  runId: number;
  /** Trimmed, 1 to 80 characters, no control characters; unique within its run (any case). */
  name: string;
  /** The group's books, by book id, as they were picked. */
  bookIds: number[];
  createdAt: string;
}

export interface RunResult {
  run: RunSummary;
  points: BookPoint[];
  clusters: ClusterInfo[];
}

/** A labels table's columns tried, in order, for the book's id and for its label when none is named. */
export const LABELS_ID_COLUMNS: readonly string[] = ['ebook_id', 'id', 'gutenberg_id', 'file', 'filename', 'path'];
export const LABELS_LABEL_COLUMNS: readonly string[] = ['label', 'genre', 'class', 'category'];

/** Known labels to score a run against: a table (CSV text) or each book's folder name. */
export type LabelsSource =
  | {
      kind: 'table';
      /** The table itself, as CSV text with a header row. */
      csv: string;
      /** Its name (a file name), for reports. */
      name?: string;
      /** Column that names the book: a Gutenberg number, a file name (with or without extension) or a path (default: ebook_id, id, file or path). */
      idColumn?: string;
      /** Column that holds the label (default: label, genre, class or category). */
      labelColumn?: string;
    }
  | { kind: 'subfolders' };

/** How a run's clusters agree with known labels. */
export interface EvaluationReport {
  runId: number;
  /** What the labels came from: a table's name and its columns, or "subfolders". */
  source: string;
  matched: number;
  /** Books of the run with no label (first 50 paths), and how many there are. */
  unmatched: string[];
  unmatchedCount: number;
  scores: { nmi: number; ari: number; vMeasure: number; homogeneity: number; completeness: number };
  /** Books per cluster (rows) and label (columns). */
  confusion: { clusters: number[]; labels: string[]; counts: number[][] };
}

/** How two runs differ: over the books both mapped, clusters matched one to one by overlap. */
export interface RunComparison {
  runA: number;
  runB: number;
  /** Books in both runs. */
  commonBooks: number;
  /** Of those, books whose cluster in B is not the match of their cluster in A. */
  changedCluster: number;
  /** Adjusted Rand index between the two runs' clusters, over the common books (1: the same partition). */
  ari: number;
  /** Each cluster of A with its match in B and the books they share. */
  pairs: { clusterA: number; clusterB: number; shared: number }[];
}

/**
 * A run's labels.json, the sidecar beside its labels.csv: what a reader needs to cite the run
 * and make it again. Book fields are named as the CSV's columns are (path, ebook_id, title).
 */
export interface RunLabelsSidecar {
  /** What this file is, and the version of its layout. */
  format: 'shelfmap-labels';
  formatVersion: 1;
  /** The Shelfmap version that wrote the file. */
  shelfmapVersion: string;
  runId: number;
  /** Every setting of the run, complete (see docs/settings.md). */
  settings: import('./settings').RunSettings;
  seed: number;
  backend: BackendName | '';
  backendDetail: string;
  /** Milliseconds per stage: these and the dates differ between two otherwise identical runs. */
  timings: Partial<Record<StageName, number>>;
  startedAt: string;
  finishedAt: string | null;
  /** With k "auto": each k's scores, the proposed k and why; null for a k given as a number. */
  kSweep: KSweep | null;
  books: {
    /** The books the run was made with. */
    count: number;
    /** Books placed on the run later (shelfmap place), not counted in `count` nor in the fingerprint. */
    placed: number;
    /**
     * SHA-256 (hex) over the run's books' text fingerprints, sorted, one per line: the same for
     * the same texts wherever their files are; null when a book's fingerprint is not known.
     */
    fingerprint: string | null;
  };
  clusters: {
    id: number;
    /** The name shown and exported: a person's own where given, else the automatic one. */
    label: string;
    /** The name Shelfmap gave it from its terms. */
    automaticLabel: string;
    terms: string[];
    size: number;
    /** Nearest its centre first. */
    representatives: { path: string; ebook_id: number | null; title: string }[];
  }[];
}

/** What placing a folder's new books on a finished run did (placeBooks). */
export interface PlaceReport {
  runId: number;
  /** The folder, as imported into the library first. */
  folder: string;
  import: ImportReport;
  /** The books placed now, with the cluster, x/y and distance each was given. */
  placed: BookPoint[];
  /** Books under the folder the run holds already (made with them or placed before): left as they are. */
  alreadyInRun: { bookId: number; path: string; title: string }[];
  /** The TensorFlow.js backend the books were embedded on; "" for a run without a network ("embedding": "lsa"). */
  backend: BackendName | '';
  /** Milliseconds spent placing (after the import). */
  ms: number;
}

/** A term that sets one book apart from the library, with its TF-IDF weight in that book. */
export interface DistinctiveTerm {
  term: string;
  score: number;
}

/** A book near another in a run's embedding. */
export interface SimilarBook {
  bookId: number;
  title: string;
  author: string;
  /** Its cluster in the run. */
  cluster: number;
  /** Cosine distance between the two books' embeddings (as the map's layout measures it): 0 the same direction, 2 opposite. */
  distance: number;
}

/** What the book panel shows of one book of a run (bookDetails). */
export interface BookDetailsResult {
  runId: number;
  /** The book as the library holds it now. */
  book: Book;
  /** Its cluster in the run, and the cluster's name. */
  cluster: number;
  clusterLabel: string;
  /** Placed on the run after it was made. */
  placed: boolean;
  /** Terms that set it apart: its own TF-IDF weights against the library's document frequencies, best first. */
  distinctiveTerms: DistinctiveTerm[];
  /** A few paragraphs from the start of its body (after the Gutenberg header), each with its line breaks undone. */
  excerpt: string[];
  /** Why `excerpt` is empty when its file could not be read again (gone, or changed since it was added). */
  excerptNote?: string;
  /** Its nearest books in the run's embedding, nearest first. */
  similar: SimilarBook[];
  /** Why `similar` is empty when it is (a run made before embeddings were kept, a book placed later); null otherwise. */
  similarNote: string | null;
}

/** A book's stored text (its body, the Gutenberg header and licence cut), up to a cap (bookText). */
export interface BookTextResult {
  bookId: number;
  title: string;
  text: string;
  /** Characters of the whole body. */
  totalChars: number;
  /** True when `text` is only the first part of the body. */
  capped: boolean;
}

/** What exportFeatures wrote: the features Parquet file and its vocabulary beside it. */
export interface FeatureExportReport {
  path: string;
  vocabularyPath: string;
  books: number;
  vocabularySize: number;
  embeddingSize: number;
  bytes: number;
}

/** The run importLabels made from a labels table. */
export interface ImportLabelsReport {
  runId: number;
  books: number;
  clusters: number;
  /** The columns the books and their clusters were read from. */
  idColumn: string;
  clusterColumn: string;
  /**
   * Where the map came from: 'source-run', the x/y of the run the table's shelfmap_run column
   * names; 'embedding', a layout of the embeddings of sourceRun; 'circles', each cluster's books
   * around its own point (no run holds these books' embeddings).
   */
  layout: 'source-run' | 'embedding' | 'circles';
  sourceRun: number | null;
  /** Books of the library the table does not list (they are not in the new run). */
  notInTable: number;
  /** Each cluster's number in the new run, the label the table gave it, its name and size. */
  clusterNames: { cluster: number; from: string; label: string; size: number }[];
}
