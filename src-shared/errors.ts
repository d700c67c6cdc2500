// Errors that cross a boundary (worker, IPC, HTTP) as plain data and come back typed. Each kind
// says whose mistake it is, so every door answers the same way: HTTP 4xx and CLI exit 2 for a
// wrong command or setting, 5xx only for our own failures.

export type ErrorKind =
  | 'invalid-argument'
  | 'invalid-library'
  | 'not-found'
  | 'busy'
  | 'cancelled'
  | 'folder-missing'
  | 'no-books'
  | 'backend-unavailable'
  | 'database'
  | 'internal';

interface ErrorKindInfo {
  /** The HTTP status the browser door answers with. */
  http: number;
  /** The CLI's exit code: 2 for a command or setting that is wrong as given, 1 for work that failed. */
  exit: 1 | 2 | 130;
}

export const ERROR_KINDS: Record<ErrorKind, ErrorKindInfo> = {
  // a wrong field, value or command: the user can fix it by asking differently
  'invalid-argument': { http: 400, exit: 2 },
  // --db names a file that is not a Shelfmap library, or one from a newer Shelfmap
  'invalid-library': { http: 409, exit: 2 },
  'not-found': { http: 404, exit: 1 },
  busy: { http: 409, exit: 1 },
  cancelled: { http: 409, exit: 130 },
  'folder-missing': { http: 404, exit: 1 },
  'no-books': { http: 409, exit: 1 },
  // a forced backend this machine cannot load: the user's choice, not our failure
  'backend-unavailable': { http: 422, exit: 1 },
  database: { http: 500, exit: 1 },
  internal: { http: 500, exit: 1 },
};

export function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_KINDS, value);
}

export interface SerializedError {
  kind: ErrorKind;
  message: string;
}

export class ShelfmapError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'ShelfmapError';
  }
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof ShelfmapError) return { kind: error.kind, message: error.message };
  if (error instanceof Error) return { kind: 'internal', message: error.message };
  return { kind: 'internal', message: String(error) };
}

export function deserializeError(data: SerializedError): ShelfmapError {
  return new ShelfmapError(isErrorKind(data.kind) ? data.kind : 'internal', data.message);
}
