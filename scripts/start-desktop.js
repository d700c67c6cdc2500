// `npm start` (after `npm run build`): opens the desktop app. It gets the Electron binary (which
// Electron downloads on first start), better-sqlite3 built for Electron (scripts/electron-sqlite.js,
// the same build the e2e spec and packaging use), then launches the app. Where something cannot
// be had it says what and the way out, with no stack trace, and points to the browser door.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadElectron, ELECTRON_VERSION, installedElectronBinary } from './electron-binary.js';
import { ensureElectronSqlite } from './electron-sqlite.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'out', 'main', 'index.js');

function stop(message) {
  process.stderr.write(message.endsWith('\n') ? message : message + '\n');
  process.exit(1);
}

let binary = installedElectronBinary();
if (!binary) {
  process.stderr.write(`Downloading Electron ${ELECTRON_VERSION} (once)…\n`);
  const download = await downloadElectron();
  if (!download.binary) stop(download.message);
  binary = download.binary;
}

if (!existsSync(entry)) stop('The desktop app is not built: run "npm start" (it builds first) or "npm run build".');

let binding;
try {
  binding = await ensureElectronSqlite();
} catch (error) {
  stop(`${error.message}\nMeanwhile the same app runs in your browser: npm run serve`);
}

const child = spawn(binary, [entry], {
  stdio: 'inherit',
  env: { ...process.env, SHELFMAP_SQLITE_BINDING: binding },
});
child.once('error', (error) => stop(`Electron could not be started (${binary}): ${error.message}\nThe same app runs in your browser: npm run serve`));
child.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
// Ctrl-C in the terminal reaches Electron too; let it close the library before we exit
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
