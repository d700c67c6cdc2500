// better-sqlite3 built for Electron's ABI, the one build step of `npm start`, the Electron e2e
// spec and `npm run package`. better-sqlite3 talks to V8 directly (not Node-API), so Electron
// cannot load the build in node_modules, which plain Node (the CLI, serve, vitest) keeps using.
// @electron/rebuild builds a copy of its sources in .cache/electron-sqlite instead: a prebuilt
// binary for this Electron when one can be downloaded, else a compile against Electron's headers.
//
//   node scripts/electron-sqlite.js            build if needed; print the binding's path
//   node scripts/electron-sqlite.js --rebuild  (internal) the build itself, its output to the log
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ELECTRON_VERSION } from './electron-binary.js';

const require = createRequire(import.meta.url);
const here = fileURLToPath(import.meta.url);
const projectRoot = join(dirname(here), '..');
const sqliteSource = dirname(require.resolve('better-sqlite3/package.json'));
const SQLITE_VERSION = JSON.parse(readFileSync(join(sqliteSource, 'package.json'), 'utf8')).version;

export const ELECTRON_SQLITE_DIR = join(projectRoot, '.cache', 'electron-sqlite');
const MODULE_DIR = join(ELECTRON_SQLITE_DIR, 'node_modules', 'better-sqlite3');
/** The binding Electron loads (SHELFMAP_SQLITE_BINDING); a package carries it as resources/native/. */
export const ELECTRON_SQLITE_BINDING = join(MODULE_DIR, 'build', 'Release', 'better_sqlite3.node');
const STAMP = join(ELECTRON_SQLITE_DIR, 'build-info.json');
const LOG = join(ELECTRON_SQLITE_DIR, 'build.log');

/** What the build is for: a change to any of these needs a new build. */
function wanted() {
  return { electron: ELECTRON_VERSION, betterSqlite3: SQLITE_VERSION, platform: process.platform, arch: process.arch };
}

/** True when the binding in .cache was built for this Electron and this better-sqlite3. */
export function electronSqliteIsCurrent() {
  if (!existsSync(ELECTRON_SQLITE_BINDING) || !existsSync(STAMP)) return false;
  try {
    return JSON.stringify(JSON.parse(readFileSync(STAMP, 'utf8'))) === JSON.stringify(wanted());
  } catch {
    return false;
  }
}

/** A fresh copy of better-sqlite3's sources, without node_modules' Node build. */
function copySources() {
  rmSync(ELECTRON_SQLITE_DIR, { recursive: true, force: true });
  mkdirSync(dirname(MODULE_DIR), { recursive: true });
  const nodeBuild = join(sqliteSource, 'build');
  cpSync(sqliteSource, MODULE_DIR, {
    recursive: true,
    filter: (path) => path !== nodeBuild && !path.startsWith(nodeBuild + sep),
  });
  // @electron/rebuild walks the dependencies of a project: this folder is one with one dependency
  writeFileSync(
    join(ELECTRON_SQLITE_DIR, 'package.json'),
    JSON.stringify({ name: 'shelfmap-electron-sqlite', private: true, dependencies: { 'better-sqlite3': SQLITE_VERSION } }, null, 2),
  );
}

async function rebuildHere(headerURL) {
  const { rebuild } = await import('@electron/rebuild');
  copySources();
  process.stdout.write(`Building better-sqlite3 ${SQLITE_VERSION} for Electron ${ELECTRON_VERSION} in ${ELECTRON_SQLITE_DIR}\n`);
  await rebuild({
    buildPath: ELECTRON_SQLITE_DIR,
    projectRootPath: ELECTRON_SQLITE_DIR,
    electronVersion: ELECTRON_VERSION,
    onlyModules: ['better-sqlite3'],
    force: true,
    mode: 'sequential',
    ...(headerURL ? { headerURL } : {}),
  });
  if (!existsSync(ELECTRON_SQLITE_BINDING)) throw new Error(`@electron/rebuild finished but ${ELECTRON_SQLITE_BINDING} is missing`);
  writeFileSync(STAMP, JSON.stringify(wanted()));
}

/**
 * The path of better-sqlite3 built for this Electron, built first if needed (once per Electron
 * and better-sqlite3 version). Throws an Error whose message is meant for the person at the
 * terminal; the build's own output is kept in .cache/electron-sqlite/build.log.
 * @param {{ headerURL?: string, say?: (line: string) => void }} [options]
 * @returns {Promise<string>}
 */
export async function ensureElectronSqlite({ headerURL, say = (line) => process.stderr.write(line + '\n') } = {}) {
  if (electronSqliteIsCurrent()) return ELECTRON_SQLITE_BINDING;
  say(`Preparing SQLite for Electron ${ELECTRON_VERSION} (once; it may take a few minutes)…`);
  mkdirSync(ELECTRON_SQLITE_DIR, { recursive: true });
  const logFile = join(dirname(ELECTRON_SQLITE_DIR), 'electron-sqlite.log');
  const log = openSync(logFile, 'w');
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, [here, '--rebuild', ...(headerURL ? ['--header-url', headerURL] : [])], {
      stdio: ['ignore', log, log],
    });
    child.once('error', () => resolve(-1));
    child.once('exit', (exitCode) => resolve(exitCode ?? -1));
  });
  closeSync(log);
  // the log moves into the build folder, which the build recreates from scratch
  mkdirSync(ELECTRON_SQLITE_DIR, { recursive: true });
  cpSync(logFile, LOG);
  rmSync(logFile, { force: true });
  if (code === 0 && electronSqliteIsCurrent()) return ELECTRON_SQLITE_BINDING;
  const where = relative(process.cwd(), LOG) || LOG;
  throw new Error(
    `better-sqlite3 could not be built for Electron ${ELECTRON_VERSION}. @electron/rebuild downloads a prebuilt ` +
      `binary from github.com (WiseLibs/better-sqlite3 releases) or else Electron's headers from ` +
      `${headerURL ?? 'www.electronjs.org/headers'} and compiles with a C++ toolchain (python3, make, g++); ` +
      `neither worked here. What it said is in ${where}.`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const at = process.argv.indexOf('--header-url');
  const headerURL = at > 0 ? process.argv[at + 1] : undefined;
  if (process.argv.includes('--rebuild')) {
    rebuildHere(headerURL).catch((error) => {
      process.stderr.write(`${error?.stack ?? error}\n`);
      process.exit(1);
    });
  } else {
    ensureElectronSqlite({ headerURL }).then(
      (binding) => process.stdout.write(binding + '\n'),
      (error) => {
        process.stderr.write(error.message + '\n');
        process.exit(1);
      },
    );
  }
}
