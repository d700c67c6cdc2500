import { describe, expect, it } from 'vitest';
import { ShelfmapError } from '../../src-shared/errors';
import { createHttpClient, takeToken } from './bridge';

type Handler = (message: { data: string }) => void;

/** Stands in for EventSource: records handlers and whether it was closed. */
class FakeEventSource {
  handlers = new Map<string, Handler>();
  closed = false;
  constructor(readonly url: string) {}
  addEventListener(name: string, handler: Handler) {
    this.handlers.set(name, handler);
  }
  close() {
    this.closed = true;
  }
  emit(name: string, payload: unknown) {
    this.handlers.get(name)?.({ data: JSON.stringify(payload) });
  }
}

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

describe('createHttpClient', () => {
  it('posts the argument with the token and returns the JSON result', async () => {
    const seen: Array<{ url: string; init: RequestInit }> = [];
    const client = createHttpClient({
      token: 'tok',
      fetch: (async (url: string, init: RequestInit) => {
        seen.push({ url, init });
        return jsonResponse(200, { runId: 4 });
      }) as typeof fetch,
      openEvents: () => {
        throw new Error('not used');
      },
    });
    await expect(client.call('startRun', { settings: { k: 3 } })).resolves.toEqual({ runId: 4 });
    expect(seen).toHaveLength(1);
    expect(seen[0].url).toBe('/api/startRun');
    expect(seen[0].init.method).toBe('POST');
    expect((seen[0].init.headers as Record<string, string>)['x-shelfmap-token']).toBe('tok');
    expect(JSON.parse(String(seen[0].init.body))).toEqual({ settings: { k: 3 } });
  });

  it('turns error bodies back into typed errors', async () => {
    const replies = [
      jsonResponse(409, { error: { kind: 'busy', message: 'A run is already going.' } }),
      jsonResponse(401, { error: { kind: 'invalid-argument', message: 'Missing or wrong access token.' } }),
      new Response('oops', { status: 502 }),
    ];
    const client = createHttpClient({
      token: null,
      fetch: (async () => replies.shift()!) as typeof fetch,
      openEvents: () => {
        throw new Error('not used');
      },
    });
    const busy = await client.call('listRuns', {}).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(ShelfmapError);
    expect(busy).toMatchObject({ kind: 'busy', message: 'A run is already going.' });
    await expect(client.call('listRuns', {})).rejects.toThrow(/not connected to Shelfmap/);
    await expect(client.call('listRuns', {})).rejects.toMatchObject({ kind: 'internal', message: expect.stringContaining('502') });
  });

  it('says the server is unreachable when fetch itself fails', async () => {
    const client = createHttpClient({
      token: 't',
      fetch: (async () => {
        throw new TypeError('Failed to fetch');
      }) as typeof fetch,
      openEvents: () => {
        throw new Error('not used');
      },
    });
    await expect(client.call('listBooks', {})).rejects.toThrow(/Cannot reach the Shelfmap server/);
  });

  it('shares one event stream between listeners and closes it after the last leaves', () => {
    const opened: FakeEventSource[] = [];
    const client = createHttpClient({
      token: 'a b',
      fetch: fetch,
      openEvents: (url) => {
        const source = new FakeEventSource(url);
        opened.push(source);
        return source as unknown as EventSource;
      },
    });
    const first: unknown[] = [];
    const second: unknown[] = [];
    const stopFirst = client.subscribe((name, payload) => first.push([name, payload]));
    const stopSecond = client.subscribe((name, payload) => second.push([name, payload]));
    expect(opened).toHaveLength(1);
    expect(opened[0].url).toBe('/api/events?token=a%20b');
    expect([...opened[0].handlers.keys()].sort()).toEqual(['epoch', 'progress', 'rejected', 'runFinished']);

    opened[0].emit('runFinished', { runId: 2, status: 'done', error: null });
    expect(first).toEqual([['runFinished', { runId: 2, status: 'done', error: null }]]);
    expect(second).toEqual(first);

    stopFirst();
    expect(opened[0].closed).toBe(false);
    stopSecond();
    expect(opened[0].closed).toBe(true);
  });
});

describe('takeToken', () => {
  function fakeWindow(href: string) {
    const url = new URL(href);
    const store = new Map<string, string>();
    const replaced: string[] = [];
    const location = { search: url.search, pathname: url.pathname, hash: url.hash } as Location;
    const history = { state: null, replaceState: (_s: unknown, _t: string, to: string) => replaced.push(to) } as unknown as History;
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    } as Storage;
    return { location, history, storage, replaced, store };
  }

  it('takes the token from the URL, hides it and keeps it for reloads', () => {
    const first = fakeWindow('http://127.0.0.1:5000/?token=abc123&view=map#top');
    expect(takeToken(first.location, first.history, first.storage)).toBe('abc123');
    expect(first.replaced).toEqual(['/?view=map#top']);

    const reloaded = fakeWindow('http://127.0.0.1:5000/?view=map#top');
    reloaded.storage.setItem('shelfmap.token', 'abc123');
    expect(takeToken(reloaded.location, reloaded.history, reloaded.storage)).toBe('abc123');
    expect(reloaded.replaced).toEqual([]);
  });

  it('has no token when neither the URL nor the tab has one', () => {
    const bare = fakeWindow('http://127.0.0.1:5000/');
    expect(takeToken(bare.location, bare.history, bare.storage)).toBeNull();
  });
});
