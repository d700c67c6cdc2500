// The desktop door: a thin Electron shell. The engine runs in a worker thread; this process
// only opens the window and relays the contract between the renderer and the engine.
import { app, BrowserWindow, dialog, ipcMain, protocol, session, shell } from 'electron';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isApiMethod, type ApiMethodName } from '../../src-shared/contract';
import { serializeError, ShelfmapError } from '../../src-shared/errors';
import { CONTENT_SECURITY_POLICY } from '../../src-shared/security';
import { startEngineWorker, workerBeside, type EngineWorker } from '../engine/worker-client';
import { answerAppRequest, APP_ENTRY_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, isAppPage } from './app-protocol';
import { openExternalAfterAsking } from './external-links';
import { openLibraryBook } from './open-book';
import { IPC, type IpcReply } from './ipc-channels';
import { PACKAGED_SQLITE_BINDING } from './packaged-paths';

app.setName('Shelfmap');
const here = dirname(fileURLToPath(import.meta.url));
/** Set by `electron-vite dev` only; otherwise the built renderer is served from app://. */
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const rendererUrl = devServerUrl ?? APP_ENTRY_URL;

// Must happen before the app is ready: a standard, secure scheme gets an origin of its own
// (so 'self' in the CSP means app://shelfmap) and counts as a secure context.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

let window: BrowserWindow | null = null;
let quitting = false;
/** Folders the user chose in the dialog or dropped: the only paths the renderer may add. */
const grantedFolders = new Set<string>();

function isGranted(folder: string): boolean {
  const wanted = resolve(folder);
  for (const granted of grantedFolders) {
    if (wanted === granted || wanted.startsWith(granted + sep)) return true;
  }
  return false;
}

function fromOurWindow(sender: WebContents, frameUrl: string | undefined): boolean {
  return window !== null && sender === window.webContents && isAppPage(frameUrl, devServerUrl);
}

/**
 * better-sqlite3 built for Electron's ABI (the one in node_modules is built for Node): `npm start`
 * and the e2e spec name it in SHELFMAP_SQLITE_BINDING; a package carries it in its resources.
 */
function electronSqliteBinding(): string | undefined {
  if (process.env.SHELFMAP_SQLITE_BINDING) return process.env.SHELFMAP_SQLITE_BINDING;
  return app.isPackaged ? join(process.resourcesPath, PACKAGED_SQLITE_BINDING) : undefined;
}

async function askToOpen(url: URL): Promise<boolean> {
  const options = {
    type: 'question' as const,
    buttons: ['Open in browser', 'Cancel'],
    defaultId: 0,
    cancelId: 1,
    message: `Open ${url.hostname} in your web browser?`,
    detail: url.href,
  };
  const answer = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
  return answer.response === 0;
}

function openLinkOutside(href: string): void {
  void openExternalAfterAsking(href, { confirm: askToOpen, open: (url) => shell.openExternal(url.href) });
}

/**
 * A folder the renderer names must have come from the OS dialog or a drop in this session, or
 * be one the user added to the library before (so "Read again" works after a restart).
 */
async function checkPaths(engine: EngineWorker, method: ApiMethodName, arg: unknown): Promise<void> {
  if (method !== 'addFolder' && method !== 'startRun' && method !== 'placeBooks') return;
  const folder = (arg as { folder?: unknown } | null)?.folder;
  if (folder === undefined && method === 'startRun') return;
  if (typeof folder === 'string' && isGranted(folder)) return;
  if (typeof folder === 'string') {
    const added = await engine.call('listFolders', {});
    if (added.some((f) => resolve(f.path) === resolve(folder))) return;
  }
  throw new ShelfmapError('invalid-argument', 'Choose the folder with "Choose folder…" or drop it on the window.');
}

