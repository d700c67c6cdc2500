// Errors that cross a boundary (worker, IPC, HTTP) as plain data and come back typed.

export type ErrorKind =
  | 'invalid-argument'
  | 'not-found'
  | 'busy'
  | 'cancelled'
  | 'folder-missing'
  | 'no-books'
  | 'backend-unavailable'
  | 'database'
  | 'internal';

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
  return new ShelfmapError(data.kind, data.message);
}
