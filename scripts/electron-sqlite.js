// better-sqlite3 built for Electron's ABI, the one build step of `npm start`, the Electron e2e
// spec and `npm run package`. better-sqlite3 talks to V8 directly (not Node-API), so Electron
// cannot load the build in node_modules, which plain Node (the CLI, serve, vitest) keeps using.
// @electron/rebuild builds a copy of its sources in .cache/electron-sqlite instead: a prebuilt
// binary for this Electron when one can be downloaded, else a compile against Electron's headers.
//
//   node scripts/electron-sqlite.js            build if needed; print the binding's path
//   node scripts/electron-sqlite.js --rebuild  (internal) the build itself, its output to the log
import { spawn } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ELECTRON_ABI, ELECTRON_VERSION } from './electron-binary.js';

const require = createRequire(import.meta.url);
const here = fileURLToPath(import.meta.url);
const projectRoot = join(dirname(here), '..');
const sqliteSource = dirname(require.resolve('better-sqlite3/package.json'));
const SQLITE_VERSION = JSON.parse(readFileSync(join(sqliteSource, 'package.json'), 'utf8')).version;

export const ELECTRON_SQLITE_DIR = join(projectRoot, '.cache', 'electron-sqlite');
/** The binding under a build folder. */
export const bindingIn = (dir) => join(dir, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
/** The binding Electron loads (SHELFMAP_SQLITE_BINDING); a package carries it as resources/native/. */
export const ELECTRON_SQLITE_BINDING = bindingIn(ELECTRON_SQLITE_DIR);
const stampIn = (dir) => join(dir, 'build-info.json');

/** What a build is for: a change to any of these needs a new build. */
function buildFor(electronVersion) {
  return { electron: electronVersion, betterSqlite3: SQLITE_VERSION, platform: process.platform, arch: process.arch };
}

/** True when dir holds a binding built for this Electron and this better-sqlite3. */
export function electronSqliteIsCurrent(dir = ELECTRON_SQLITE_DIR) {
  if (!existsSync(bindingIn(dir)) || !existsSync(stampIn(dir))) return false;
  try {
    return JSON.stringify(JSON.parse(readFileSync(stampIn(dir), 'utf8'))) === JSON.stringify(buildFor(ELECTRON_VERSION));
  } catch {
    return false;
  }
}

/**
 * The environment for the build, without npm's settings that would point node-gyp at other
 * headers: under `npm start` npm passes its config on as npm_config_*, and a `nodedir` there
 * (from an .npmrc that names Node's headers) makes node-gyp compile for Node's ABI instead.
 */
function buildEnvironment() {
  const overrides = /^npm_config_(nodedir|target|runtime|disturl|dist_url)$/i;
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !overrides.test(name)));
}

/** The NODE_MODULE_VERSION a non-Node-API addon registers itself under, read from the binary. */
function registeredAbi(binding) {
  return /node_register_module_v(\d+)/.exec(readFileSync(binding).toString('latin1'))?.[1] ?? null;
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
}

/**
 * Builds better-sqlite3 for one Electron version in dir and returns the binding's path.
 * `headerURL` is where node-gyp fetches the headers when no prebuilt binary can be had
 * (@electron/rebuild's default: www.electronjs.org/headers).
 * @param {{ dir?: string, electronVersion?: string, headerURL?: string }} [options]
 * @returns {Promise<string>}
 */
export async function buildSqliteForElectron({ dir = ELECTRON_SQLITE_DIR, electronVersion = ELECTRON_VERSION, headerURL } = {}) {
  const { rebuild } = await import('@electron/rebuild');
  copySources(dir);
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
  const binding = bindingIn(dir);
  if (!existsSync(binding)) throw new Error(`@electron/rebuild finished but ${binding} is missing`);
  const abi = registeredAbi(binding);
  if (electronVersion === ELECTRON_VERSION && abi !== ELECTRON_ABI) {
    throw new Error(`@electron/rebuild built ${binding} for ABI ${abi}, not Electron ${ELECTRON_VERSION}'s ${ELECTRON_ABI}`);
  }
  writeFileSync(stampIn(dir), JSON.stringify(buildFor(electronVersion)));
  return binding;
}

/**
 * The path of better-sqlite3 built for this Electron, built first if needed (once per Electron
 * and better-sqlite3 version). The build runs in a child process whose output goes to
 * <dir>/build.log; a failure throws an Error whose message is meant for the person at the terminal.
 * @param {{ dir?: string, headerURL?: string, say?: (line: string) => void }} [options]
 * @returns {Promise<string>}
 */
export async function ensureElectronSqlite({ dir = ELECTRON_SQLITE_DIR, headerURL, say = (line) => process.stderr.write(line + '\n') } = {}) {
  if (electronSqliteIsCurrent(dir)) return bindingIn(dir);
  say(`Preparing SQLite for Electron ${ELECTRON_VERSION} (once; it may take a few minutes)…`);
  // the build starts by emptying dir, so its log is written beside it and moved in afterwards
  mkdirSync(dirname(dir), { recursive: true });
  const pendingLog = `${dir}.log`;
  const log = openSync(pendingLog, 'w');
  const args = [here, '--rebuild', '--dir', dir, ...(headerURL ? ['--header-url', headerURL] : [])];
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', log, log], env: buildEnvironment() });
    child.once('error', () => resolve(-1));
    child.once('exit', (exitCode) => resolve(exitCode ?? -1));
  });
  closeSync(log);
  mkdirSync(dir, { recursive: true });
  const buildLog = join(dir, 'build.log');
  cpSync(pendingLog, buildLog);
  rmSync(pendingLog, { force: true });
  if (code === 0 && electronSqliteIsCurrent(dir)) return bindingIn(dir);
  const firstError = /^\w*Error: (.+)$/m.exec(readFileSync(buildLog, 'utf8'))?.[1];
  throw new Error(
    `better-sqlite3 could not be built for Electron ${ELECTRON_VERSION}${firstError ? ` (${firstError.trim()})` : ''}. ` +
      `@electron/rebuild downloads a prebuilt binary from github.com (WiseLibs/better-sqlite3 releases), or else ` +
      `Electron's headers from ${headerURL ?? 'www.electronjs.org/headers'} to compile it with a C++ toolchain ` +
      `(python3, make, g++). Its output is in ${relative(process.cwd(), buildLog) || buildLog}.`,
  );
}

if (process.argv[1] === here) {
  const option = (name) => {
    const at = process.argv.indexOf(name);
    return at > 0 ? process.argv[at + 1] : undefined;
  };
  const options = { dir: option('--dir'), headerURL: option('--header-url') };
  if (process.argv.includes('--rebuild')) {
    buildSqliteForElectron(options).catch((error) => {
      process.stderr.write(`${error?.stack ?? error}\n`);
      process.exit(1);
    });
  } else {
    ensureElectronSqlite(options).then(
      (binding) => process.stdout.write(binding + '\n'),
      (error) => {
        process.stderr.write(error.message + '\n');
        process.exit(1);
      },
    );
  }
}
