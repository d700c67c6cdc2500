import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerAppRequest, APP_ENTRY_URL, isAppPage } from './app-protocol';

describe('the app:// protocol', () => {
  let home: string;
  let root: string;

  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'shelfmap-app-protocol-'));
    root = join(home, 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Shelfmap</title>');
    writeFileSync(join(root, 'assets', 'index-1234.js'), 'console.log(1)');
    writeFileSync(join(home, 'secret.txt'), 'secret');
    symlinkSync(join(home, 'secret.txt'), join(root, 'assets', 'link.txt'));
  });

  afterAll(() => rmSync(home, { recursive: true, force: true }));

  const get = (url: string, method = 'GET') => answerAppRequest(root, { url, method });

  it('serves the built renderer with its type and the content security policy', async () => {
    const index = await get(APP_ENTRY_URL);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await index.text()).toContain('<title>Shelfmap</title>');

    const script = await get('app://shelfmap/assets/index-1234.js?v=1');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
    expect((await get('app://shelfmap/')).status).toBe(200);
  });

  it('refuses paths out of the renderer folder, however they are spelt', async () => {
    const attempts = [
      'app://shelfmap/../secret.txt',
      'app://shelfmap/assets/../../secret.txt',
      'app://shelfmap/%2e%2e/secret.txt',
      'app://shelfmap/assets%2f..%2f..%2fsecret.txt',
      'app://shelfmap/..%5csecret.txt',
      'app://shelfmap/assets/link.txt',
      'app://shelfmap/assets/',
      'app://shelfmap/%00',
      'app://shelfmap/%zz',
      'app://shelfmap/missing.html',
    ];
    for (const url of attempts) {
      const reply = await get(url);
      expect({ url, status: reply.status }).toEqual({ url, status: 404 });
      expect(await reply.text()).not.toContain('secret');
    }
  });

  it('answers only its own host and only reads', async () => {
    expect((await get('app://elsewhere/index.html')).status).toBe(404);
    expect((await get('file:///etc/passwd')).status).toBe(404);
    expect((await get('not a url')).status).toBe(404);
    expect((await get(APP_ENTRY_URL, 'POST')).status).toBe(405);
    const head = await get(APP_ENTRY_URL, 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('tells our pages from any other', () => {
    expect(isAppPage('app://shelfmap/index.html', undefined)).toBe(true);
    expect(isAppPage('app://shelfmap/index.html#book-3', undefined)).toBe(true);
    expect(isAppPage('app://other/index.html', undefined)).toBe(false);
    expect(isAppPage('file:///work/out/renderer/index.html', undefined)).toBe(false);
    expect(isAppPage('https://www.gutenberg.org/', undefined)).toBe(false);
    expect(isAppPage(undefined, undefined)).toBe(false);
    // under `electron-vite dev` the pages come from its server instead
    expect(isAppPage('http://localhost:5173/index.html', 'http://localhost:5173/')).toBe(true);
    expect(isAppPage('http://localhost:5174/index.html', 'http://localhost:5173/')).toBe(false);
    expect(isAppPage('app://shelfmap/index.html', 'http://localhost:5173/')).toBe(false);
  });
});
