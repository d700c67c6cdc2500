// The renderer's own origin, app://shelfmap/, instead of file://: a file:// page may read any
// file on the disk, and Electron's checklist asks for a custom protocol that serves the built
// renderer and nothing else. Resolution reuses the serve door's checks (no `..`, no encoded
// separators, no symlinks out of the root, files only), so both doors refuse the same paths.
import { readFile } from 'node:fs/promises';
import { contentTypeFor, resolveStaticFile } from '../serve/static-files';
import { CONTENT_SECURITY_POLICY } from '../../src-shared/security';

export const APP_SCHEME = 'app';
export const APP_HOST = 'shelfmap';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Electron's privileges for the scheme: standard (relative URLs, an origin of its own), secure
 * (like https) and fetch() for same-origin requests. Not corsEnabled: no other origin reads it.
 */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true } as const;

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
};

function refuse(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS } });
}

/** The answer to one app:// request: a file of the built renderer under root, or a refusal. */
export async function answerAppRequest(rendererRoot: string, request: { url: string; method: string }): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'Method not allowed.\n');
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return refuse(404, 'Not found.\n');
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return refuse(404, 'Not found.\n');
  const file = await resolveStaticFile(rendererRoot, url.pathname);
  if (file === null) return refuse(404, 'Not found.\n');
  const body = request.method === 'HEAD' ? null : await readFile(file);
  return new Response(body, { status: 200, headers: { 'Content-Type': contentTypeFor(file), ...SECURITY_HEADERS } });
}

/** Whether a frame's URL is one of our pages (the dev server's during `electron-vite dev`). */
export function isAppPage(frameUrl: string | undefined, devServerUrl: string | undefined): boolean {
  if (!frameUrl) return false;
  let url: URL;
  try {
    url = new URL(frameUrl);
  } catch {
    return false;
  }
  if (devServerUrl) return url.origin === new URL(devServerUrl).origin;
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
}
