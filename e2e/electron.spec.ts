// The desktop door: the built Electron app, driven through Playwright's Electron support, with
// better-sqlite3 built for Electron by the same step as `npm start` (scripts/electron-sqlite.js).
// The folder comes from the OS dialog (the only way the main process accepts one), which the
// test answers by replacing dialog.showOpenDialog in the main process. Where the Electron
// binary is not installed (it downloads at first start) the whole spec skips and says why.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { installedElectronBinary } from '../scripts/electron-binary.js';
import { ensureElectronSqlite } from '../scripts/electron-sqlite.js';
import { makeMixedFolder } from '../fixtures/fixture-paths';
import { runMapFlow } from './map-flow';
import { PROJECT_ROOT, SCREENSHOTS } from './serve-helpers';
import { startVirtualDisplayIfNeeded, type VirtualDisplay } from './xvfb';

const ENTRY = join(PROJECT_ROOT, 'out', 'main', 'index.js');
const SQLITE_BUILD_TIMEOUT_MS = 15 * 60_000;
const binary = installedElectronBinary();

function whyNot(): string | null {
  if (!binary) return 'Electron binary not installed here (it downloads at first launch, which this machine cannot; npm start says how to get it)';
  if (!existsSync(ENTRY)) return 'the app is not built (run npm run build)';
  return null;
}

const missing = whyNot();
// the list reporter shows a skip without its reason: say it where the run's output is read
if (missing) console.warn(`Skipping the desktop app's e2e spec: ${missing}.`);

/** The slice of the page's navigator this spec reads (the e2e code is typed without the DOM). */
type PagePermissions = { navigator: { permissions: { query(what: { name: string }): Promise<{ state: string }> } } };

test.describe('desktop app', () => {
  test.skip(missing !== null, missing ?? '');

  let app: ElectronApplication;
  let home: string;
  let folder: string;
  let display: VirtualDisplay | null = null;
  let env: Record<string, string>;
  // Chromium refuses to run as root with its sandbox on (CI containers); the page sandbox stays on
  const args = [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), ENTRY];

  test.beforeAll(async () => {
    test.setTimeout(SQLITE_BUILD_TIMEOUT_MS);
    const binding = await ensureElectronSqlite({ say: (line) => console.log(line) });
    display = await startVirtualDisplayIfNeeded();
    home = mkdtempSync(join(tmpdir(), 'shelfmap-e2e-electron-'));
    folder = makeMixedFolder();
    env = {
      ...(process.env as Record<string, string>),
      SHELFMAP_DB: join(home, 'library.sqlite'),
      // a profile of its own: its single-instance lock is not that of a Shelfmap already open
      SHELFMAP_USER_DATA: join(home, 'user-data'),
      SHELFMAP_SQLITE_BINDING: binding,
      ...(display ? { DISPLAY: display.display } : {}),
    };
    app = await electron.launch({ executablePath: binary!, args, cwd: PROJECT_ROOT, env, acceptDownloads: true });
  });

  test.afterAll(async () => {
    await app?.close();
    await display?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
    if (home) rmSync(home, { recursive: true, force: true });
  });

  test('the window is served from app:// and refuses permissions', async () => {
    const page = await app.firstWindow();
    expect(page.url()).toBe('app://shelfmap/index.html');
    const notifications = await page.evaluate(async () => {
      const { navigator } = globalThis as unknown as PagePermissions;
      return (await navigator.permissions.query({ name: 'notifications' })).state;
    });
    expect(notifications).toBe('denied');
  });

  test('a second launch hands over to the first and quits', async () => {
    const second = spawn(binary!, args, { cwd: PROJECT_ROOT, env, stdio: 'ignore' });
    const code = await new Promise<number | null>((resolve) => second.once('exit', resolve));
    expect(code).toBe(0);
    expect(app.windows()).toHaveLength(1);
  });

  test('a librarian maps a mixed folder of books in the desktop app', async () => {
    const page = await app.firstWindow();
    await page.setViewportSize({ width: 1440, height: 960 });
    await expect(page.getByTestId('choose-folder')).toBeVisible();

    await runMapFlow(page, folder, {
      addFolder: async (window: Page, chosen: string) => {
        await app.evaluate(({ dialog }, path) => {
          dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [path] })) as typeof dialog.showOpenDialog;
        }, chosen);
        await window.getByTestId('choose-folder').click();
      },
      screenshotPath: join(SCREENSHOTS, 'electron-map.png'),
    });
  });
});
