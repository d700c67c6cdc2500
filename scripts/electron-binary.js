// The Electron binary: where it is once installed, and fetching it when it is not. Electron 42
// downloads its binary on first launch (node_modules/electron/install.js, through
// @electron/get); where that cannot happen, this says what could not be had and the ways out,
// instead of install.js's stack trace and electron/index.js's "delete node_modules" advice.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));

export const ELECTRON_VERSION = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
/** Electron's NODE_MODULE_VERSION, which a native addon built for it must carry. */
export const ELECTRON_ABI = readFileSync(join(electronDir, 'abi_version'), 'utf8').trim();

/** The installed Electron executable, or null (never downloads, unlike require('electron')). */
export function installedElectronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const binary = join(process.env.ELECTRON_OVERRIDE_DIST_PATH || join(electronDir, 'dist'), relative);
  return existsSync(binary) ? binary : null;
}

/** @electron/get's cache folder: electron_config_cache, or its per-platform default. */
function electronCacheRoot() {
  if (process.env.electron_config_cache) return process.env.electron_config_cache;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'electron');
  if (process.platform === 'win32') return join(process.env.LOCALAPPDATA || join(homedir(), 'AppData', 'Local'), 'electron', 'Cache');
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'electron');
}

/** Where @electron/get looks for a download in its cache: a folder named by the hash of the URL's folder. */
export function cachedDownloadPath(url, cacheRoot = electronCacheRoot()) {
  const folder = new URL(url);
  folder.hash = '';
  folder.search = '';
  folder.pathname = folder.pathname.replace(/\/[^/]*$/, '');
  const fileName = new URL(url).pathname.split('/').pop();
  return join(cacheRoot, createHash('sha256').update(folder.toString()).digest('hex'), fileName);
}

/** What `npm start` prints when the download failed; `url` is what @electron/get asked for. */
export function downloadFailedMessage({ url, reason }) {
  const file = url ? new URL(url).pathname.split('/').pop() : `Electron ${ELECTRON_VERSION} for ${process.platform}-${process.arch}`;
  const lines = [
    `Shelfmap's desktop window needs Electron ${ELECTRON_VERSION}, which is downloaded on first start, and the download failed${reason ? ` (${reason})` : ''}:`,
    `  ${url ?? file}`,
    'Two ways to get it:',
    '  1. On a network that reaches that address: run "npm start" again.',
    '  2. Without one: set ELECTRON_MIRROR to a mirror of Electron\'s releases that you can reach, or fetch',
    `     ${file} on another machine and put it in Electron's download cache:`,
    `     ${url ? cachedDownloadPath(url) : electronCacheRoot()}`,
    '     (electron_config_cache names another cache folder); then run "npm start" again.',
    'Meanwhile the same app runs in your browser: npm run serve',
  ];
  return lines.join('\n') + '\n';
}

/**
 * Runs Electron's own installer. Resolves with the binary's path, or with the message to show
 * when the download failed. Its debug output tells which URL it tried; its stack trace stays here.
 */
export function downloadElectron() {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(electronDir, 'install.js')], {
      env: { ...process.env, DEBUG: '@electron/get:index' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.once('error', (error) => resolve({ message: downloadFailedMessage({ url: null, reason: error.message }) }));
    child.once('close', (code) => {
      const binary = installedElectronBinary();
      if (code === 0 && binary) return resolve({ binary });
      const url = /Downloading (\S+) to /.exec(stderr)?.[1] ?? /Checking the cache \(.*?\) for \S+ \((\S+)\)/.exec(stderr)?.[1] ?? null;
      // the first line of the error, without the debug lines before it or the stack after it
      const reason = stderr
        .split('\n')
        .find((line) => line.trim() && !/@electron\/get:/.test(line) && !/^\s+at /.test(line))
        ?.trim();
      resolve({ message: downloadFailedMessage({ url, reason }) });
    });
  });
}
