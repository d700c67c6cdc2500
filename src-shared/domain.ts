// Domain types shared by the engine and all three doors. Plain data only: everything here
// crosses a worker boundary, an IPC channel or an HTTP body as JSON.

/** A book kept in the library. */
export interface Book {
  id: number;
  /** Absolute path of the file it was read from. */
  path: string;
  title: string;
  author: string;
  /** Language as the Gutenberg header gives it ("English"), or "" when unknown. */
  language: string;
  bytes: number;
  sha256: string;
  /** Encoding the bytes were decoded with. */
  encoding: TextEncodingName;
  /** Number of word tokens in the body (after the Gutenberg header and licence are cut). */
  words: number;
  /** ISO time the book was first added. */
  addedAt: string;
}

export type TextEncodingName = 'utf-8' | 'windows-1252';

/** Why a file was not taken into the library. */
export type RejectReason =
  | 'empty'
  | 'binary'
  | 'unreadable'
  | 'too-large'
  | 'too-short'
  | 'duplicate'
  | 'vanished';

/** A file that was looked at and left out, with a message a librarian can act on. */
export interface RejectedFile {
  path: string;
  reason: RejectReason;
  message: string;
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
  rejected: RejectedFile[];
  /** Books in the library after the import. */
  libraryBooks: number;
}

export type StageName = 'scan' | 'read' | 'features' | 'embed' | 'cluster' | 'refine' | 'layout' | 'save';

export const STAGES_IMPORT: readonly StageName[] = ['scan', 'read'];
export const STAGES_RUN: readonly StageName[] = ['features', 'embed', 'cluster', 'refine', 'layout', 'save'];

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
}

/** A book's place on the map in one run. */
export interface BookPoint {
  bookId: number;
  path: string;
  title: string;
  author: string;
  language: string;
  cluster: number;
  x: number;
  y: number;
}

export interface ClusterInfo {
  id: number;
  /** A short name built from its most distinctive terms. */
  label: string;
  /** Most distinctive terms, best first. */
  terms: string[];
  size: number;
}

export interface RunResult {
  run: RunSummary;
  points: BookPoint[];
  clusters: ClusterInfo[];
}