function relayCalls(engine: EngineWorker): void {
  ipcMain.handle(IPC.call, async (event: IpcMainInvokeEvent, method: unknown, arg: unknown): Promise<IpcReply> => {
    try {
      if (!fromOurWindow(event.sender, event.senderFrame?.url)) throw new ShelfmapError('invalid-argument', 'Unknown sender.');
      if (!isApiMethod(method)) throw new ShelfmapError('invalid-argument', `Unknown method "${String(method)}".`);
      await checkPaths(engine, method, arg);
      return { ok: true, result: await engine.call(method, (arg ?? {}) as never) };
    } catch (error) {
      return { ok: false, error: serializeError(error) };
    }
  });
  ipcMain.handle(IPC.pickFolder, async (event) => {
    if (!fromOurWindow(event.sender, event.senderFrame?.url) || !window) return null;
    const choice = await dialog.showOpenDialog(window, { title: 'Choose a folder of books', properties: ['openDirectory'] });
    if (choice.canceled || choice.filePaths.length === 0) return null;
    grantedFolders.add(resolve(choice.filePaths[0]));
    return choice.filePaths[0];
  });
  // only a book of the library, named by its id, is ever handed to the system's viewer
  ipcMain.handle(IPC.openBook, async (event, bookId: unknown): Promise<string | null> => {
    if (!fromOurWindow(event.sender, event.senderFrame?.url)) return 'Unknown sender.';
    return openLibraryBook(bookId, { listBooks: () => engine.call('listBooks', {}), openPath: (path) => shell.openPath(path) });
  });
  ipcMain.on(IPC.grantDropped, (event, path: unknown) => {
    if (fromOurWindow(event.sender, event.senderFrame?.url) && typeof path === 'string' && path) grantedFolders.add(resolve(path));
  });
  engine.subscribe((name, payload) => window?.webContents.send(IPC.event, name, payload));
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    title: 'Shelfmap',
    show: false,
    webPreferences: {
      preload: join(here, '..', 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  // nothing navigates away from the app; links to Project Gutenberg may open in the system
  // browser once the user agrees, any other link does nothing
  win.webContents.on('will-navigate', (event, url) => {
    if (url === win.webContents.getURL()) return;
    event.preventDefault();
    openLinkOutside(url);
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    openLinkOutside(url);
    return { action: 'deny' };
  });
  void win.loadURL(rendererUrl);
  return win;
}

function lockDownSession(): void {
  const rendererRoot = join(here, '..', 'renderer');
  protocol.handle(APP_SCHEME, (request) => answerAppRequest(rendererRoot, request));
  // the dev server's pages get the same policy as a header (app:// responses carry their own)
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  // the app needs no camera, microphone, notifications, clipboard or device: refuse every
  // request, and answer every check ("may this page...?") with no as well
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.setDevicePermissionHandler(() => false);
}

/** A second launch hands over to the first: its window comes to the front, the newcomer quits. */
function focusFirstWindow(): void {
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

async function start(): Promise<void> {
  await app.whenReady();
  lockDownSession();
  let engine: EngineWorker;
  try {
    engine = await startEngineWorker({
      dbPath: process.env.SHELFMAP_DB ?? join(app.getPath('userData'), 'library.sqlite'),
      sqliteBinding: electronSqliteBinding(),
      workerFile: workerBeside(import.meta.url),
    });
  } catch (error) {
    dialog.showErrorBox('Shelfmap cannot start', serializeError(error).message);
    app.exit(1);
    return;
  }
  void engine.stopped.then((reason) => {
    if (quitting || !window) return;
    dialog.showErrorBox('Shelfmap stopped', `${reason.message}\nYour library is kept; open Shelfmap again to go on.`);
    app.exit(1);
  });
  relayCalls(engine);
  window = createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) window = createWindow();
  });
  app.on('window-all-closed', () => {
    quitting = true;
    void engine.close().then(() => app.quit());
  });
}

// SHELFMAP_USER_DATA gives a separate profile (its own lock, window state and library), which
// the e2e spec uses so it never meets a Shelfmap the developer has open.
if (process.env.SHELFMAP_USER_DATA) app.setPath('userData', resolve(process.env.SHELFMAP_USER_DATA));
// One Shelfmap per profile: two would share one library file and one engine's worth of memory.
if (app.requestSingleInstanceLock()) {
  app.on('second-instance', focusFirstWindow);
  void start();
} else {
  app.quit();
}
