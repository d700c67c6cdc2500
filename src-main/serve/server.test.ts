import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EventListener, ShelfmapClient } from '../../src-shared/contract';
import { ERROR_KINDS, ShelfmapError, type ErrorKind } from '../../src-shared/errors';
import { startServeServer, type ServeServer } from './server';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(
  server: ServeServer,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: options.method ?? 'GET',
        headers: { host: `127.0.0.1:${server.port}`, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function post(server: ServeServer, method: string, arg: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return send(server, `/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shelfmap-token': server.token, ...headers },
    body: JSON.stringify(arg),
  });
}

/** A fake engine door: answers a few methods with canned data and lets the test emit events. */
function makeFakeClient() {
  const listeners = new Set<EventListener>();
  const calls: Array<{ method: string; arg: unknown }> = [];
  const client: ShelfmapClient = {
    call: (async (method: string, arg: unknown) => {
      calls.push({ method, arg });
      const failWith = (arg as { failWith?: ErrorKind } | null)?.failWith;
      if (failWith) throw new ShelfmapError(failWith, `Failed with ${failWith}.`);
      switch (method) {
        case 'listBooks':
          return [{ id: 1, title: 'Emma', author: 'Jane Austen' }];
        case 'getRun':
          throw new ShelfmapError('not-found', `No run ${(arg as { runId: number }).runId}.`);
        case 'startRun':
          throw new ShelfmapError('busy', 'A run is already going.');
        case 'addFolder':
          throw new ShelfmapError('invalid-argument', 'Folder must be a string.');
        case 'cancelRun':
          throw new ShelfmapError('cancelled', 'Cancelled.');
        case 'listRuns':
          throw new Error('disk on fire');
        case 'exportCsv':
          throw new ShelfmapError('folder-missing', 'Gone.');
        default:
          return null;
      }
    }) as ShelfmapClient['call'],
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { client, calls, listeners };
}

describe('startServeServer', () => {
  let staticDir: string;
  let outside: string;
  let fake: ReturnType<typeof makeFakeClient>;
  let server: ServeServer;

  beforeAll(() => {
    staticDir = mkdtempSync(join(tmpdir(), 'shelfmap-static-'));
    outside = mkdtempSync(join(tmpdir(), 'shelfmap-outside-'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Shelfmap</title>');
    mkdirSync(join(staticDir, 'assets'));
    writeFileSync(join(staticDir, 'assets', 'app-1234.js'), 'console.log(1)');
    writeFileSync(join(staticDir, 'assets', 'app-1234.css'), 'body{}');
    writeFileSync(join(outside, 'secret.txt'), 'secret');
    symlinkSync(join(outside, 'secret.txt'), join(staticDir, 'assets', 'link.txt'));
  });
  afterAll(() => {
    rmSync(staticDir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });
  beforeEach(async () => {
    fake = makeFakeClient();
    server = await startServeServer({ client: fake.client, staticDir, port: 0, heartbeatMs: 50 });
  });
  afterEach(async () => {
    await server.close();
  });

  it('binds loopback with a fresh token in the URL', async () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    const other = await startServeServer({ client: fake.client, staticDir });
    try {
      expect(other.token).not.toBe(server.token);
      expect(other.port).not.toBe(server.port);
    } finally {
      await other.close();
    }
  });

  it('relays a call and returns its JSON result', async () => {
    const reply = await post(server, 'listBooks', {});
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toContain('application/json');
    expect(JSON.parse(reply.body)).toEqual([{ id: 1, title: 'Emma', author: 'Jane Austen' }]);
    expect(fake.calls).toEqual([{ method: 'listBooks', arg: {} }]);
  });

  it('passes the JSON body as the argument, and an empty body as {}', async () => {
    await post(server, 'exportCsv', { runId: 7 });
    await send(server, '/api/listRejected', { method: 'POST', headers: { 'x-shelfmap-token': server.token } });
    expect(fake.calls).toEqual([
      { method: 'exportCsv', arg: { runId: 7 } },
      { method: 'listRejected', arg: {} },
    ]);
  });

  it('requires the token on API calls', async () => {
    const missing = await send(server, '/api/listBooks', { method: 'POST', body: '{}' });
    expect(missing.status).toBe(401);
    const wrong = await post(server, 'listBooks', {}, { 'x-shelfmap-token': server.token.slice(0, -1) + 'x' });
    expect(wrong.status).toBe(401);
    const inQuery = await send(server, `/api/listBooks?token=${server.token}`, { method: 'POST', body: '{}' });
    expect(inQuery.status).toBe(401);
    expect(fake.calls).toHaveLength(0);
  });

  it('refuses a Host other than 127.0.0.1:PORT or localhost:PORT', async () => {
    const rebound = await post(server, 'listBooks', {}, { host: `evil.example:${server.port}` });
    expect(rebound.status).toBe(403);
    const wrongPort = await post(server, 'listBooks', {}, { host: `127.0.0.1:${server.port + 1}` });
    expect(wrongPort.status).toBe(403);
    const page = await send(server, '/', { headers: { host: 'attacker.test' } });
    expect(page.status).toBe(403);
    const localhost = await post(server, 'listBooks', {}, { host: `localhost:${server.port}` });
    expect(localhost.status).toBe(200);
    expect(fake.calls).toHaveLength(1);
  });

  it('answers an unknown method with 404 and only accepts POST', async () => {
    const unknown = await post(server, 'dropDatabase', {});
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).error.kind).toBe('not-found');
    const inherited = await post(server, 'constructor', {});
    expect(inherited.status).toBe(404);
    const get = await send(server, '/api/listBooks', { headers: { 'x-shelfmap-token': server.token } });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    expect(fake.calls).toHaveLength(0);
  });

  it('maps error kinds to status codes with a serialised error body', async () => {
    const cases: Array<[string, unknown, number, string]> = [
      ['addFolder', { folder: 3 }, 400, 'invalid-argument'],
      ['getRun', { runId: 99 }, 404, 'not-found'],
      ['startRun', {}, 409, 'busy'],
      ['cancelRun', { runId: 1 }, 409, 'cancelled'],
      ['listRuns', {}, 500, 'internal'],
      ['exportCsv', { runId: 1 }, 404, 'folder-missing'],
      ['listRejected', { failWith: 'no-books' }, 409, 'no-books'],
      ['listRejected', { failWith: 'backend-unavailable' }, 422, 'backend-unavailable'],
      ['listRejected', { failWith: 'invalid-library' }, 409, 'invalid-library'],
      ['listRejected', { failWith: 'database' }, 500, 'database'],
    ];
    for (const [method, arg, status, kind] of cases) {
      const reply = await post(server, method, arg);
      expect({ method, status: reply.status }).toEqual({ method, status });
      expect(JSON.parse(reply.body)).toEqual({ error: { kind, message: expect.any(String) } });
    }
    expect(JSON.parse((await post(server, 'getRun', { runId: 99 })).body).error.message).toBe('No run 99.');
    // every kind that is the user's mistake answers 4xx; only our own failures answer 5xx
    for (const kind of Object.keys(ERROR_KINDS) as ErrorKind[]) {
      const reply = await post(server, 'listRejected', { failWith: kind });
      const ours = kind === 'internal' || kind === 'database';
      expect({ kind, status: reply.status >= 500 }).toEqual({ kind, status: ours });
    }
  });

  it('rejects bodies that are not a JSON object, and bodies over 1 MB', async () => {
    const headers = { 'x-shelfmap-token': server.token };
    const broken = await send(server, '/api/listBooks', { method: 'POST', headers, body: '{nope' });
    expect(broken.status).toBe(400);
    const array = await send(server, '/api/listBooks', { method: 'POST', headers, body: '[1,2]' });
    expect(array.status).toBe(400);
    const big = JSON.stringify({ folder: 'x'.repeat(1024 * 1024) });
    const tooBig = await send(server, '/api/addFolder', { method: 'POST', headers, body: big });
    expect(tooBig.status).toBe(413);
    const streamed = await new Promise<number>((resolve, reject) => {
      // Chunked, so no Content-Length announces the size up front.
      const req = request(
        { host: '127.0.0.1', port: server.port, path: '/api/addFolder', method: 'POST', headers: { ...headers, host: `127.0.0.1:${server.port}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('{"folder":"' + 'x'.repeat(700 * 1024));
      req.write('y'.repeat(700 * 1024));
      req.end('"}');
    });
    expect(streamed).toBe(413);
    expect(fake.calls).toHaveLength(0);
  });

  it('streams events as Server-Sent Events and unsubscribes on disconnect', async () => {
    const unauthorised = await send(server, '/api/events');
    expect(unauthorised.status).toBe(401);

    const received = await new Promise<{ contentType: string; text: string }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: server.port, path: `/api/events?token=${encodeURIComponent(server.token)}` },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
            if (text.includes(': connected')) {
              for (const listener of fake.listeners) {
                listener('progress', { runId: 4, stage: 'embed', done: 3, total: 10, message: 'Epoch 3 of 10' });
              }
            }
            // Wait for one heartbeat after the event too.
            if (text.includes('event: progress') && text.includes(': heartbeat')) {
              req.destroy();
              resolve({ contentType: String(res.headers['content-type']), text });
            }
          });
        },
      );
      req.on('error', (error) => {
        if (!(error as NodeJS.ErrnoException).code?.includes('ECONNRESET')) reject(error);
      });
      req.end();
    });
    expect(received.contentType).toContain('text/event-stream');
    const block = received.text.split('\n\n').find((b) => b.startsWith('event: progress'));
    expect(block).toBe(
      'event: progress\ndata: ' +
        JSON.stringify({ runId: 4, stage: 'embed', done: 3, total: 10, message: 'Epoch 3 of 10' }),
    );
    await expect.poll(() => fake.listeners.size).toBe(0);
  });

  it('serves index.html at / and assets with their content types', async () => {
    const index = await send(server, '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.body).toContain('<title>Shelfmap</title>');
    const script = await send(server, '/assets/app-1234.js');
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.body).toBe('console.log(1)');
    const style = await send(server, '/assets/app-1234.css?v=2');
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('refuses traversal, symlinks out of the root and directory listings', async () => {
    for (const path of ['/../package.json', '/assets/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets%2f..%2f..%2fetc%2fpasswd', '/assets/link.txt', '/assets/', '/assets', '/nope.html', '/%00', '/%zz']) {
      const reply = await send(server, path);
      expect({ path, status: reply.status }).toEqual({ path, status: 404 });
      expect(reply.body).not.toContain('secret');
    }
    const put = await send(server, '/index.html', { method: 'PUT', body: 'x' });
    expect(put.status).toBe(405);
  });

  it('sets the security headers on every response', async () => {
    for (const reply of [await send(server, '/'), await post(server, 'listBooks', {}), await send(server, '/missing')]) {
      const csp = String(reply.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).toContain("img-src 'self' data: blob:");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
      expect(reply.headers['referrer-policy']).toBe('no-referrer');
    }
  });
});
