// `npm start`: opens the desktop app. Electron's binary is fetched at first launch; where that
// cannot happen (no network to its download host) this says so and points to the browser door.
// better-sqlite3 is compiled for Node; Electron needs a build for its own ABI, kept apart in
// .cache/ so the CLI and tests keep using the Node one.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function explainAndExit(reason) {
  process.stderr.write(
    `Shelfmap's desktop window needs the Electron binary, which could not be had: ${reason}\n` +
      'Electron downloads it on first launch; check the network and run "npm start" again.\n' +
      'Meanwhile the same app runs in your browser: npm run serve\n',
  );
  process.exit(1);
}

async function electronBinary() {
  try {
    const electron = require('electron');
    if (typeof electron === 'string' && existsSync(electron)) return electron;
    return explainAndExit('the electron package did not give a program path');
  } catch (error) {
    return explainAndExit(error instanceof Error ? error.message : String(error));
  }
}

function electronVersion() {
  return require('electron/package.json').version;
}

/** better_sqlite3.node built for this Electron, made once per Electron version. */
function sqliteForElectron(version) {
  const dir = join(root, '.cache', 'electron-native', version, 'better-sqlite3');
  const binding = join(dir, 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(binding)) return binding;
  mkdirSync(dirname(dir), { recursive: true });
  const source = join(root, 'node_modules', 'better-sqlite3');
  // the sources without the Node build, which must not be mistaken for an Electron one
  cpSync(source, dir, { recursive: true, filter: (path) => !path.startsWith(join(source, 'build')) });
  process.stderr.write(`Preparing SQLite for Electron ${version} (once)…\n`);
  const prebuilt = spawnSync(
    process.execPath,
    [require.resolve('prebuild-install/bin.js'), '--runtime', 'electron', '--target', version, '--arch', process.arch],
    { cwd: dir, stdio: 'inherit' },
  );
  if (prebuilt.status !== 0 || !existsSync(binding)) {
    const built = spawnSync(
      'npx',
      ['--yes', 'node-gyp', 'rebuild', `--target=${version}`, '--dist-url=https://electronjs.org/headers', '--release'],
      { cwd: dir, stdio: 'inherit', shell: process.platform === 'win32' },
    );
    if (built.status !== 0 || !existsSync(binding)) explainAndExit('better-sqlite3 could not be built for Electron');
  }
  return binding;
}

const binary = await electronBinary();
const binding = sqliteForElectron(electronVersion());
const child = spawn(binary, [join(root, 'out', 'main', 'index.js')], {
  stdio: 'inherit',
  env: { ...process.env, SHELFMAP_SQLITE_BINDING: binding },
});
child.on('exit', (code) => process.exit(code ?? 0));
