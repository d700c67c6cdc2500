// The desktop door: the built Electron app, driven through Playwright's Electron support. The
// folder comes from the OS dialog (the only way the main process accepts one), which the test
// answers by replacing dialog.showOpenDialog in the main process.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { makeMixedFolder } from '../fixtures/fixture-paths';
import { runMapFlow } from './map-flow';
import { PROJECT_ROOT } from './serve-helpers';

/** Why the Electron binary cannot be used here, or null when it can. */
function electronMissing(): string | null {
  const pathFile = join(PROJECT_ROOT, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return `${pathFile} does not exist`;
  const binary = join(PROJECT_ROOT, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) return `${binary} does not exist`;
  if (!existsSync(join(PROJECT_ROOT, 'out', 'main', 'index.js'))) return 'the app is not built (run npm run build)';
  return null;
}

const missing = electronMissing();

test.describe('desktop app', () => {
  test.skip(
    missing !== null,
    `Electron binary not installed here (it downloads at first launch, which this machine cannot): ${missing}`,
  );

  let app: ElectronApplication;
  let home: string;
  let folder: string;

  test.beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'shelfmap-e2e-electron-'));
    folder = makeMixedFolder();
    app = await electron.launch({
      args: [join(PROJECT_ROOT, 'out', 'main', 'index.js')],
      cwd: PROJECT_ROOT,
      env: { ...process.env, SHELFMAP_DB: join(home, 'library.sqlite') },
      acceptDownloads: true,
    });
  });

  test.afterAll(async () => {
    await app?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
    if (home) rmSync(home, { recursive: true, force: true });
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
      screenshotPath: join(PROJECT_ROOT, 'e2e', 'screenshots', 'electron-map.png'),
    });
  });
});
