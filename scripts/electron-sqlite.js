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
/** The binding Electron loads (SHELFMAP_SQLITE_BINDING); a package carries it as resources/native/. */
export const ELECTRON_SQLITE_BINDING = join(ELECTRON_SQLITE_DIR, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
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

/** A fresh copy of better-sqlite3's sources in dir, without node_modules' Node build. */
function copySources(dir) {
  rmSync(dir, { recursive: true, force: true });
  const moduleDir = join(dir, 'node_modules', 'better-sqlite3');
  mkdirSync(dirname(moduleDir), { recursive: true });
  const nodeBuild = join(sqliteSource, 'build');
  cpSync(sqliteSource, moduleDir, {
    recursive: true,
    filter: (path) => path !== nodeBuild && !path.startsWith(nodeBuild + sep),
  });
  // @electron/rebuild walks the dependencies of a project: this folder is one with one dependency
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'shelfmap-electron-sqlite', private: true, dependencies: { 'better-sqlite3': SQLITE_VERSION } }, null, 2),
  );
  return join(moduleDir, 'build', 'Release', 'better_sqlite3.node');
}

/**
 * Builds better-sqlite3 for one Electron version in dir (by default this project's Electron in
 * .cache/electron-sqlite) and returns the binding's path. `headerURL` is where node-gyp fetches
 * the headers when no prebuilt binary can be had (@electron/rebuild's default: electronjs.org).
 * @param {{ dir?: string, electronVersion?: string, headerURL?: string }} [options]
 * @returns {Promise<string>}
 */
export async function buildSqliteForElectron({ dir = ELECTRON_SQLITE_DIR, electronVersion = ELECTRON_VERSION, headerURL } = {}) {
  const { rebuild } = await import('@electron/rebuild');
  const binding = copySources(dir);
  process.stdout.write(`Building better-sqlite3 ${SQLITE_VERSION} for Electron ${electronVersion} in ${dir}\n`);
  await rebuild({
    buildPath: dir,
    projectRootPath: dir,
    electronVersion,
    onlyModules: ['better-sqlite3'],
    force: true,
    mode: 'sequential',
    ...(headerURL ? { headerURL } : {}),
  });
  if (!existsSync(binding)) throw new Error(`@electron/rebuild finished but ${binding} is missing`);
  if (dir === ELECTRON_SQLITE_DIR && electronVersion === ELECTRON_VERSION) writeFileSync(STAMP, JSON.stringify(wanted()));
  return binding;
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
    buildSqliteForElectron({ headerURL }).catch((error) => {
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
