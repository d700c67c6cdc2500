// The one module that talks to a door. In the desktop app the preload has put a ShelfmapClient
// on window.shelfmap; in a browser opened by `shelfmap serve` we build the same client over
// HTTP (POST /api/<method>, events through Server-Sent Events). Nothing else in the renderer
// touches fetch, EventSource or window.shelfmap.
import type { ApiEventName, ApiEvents, EventListener, ShelfmapClient } from '../../src-shared/contract';
import { ShelfmapError, type SerializedError } from '../../src-shared/errors';

export const TOKEN_HEADER = 'x-shelfmap-token';
const TOKEN_STORAGE_KEY = 'shelfmap.token';

/** Every event name, spelled out so the compiler notices when the contract gains one. */
const EVENT_NAMES: Record<ApiEventName, true> = { progress: true, epoch: true, runFinished: true, rejected: true };

export interface Bridge {
  client: ShelfmapClient;
  /** Folder dialog and drop support; null in a browser. */
  desktop: ShelfmapDesktopApi | null;
}

export interface HttpClientOptions {
  token: string | null;
  fetch: typeof globalThis.fetch;
  openEvents: (url: string) => EventSource;
  /** Where the API lives; '' means this page's origin. */
  baseUrl?: string;
}

const NOT_CONNECTED =
  'This page is not connected to Shelfmap: its access key is missing or from an earlier start of `shelfmap serve`. Open the address that `shelfmap serve` printed; it carries the key.';
const UNREACHABLE = 'Cannot reach the Shelfmap server. Is `shelfmap serve` still running?';

function isSerializedError(value: unknown): value is { error: SerializedError } {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as SerializedError).message === 'string';
}

export function createHttpClient(options: HttpClientOptions): ShelfmapClient {
  const base = options.baseUrl ?? '';
  const listeners = new Set<EventListener>();
  let events: EventSource | null = null;

  function openEvents(): EventSource {
    const source = options.openEvents(`${base}/api/events?token=${encodeURIComponent(options.token ?? '')}`);
    for (const name of Object.keys(EVENT_NAMES) as ApiEventName[]) {
      source.addEventListener(name, (message) => {
        const payload = JSON.parse((message as MessageEvent<string>).data) as ApiEvents[typeof name];
        for (const listener of [...listeners]) listener(name, payload);
      });
    }
    return source;
  }

  return {
    async call(method, arg) {
      let response: Response;
      try {
        response = await options.fetch(`${base}/api/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [TOKEN_HEADER]: options.token ?? '' },
          body: JSON.stringify(arg ?? {}),
        });
      } catch {
        throw new ShelfmapError('internal', UNREACHABLE);
      }
      if (response.status === 401) throw new ShelfmapError('invalid-argument', NOT_CONNECTED);
      const body: unknown = await response.json().catch(() => undefined);
      if (!response.ok) {
        if (isSerializedError(body)) throw new ShelfmapError(body.error.kind, body.error.message);
        throw new ShelfmapError('internal', `The Shelfmap server answered ${response.status}.`);
      }
      return body as never;
    },
    subscribe(listener) {
      listeners.add(listener);
      events ??= openEvents();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && events) {
          events.close();
          events = null;
        }
      };
    },
  };
}

/**
 * Takes the access token from ?token= once, then hides it from the address bar (and from
 * anything that later reads the URL). It is kept in this origin's storage (the origin names the
 * server's port), so a reload, a second tab or a bookmark of the bare address keeps working for
 * the life of the server; the printed address with its token always wins over a kept one.
 */
export function takeToken(location: Location, history: History, storage: Storage): string | null {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_STORAGE_KEY, fromUrl);
    params.delete('token');
    const search = params.toString();
    history.replaceState(history.state, '', `${location.pathname}${search ? `?${search}` : ''}${location.hash}`);
    return fromUrl;
  }
  return storage.getItem(TOKEN_STORAGE_KEY);
}

let connected: Bridge | null = null;

export function connectBridge(): Bridge {
  if (connected) return connected;
  const preload = window.shelfmap;
  if (preload) {
    connected = {
      client: { call: preload.call.bind(preload), subscribe: preload.subscribe.bind(preload) },
      desktop: preload.desktop,
    };
  } else {
    const token = takeToken(window.location, window.history, window.localStorage);
    connected = {
      client: createHttpClient({
        token,
        fetch: window.fetch.bind(window),
        openEvents: (url) => new EventSource(url),
      }),
      desktop: null,
    };
  }
  return connected;
}
