// The loopback HTTP door: serves the built React UI and relays the typed contract to a
// ShelfmapClient. Bound to 127.0.0.1 only, with a fresh token per start; the Host check stops a
// DNS-rebinding page from talking to it, and the custom token header stops cross-site posts
// (a browser cannot add that header cross-origin without a preflight we never answer).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isApiMethod, type ApiEventName, type ApiEvents, type ShelfmapClient } from '../../src-shared/contract';
import { ERROR_KINDS, serializeError, type ErrorKind, type SerializedError } from '../../src-shared/errors';
import { serveStatic } from './static-files';
import { CONTENT_SECURITY_POLICY } from '../../src-shared/security';

export interface ServeServerOptions {
  client: ShelfmapClient;
  /** The built renderer (out/renderer). */
  staticDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: '127.0.0.1';
  /** Interval of the SSE keep-alive comment; only tests change it. */
  heartbeatMs?: number;
}

export interface ServeServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export const TOKEN_HEADER = 'x-shelfmap-token';
export const MAX_BODY_BYTES = 1024 * 1024;

export { CONTENT_SECURITY_POLICY };

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** 4xx for the user's mistakes, 5xx only for ours: the table lives with the error kinds. */
export function statusForErrorKind(kind: ErrorKind): number {
  return ERROR_KINDS[kind]?.http ?? 500;
}

/** Thrown inside request handling to answer with a given status and error body. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: SerializedError,
  ) {
    super(body.message);
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Constant-time token check; hashing first makes the comparison independent of length too. */
function tokenMatches(given: string | undefined | null, token: string): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  return timingSafeEqual(digest(given), digest(token));
}

function sendJson(res: ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...extraHeaders,
  });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, error: SerializedError, extraHeaders?: Record<string, string>): void {
  sendJson(res, status, { error }, extraHeaders);
}

function tooLarge(): HttpError {
  return new HttpError(413, { kind: 'invalid-argument', message: 'Request body is larger than 1 MB.' });
}

/** Reads at most MAX_BODY_BYTES; past that it stops reading (the reply then closes the connection). */
function readBody(req: IncomingMessage): Promise<string> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.off('data', onData);
        req.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const text = (await readBody(req)).trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpError(400, { kind: 'invalid-argument', message: 'Request body is not valid JSON.' });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HttpError(400, { kind: 'invalid-argument', message: 'Request body must be a JSON object.' });
  }
  return parsed;
}

export async function startServeServer(options: ServeServerOptions): Promise<ServeServer> {
  const { client, staticDir } = options;
  const host = options.host ?? '127.0.0.1';
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const token = randomBytes(24).toString('base64url');
  let allowedHosts: Set<string> = new Set();

  async function handleApiCall(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    if (!tokenMatches(req.headers[TOKEN_HEADER] as string | undefined, token)) {
      sendError(res, 401, { kind: 'invalid-argument', message: 'Missing or wrong access token.' });
      return;
    }
    if (req.method !== 'POST') {
      sendError(res, 405, { kind: 'invalid-argument', message: 'Use POST for API calls.' }, { Allow: 'POST' });
      return;
    }
    if (!isApiMethod(method)) {
      sendError(res, 404, { kind: 'not-found', message: `Unknown API method "${method}".` });
      return;
    }
    try {
      const arg = await readJsonBody(req);
      // The body is untrusted JSON; the engine's dispatcher resolves and checks every argument.
      const result = await client.call(method, arg as never);
      sendJson(res, 200, result ?? null);
    } catch (error) {
      if (error instanceof HttpError) {
        // An oversized body was left unread: answer, then drop the connection.
        if (error.status === 413) res.setHeader('Connection', 'close');
        sendError(res, error.status, error.body);
        return;
      }
      const serialized = serializeError(error);
      sendError(res, statusForErrorKind(serialized.kind), serialized);
    }
  }

  function handleEvents(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const given = url.searchParams.get('token') ?? (req.headers[TOKEN_HEADER] as string | undefined);
    if (!tokenMatches(given, token)) {
      sendError(res, 401, { kind: 'invalid-argument', message: 'Missing or wrong access token.' });
      return;
    }
    if (req.method !== 'GET') {
      sendError(res, 405, { kind: 'invalid-argument', message: 'Use GET for the event stream.' }, { Allow: 'GET' });
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    const unsubscribe = client.subscribe(<E extends ApiEventName>(name: E, payload: ApiEvents[E]) => {
      res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  }

  const server = createServer((req, res) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    const hostHeader = (req.headers.host ?? '').toLowerCase();
    if (!allowedHosts.has(hostHeader)) {
      sendError(res, 403, { kind: 'invalid-argument', message: 'Requests must address 127.0.0.1 or localhost.' });
      return;
    }
    const url = new URL(req.url ?? '/', `http://${hostHeader}`);
    const path = url.pathname;
    if (path === '/api/events') {
      handleEvents(req, res, url);
    } else if (path.startsWith('/api/')) {
      void handleApiCall(req, res, path.slice('/api/'.length));
    } else if (path === '/api') {
      sendError(res, 404, { kind: 'not-found', message: 'Unknown API method "".' });
    } else {
      void serveStatic(req, res, staticDir, path).catch((error: unknown) => {
        if (!res.headersSent) sendError(res, 500, serializeError(error));
        else res.destroy();
      });
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Event streams never end by themselves.
        server.closeAllConnections();
      }),
  };
}
