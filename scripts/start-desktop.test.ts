// `npm start` where Electron's binary cannot be downloaded: run the start script as a real
// child process with the download pointed at a closed loopback port, and read what it says.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { closedPort, runNode as run } from './test-processes';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedDownloadPath, ELECTRON_VERSION } from './electron-binary.js';

describe('npm start without a way to download Electron', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let mirror: string;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'shelfmap-start-'));
    mirror = `http://127.0.0.1:${await closedPort()}/`;
    const noElectron = join(home, 'no-electron'); // hides an installed binary, so the download is tried
    mkdirSync(noElectron);
    env = {
      ...process.env,
      ELECTRON_MIRROR: mirror,
      ELECTRON_OVERRIDE_DIST_PATH: noElectron,
      electron_config_cache: join(home, 'electron-cache'),
      DEBUG: '',
    };
  });

  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('names what it could not download and the ways out, without a stack trace', async () => {
    const { code, stdout, stderr } = await run(['scripts/start-desktop.js'], env);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const file = `electron-v${ELECTRON_VERSION}-${process.platform}-${process.arch}.zip`;
    const url = `${mirror}v${ELECTRON_VERSION}/${file}`;
    expect(stderr).toContain(`needs Electron ${ELECTRON_VERSION}`);
    expect(stderr).toContain(`  ${url}\n`);
    expect(stderr).toContain('On a network that reaches that address: run "npm start" again.');
    expect(stderr).toContain('ELECTRON_MIRROR');
    expect(stderr).toContain(cachedDownloadPath(url, join(home, 'electron-cache')));
    expect(stderr).toContain('electron_config_cache');
    expect(stderr.trimEnd().split('\n').at(-1)).toBe('Meanwhile the same app runs in your browser: npm run serve');
    // no stack trace, and none of electron's own advice to delete node_modules/electron
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).not.toMatch(/node_modules\/electron|install-electron|\.js:\d+/);
  });

  it('names the cache file where Electron\'s downloader really looks', async () => {
    // @electron/get finds the planted file (then refuses it: it is not the real zip's checksum)
    const file = `electron-v${ELECTRON_VERSION}-${process.platform}-${process.arch}.zip`;
    const planted = cachedDownloadPath(`${mirror}v${ELECTRON_VERSION}/${file}`, join(home, 'electron-cache'));
    mkdirSync(dirname(planted), { recursive: true });
    writeFileSync(planted, 'not a zip');
    const { stderr } = await run(['node_modules/electron/install.js'], { ...env, DEBUG: '@electron/get:index' });
    expect(stderr).toContain('Cache hit');
    rmSync(planted);
  });
});
