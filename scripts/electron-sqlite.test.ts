// The better-sqlite3-for-Electron build step: it reuses a build made for this Electron, and
// where neither a prebuilt binary nor Electron's headers can be downloaded it says so plainly,
// leaving node_modules' own build alone. Downloads go to closed loopback ports, so the outcome
// is the same with or without a network.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { closedPort, runNode } from './test-processes';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ELECTRON_VERSION } from './electron-binary.js';
import { bindingIn, ensureElectronSqlite } from './electron-sqlite.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nodeBuild = join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
const sqliteVersion = (JSON.parse(readFileSync(join(root, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')) as { version: string }).version;
const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('better-sqlite3 for Electron', () => {
  let home: string;
  let closed: string;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'shelfmap-electron-sqlite-'));
    closed = `http://127.0.0.1:${await closedPort()}`;
  });

  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('reuses the build made for this Electron and this better-sqlite3', async () => {
    const dir = join(home, 'built');
    mkdirSync(dirname(bindingIn(dir)), { recursive: true });
    writeFileSync(bindingIn(dir), 'a binding');
    writeFileSync(
      join(dir, 'build-info.json'),
      JSON.stringify({ electron: ELECTRON_VERSION, betterSqlite3: sqliteVersion, platform: process.platform, arch: process.arch }),
    );
    const said: string[] = [];
    expect(await ensureElectronSqlite({ dir, say: (line) => said.push(line) })).toBe(bindingIn(dir));
    expect(said).toEqual([]);
  });

  it('says what could not be had when neither download works, and keeps the Node build', async () => {
    const dir = join(home, 'offline');
    const before = hash(nodeBuild);
    const result = await runNode(['scripts/electron-sqlite.js', '--dir', dir, '--header-url', closed], {
      ...process.env,
      // prebuild-install's mirror setting for better-sqlite3's prebuilt binaries
      npm_config_better_sqlite3_binary_host: closed,
      // as npm passes it on where an .npmrc names Node's headers: the build must not use them
      npm_config_nodedir: dirname(dirname(process.execPath)),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`better-sqlite3 could not be built for Electron ${ELECTRON_VERSION} (connect ECONNREFUSED ${closed.replace('http://', '')})`);
    expect(result.stderr).toContain(`Electron's headers from ${closed}`);
    expect(result.stderr).toContain(join(dir, 'build.log').replace(root + '/', ''));
    expect(result.stderr).not.toMatch(/^\s+at /m);
    // the details are in the log: node-gyp went for Electron's headers (not the nodedir above)
    const log = readFileSync(join(dir, 'build.log'), 'utf8');
    expect(log).toContain(`Building better-sqlite3 ${sqliteVersion} for Electron ${ELECTRON_VERSION}`);
    expect(log).toContain(`node-gyp failed to rebuild`);
    expect(existsSync(bindingIn(dir))).toBe(false);
    expect(hash(nodeBuild)).toBe(before);
  });
});
